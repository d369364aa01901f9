"""`sanxiang.org.seed`: deterministic, valid, unique, bulk, safe to re-run."""

from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from stdnum.cn import uscc as uscc_mod

from sanxiang.core.validators import (
    normalize_id_number,
    normalize_landline,
    normalize_mobile,
    normalize_uscc,
)
from sanxiang.org import selectors
from sanxiang.org.models import Agency, Certificate, Entrustment, Jurisdiction, Officer, Unit
from sanxiang.org.seed import _cn_number, _org_code, seed
from sanxiang.org.seed import seed as run_seed
from tests.factories import AgencyFactory, CertificateFactory, OfficerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
AREA_CODES = {"4101": "0371", "4100": "0371", "4104": "0375", "4109": "0393", "3703": "0533"}


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {
        "agencies": sorted(
            Agency.objects.values_list("jurisdiction__code", "name", "uscc", "phone", "address")
        ),
        "units": sorted(Unit.objects.values_list("agency__name", "name", "kind")),
        "officers": sorted(
            Officer.objects.values_list(
                "agency__name", "unit__name", "name", "gender", "id_number", "post", "phone"
            )
        ),
        "certificates": sorted(
            Certificate.objects.values_list(
                "number", "officer__id_number", "issued_on", "expires_on", "status"
            )
        ),
        "entrustments": sorted(
            Entrustment.objects.values_list(
                "agency__name", "entrusted_body", "entrusted_body_uscc", "starts_on", "status"
            )
        ),
    }


def seeded_snapshot(
    *, seed: int, agencies: int, officers: int
) -> dict[str, list[tuple[object, ...]]]:
    """Seed into a clean database, take a snapshot, and roll everything back."""
    assert not Officer.objects.exists()
    with transaction.atomic():
        run_seed(seed=seed, agencies=agencies, officers=officers, today=TODAY)
        snap = snapshot()
        transaction.set_rollback(True)
    assert not Officer.objects.exists()
    return snap


def test_same_seed_gives_the_same_data():
    first = seeded_snapshot(seed=5, agencies=30, officers=300)
    second = seeded_snapshot(seed=5, agencies=30, officers=300)
    assert first == second
    assert len(first["officers"]) == 300


def test_different_seeds_give_different_people_and_identifiers():
    a = seeded_snapshot(seed=5, agencies=30, officers=300)
    b = seeded_snapshot(seed=6, agencies=30, officers=300)
    # The agencies are the real ones, whatever the seed; their codes and the people differ.
    assert [x[1] for x in a["agencies"]] == [x[1] for x in b["agencies"]]
    assert {x[2] for x in a["agencies"]}.isdisjoint({x[2] for x in b["agencies"]})
    assert [x[2] for x in a["officers"]] != [x[2] for x in b["officers"]]
    assert {x[4] for x in a["officers"]}.isdisjoint({x[4] for x in b["officers"]})
    assert len({x[0] for x in a["certificates"]} & {x[0] for x in b["certificates"]}) == 0


def test_counts_and_structure():
    result = seed(seed=1, agencies=30, officers=300, today=TODAY)
    assert result.agencies_created == Agency.objects.count() == 30
    assert result.officers_created == Officer.objects.count() == 300
    assert result.certificates_created == Certificate.objects.count() >= 300
    assert result.units_created == Unit.objects.count()
    assert result.entrustments_created == Entrustment.objects.count() >= 3
    assert result.jurisdictions_created == Jurisdiction.objects.count() == 23
    assert result.rows_per_second > 0
    # Every agency has staff, two to four handling units, one legal unit and an office.
    for agency in Agency.objects.all():
        kinds = Counter(agency.units.values_list("kind", flat=True))
        assert 2 <= kinds[Unit.Kind.HANDLING] <= 4, agency
        assert kinds[Unit.Kind.LEGAL] == 1, agency
        assert agency.officers.exists(), agency
    # Every officer holds at least one certificate and works in a unit of their agency.
    assert not Officer.objects.filter(certificates__isnull=True).exists()
    assert not Officer.objects.filter(unit__isnull=True).exists()
    summary = "\n".join(result.summary())
    assert "执法主体：新建 30，已存在 0" in summary
    assert "执法人员：新建 300，已存在（跳过）0" in summary


def test_jurisdictions_are_real_and_inherit_sanely():
    seed(seed=1, agencies=25, officers=25, today=TODAY)
    by_code = {j.code: j for j in Jurisdiction.objects.select_related("parent")}
    for j in by_code.values():
        j.full_clean()
        expected = f"{j.parent.path if j.parent else '/'}{j.code}/"
        assert j.path == expected
    assert by_code["410105"].government_name == "郑州市金水区人民政府"
    assert by_code["410105"].effective_profile_code() == "zhengzhou"
    assert by_code["410181"].effective_profile_code() == "zhengzhou"
    assert by_code["410902"].effective_profile_code() == "henan"
    assert by_code["410400"].effective_profile_code() == "henan"
    assert by_code["370306"].rule_profile == "zhoucun"
    # The Shandong stand-in profile governs no agency outside 周村区.
    shandong = Agency.objects.filter(jurisdiction__code__startswith="37")
    assert set(shandong.values_list("jurisdiction__code", flat=True)) == {"370306"}
    # Each jurisdiction that has agencies has its justice bureau (the supervisor's) first.
    for code in set(Agency.objects.values_list("jurisdiction__code", flat=True)):
        first = Agency.objects.filter(jurisdiction__code=code).order_by("pk").first()
        assert first is not None and first.name.endswith(("司法局", "司法厅")), first


def test_every_row_passes_the_models_validation():
    seed(seed=2, agencies=30, officers=250, today=TODAY)
    for model in (Agency, Unit, Officer, Certificate, Entrustment):
        for obj in model.objects.all():
            obj.full_clean()


def test_identifiers_are_well_formed():
    seed(seed=3, agencies=40, officers=400, today=TODAY)
    for a in Agency.objects.select_related("jurisdiction"):
        assert normalize_uscc(a.uscc) == a.uscc
        kind = "12" if a.legal_status == Agency.LegalStatus.AUTHORISED else "11"
        assert a.uscc.startswith(kind + a.jurisdiction.code)
        assert _org_code(a.uscc[8:16]) == a.uscc[8:17]  # GB 11714 check character
        area = AREA_CODES[a.jurisdiction.code[:4]]
        for phone in (a.phone, a.complaint_phone):
            assert normalize_landline(phone) == phone
            assert phone.startswith(area + "-")
        assert a.confirmed_by.endswith("人民政府")
        assert a.qualification_basis.startswith("《中华人民共和国行政处罚法》")
    for o in Officer.objects.all():
        assert normalize_id_number(o.id_number) == o.id_number
        male = int(o.id_number[16]) % 2 == 1
        assert o.gender == (Officer.Gender.MALE if male else Officer.Gender.FEMALE)
        assert normalize_mobile(o.phone) == o.phone
        assert 2 <= len(o.name) <= 4
    for c in Certificate.objects.select_related("officer__agency__jurisdiction"):
        province = c.officer.agency.jurisdiction.code[:2]
        assert c.number.startswith("豫" if province == "41" else "鲁C")
        assert c.number[-8:].isdigit()
        assert c.issued_by == {"41": "河南省人民政府", "37": "山东省人民政府"}[province]
        assert c.officer.agency.name.startswith(c.area) or c.area == "河南省"
    for e in Entrustment.objects.all():
        assert uscc_mod.is_valid(e.entrusted_body_uscc)
        assert e.entrusted_body.endswith("综合行政执法队")


def test_identifiers_are_unique():
    seed(seed=4, agencies=40, officers=500, today=TODAY)
    ids = list(Officer.objects.values_list("id_number", flat=True))
    assert len(ids) == len(set(ids)) == 500
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    usccs = list(Agency.objects.values_list("uscc", flat=True))
    assert len(usccs) == len(set(usccs))


def test_many_agencies_get_branch_squad_and_numbered_names():
    seed(seed=1, agencies=600, officers=600, today=TODAY)
    names = list(Agency.objects.values_list("jurisdiction_id", "name"))
    assert len(names) == len(set(names)) == 600
    flat = [n for _j, n in names]
    assert "郑州市市场监督管理局郑东新区分局" in flat
    assert "郑州市市场监管综合行政执法支队" in flat
    assert "郑州市生态环境局金水分局" in flat
    assert "巩义市综合行政执法局" in flat
    assert "淄博市周村区综合行政执法局" in flat
    assert any("第一执法" in n for n in flat)


def test_certificate_statuses_vary_like_real_data():
    seed(seed=1, agencies=40, officers=1500, today=TODAY)
    certs = Certificate.objects.all()
    total = certs.count()
    statuses = Counter(certs.values_list("status", flat=True))
    assert statuses[Certificate.Status.SUSPENDED] >= 10
    assert statuses[Certificate.Status.REVOKED] >= 10
    assert certs.filter(expires_on__lt=TODAY).count() >= 0.04 * total
    changed = certs.exclude(status=Certificate.Status.ACTIVE)
    assert not changed.filter(status_changed_on__isnull=True).exists()
    assert not changed.filter(status_reason="").exists()
    assert not changed.filter(status_changed_on__gt=TODAY).exists()
    left = Officer.objects.exclude(left_on=None)
    assert 15 <= left.count() <= 100
    assert not left.filter(left_reason="").exists()
    assert not left.filter(left_on__gt=TODAY).exists()
    # Most officers may enforce today; the portal shows a realistic mix.
    valid = selectors.certified_officers(TODAY).count()
    assert 0.8 * 1500 < valid < 0.95 * 1500
    # Some renewed: an earlier certificate that ran out the day before the current one.
    assert Officer.objects.filter(certificates__expires_on__lt=TODAY).exists()
    assert certs.count() > 1500


def test_entrustments_do_not_overlap():
    seed(seed=1, agencies=100, officers=300, today=TODAY)
    entrustments = Entrustment.objects.order_by("agency_id", "entrusted_body", "starts_on")
    assert 5 <= entrustments.count() <= 20
    previous: Entrustment | None = None
    for e in entrustments:
        e.full_clean()  # includes the model's own overlap check
        if previous and (previous.agency_id, previous.entrusted_body) == (
            e.agency_id,
            e.entrusted_body,
        ):
            assert previous.ends_on < e.starts_on
        previous = e
    assert any(e.is_in_force(TODAY) for e in entrustments)


def test_rerun_with_the_same_arguments_writes_nothing():
    seed(seed=9, agencies=30, officers=200, today=TODAY)
    before = snapshot()
    again = seed(seed=9, agencies=30, officers=200, today=TODAY)
    assert again.rows_created == 0
    assert again.agencies_existing == 30
    assert again.officers_existing == 200
    assert snapshot() == before


def test_rerun_on_another_day_writes_nothing():
    seed(seed=9, agencies=30, officers=200, today=TODAY)
    again = seed(seed=9, agencies=30, officers=200, today=TODAY + datetime.timedelta(days=400))
    assert again.rows_created == 0


def test_another_seed_adds_people_to_the_same_agencies():
    seed(seed=1, agencies=30, officers=200, today=TODAY)
    units = Unit.objects.count()
    second = seed(seed=2, agencies=30, officers=200, today=TODAY)
    assert second.agencies_created == 0 and second.units_created == 0
    assert Agency.objects.count() == 30
    assert Officer.objects.count() == 400
    assert Unit.objects.count() == units


def test_identifiers_taken_in_the_database_are_redrawn():
    planned = seeded_snapshot(seed=7, agencies=25, officers=100)
    _jcode, _name, uscc, _phone, _address = planned["agencies"][3]
    id_number = planned["officers"][10][4]
    number = planned["certificates"][20][0]
    # Someone else already holds each of these.
    AgencyFactory(uscc=uscc)
    stranger = OfficerFactory(id_number=id_number, name="欧阳某某")
    CertificateFactory(number=number)

    result = seed(seed=7, agencies=25, officers=100, today=TODAY)
    assert result.agencies_created == 25
    assert result.officers_created == 100
    assert Agency.objects.filter(uscc=uscc).count() == 1
    assert Officer.objects.get(id_number=id_number) == stranger
    assert Certificate.objects.filter(number=number).count() == 1


def test_writes_in_bulk(django_assert_max_num_queries):
    seed(seed=1, agencies=20, officers=20, today=TODAY)  # jurisdictions exist from here on
    # 20 agencies and 400 officers (≈1,300 rows): about twenty statements, not one per row.
    with django_assert_max_num_queries(30):
        seed(seed=2, agencies=20, officers=400, today=TODAY)
    with CaptureQueriesContext(connection) as small:
        seed(seed=3, agencies=20, officers=400, today=TODAY)
    with CaptureQueriesContext(connection) as large:
        seed(seed=4, agencies=20, officers=1200, today=TODAY)
    # Three times the officers costs only more multi-row INSERTs (≈100 rows each on SQLite).
    assert len(large.captured_queries) - len(small.captured_queries) <= 30


def test_rejects_bad_arguments():
    with pytest.raises(ValueError, match="不能少于执法主体数量"):
        seed(seed=1, agencies=10, officers=5)
    with pytest.raises(ValueError, match="不能为负数"):
        seed(seed=-1, agencies=1, officers=1)
    with pytest.raises(ValueError, match="正整数"):
        seed(seed=1, agencies=0, officers=1)


def run(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def test_command():
    out = run("--seed", "3", "--agencies", "5", "--officers", "20")
    assert "执法主体：新建 5，已存在 0" in out
    assert "执法人员：新建 20，已存在（跳过）0" in out
    assert "行/秒" in out
    out = run("--seed", "3", "--agencies", "5", "--officers", "20")
    assert "执法人员：新建 0，已存在（跳过）20" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seed", "abc"], "随机种子“abc”不是整数"),
        (["--seed", "-2"], "随机种子应为非负整数"),
        (["--agencies", "0"], "执法主体数量应为正整数"),
        (["--officers", "1.5"], "执法人员数量“1.5”不是整数"),
        (["--agencies", "10", "--officers", "9"], "每个执法主体至少需要一名执法人员"),
    ],
)
def test_command_rejects_bad_values(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Officer.objects.exists()


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1001, "一千零一"),
    ],
)
def test_chinese_numerals(n, text):
    assert _cn_number(n) == text
