"""Organisations and people: jurisdictions, agencies (执法主体), units, entrustments,
officers and their certificates, user accounts and roles.

Nothing here is deleted: agencies are abolished, officers leave, certificates are suspended
or revoked, each with a date and a reason, so that past cases still point at who acted.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sanxiang.core.rules import profile_choices
from sanxiang.core.validators import (
    normalize_id_number,
    normalize_phone,
    normalize_uscc,
    validate_id_number,
    validate_phone,
    validate_uscc,
)


def _normalise(obj: models.Model, **normalisers: Callable[[str], str]) -> None:
    """Replace each non-empty identifier by its canonical form; errors are left to the field
    validators, which have already reported them by the time clean() runs."""
    for field, normalise in normalisers.items():
        value = getattr(obj, field)
        if value:
            with contextlib.suppress(ValidationError):
                setattr(obj, field, normalise(value))


region_code_validator = RegexValidator(r"^\d{6}$", "行政区划代码应为6位数字（GB/T 2260）。")


class Jurisdiction(models.Model):
    """A level of government whose rules apply: province, city or county (district)."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级（区）"

    code = models.CharField(
        "行政区划代码", max_length=6, unique=True, validators=[region_code_validator]
    )
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    government_name = models.CharField("本级人民政府", max_length=64)
    rule_profile = models.CharField(
        "规则配置",
        max_length=32,
        blank=True,
        choices=profile_choices,
        help_text="适用的辖区规则配置；留空则沿用上级的配置。",
    )
    # Materialised ancestry ("/410000/410100/") so that a supervisor's whole jurisdiction is
    # one indexed prefix query, however deep the tree.
    path = models.CharField("路径", max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = "辖区"
        verbose_name_plural = "辖区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        parent_path = self.parent.path if self.parent_id and self.parent else "/"
        self.path = f"{parent_path}{self.code}/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        if self.rule_profile and self.rule_profile not in dict(profile_choices()):
            raise ValidationError({"rule_profile": f"未知的规则配置“{self.rule_profile}”。"})
        expected_parent: dict[str, str] = {
            self.Level.CITY: self.Level.PROVINCE,
            self.Level.COUNTY: self.Level.CITY,
        }
        if self.level == self.Level.PROVINCE and self.parent_id is not None:
            raise ValidationError({"parent": "省级辖区不应有上级辖区。"})
        if (
            self.level in expected_parent
            and self.parent is not None
            and self.parent.level != expected_parent[self.level]
        ):
            raise ValidationError(
                {
                    "parent": f"{self.get_level_display()}辖区的上级应为"
                    f"{self.Level(expected_parent[self.level]).label}辖区。"
                }
            )

    def effective_profile_code(self) -> str:
        node: Jurisdiction | None = self
        while node is not None:
            if node.rule_profile:
                return node.rule_profile
            node = node.parent
        raise ValidationError(f"辖区“{self.name}”及其上级均未指定规则配置。")


class Agency(models.Model):
    """执法主体: an administrative organ, or an organisation authorised by law, that enforces."""

    class LegalStatus(models.TextChoices):
        ORGAN = "organ", "行政机关"
        AUTHORISED = "authorised", "法律法规授权的组织"

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        ABOLISHED = "abolished", "已撤销"

    name = models.CharField("名称", max_length=128)
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc]
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="所属辖区", on_delete=models.PROTECT, related_name="agencies"
    )
    legal_status = models.CharField("主体性质", max_length=16, choices=LegalStatus.choices)
    qualification_basis = models.TextField("主体资格依据")
    confirmed_by = models.CharField("资格确认机关", max_length=128)
    confirmed_on = models.DateField("资格确认日期")
    enforcement_fields = models.CharField("执法领域", max_length=255, blank=True)
    address = models.CharField("办公地址", max_length=255, blank=True)
    phone = models.CharField("咨询电话", max_length=32, blank=True, validators=[validate_phone])
    complaint_phone = models.CharField(
        "投诉监督电话", max_length=32, blank=True, validators=[validate_phone]
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    abolished_on = models.DateField("撤销日期", null=True, blank=True)

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["jurisdiction__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "name"], name="agency_name_unique_in_jurisdiction"
            ),
            models.CheckConstraint(
                condition=Q(status="active", abolished_on__isnull=True)
                | Q(status="abolished", abolished_on__isnull=False),
                name="agency_abolished_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Store identifiers in one canonical form so look-ups and uniqueness hold.
        _normalise(
            self, uscc=normalize_uscc, phone=normalize_phone, complaint_phone=normalize_phone
        )
        if self.jurisdiction_id is not None:
            # Deadlines and staffing rules come from the profile: no agency without one.
            try:
                self.jurisdiction.effective_profile_code()
            except ValidationError as exc:
                raise ValidationError(
                    {
                        "jurisdiction": f"{exc.messages[0]}不能在该辖区登记执法主体，请先为辖区指定规则配置。"
                    }
                ) from None
        if self.confirmed_on and self.confirmed_on > timezone.localdate():
            raise ValidationError({"confirmed_on": "资格确认日期不能晚于今天。"})

    @property
    def rule_profile_code(self) -> str:
        return self.jurisdiction.effective_profile_code()


class Unit(models.Model):
    """内设机构: a handling unit (承办机构), the legal unit (法制机构) or another office."""

    class Kind(models.TextChoices):
        HANDLING = "handling", "承办机构"
        LEGAL = "legal", "法制机构"
        OTHER = "other", "其他内设机构"

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField("名称", max_length=128)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "内设机构"
        verbose_name_plural = "内设机构"
        ordering = ["agency", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.name} {self.name}"


class Entrustment(models.Model):
    """委托执法: an agency entrusts a body with enforcement matters (002 第十条)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        TERMINATED = "terminated", "已终止"

    agency = models.ForeignKey(
        Agency, verbose_name="委托机关", on_delete=models.PROTECT, related_name="entrustments"
    )
    entrusted_body = models.CharField("受委托组织", max_length=128)
    entrusted_body_uscc = models.CharField(
        "受委托组织统一社会信用代码", max_length=18, validators=[validate_uscc]
    )
    basis = models.TextField("委托依据")
    matters = models.TextField("委托事项")
    powers = models.TextField("委托权限")
    starts_on = models.DateField("委托期限起")
    ends_on = models.DateField("委托期限止")
    liability = models.TextField("法律责任")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    terminated_on = models.DateField("终止日期", null=True, blank=True)
    termination_reason = models.CharField("终止原因", max_length=255, blank=True)

    class Meta:
        verbose_name = "委托执法"
        verbose_name_plural = "委托执法"
        ordering = ["agency", "-starts_on"]
        indexes = [models.Index(fields=["agency", "entrusted_body_uscc"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="entrustment_term_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.name} → {self.entrusted_body}"

    def clean(self) -> None:
        _normalise(self, entrusted_body_uscc=normalize_uscc)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": "委托期限的终止日期不能早于起始日期（002 第十条：委托期限）。"}
            )
        if self.agency_id and self.entrusted_body_uscc and self.starts_on and self.ends_on:
            overlapping = (
                Entrustment.objects.filter(
                    agency_id=self.agency_id,
                    entrusted_body_uscc=self.entrusted_body_uscc,
                    status=self.Status.ACTIVE,
                    starts_on__lte=self.ends_on,
                    ends_on__gte=self.starts_on,
                )
                .exclude(pk=self.pk)
                .first()
            )
            if overlapping is not None:
                raise ValidationError(
                    f"委托期限与现有委托（{overlapping.starts_on}至{overlapping.ends_on}）重叠："
                    "同一机关对同一受委托组织的委托期限不得重叠，请先终止原委托或调整期限"
                    "（002 第十条：委托期限应明确）。"
                )

    def is_in_force(self, on: datetime.date) -> bool:
        return self.status == self.Status.ACTIVE and self.starts_on <= on <= self.ends_on


class Officer(models.Model):
    """执法人员: a person who enforces for an agency; their certificates are separate records."""

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    agency = models.ForeignKey(
        Agency, verbose_name="所属执法主体", on_delete=models.PROTECT, related_name="officers"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="所在内设机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    name = models.CharField("姓名", max_length=32)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    id_number = models.CharField(
        "身份证号码", max_length=18, unique=True, validators=[validate_id_number]
    )
    post = models.CharField("职务", max_length=64)
    phone = models.CharField("联系电话", max_length=32, blank=True, validators=[validate_phone])
    joined_on = models.DateField("入职日期", null=True, blank=True)
    left_on = models.DateField("离岗日期", null=True, blank=True)
    left_reason = models.CharField("离岗原因", max_length=255, blank=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _normalise(self, id_number=normalize_id_number, phone=normalize_phone)
        if self.unit_id and self.unit and self.agency_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": "内设机构必须属于该执法人员所在的执法主体。"})

    def in_service(self, on: datetime.date) -> bool:
        return self.left_on is None or on < self.left_on


class Certificate(models.Model):
    """执法证: valid on a day only if active, within its term, and held by an officer in service."""

    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        SUSPENDED = "suspended", "暂扣"
        REVOKED = "revoked", "注销/吊销"

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(
        "执法证号",
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9\u4e00-\u9fa5-]{4,32}$", "执法证号只能包含字母、数字、汉字和连字符。"
            )
        ],
    )
    category = models.CharField("执法类别", max_length=64)
    area = models.CharField("执法区域", max_length=128)
    issued_by = models.CharField("发证机关", max_length=128)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    status_reason = models.CharField("状态变更原因", max_length=255, blank=True)

    class Meta:
        verbose_name = "执法证"
        verbose_name_plural = "执法证"
        ordering = ["officer", "-issued_on"]
        indexes = [models.Index(fields=["status", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")), name="certificate_term_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError({"expires_on": "执法证有效期截止日期必须晚于发证日期。"})

    def validity_on(self, on: datetime.date) -> tuple[bool, str]:
        """Whether the certificate lets its holder enforce on `on`, and why not."""
        if self.status == self.Status.REVOKED and (
            self.status_changed_on is None or self.status_changed_on <= on
        ):
            return False, "执法证已被注销或吊销"
        if self.status == self.Status.SUSPENDED and (
            self.status_changed_on is None or self.status_changed_on <= on
        ):
            return False, "执法证已被暂扣"
        if on < self.issued_on:
            return False, f"执法证于{self.issued_on:%Y年%m月%d日}起生效"
        if on > self.expires_on:
            return False, f"执法证已于{self.expires_on:%Y年%m月%d日}过期"
        if not self.officer.in_service(on):
            return False, "持证人已离岗"
        agency = self.officer.agency
        if agency.abolished_on is not None and agency.abolished_on <= on:
            return False, f"持证人所属执法主体已于{agency.abolished_on:%Y年%m月%d日}撤销"
        return True, "有效"

    def is_valid_on(self, on: datetime.date) -> bool:
        return self.validity_on(on)[0]


class Role(models.TextChoices):
    OFFICER = "officer", "执法人员"
    UNIT_HEAD = "unit_head", "承办机构负责人"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核人员"
    AGENCY_HEAD = "agency_head", "机关负责人"
    RECORDS_CUSTODIAN = "records_custodian", "档案管理员"
    PUBLISHER = "publisher", "公示审核人员"
    SUPERVISOR = "supervisor", "执法监督人员"


class User(AbstractUser):
    """A staff account. Its agency bounds what it sees unless a role covers more."""

    full_name = models.CharField("姓名", max_length=32, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name="所属执法主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    officer = models.OneToOneField(
        Officer,
        verbose_name="对应执法人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )

    class Meta:
        verbose_name = "用户账号"
        verbose_name_plural = "用户账号"

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.officer_id and self.officer and self.agency_id != self.officer.agency_id:
            raise ValidationError({"officer": "账号所属执法主体必须与对应执法人员的执法主体一致。"})

    def role_codes(self) -> set[str]:
        cached: set[str] | None = getattr(self, "_role_codes", None)
        if cached is None:
            cached = set(self.role_grants.values_list("role", flat=True)) if self.pk else set()
            self._role_codes = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_codes()


class RoleGrant(models.Model):
    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授予"
        verbose_name_plural = "角色授予"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def clean(self) -> None:
        # Only a certified officer may act as one: enforcement requires showing a valid
        # certificate (000 公示办法 第十四条, 001 河南公示办法 第十四条).
        if self.role != Role.OFFICER or self.user_id is None:
            return
        officer = self.user.officer
        today = timezone.localdate()
        if officer is None:
            raise ValidationError(
                {
                    "role": "授予“执法人员”角色前，须先将账号关联到执法人员（000 公示办法 第十四条：执法时必须出示执法证件）。"
                }
            )
        if not any(c.is_valid_on(today) for c in officer.certificates.all()):
            raise ValidationError(
                {
                    "role": f"{officer.name}没有今日有效的执法证，不能授予“执法人员”角色"
                    "（000 公示办法 第十四条：执法时必须出示执法证件）。"
                }
            )
