"""Enforcement acts (执法行为/案件) as stored: the case, its parties and source, the officers
on each stage, the stage records (文书/笔录) with their signatures, the stage log, the
evidence and the AV metadata.

Models hold data; workflows live in ``services.py``, and the procedure rules in the pure
``sanxiang.procedures`` engine. Signed data is immutable, and the database enforces it
(migration 0002): ``cases_signature`` refuses every UPDATE and DELETE; ``cases_record``
refuses DELETE always and UPDATE once the record has a signature (or a recorded refusal).
A correction is a new record whose ``supersedes`` points at the old one; both stay.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from sanxiang.catalog.models import PowerItem
from sanxiang.core.validators import (
    normalize_id_number,
    normalize_phone,
    normalize_uscc,
)
from sanxiang.org.models import Agency, Officer, Unit
from sanxiang.procedures.model import ACTION_TYPES, SIGNATURE_ROLES
from sanxiang.records.models import StoredFile

ACTION_TYPE_CHOICES = list(ACTION_TYPES.items())
SIGNATURE_ROLE_CHOICES = list(SIGNATURE_ROLES.items())


class Case(models.Model):
    """行政执法行为/案件."""

    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        CLOSED = "closed", "已办结"

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="承办机构", on_delete=models.PROTECT, related_name="cases"
    )
    action_type = models.CharField("执法行为类别", max_length=16, choices=ACTION_TYPE_CHOICES)
    procedure = models.CharField("执法程序", max_length=32)
    matter = models.ForeignKey(
        PowerItem,
        verbose_name="权责清单事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField("案件编号", max_length=64)
    title = models.CharField("案由", max_length=255)
    stage = models.CharField("当前环节", max_length=32)
    version = models.PositiveIntegerField("版本", default=0)
    opened_on = models.DateField("启动日期")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    # 情节复杂或者重大违法行为给予行政处罚的，行政机关负责人应当集体讨论决定
    # (《中华人民共和国行政处罚法》第五十七条第二款; 000 全过程记录办法 第十三条):
    # set by services.mark_collective_discussion, never unset.
    collective_discussion_required = models.BooleanField(
        "须经负责人集体讨论",
        default=False,
        help_text="情节复杂或者重大违法（《中华人民共和国行政处罚法》第五十七条）",
    )
    collective_discussion_reason = models.TextField("提请集体讨论的理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # What the case waits for, kept by cases.deadlines.refresh_next_due (see there).
    next_due_on = models.DateField("最近期限", null=True, blank=True)
    next_due_label = models.CharField("最近期限事项", max_length=255, blank=True)
    next_step = models.CharField("下一步", max_length=255, blank=True)

    class Meta:
        verbose_name = "执法案件"
        verbose_name_plural = "执法案件"
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="case_number_unique"),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "-opened_on"], name="case_agency_status"),
            models.Index(fields=["agency", "status", "next_due_on"], name="case_agency_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CaseNumberSequence(models.Model):
    """The last case number an agency gave out in a year (locked while a case is opened)."""

    agency = models.ForeignKey(Agency, verbose_name="执法主体", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "案件编号序列"
        verbose_name_plural = "案件编号序列"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="case_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class Party(models.Model):
    """当事人."""

    class Kind(models.TextChoices):
        NATURAL_PERSON = "natural_person", "自然人"
        LEGAL_PERSON = "legal_person", "法人"
        OTHER = "other_organisation", "其他组织"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="parties"
    )
    kind = models.CharField("当事人类型", max_length=20, choices=Kind.choices)
    name = models.CharField("姓名或名称", max_length=128)
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    representative = models.CharField("法定代表人（负责人）", max_length=32, blank=True)
    representative_id_number = models.CharField("法定代表人身份证号码", max_length=18, blank=True)
    address = models.CharField("住所（地址）", max_length=255, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    bank_account = models.CharField("银行账户", max_length=64, blank=True)
    property_certificates = models.TextField("不动产权属证书等", blank=True)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for attr, normalise in (
            ("id_number", normalize_id_number),
            ("representative_id_number", normalize_id_number),
            ("uscc", normalize_uscc),
            ("phone", normalize_phone),
        ):
            value = getattr(self, attr)
            if value:
                try:
                    setattr(self, attr, normalise(value))
                except ValidationError as exc:
                    errors[attr] = exc.messages[0]
        if (
            self.kind == self.Kind.NATURAL_PERSON
            and not self.id_number
            and "id_number" not in errors
        ):
            errors["id_number"] = "当事人为自然人的，应当登记身份证号码。"
        if self.kind == self.Kind.LEGAL_PERSON:
            if not self.uscc and "uscc" not in errors:
                errors["uscc"] = "当事人为法人的，应当登记统一社会信用代码。"
            if not self.representative:
                errors["representative"] = "当事人为法人的，应当登记法定代表人。"
        if errors:
            raise ValidationError(errors)


class CaseSource(models.Model):
    """案件来源, and the duty to tell the source what was decided (002 第三十条)."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", "检查发现"
        ASSIGNMENT = "assignment", "上级交办"
        TRANSFER = "transfer", "有关部门移送"
        COMPLAINT = "complaint", "投诉举报"
        APPLICATION = "application", "当事人申请"

    case = models.OneToOneField(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="source"
    )
    kind = models.CharField("来源类型", max_length=16, choices=Kind.choices)
    received_on = models.DateField("接收日期")
    provider_name = models.CharField("案源提供单位或者个人", max_length=128, blank=True)
    provider_contact = models.CharField("联系方式", max_length=128, blank=True)
    summary = models.TextField("案源内容")
    notify_required = models.BooleanField(
        "须告知案源提供人处理结果", default=False, help_text="002 第三十条"
    )
    notified_on = models.DateField("告知日期", null=True, blank=True)
    notification_summary = models.TextField("告知内容", blank=True)

    class Meta:
        verbose_name = "案件来源"
        verbose_name_plural = "案件来源"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.summary[:20]}"


class CaseOfficer(models.Model):
    """An officer taking part in one stage of a case."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="officers"
    )
    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="case_roles"
    )
    stage = models.CharField("环节", max_length=32)
    role = models.CharField("承办角色", max_length=16, default="主办")
    certificate_number = models.CharField("执法证号（指派时）", max_length=32, blank=True)
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件执法人员"
        verbose_name_plural = "案件执法人员"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "officer", "stage"], name="case_officer_once_per_stage"
            ),
        ]
        # an officer's inbox: the cases they take part in
        indexes = [models.Index(fields=["officer", "case"], name="case_officer_by_officer")]

    def __str__(self) -> str:
        return f"{self.officer} · {self.stage} · {self.role}"


class Record(models.Model):
    """文书/笔录 of a stage. Immutable once it has a signature; corrected by supersession."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="records"
    )
    kind = models.CharField("文书种类", max_length=48)
    stage = models.CharField("环节", max_length=32)
    made_on = models.DateField("制作日期")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制作人", on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField("录入时间", auto_now_add=True)
    data = models.JSONField("文书内容", default=dict, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="更正的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.CharField("更正理由", max_length=255, blank=True)
    # key data the engine reads (procedures.model.RECORD_DATA_KEYS)
    hearing_requested = models.BooleanField("是否申请听证", null=True, blank=True)
    statement_waived = models.BooleanField("是否放弃陈述申辩", null=True, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=24, blank=True)
    served_document = models.ForeignKey(
        "self",
        verbose_name="所送达的文书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_receipts",
    )
    amount = models.DecimalField(
        "罚没金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    violations_found = models.BooleanField("是否发现违法行为", null=True, blank=True)

    class Meta:
        verbose_name = "文书记录"
        verbose_name_plural = "文书记录"
        ordering = ["made_on", "id"]
        indexes = [models.Index(fields=["case", "stage"], name="record_case_stage")]

    def __str__(self) -> str:
        from sanxiang.procedures import registry

        return f"{registry().kind_name(self.kind)}（{self.made_on:%Y-%m-%d}）"

    @property
    def ref(self) -> str:
        return f"R{self.pk}"


class Signature(models.Model):
    """A signature on a record, or a recorded refusal to sign (004 第十三条). Append-only."""

    record = models.ForeignKey(
        Record, verbose_name="文书记录", on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField("签名角色", max_length=16, choices=SIGNATURE_ROLE_CHOICES)
    signer_name = models.CharField("签名人", max_length=64)
    officer = models.ForeignKey(
        Officer,
        verbose_name="执法人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField("签名时间")
    refused = models.BooleanField("拒绝签名", default=False)
    refusal_note = models.TextField("拒签情况说明", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "签名"
        verbose_name_plural = "签名"
        ordering = ["signed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refused=False) | ~models.Q(refusal_note=""),
                name="signature_refusal_has_note",
            ),
        ]

    def __str__(self) -> str:
        what = "拒绝签名" if self.refused else "签名"
        return f"{self.get_role_display()} {self.signer_name} {what}"


class StageTransition(models.Model):
    """Log of fired transitions; the case's stage and version move with it."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="transitions"
    )
    transition = models.CharField("流转", max_length=32)
    from_stage = models.CharField("原环节", max_length=32)
    to_stage = models.CharField("新环节", max_length=32)
    fired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    fired_at = models.DateTimeField("操作时间", auto_now_add=True)
    fired_on = models.DateField("流转日期")
    version = models.PositiveIntegerField("流转后版本")

    class Meta:
        verbose_name = "环节流转"
        verbose_name_plural = "环节流转"
        ordering = ["fired_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="transition_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class Evidence(models.Model):
    """证据."""

    class Kind(models.TextChoices):
        DOCUMENTARY = "documentary", "书证"
        PHYSICAL = "physical", "物证"
        ELECTRONIC = "electronic", "电子数据"
        TESTIMONY = "testimony", "证人证言、当事人陈述"
        EXPERT_OPINION = "expert_opinion", "鉴定意见"
        INSPECTION_RECORD = "inspection_record", "勘验笔录、现场笔录"
        AV = "av", "视听资料"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField("证据种类", max_length=20, choices=Kind.choices)
    stage = models.CharField("环节", max_length=32)
    description = models.TextField("证据内容")
    collector = models.ForeignKey(
        Officer, verbose_name="收集人", on_delete=models.PROTECT, related_name="+"
    )
    collected_at = models.DateTimeField("收集时间")
    place = models.CharField("收集地点", max_length=255)
    stored_file = models.ForeignKey(
        StoredFile,
        verbose_name="存储文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["collected_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.description[:20]}"


class AVRecording(models.Model):
    """音像记录 metadata (000 全过程记录办法 第二十二条、第二十三条): the file itself is a
    StoredFile (records.filestore, by SHA-256)."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="av_recordings"
    )
    evidence = models.OneToOneField(
        Evidence,
        verbose_name="作为证据",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="av_recording",
    )
    stage = models.CharField("环节", max_length=32)
    device = models.CharField("记录设备", max_length=128)
    officer = models.ForeignKey(
        Officer, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=255)
    spoken_statement = models.BooleanField(
        "已语音说明时间、地点、人员和事项",
        default=False,
        help_text="对执法活动的时间、地点、执法人员、执法行为和摄录重点进行语音说明，"
        "并告知当事人正在音像记录（000 全过程记录办法 第二十二条）",
    )
    full_process = models.BooleanField(
        "全过程记录（自到达现场至离开）",
        default=False,
        help_text="000 全过程记录办法 第二十二条",
    )
    returned_at = models.DateTimeField("返回单位时间", null=True, blank=True)
    stored_at = models.DateTimeField("储存时间", null=True, blank=True)
    stored_file = models.ForeignKey(
        StoredFile,
        verbose_name="存储文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    storage_warning = models.CharField("储存时限提示", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "音像记录"
        verbose_name_plural = "音像记录"
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.device} {self.started_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValidationError({"ended_at": "结束时间不能早于开始时间。"})


class AVInterruption(models.Model):
    """An interruption of an AV recording and its reason (000 全过程记录办法 第二十三条):
    on resuming, the reason is explained aloud; if recording could not go on (no
    ``resumed_at``), the reason here is the written explanation."""

    recording = models.ForeignKey(
        AVRecording, verbose_name="音像记录", on_delete=models.PROTECT, related_name="interruptions"
    )
    at = models.DateTimeField("中断时间")
    resumed_at = models.DateTimeField("恢复时间", null=True, blank=True)
    reason = models.CharField("中断原因", max_length=255)
    spoken_explanation = models.BooleanField(
        "重新开始记录时已语音说明中止原因",
        default=False,
        help_text="000 全过程记录办法 第二十三条",
    )

    class Meta:
        verbose_name = "音像记录中断"
        verbose_name_plural = "音像记录中断"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.reason}"
