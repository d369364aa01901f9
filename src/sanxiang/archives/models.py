"""Case files (案卷) and archiving: one case file per closed case (一案一卷, 004 第二十五条),
its archiving deadline from the jurisdiction's profile (``recording.archive_deadline``:
000 全过程记录办法 第二十五条 20 working days; 002 第四十三条 30 days), its assemblies and
their contents.

- ``CaseFile`` (one per closed case) moves 待立卷 → 已组卷 → 已归档. Database triggers
  (migration 0002, ``archives.triggers``) refuse DELETE always and UPDATE once archived: an
  archived file is read-only (000 全过程记录办法 第二十八条).
- ``CaseFileAssembly`` is one assembly of the file (cover, contents, every record, the legal
  review opinions, the AV and evidence lists, as one PDF in the content-addressed store) and
  the digest of its archive package (a BagIt bag, RFC 8493, zipped). Re-assembling makes a
  new version; assemblies and their items are append-only (triggers refuse UPDATE/DELETE).
- ``CaseFileItem`` is one part of an assembly: a PDF of the volume (with its pages) or an
  evidence/AV file of the package, with its bag path and SHA-256.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sanxiang.cases.models import Case
from sanxiang.documents.casefile import RETENTION_PERIODS
from sanxiang.org.models import Agency
from sanxiang.records.models import StoredFile

RETENTION_CHOICES = [(r, r) for r in RETENTION_PERIODS]


class CaseFile(models.Model):
    """案卷: the file of one closed case (一案一卷)."""

    class Status(models.TextChoices):
        TO_ASSEMBLE = "to_assemble", "待立卷"
        ASSEMBLED = "assembled", "已组卷"
        ARCHIVED = "archived", "已归档"

    case = models.OneToOneField(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="case_file"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField("执法行为终结日期")
    due_on = models.DateField("归档期限", null=True, blank=True)
    # When due_on is null: the year the working-day calendar lacks (日历未覆盖), never a guess.
    uncovered_year = models.PositiveSmallIntegerField("日历未覆盖年度", null=True, blank=True)
    deadline_text = models.CharField("归档时限", max_length=64, blank=True)
    deadline_source = models.CharField("时限依据", max_length=128, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.TO_ASSEMBLE
    )
    retention = models.CharField(
        "保管期限", max_length=8, choices=RETENTION_CHOICES, default=RETENTION_PERIODS[1]
    )
    archive_number = models.CharField("归档号", max_length=64, blank=True)
    versions = models.PositiveIntegerField("组卷次数", default=0)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="归档人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "案卷"
        verbose_name_plural = "案卷"
        ordering = ["due_on", "id"]
        indexes = [
            # the custodian's tabs: an agency's files by status, soonest due first
            models.Index(fields=["agency", "status", "due_on", "id"], name="casefile_due"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} 案卷"

    @property
    def archived(self) -> bool:
        return self.status == self.Status.ARCHIVED


class CaseFileAssembly(models.Model):
    """One assembly (组卷) of a case file. Append-only."""

    case_file = models.ForeignKey(
        CaseFile, verbose_name="案卷", on_delete=models.PROTECT, related_name="assemblies"
    )
    version = models.PositiveIntegerField("组卷版本")
    assembled_at = models.DateTimeField("组卷时间")
    assembled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="立卷人", on_delete=models.PROTECT, related_name="+"
    )
    retention = models.CharField("保管期限", max_length=8, choices=RETENTION_CHOICES)
    archive_number = models.CharField("归档号", max_length=64)
    pdf = models.ForeignKey(
        StoredFile, verbose_name="案卷PDF", on_delete=models.PROTECT, related_name="+"
    )
    pages = models.PositiveIntegerField("卷内页数")
    bag_name = models.CharField("归档包名称", max_length=128)
    bag_info = models.JSONField("bag-info.txt 内容", default=dict)
    payload_oxum = models.CharField("Payload-Oxum", max_length=64)
    package_sha256 = models.CharField("归档包SHA-256", max_length=64)
    package_size = models.BigIntegerField("归档包字节数")
    # What the case held when assembled (records, signatures, evidence, AV, reviews): an
    # assembly whose key no longer matches the case is stale and cannot be archived.
    contents_key = models.CharField("组卷时案件材料", max_length=128)

    class Meta:
        verbose_name = "组卷"
        verbose_name_plural = "组卷"
        ordering = ["case_file", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_file", "version"], name="casefile_assembly_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.archive_number} 第{self.version}版"


class CaseFileItem(models.Model):
    """One part of an assembly. Append-only."""

    class Section(models.TextChoices):
        RECORD = "record", "文书记录"
        REVIEW = "review", "法制审核意见书"
        LIST = "list", "清单"
        EVIDENCE = "evidence", "证据文件"
        AV = "av", "音像记录文件"

    assembly = models.ForeignKey(
        CaseFileAssembly, verbose_name="组卷", on_delete=models.PROTECT, related_name="items"
    )
    position = models.PositiveIntegerField("序号")
    section = models.CharField("类别", max_length=12, choices=Section.choices)
    title = models.CharField("名称", max_length=255)
    number = models.CharField("文号", max_length=128, blank=True)
    date = models.DateField("日期", null=True, blank=True)
    remark = models.CharField("备注", max_length=255, blank=True)
    first_page = models.PositiveIntegerField("起始页号", null=True, blank=True)
    last_page = models.PositiveIntegerField("终止页号", null=True, blank=True)
    path = models.CharField("归档包内路径", max_length=255)
    stored_file = models.ForeignKey(
        StoredFile, verbose_name="存储文件", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "案卷内容"
        verbose_name_plural = "案卷内容"
        ordering = ["assembly", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "position"], name="casefile_item_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def pages(self) -> str:
        if self.first_page is None:
            return ""
        if self.last_page is None or self.last_page == self.first_page:
            return str(self.first_page)
        return f"{self.first_page}-{self.last_page}"
