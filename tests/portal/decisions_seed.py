"""Published decisions for the portal's search, decision page, API and crawler tests,
made through the real pipeline: a penalty case with parties who have ID numbers, phones,
addresses and bank accounts, its decision document naming them, the publication the
disclosure services create, the confidentiality review approved by a publisher and the
publication published (which indexes it for the portal)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from sanxiang.cases import services as case_services
from sanxiang.cases.models import Party, Record
from sanxiang.disclosure import services as disclosure
from sanxiang.disclosure.models import Publication
from sanxiang.org.models import User
from tests.cases.factories import World, days_ago, make_world, open_penalty
from tests.factories import Role, UserFactory, make_uscc


@dataclass
class Portal:
    world: World
    publisher: User
    publications: list[Publication] = field(default_factory=list)


PEOPLE = [
    # name, ID number, phone, address, bank account
    (
        "赵建华",
        "410105198003071235",
        "13912345678",
        "郑州市金水区花园路88号院3号楼",
        "6222021702001234567",
    ),
    (
        "钱秀英",
        "410102199005120024",
        "15838001234",
        "郑州市中原区建设西路19号",
        "6217002430012345678",
    ),
    ("孙志强", "410181198511230411", "18637105566", "巩义市紫荆路66号附2号", "6228480018123456789"),
]


def person(i: int) -> case_services.PartyInput:
    name, id_number, phone, address, bank = PEOPLE[i % len(PEOPLE)]
    return case_services.PartyInput(
        kind="natural_person",
        name=name,
        id_number=id_number,
        phone=phone,
        address=address,
        bank_account=bank,
    )


def company(i: int) -> case_services.PartyInput:
    return case_services.PartyInput(
        kind="legal_person",
        name=f"郑州市鑫{'一二三四五'[i % 5]}餐饮管理有限公司",
        uscc=make_uscc(region="410105"),
        representative="周德明",
        representative_id_number="410105197706150031",
        phone="0371-65551234",
        address="郑州市二七区大学路18号",
        bank_account="411060100100012345",
    )


def portal_world() -> Portal:
    world = make_world()
    publisher = UserFactory(agency=world.agency, roles=[Role.PUBLISHER], full_name="公示员")
    return Portal(world=world, publisher=publisher)


def publish(
    portal: Portal,
    *,
    party: case_services.PartyInput,
    facts: str,
    made_ago: int = 5,
    violation: str = "未取得食品经营许可从事食品经营活动",
) -> Publication:
    """A decision whose document names the party with every personal value, published."""
    world = portal.world
    case = open_penalty(
        world,
        opened_ago=made_ago + 20,
        parties=[party],
        title=f"{party.name}{violation}案",
    )
    data = {
        "party": f"{party.name}，住所：{party.address}，联系电话：{party.phone}，"
        f"身份证号码：{party.id_number}，开户银行账号：{party.bank_account}",
        "facts_evidence": f"{facts}；询问笔录、现场照片",
        "penalty_basis": "罚款；《中华人民共和国食品安全法》第一百二十二条第一款",
        "performance": "自收到本决定书之日起十五日内缴纳罚款",
        "remedy": "六十日内申请行政复议或者六个月内提起行政诉讼",
        "agency_seal_date": f"{world.agency.name}（印章）",
    }
    # The decision document as stored (the case's way there is the cases tests' concern).
    record = Record.objects.create(
        case=case,
        kind="penalty_decision",
        stage="decision",
        made_on=days_ago(made_ago),
        made_by=world.user_a,
        data=data,
        amount=Decimal("5000"),
    )
    publication = disclosure.create_publication(record=record, actor=world.user_a)
    review = publication.reviews.get()
    disclosure.approve_review(
        actor=portal.publisher, review=review, seen_digest=disclosure.review_digest(review)
    )
    disclosure.publish_publication(actor=portal.publisher, publication=publication)
    publication.refresh_from_db()
    portal.publications.append(publication)
    return publication


def withdraw(portal: Portal, publication: Publication, note: str = "经行政复议撤销") -> None:
    disclosure.record_decision_revoked(
        actor=portal.publisher,
        publication=publication,
        kind=Publication.RevocationKind.REVOKED,
        on=datetime.date.today(),
        note=note,
    )
    disclosure.withdraw_publication(actor=portal.publisher, publication=publication)
    publication.refresh_from_db()


def personal_values() -> list[str]:
    """The personal values 000 公示办法 第十七条 requires hidden, from every party in the
    database: a natural person's ID number, phone, address and bank account; a legal person's
    or other organisation's bank account, and its representative's ID number (a natural
    person's). (A company's registered address and switchboard stay public under 第十七条.)
    With the spellings a page might use: ID numbers in groups, phones with separators, bank
    accounts in groups of four."""
    values: set[str] = set()
    for party in Party.objects.order_by("id").iterator():
        if party.kind == Party.Kind.NATURAL_PERSON:
            own = [party.id_number, party.phone, party.address, party.bank_account]
        else:
            own = [party.bank_account, party.representative_id_number]
        for value in own:
            value = value.strip()
            if len(value) < 6:
                continue
            values.add(value)
            digits = value.replace("-", "").replace(" ", "")
            values.add(digits)
            if len(digits) == 18:  # 410105 19800307 1235
                values.add(f"{digits[:6]} {digits[6:14]} {digits[14:]}")
            if len(digits) == 11 and digits.isdigit():  # 139 1234 5678, 139-1234-5678
                values.add(f"{digits[:3]} {digits[3:7]} {digits[7:]}")
                values.add(f"{digits[:3]}-{digits[3:7]}-{digits[7:]}")
            if digits.isdigit() and len(digits) >= 16:  # bank account in groups of four
                values.add(" ".join(digits[i : i + 4] for i in range(0, len(digits), 4)))
    return sorted(values)
