"""Cases taken through every stage in headless Chromium by an officer and a head, each in
their own browser: an inspection, a coercive measure (seizure) and a licence, from
opening to closure, producing each stage's records, signatures and PDFs.

Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from sanxiang.cases.models import Case, Record, Signature
from sanxiang.catalog import services as catalog_services
from sanxiang.catalog.models import PowerCategory
from sanxiang.procedures import registry
from sanxiang.records.models import LedgerEntry
from tests.browser.case_steps import (
    add_record,
    assign_previous_officers,
    download_pdf,
    fire,
    goto_case,
    login,
    sign,
    stage,
)
from tests.browser.test_journeys import CHROMIUM, CHROMIUM_ARGS, MISSING_CHROMIUM, shot
from tests.cases.factories import POWER_FIELDS, World, make_world
from tests.factories import make_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield launched
            launched.close()


def _tab(browser: Any) -> Any:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def officer_tab(browser: Any) -> Iterator[Any]:
    tab = _tab(browser)
    yield tab
    tab.context.close()


@pytest.fixture
def head_tab(browser: Any) -> Iterator[Any]:
    tab = _tab(browser)
    yield tab
    tab.context.close()


@pytest.fixture
def world() -> World:
    world = make_world()
    for code, category, name, basis in (
        (
            "SJ-QZ-0110",
            PowerCategory.COERCION,
            "查封、扣押不符合食品安全标准的食品",
            "《中华人民共和国食品安全法》第一百一十条",
        ),
        (
            "SJ-XK-0035",
            PowerCategory.LICENSING,
            "食品经营许可",
            "《中华人民共和国食品安全法》第三十五条",
        ),
    ):
        catalog_services.create_power_item(
            actor=world.head,
            agency=world.agency,
            valid_from=datetime.date(2024, 1, 1),
            **{**POWER_FIELDS, "code": code, "category": category, "name": name, "basis": basis},
        )
    return world


def open_case(tab: Any, base: str, *, action_type: str, title: str, matter: str = "") -> int:
    tab.goto(f"{base}/staff/cases/")
    tab.get_by_test_id("open-case").click()
    tab.locator("#id_action_type").select_option(action_type)
    tab.locator("#id_title").fill(title)
    if matter:
        options = tab.locator("#id_matter option").all_inner_texts()
        tab.locator("#id_matter").select_option(label=next(o for o in options if matter in o))
    tab.locator("#id_officers").select_option(index=[0, 1])
    tab.locator("#id_source_kind").select_option(
        "application" if action_type == "licensing" else "inspection"
    )
    tab.locator("#id_source_summary").fill(f"{title}：案件来源")
    tab.locator("#id_party_kind").select_option("legal_person")
    tab.locator("#id_party_name").fill("郑州某餐饮管理有限公司")
    tab.locator("#id_party_uscc").fill(make_uscc(region="410105"))
    tab.locator("#id_party_representative").fill("赵某")
    tab.get_by_role("button", name="启动案件").click()
    tab.wait_for_url("**/staff/cases/*/")
    return int(tab.url.rstrip("/").rsplit("/", 1)[1])


def served_label(case_id: int, kind: str) -> str:
    record = Record.objects.filter(case_id=case_id, kind=kind).latest("id")
    return f"R{record.pk} {registry().kind_name(kind)}（{record.made_on:%Y-%m-%d}）"


def close(tab: Any) -> None:
    tab.get_by_test_id("close-case").click()
    tab.get_by_test_id("case-status").filter(has_text="已办结").wait_for()


def test_inspection_from_site_to_result(
    live_server: Any, officer_tab: Any, head_tab: Any, world: World
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    login(officer_tab, base, world.user_a.username)
    login(head_tab, base, world.head.username)
    case_id = open_case(officer_tab, base, action_type="inspection", title="某餐饮店日常监督检查")
    assert stage(officer_tab) == "检查过程"

    add_record(officer_tab, "inspection_record")
    sign(officer_tab, "inspection_record", "officer")
    # the party refuses to sign: the refusal, written down, stands in (004 第十三条)
    sign(
        officer_tab,
        "inspection_record",
        "party",
        name="赵某",
        refused_note="当事人拒绝在检查记录上签名，执法人员李执法、王执法在场见证",
    )
    expect(officer_tab.locator("article.record").first).to_contain_text("拒签")
    fire(officer_tab, "conclude")
    assert stage(officer_tab) == "检查结果"

    add_record(
        officer_tab,
        "inspection_result",
        violations_found="0",
        served_on=timezone.localdate().isoformat(),
        service_method="direct",
    )
    sign(officer_tab, "inspection_result", "officer")
    goto_case(head_tab, base, case_id)
    sign(head_tab, "inspection_result", "unit_head", name=world.head.full_name)
    shot(head_tab, "case-inspection-result")
    close(head_tab)
    pdf = download_pdf(head_tab, "inspection_record")
    assert pdf.startswith(b"%PDF")

    case = Case.objects.get(pk=case_id)
    assert case.status == Case.Status.CLOSED
    assert Signature.objects.filter(record__case=case, refused=True).count() == 1
    assert LedgerEntry.objects.filter(action="cases.close").count() == 1
    expect(head_tab.get_by_test_id("timeline")).to_contain_text("拒绝签名")


def test_coercive_measure_from_approval_to_closure(
    live_server: Any, officer_tab: Any, head_tab: Any, world: World
) -> None:
    base = live_server.url
    today = timezone.localdate().isoformat()
    login(officer_tab, base, world.user_a.username)
    login(head_tab, base, world.head.username)
    case_id = open_case(
        officer_tab, base, action_type="coercion", title="扣押某餐饮店过期食品", matter="SJ-QZ-0110"
    )
    assert stage(officer_tab) == "报告批准"
    add_record(officer_tab, "coercion_approval")
    sign(officer_tab, "coercion_approval", "officer")
    goto_case(head_tab, base, case_id)
    sign(head_tab, "coercion_approval", "unit_head", name=world.head.full_name)
    sign(head_tab, "coercion_approval", "agency_head", name=world.head.full_name)
    fire(head_tab, "approve")
    assert stage(head_tab) == "告知"

    goto_case(officer_tab, base, case_id)
    assign_previous_officers(officer_tab)
    add_record(officer_tab, "rights_notice", served_on=today, service_method="direct")
    sign(officer_tab, "rights_notice", "officer")
    sign(officer_tab, "rights_notice", "party", name="赵某")
    fire(officer_tab, "hear_statement")
    add_record(officer_tab, "statement_record")
    sign(officer_tab, "statement_record", "officer")
    sign(officer_tab, "statement_record", "party", name="赵某")
    fire(officer_tab, "submit_decision")
    assert stage(officer_tab) == "审核决定"
    add_record(officer_tab, "coercion_decision", served_on=today, service_method="direct")

    goto_case(head_tab, base, case_id)
    sign(head_tab, "coercion_decision", "agency_head", name=world.head.full_name)
    fire(head_tab, "issue")
    assert stage(head_tab) == "送达"

    goto_case(officer_tab, base, case_id)
    add_record(
        officer_tab,
        "service_receipt",
        served_on=today,
        service_method="direct",
        served_document=served_label(case_id, "coercion_decision"),
    )
    sign(officer_tab, "service_receipt", "party", name="赵某")  # direct service: signed for
    sign(officer_tab, "service_receipt", "officer")
    fire(officer_tab, "implement")
    assign_previous_officers(officer_tab)
    add_record(officer_tab, "onsite_record")
    sign(officer_tab, "onsite_record", "officer")
    sign(officer_tab, "onsite_record", "witness", name="钱某（社区工作人员）")
    add_record(officer_tab, "seizure_list")
    sign(officer_tab, "seizure_list", "officer")
    sign(officer_tab, "seizure_list", "party", name="赵某")
    shot(officer_tab, "case-coercion-implementation")

    goto_case(head_tab, base, case_id)
    fire(head_tab, "close")
    assert stage(head_tab) == "结案"
    goto_case(officer_tab, base, case_id)
    add_record(officer_tab, "closure_approval")
    sign(officer_tab, "closure_approval", "officer")
    goto_case(head_tab, base, case_id)
    sign(head_tab, "closure_approval", "unit_head", name=world.head.full_name)
    close(head_tab)
    shot(head_tab, "case-coercion-closed")
    assert download_pdf(head_tab, "coercion_decision").startswith(b"%PDF")
    assert Case.objects.get(pk=case_id).status == Case.Status.CLOSED


def test_licence_from_application_to_closure(
    live_server: Any, officer_tab: Any, head_tab: Any, world: World
) -> None:
    base = live_server.url
    today = timezone.localdate().isoformat()
    login(officer_tab, base, world.user_a.username)
    login(head_tab, base, world.head.username)
    case_id = open_case(
        officer_tab,
        base,
        action_type="licensing",
        title="郑州某餐饮管理有限公司申请食品经营许可",
        matter="SJ-XK-0035",
    )
    assert stage(officer_tab) == "申请"
    add_record(officer_tab, "application_form")
    sign(officer_tab, "application_form", "party", name="赵某")
    fire(officer_tab, "receive")
    add_record(officer_tab, "acceptance_notice", served_on=today, service_method="electronic")
    sign(officer_tab, "acceptance_notice", "officer")
    fire(officer_tab, "accept")
    assert stage(officer_tab) == "审查"
    add_record(officer_tab, "examination_record")
    sign(officer_tab, "examination_record", "officer")
    goto_case(head_tab, base, case_id)
    sign(head_tab, "examination_record", "unit_head", name=world.head.full_name)
    fire(head_tab, "submit_decision")
    assert stage(head_tab) == "审核决定"
    add_record(head_tab, "licence_decision", served_on=today, service_method="direct")
    sign(head_tab, "licence_decision", "agency_head", name=world.head.full_name)
    fire(head_tab, "issue")

    goto_case(officer_tab, base, case_id)
    add_record(
        officer_tab,
        "service_receipt",
        served_on=today,
        service_method="direct",
        served_document=served_label(case_id, "licence_decision"),
    )
    sign(officer_tab, "service_receipt", "party", name="赵某")  # direct service: signed for
    sign(officer_tab, "service_receipt", "officer")
    fire(officer_tab, "conclude")
    add_record(officer_tab, "closure_approval")
    sign(officer_tab, "closure_approval", "officer")
    goto_case(head_tab, base, case_id)
    sign(head_tab, "closure_approval", "unit_head", name=world.head.full_name)
    close(head_tab)
    assert download_pdf(head_tab, "licence_decision").startswith(b"%PDF")
    shot(head_tab, "case-licence-closed")
    assert Case.objects.get(pk=case_id).status == Case.Status.CLOSED
