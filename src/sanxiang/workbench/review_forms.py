"""Forms of the legal-review pages. They check the shape of the input; the review services
apply the rules (each refusal naming its article) and the views show a refusal on the form it
came from."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from sanxiang.cases.models import Case, Evidence, Record
from sanxiang.org.models import Role, User
from sanxiang.procedures import registry
from sanxiang.review.models import ChecklistItem, CollectiveDiscussion, Criterion, MaterialRequest

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"})


def _not_future(value: datetime.date | None) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError("日期不能晚于今天，不能预填日期（000 全过程记录办法 第九条）。")
    return value


class RecordChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{registry().kind_name(obj.kind)}（{obj.made_on:%Y-%m-%d}，{obj.ref}）"


class RecordMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{registry().kind_name(obj.kind)}（{obj.made_on:%Y-%m-%d}，{obj.ref}）"


class EvidenceChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()}：{obj.description[:40]}"


def _current(case: Case) -> Any:
    return Record.objects.filter(case=case, superseded_by__isnull=True).order_by("made_on", "id")


class FlagForm(forms.Form):
    criterion = forms.ChoiceField(label="应当法制审核的情形", choices=Criterion.choices)
    reason = forms.CharField(label="理由", widget=TEXTAREA, max_length=2000)


class SubmitForm(forms.Form):
    decision_record = RecordChoice(
        label="拟作出的决定书（草稿）",
        queryset=Record.objects.none(),
        required=False,
        help_text="选择决定书时，拟决定金额和法律依据取自决定书。",
    )
    proposed_decision = forms.CharField(
        label="拟作出的行政执法决定", widget=TEXTAREA, required=False, max_length=2000
    )
    proposed_basis = forms.CharField(
        label="拟决定的法律依据", widget=TEXTAREA, required=False, max_length=2000
    )
    proposed_amount = forms.DecimalField(
        label="拟决定金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    report = RecordChoice(label="调查（审查）终结报告", queryset=Record.objects.none())
    evidence = EvidenceChoice(
        label="调查取证相关材料（证据）",
        queryset=Evidence.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    appraised = forms.BooleanField(label="经过鉴定、评估", required=False)
    appraisals = RecordMultipleChoice(
        label="鉴定报告、评估报告",
        queryset=Record.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(label="其他材料说明", widget=TEXTAREA, required=False, max_length=2000)
    received_on = forms.DateField(
        label="法制机构收到日期", required=False, widget=DATE, help_text="留空为今天。"
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = _current(case)
        decisions = [k for k, kind in registry().kinds.items() if kind.decision]
        self.fields["decision_record"].queryset = current.filter(kind__in=decisions)  # type: ignore[attr-defined]
        self.fields["report"].queryset = current.filter(kind="investigation_report")  # type: ignore[attr-defined]
        self.fields["appraisals"].queryset = current.filter(  # type: ignore[attr-defined]
            kind__in=["expert_opinion", "testing_record"]
        )
        self.fields["evidence"].queryset = Evidence.objects.filter(case=case)  # type: ignore[attr-defined]

    def clean_received_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("received_on"))


class ConflictForm(forms.Form):
    reason = forms.CharField(label="回避理由", widget=TEXTAREA, max_length=2000)


class ReviewerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = obj.officer.unit.name if obj.officer and obj.officer.unit else "—"
        return f"{obj}（{unit}）"


class AssignForm(forms.Form):
    reviewer = ReviewerChoice(label="审核人员", queryset=User.objects.none())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                agency=case.agency, is_active=True, role_grants__role=Role.LEGAL_REVIEWER
            )
            .select_related("officer__unit")
            .order_by("full_name", "pk")
        )


class ChecklistForm(forms.Form):
    item = forms.ChoiceField(label="审核内容", choices=ChecklistItem.Item.choices)
    finding = forms.ChoiceField(
        label="审核结论", choices=ChecklistItem.Finding.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label="说明", widget=TEXTAREA, required=False, max_length=2000)


class OutcomeForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="审核意见",
        choices=[("1", "审核通过"), ("0", "不予审核通过")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="理由和建议",
        widget=TEXTAREA,
        required=False,
        max_length=4000,
        help_text="不予审核通过的，应当提出具体书面审核意见并说明理由。",
    )


class MaterialRequestForm(forms.Form):
    measure = forms.ChoiceField(label="措施", choices=MaterialRequest.Measure.choices)
    request = forms.CharField(label="需要的材料或说明", widget=TEXTAREA, max_length=2000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", widget=TEXTAREA, max_length=4000)


class ExtensionForm(forms.Form):
    reason = forms.CharField(label="延长理由（案件复杂的情况）", widget=TEXTAREA, max_length=2000)
    requested_on = forms.DateField(label="申请日期", required=False, widget=DATE)

    def clean_requested_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("requested_on"))


class ApproveForm(forms.Form):
    approved_on = forms.DateField(label="批准日期", required=False, widget=DATE)

    def clean_approved_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("approved_on"))


class DisputeForm(forms.Form):
    grounds = forms.CharField(label="异议理由", widget=TEXTAREA, max_length=4000)


class ConsultationForm(forms.Form):
    consultation = forms.CharField(label="协商沟通情况", widget=TEXTAREA, max_length=4000)
    agreed = forms.TypedChoiceField(
        label="结果",
        choices=[("1", "经沟通达成一致"), ("0", "未达成一致，提请负责人集体讨论")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class DiscussionForm(forms.Form):
    held_on = forms.DateField(label="讨论日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=128)
    participants = forms.CharField(label="参加人员", widget=TEXTAREA, max_length=2000)
    views = forms.CharField(label="讨论情况（各方意见）", widget=TEXTAREA, max_length=8000)
    conclusion = forms.ChoiceField(
        label="讨论决定", choices=CollectiveDiscussion.Conclusion.choices
    )
    conclusion_text = forms.CharField(label="决定内容", widget=TEXTAREA, max_length=4000)

    def clean_held_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("held_on"))
