"""factory_boy factories for organisations and people, with valid identifiers."""

from __future__ import annotations

import datetime
import itertools

import factory
from faker import Faker
from stdnum.cn import uscc as uscc_mod

from sanxiang.org.models import (
    Agency,
    Certificate,
    Entrustment,
    Jurisdiction,
    Officer,
    Role,
    RoleGrant,
    Unit,
    User,
)

fake = Faker("zh_CN")
_uscc_seq = itertools.count(1)
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(n: int | None = None, region: str = "410100") -> str:
    """A checksum-valid 统一社会信用代码 for an organ (11), deterministic in n."""
    n = next(_uscc_seq) if n is None else n
    body = ""
    for _ in range(9):
        body = _ALPHABET[n % 31] + body
        n //= 31
    stem = f"11{region}{body}"
    return stem + uscc_mod.calc_check_digit(stem)


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("code",)

    code = "410000"
    name = "河南省"
    level = Jurisdiction.Level.PROVINCE
    government_name = "河南省人民政府"
    rule_profile = "henan"
    parent = None


def henan() -> Jurisdiction:
    return JurisdictionFactory()


def zhengzhou() -> Jurisdiction:
    return JurisdictionFactory(
        code="410100",
        name="郑州市",
        level=Jurisdiction.Level.CITY,
        government_name="郑州市人民政府",
        rule_profile="zhengzhou",
        parent=henan(),
    )


def jinshui() -> Jurisdiction:
    return JurisdictionFactory(
        code="410105",
        name="金水区",
        level=Jurisdiction.Level.COUNTY,
        government_name="郑州市金水区人民政府",
        rule_profile="",
        parent=zhengzhou(),
    )


def zhoucun() -> Jurisdiction:
    shandong = JurisdictionFactory(
        code="370000",
        name="山东省",
        level=Jurisdiction.Level.PROVINCE,
        government_name="山东省人民政府",
        rule_profile="",
    )
    zibo = JurisdictionFactory(
        code="370300",
        name="淄博市",
        level=Jurisdiction.Level.CITY,
        government_name="淄博市人民政府",
        rule_profile="",
        parent=shandong,
    )
    return JurisdictionFactory(
        code="370306",
        name="周村区",
        level=Jurisdiction.Level.COUNTY,
        government_name="淄博市周村区人民政府",
        rule_profile="zhoucun",
        parent=zibo,
    )


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"郑州市第{n}执法局")
    uscc = factory.LazyFunction(make_uscc)
    jurisdiction = factory.LazyFunction(zhengzhou)
    legal_status = Agency.LegalStatus.ORGAN
    qualification_basis = "《中华人民共和国行政处罚法》第十七条"
    confirmed_by = "郑州市人民政府"
    confirmed_on = datetime.date(2020, 1, 1)
    phone = "0371-67180000"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"执法{n}科")
    kind = Unit.Kind.HANDLING


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    agency = factory.SubFactory(AgencyFactory)
    unit = None
    name = factory.LazyFunction(fake.name)
    gender = Officer.Gender.MALE
    id_number = factory.LazyFunction(fake.ssn)
    post = "科员"


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    officer = factory.SubFactory(OfficerFactory)
    number = factory.Sequence(lambda n: f"豫A{n:08d}")
    category = "市场监管"
    area = "郑州市"
    issued_by = "河南省人民政府"
    issued_on = datetime.date(2024, 1, 1)
    expires_on = datetime.date(2029, 12, 31)


class EntrustmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrustment

    agency = factory.SubFactory(AgencyFactory)
    entrusted_body = "郑州市某街道综合执法队"
    entrusted_body_uscc = factory.LazyFunction(lambda: make_uscc(region="410105"))
    basis = "《中华人民共和国行政处罚法》第二十条"
    matters = "占道经营的行政处罚"
    powers = "以委托机关名义实施警告和罚款"
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2027, 12, 31)
    liability = "委托机关对受委托组织实施行政处罚的后果承担法律责任"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyFunction(fake.name)
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password("Sx-test-pass-2026")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            RoleGrant.objects.bulk_create([RoleGrant(user=self, role=r) for r in extracted])


__all__ = [
    "AgencyFactory",
    "CertificateFactory",
    "EntrustmentFactory",
    "JurisdictionFactory",
    "OfficerFactory",
    "Role",
    "UnitFactory",
    "UserFactory",
    "henan",
    "jinshui",
    "make_uscc",
    "zhengzhou",
    "zhoucun",
]
