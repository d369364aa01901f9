"""Forms of the case pages. They check shape at the boundary (required, lengths, dates not
in the future, choices); the procedure rules are applied by ``sanxiang.cases.services``,
whose refusals (each naming its rule and article) the views show on the form."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxiang.cases.models import Case, CaseSource, Evidence, Party
from sanxiang.catalog import selectors as catalog_selectors
from sanxiang.catalog.models import Circumstance, PenaltyKind, PowerItem
from sanxiang.org.models import Agency, Officer, Unit
from sanxiang.procedures import registry
from sanxiang.procedures.model import (
    ACTION_TYPES,
    REFUSABLE_ROLES,
    SIGNATURE_ROLES,
    RecordKind,
)

SCOPES: dict[str, str] = {
    "mine": "我承办的在办案件",
    "overdue": "本机关已逾期",
    "open": "本机关在办案件",
    "closed": "已办结案件",
}
FUTURE = "不能晚于今天，不能预填日期（000 全过程记录办法 第九条）。"
FUTURE_MOMENT = "不能晚于当前时间（000 全过程记录办法 第九条）。"
YES_NO = [("", "（未填）"), ("1", "是"), ("0", "否")]
# Record fields that hold a date or a short phrase get one line; the rest a text area.
_SHORT_FIELD_HINTS = ("date", "_on", "time", "number", "method", "signature", "seal", "type")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _not_future(value: datetime.date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(FUTURE)


def _not_future_moment(value: datetime.datetime | None) -> None:
    # a minute's grace: the form's default is "now", rounded to the minute
    if value is not None and value > timezone.now() + datetime.timedelta(minutes=1):
        raise ValidationError(FUTURE_MOMENT)


def _now_local() -> str:
    return f"{timezone.localtime():%Y-%m-%dT%H:%M}"


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.post}）"


class OfficersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.post}）"


class MatterChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"[{obj.get_category_display()}] {obj.code} {obj.name}"


class BoolChoice(forms.TypedChoiceField):
    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(
            label=label,
            choices=YES_NO,
            coerce=lambda v: v == "1",
            empty_value=None,
            required=False,
            **kwargs,
        )


# ------------------------------------------------------------------ opening a case


class OpenCaseForm(forms.Form):
    action_type = forms.ChoiceField(label="执法行为类别", choices=list(ACTION_TYPES.items()))
    simple = forms.BooleanField(
        label="适用简易程序（当场处罚）",
        required=False,
        help_text="仅限违法事实确凿并有法定依据，对公民处二百元以下、对法人或者其他组织处三千元以下罚款或者警告的行政处罚"
        "（《中华人民共和国行政处罚法》第五十一条）。",
    )
    title = forms.CharField(label="案由", max_length=255)
    unit = forms.ModelChoiceField(label="承办机构", queryset=Unit.objects.none())
    matter = MatterChoice(
        label="权责清单事项",
        queryset=PowerItem.objects.none(),
        required=False,
        help_text="行政检查以外的执法行为应当载明所依据的权责清单事项（000 公示办法 第九条）。",
    )
    opened_on = forms.DateField(label="启动日期", widget=DateInput(), validators=[_not_future])
    officers = OfficersChoice(
        label="执法人员（第一位为主办）",
        queryset=Officer.objects.none(),
        required=False,
        help_text="应当由两名以上持有效执法证的执法人员调查取证（《中华人民共和国行政处罚法》第四十二条）。",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    source_kind = forms.ChoiceField(label="案件来源", choices=CaseSource.Kind.choices)
    source_received_on = forms.DateField(
        label="来源接收日期", widget=DateInput(), validators=[_not_future]
    )
    source_summary = forms.CharField(
        label="案源内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    source_provider_name = forms.CharField(
        label="案源提供单位或者个人", max_length=128, required=False
    )
    source_provider_contact = forms.CharField(
        label="提供人联系方式", max_length=128, required=False
    )
    source_notify_required = forms.BooleanField(
        label="须告知案源提供人处理结果",
        required=False,
        help_text="投诉、举报、移送、交办的案件，应当告知处理结果（002 第三十条）。",
    )
    party_kind = forms.ChoiceField(
        label="当事人类型", choices=[("", "（暂不登记）"), *Party.Kind.choices], required=False
    )
    party_name = forms.CharField(label="当事人姓名或名称", max_length=128, required=False)
    party_id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    party_uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    party_representative = forms.CharField(
        label="法定代表人（负责人）", max_length=32, required=False
    )
    party_address = forms.CharField(label="住所（地址）", max_length=255, required=False)
    party_phone = forms.CharField(label="联系电话", max_length=32, required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.agency = agency
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            agency=agency, kind=Unit.Kind.HANDLING
        )
        self.fields["matter"].queryset = catalog_selectors.in_force(  # type: ignore[attr-defined]
            PowerItem, on=today, agency=agency
        )
        self.fields["officers"].queryset = (  # type: ignore[attr-defined]
            Officer.objects.filter(agency=agency, left_on__isnull=True).order_by("name")
        )
        self.fields["opened_on"].initial = today
        self.fields["source_received_on"].initial = today

    GROUPS = (
        ("执法行为", ("action_type", "simple", "title", "unit", "matter", "opened_on", "officers")),
        (
            "案件来源（002 第三十条）",
            (
                "source_kind",
                "source_received_on",
                "source_summary",
                "source_provider_name",
                "source_provider_contact",
                "source_notify_required",
            ),
        ),
        (
            "当事人",
            (
                "party_kind",
                "party_name",
                "party_id_number",
                "party_uscc",
                "party_representative",
                "party_address",
                "party_phone",
            ),
        ),
    )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[n] for n in names]) for legend, names in self.GROUPS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("party_kind") and not data.get("party_name"):
            self.add_error("party_name", "请填写当事人姓名或名称。")
        return data


# ------------------------------------------------------------------ records


def _field_widget(name: str) -> forms.Widget:
    if any(h in name for h in _SHORT_FIELD_HINTS):
        return forms.TextInput()
    return forms.Textarea(attrs={"rows": 3})


def _served_documents(case: Case) -> list[tuple[str, str]]:
    reg = registry()
    served_kinds = [code for code, k in reg.kinds.items() if k.served]
    rows = case.records.filter(kind__in=served_kinds, superseded_by__isnull=True).order_by("id")
    return [("", "（请选择）")] + [
        (str(r.pk), f"R{r.pk} {reg.kind_name(r.kind)}（{r.made_on:%Y-%m-%d}）") for r in rows
    ]


class RecordForm(forms.Form):
    """One 文书 of a given kind: the matters its kind must set out (kinds.toml), and the
    key data the engine reads (送达日期, 送达方式, 罚没金额…)."""

    made_on = forms.DateField(label="制作日期", widget=DateInput(), validators=[_not_future])

    def __init__(self, *args: Any, kind: RecordKind, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", kind.code)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.case = case
        self.fields["made_on"].initial = timezone.localdate()
        for f in kind.fields:
            # signatures are rows; a matter that is also key data (送达日期) is asked once
            if f.name == "signatures" or f.name in kind.data:
                continue
            self.fields[f"data__{f.name}"] = forms.CharField(
                label=f.label, max_length=20000, widget=_field_widget(f.name)
            )
        methods = [(m.code, m.name) for m in registry().service_methods.values()]
        for key in kind.data:
            if key == "served_on":
                self.fields["served_on"] = forms.DateField(
                    label="送达日期", widget=DateInput(), validators=[_not_future]
                )
            elif key == "service_method":
                self.fields["service_method"] = forms.ChoiceField(
                    label="送达方式（002 第三十九条）", choices=[("", "（请选择）"), *methods]
                )
            elif key == "document":
                self.fields["served_document"] = forms.TypedChoiceField(
                    label="所送达的文书",
                    choices=_served_documents(case),
                    coerce=int,
                    empty_value=None,
                )
            elif key == "amount":
                self.fields["amount"] = forms.DecimalField(
                    label="罚没金额（元）",
                    max_digits=14,
                    decimal_places=2,
                    min_value=Decimal("0"),
                    required=False,
                )
            elif key in ("hearing_requested", "statement_waived", "violations_found"):
                label = {
                    "hearing_requested": "当事人是否申请听证",
                    "statement_waived": "当事人是否放弃陈述申辩",
                    "violations_found": "是否发现违法行为",
                }[key]
                self.fields[key] = BoolChoice(label)

        self._add_decision_data(kind, case)

    def _add_decision_data(self, kind: RecordKind, case: Case) -> None:
        """What the engine reads beyond the kind's matters: the proposed penalty on a rights
        notice (hearing eligibility, 《中华人民共和国行政处罚法》第六十三条) and the tier applied
        on a fine (the discretion standard's range, 000 全过程记录办法 第十三条)."""
        if kind.code == "rights_notice" and case.action_type in ("penalty", "licensing"):
            if case.action_type == "penalty":
                self.fields["extra__proposed_penalty_kinds"] = forms.MultipleChoiceField(
                    label="拟作出的行政处罚种类（《中华人民共和国行政处罚法》第九条）",
                    choices=[c for c in PenaltyKind.choices if c[0] != PenaltyKind.NONE],
                    widget=forms.CheckboxSelectMultiple(),
                    required=False,
                )
                self.fields["extra__large_amount"] = forms.BooleanField(
                    label="属较大数额罚款、没收较大数额违法所得或者较大价值非法财物"
                    "（按省、部规定的标准；《中华人民共和国行政处罚法》第六十三条）",
                    required=False,
                )
            self.fields["extra__hearing_applicable"] = forms.BooleanField(
                label="依法适用听证（法律、法规、规章规定的其他情形）",
                required=False,
            )
        if "amount" in kind.data and case.action_type == "penalty":
            self.fields["extra__circumstance"] = forms.ChoiceField(
                label="适用的裁量档次（裁量基准）",
                choices=[("", "（未指定：按法定幅度核对）"), *Circumstance.choices],
                required=False,
            )
            self.fields["extra__fine_amount"] = forms.DecimalField(
                label="其中罚款数额（元，罚没金额含没收时填写）",
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0"),
                required=False,
            )
            self.fields["extra__base_amount"] = forms.DecimalField(
                label="计罚基数（违法所得、货值金额等，按倍数处罚时填写）",
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0"),
                required=False,
            )

    def data_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n.startswith("data__")]

    def key_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n != "made_on" and not n.startswith("data__")]

    def _extra_data(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if not name.startswith("extra__"):
                continue
            key = name.removeprefix("extra__")
            if isinstance(value, Decimal):
                extra[key] = str(value)
            elif isinstance(value, bool):
                extra[key] = value
            elif value not in (None, "", []):
                extra[key] = list(value) if isinstance(value, list) else value
        return extra

    def service_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of cases.services.add_record / correct_record."""
        d = self.cleaned_data
        kwargs: dict[str, Any] = {
            "made_on": d["made_on"],
            "data": {n.removeprefix("data__"): v for n, v in d.items() if n.startswith("data__")}
            | self._extra_data(),
        }
        for key in ("hearing_requested", "statement_waived", "violations_found", "amount"):
            if key in d:
                kwargs[key] = d[key]
        if "served_on" in d:
            kwargs["served_on"] = d["served_on"]
        if "service_method" in d:
            kwargs["service_method"] = d["service_method"] or None
        if d.get("served_document"):
            kwargs["served_document"] = self.case.records.filter(pk=d["served_document"]).first()
        return kwargs


class CorrectionForm(RecordForm):
    reason = forms.CharField(
        label="更正理由",
        max_length=255,
        help_text="已签名的记录不得修改；更正形成新记录，原记录保留（004 第十三条；002 第四十五条）。",
    )


# ------------------------------------------------------------------ signatures


class SignatureForm(forms.Form):
    role = forms.ChoiceField(label="签名角色")
    signer_name = forms.CharField(
        label="签名人姓名",
        max_length=64,
        required=False,
        help_text="执法人员签名时取所选执法人员的姓名。",
    )
    officer = OfficerChoice(label="执法人员", queryset=Officer.objects.none(), required=False)
    refused = forms.BooleanField(
        label="拒绝签名（仅当事人、见证人）",
        required=False,
        help_text="当事人或者有关人员拒绝签名的，执法人员应当如实记录拒签情况（004 第十三条）。",
    )
    refusal_note = forms.CharField(
        label="拒签情况说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    signed_at = forms.DateTimeField(
        label="签名时间", widget=DateTimeInput(), validators=[_not_future_moment]
    )

    def __init__(self, *args: Any, roles: list[str], case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, SIGNATURE_ROLES[r]) for r in roles]  # type: ignore[attr-defined]
        self.fields["officer"].queryset = Officer.objects.filter(  # type: ignore[attr-defined]
            pk__in=case.officers.values("officer_id")
        ).order_by("name")
        self.fields["signed_at"].initial = _now_local()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if data.get("refused"):
            if role not in REFUSABLE_ROLES:
                self.add_error(
                    "refused", "只有当事人或者见证人拒绝签名可以记录在案（004 第十三条）。"
                )
            if not (data.get("refusal_note") or "").strip():
                self.add_error("refusal_note", "拒绝签名的，应当注明拒签情况（004 第十三条）。")
        if role == "officer" and data.get("officer") is None:
            self.add_error("officer", "执法人员签名应当选择签名的执法人员。")
        if role != "officer" and not (data.get("signer_name") or "").strip():
            self.add_error("signer_name", "请填写签名人姓名。")
        return data


class SignatureRowForm(forms.Form):
    """One signature made on a correction as it is entered (a correction of a stage already
    passed must be complete when made, so that the passed stage stays complete)."""

    role = forms.ChoiceField(
        label="签名角色", choices=[("", "（不填）"), *SIGNATURE_ROLES.items()], required=False
    )
    signer_name = forms.CharField(label="签名人姓名", max_length=64, required=False)
    officer = OfficerChoice(label="执法人员", queryset=Officer.objects.none(), required=False)
    refused = forms.BooleanField(label="拒绝签名", required=False)
    refusal_note = forms.CharField(label="拒签情况说明", max_length=2000, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.filter(  # type: ignore[attr-defined]
            pk__in=case.officers.values("officer_id")
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if not role:
            return data
        if role == "officer" and data.get("officer") is None:
            self.add_error("officer", "执法人员签名应当选择签名的执法人员。")
        if role != "officer" and not (data.get("signer_name") or "").strip():
            self.add_error("signer_name", "请填写签名人姓名。")
        if data.get("refused") and not (data.get("refusal_note") or "").strip():
            self.add_error("refusal_note", "拒绝签名的，应当注明拒签情况（004 第十三条）。")
        return data


SignatureRowFormSet = forms.formset_factory(SignatureRowForm, extra=0, max_num=8)


# ------------------------------------------------------------------ transitions, officers


class TransitionForm(forms.Form):
    transition = forms.CharField(max_length=32, widget=forms.HiddenInput())
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput())


class CollectiveDiscussionForm(forms.Form):
    reason = forms.CharField(
        label="情节复杂或者重大违法的理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="对情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定"
        "（《中华人民共和国行政处罚法》第五十七条第二款；000 全过程记录办法 第十三条）。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "collective")
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput())


class AssignOfficerForm(forms.Form):
    officers = OfficersChoice(
        label="执法人员",
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple(),
        help_text="本环节的执法活动应当由两名以上持有效执法证的执法人员进行"
        "（000 全过程记录办法 第十二条）。已勾选的是此前最近一个环节的执法人员。",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        on_stage = case.officers.filter(stage=case.stage).values("officer_id")
        self.fields["officers"].queryset = (  # type: ignore[attr-defined]
            Officer.objects.filter(agency_id=case.agency_id, left_on__isnull=True)
            .exclude(pk__in=on_stage)
            .order_by("name")
        )
        # preselect the officers of the latest earlier stage that had any
        for stage in case.transitions.order_by("-version").values_list("from_stage", flat=True):
            previous = list(
                case.officers.filter(stage=stage)
                .exclude(officer_id__in=on_stage)
                .values_list("officer_id", flat=True)
            )
            if previous:
                self.fields["officers"].initial = previous
                break


# ------------------------------------------------------------------ evidence and AV


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="证据种类", choices=Evidence.Kind.choices)
    description = forms.CharField(
        label="证据内容", max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    collector = OfficerChoice(label="收集人", queryset=Officer.objects.none())
    collected_at = forms.DateTimeField(
        label="收集时间", widget=DateTimeInput(), validators=[_not_future_moment]
    )
    place = forms.CharField(label="收集地点", max_length=255)
    file_sha256 = forms.RegexField(
        label="已上传文件（SHA-256）",
        regex=r"^[0-9a-fA-F]{64}$",
        required=False,
        error_messages={"invalid": "文件摘要应为64位十六进制的 SHA-256。"},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "evidence")
        super().__init__(*args, **kwargs)
        self.fields["collector"].queryset = Officer.objects.filter(  # type: ignore[attr-defined]
            pk__in=case.officers.values("officer_id")
        ).order_by("name")
        self.fields["collected_at"].initial = _now_local()


class AVRecordingForm(forms.Form):
    device = forms.CharField(label="记录设备", max_length=128)
    officer = OfficerChoice(label="记录人", queryset=Officer.objects.none())
    started_at = forms.DateTimeField(
        label="开始时间", widget=DateTimeInput(), validators=[_not_future_moment]
    )
    ended_at = forms.DateTimeField(
        label="结束时间", widget=DateTimeInput(), validators=[_not_future_moment]
    )
    place = forms.CharField(label="地点", max_length=255)
    spoken_statement = forms.BooleanField(
        label="开始记录时已语音说明时间、地点、执法人员、执法行为，并告知当事人正在音像记录"
        "（000 全过程记录办法 第二十二条）",
        required=False,
    )
    full_process = forms.BooleanField(
        label="自到达现场开始至离开现场结束全过程记录（000 全过程记录办法 第二十二条）",
        required=False,
    )
    returned_at = forms.DateTimeField(
        label="返回单位时间",
        widget=DateTimeInput(),
        required=False,
        validators=[_not_future_moment],
    )
    stored_at = forms.DateTimeField(
        label="储存时间", widget=DateTimeInput(), required=False, validators=[_not_future_moment]
    )
    file_sha256 = forms.RegexField(
        label="已上传音像文件（SHA-256）",
        regex=r"^[0-9a-fA-F]{64}$",
        required=False,
        error_messages={"invalid": "文件摘要应为64位十六进制的 SHA-256。"},
    )
    interruption_at = forms.DateTimeField(label="中断时间", widget=DateTimeInput(), required=False)
    interruption_resumed_at = forms.DateTimeField(
        label="恢复时间", widget=DateTimeInput(), required=False
    )
    interruption_reason = forms.CharField(label="中断原因", max_length=255, required=False)
    interruption_spoken = forms.BooleanField(
        label="恢复记录时已语音说明中断原因（000 全过程记录办法 第二十三条）", required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "av")
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.filter(  # type: ignore[attr-defined]
            pk__in=case.officers.values("officer_id")
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_at"), data.get("ended_at")
        if start and end and end < start:
            self.add_error("ended_at", "结束时间不能早于开始时间。")
        if data.get("interruption_at") and not data.get("interruption_reason"):
            self.add_error(
                "interruption_reason",
                "音像记录中断的，应当说明中断原因（000 全过程记录办法 第二十三条）。",
            )
        if data.get("interruption_reason") and not data.get("interruption_at"):
            self.add_error("interruption_at", "请填写中断时间。")
        return data
