"""Cases taken through every stage in headless Chromium by an officer and a head, each in
their own browser: an inspection, a coercive measure (seizure) and a licence, from
opening to closure, producing each stage's records, signatures and PDFs.

Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from sanxiang.cases.models import Case, Record, Signature
from sanxiang.catalog import services as catalog_services
from sanxiang.catalog.models import PowerCategory
from sanxiang.core.calendar_seed import seed_years
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
from tests.browser.test_journeys import shot
from tests.cases.factories import POWER_FIELDS, World, make_world
from tests.factories import make_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    # transactional tests flush the tables after each test, the working-day calendar that
    # migration core/0002 seeds included; deadlines need it back
    seed_years(2024, timezone.localdate().year)
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
    return _opened(tab)


def _opened(tab: Any) -> int:
    """The id of the case the open form just created (or why it was refused)."""
    tab.wait_for_load_state()
    errors = tab.get_by_test_id("form-errors")
    if errors.count():
        raise AssertionError(tab.get_by_test_id("open-form").inner_text())
    tab.wait_for_url(re.compile(r"/staff/cases/\d+/$"))
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


def _review_round(tab: Any) -> None:
    """On a round's page, as the reviewer: every checklist point conforms, then pass."""
    for form in tab.locator("form[data-item]").all():
        form.locator('input[value="conforms"]').check()
        form.get_by_role("button", name="保存").click()
        tab.wait_for_load_state()
    outcome = tab.get_by_test_id("outcome-form")
    outcome.locator('input[name="passed"][value="1"]').check()
    outcome.get_by_role("button").click()
    tab.get_by_test_id("status").filter(has_text="审核通过").wait_for()


def test_penalty_from_complaint_to_closure_with_legal_review(
    live_server: Any, officer_tab: Any, head_tab: Any, browser: Any, world: World
) -> None:
    """A general-procedure penalty in Zhengzhou (every one is reviewed, 000 法制审核办法
    第六条): complaint → 立案 → 调查取证 → 告知 → 陈述申辩 (the party waives a hearing) →
    审核决定 (legal review passed, the head signs) → 送达 → 执行 → 结案, the complainant told."""
    from playwright.sync_api import expect

    from tests.review.helpers import make_reviewers

    base = live_server.url
    today = timezone.localdate().isoformat()
    reviewers = make_reviewers(world)
    reviewer_tab = _tab(browser)
    login(officer_tab, base, world.user_a.username)
    login(head_tab, base, world.head.username)
    login(reviewer_tab, base, reviewers.reviewer.username)

    officer_tab.goto(f"{base}/staff/cases/new/")
    officer_tab.locator("#id_action_type").select_option("penalty")
    officer_tab.locator("#id_title").fill("某餐饮店未取得食品经营许可从事食品经营活动案")
    options = officer_tab.locator("#id_matter option").all_inner_texts()
    officer_tab.locator("#id_matter").select_option(
        label=next(o for o in options if "SJ-CF-0122" in o)
    )
    officer_tab.locator("#id_officers").select_option(
        [str(world.officer_a.pk), str(world.officer_b.pk)]
    )
    officer_tab.locator("#id_source_kind").select_option("complaint")
    officer_tab.locator("#id_source_summary").fill("群众投诉某餐饮店无证经营")
    officer_tab.locator("#id_source_provider_name").fill("张某")
    officer_tab.locator("#id_source_provider_contact").fill("13900139000")
    officer_tab.locator("#id_source_notify_required").check()
    officer_tab.locator("#id_party_kind").select_option("legal_person")
    officer_tab.locator("#id_party_name").fill("郑州某餐饮管理有限公司")
    officer_tab.locator("#id_party_uscc").fill(make_uscc(region="410105"))
    officer_tab.locator("#id_party_representative").fill("赵某")
    officer_tab.get_by_role("button", name="启动案件").click()
    case_id = _opened(officer_tab)
    expect(officer_tab.get_by_test_id("review-card")).to_contain_text("应当法制审核")

    # 立案
    add_record(officer_tab, "case_source_register")
    sign(officer_tab, "case_source_register", "officer")
    add_record(officer_tab, "filing_approval")
    sign(officer_tab, "filing_approval", "officer")
    goto_case(head_tab, base, case_id)
    sign(head_tab, "filing_approval", "unit_head", name=world.head.full_name)
    sign(head_tab, "filing_approval", "agency_head", name=world.head.full_name)
    fire(head_tab, "file")
    assert stage(head_tab) == "调查取证"

    # 调查取证: two officers, an inquiry, evidence, the final report
    goto_case(officer_tab, base, case_id)
    assign_previous_officers(officer_tab)
    add_record(officer_tab, "inquiry_record")
    sign(officer_tab, "inquiry_record", "party", name="赵某")
    sign(officer_tab, "inquiry_record", "officer")
    box = officer_tab.locator("#form-evidence")
    box.locator("summary").click()
    box.locator('[name="evidence-kind"]').select_option("documentary")
    box.locator('[name="evidence-description"]').fill("营业场所照片及无许可证明")
    box.locator('[name="evidence-place"]').fill("郑州市金水区某路1号")
    box.locator('[name="evidence-collector"]').select_option(str(world.officer_a.pk))
    box.get_by_role("button", name="登记证据").click()
    expect(officer_tab.locator(".notice-ok").first).to_contain_text("已登记证据")
    add_record(officer_tab, "investigation_report")
    sign(officer_tab, "investigation_report", "officer")
    goto_case(head_tab, base, case_id)
    sign(head_tab, "investigation_report", "unit_head", name=world.head.full_name)
    goto_case(officer_tab, base, case_id)
    fire(officer_tab, "to_notice")

    # 告知: a large fine, so the party may ask for a hearing (行政处罚法 第六十三条)
    assign_previous_officers(officer_tab)
    add_record(
        officer_tab,
        "rights_notice",
        served_on=today,
        service_method="direct",
        extra__large_amount="on",
    )
    sign(officer_tab, "rights_notice", "party", name="赵某")
    sign(officer_tab, "rights_notice", "officer")
    expect(officer_tab.get_by_test_id("deadlines")).to_contain_text("当事人要求听证的期间")
    fire(officer_tab, "hear_statement")

    # 陈述申辩: the party states its case and waives the hearing in writing
    add_record(officer_tab, "statement_record")
    sign(officer_tab, "statement_record", "party", name="赵某")
    sign(officer_tab, "statement_record", "officer")
    add_record(officer_tab, "hearing_request", hearing_requested="0")
    sign(officer_tab, "hearing_request", "party", name="赵某")
    fire(officer_tab, "submit_decision")
    assert stage(officer_tab) == "审核决定"

    # 审核决定: the draft decision goes to legal review before the head may sign it
    add_record(officer_tab, "case_review_form")
    sign(officer_tab, "case_review_form", "officer")
    add_record(
        officer_tab,
        "penalty_decision",
        served_on=today,
        service_method="direct",
        amount="60000",
    )
    goto_case(head_tab, base, case_id)
    sign(head_tab, "case_review_form", "unit_head", name=world.head.full_name)
    sign(head_tab, "case_review_form", "agency_head", name=world.head.full_name)
    blocked = head_tab.locator('button[data-transition="issue"]').locator("..")
    expect(blocked).to_contain_text("尚未经法制审核")

    officer_tab.goto(f"{base}/staff/reviews/case/{case_id}/")
    officer_tab.locator("#form-submit summary").click()
    submit = officer_tab.get_by_test_id("submit-form")
    submit.locator('[name="decision_record"]').select_option(index=1)
    submit.locator('[name="report"]').select_option(index=1)
    submit.locator('[name="evidence"]').first.check()
    submit.get_by_role("button", name="报送").click()
    officer_tab.wait_for_load_state()
    if officer_tab.get_by_test_id("form-errors").count():
        raise AssertionError(officer_tab.get_by_test_id("submit-form").inner_text())
    officer_tab.wait_for_url(re.compile(r"/staff/reviews/\d+/$"))  # the new round's page
    round_url = officer_tab.url.removeprefix(base)

    head_tab.goto(f"{base}{round_url}")
    assign = head_tab.get_by_test_id("assign-form")
    assign.locator('[name="reviewer"]').select_option(str(reviewers.reviewer.pk))
    assign.get_by_role("button", name="分配").click()
    reviewer_tab.goto(f"{base}{round_url}")
    _review_round(reviewer_tab)
    shot(reviewer_tab, "case-penalty-review-passed")

    goto_case(head_tab, base, case_id)
    sign(head_tab, "penalty_decision", "agency_head", name=world.head.full_name)
    fire(head_tab, "issue")
    assert stage(head_tab) == "送达"

    # 送达, 执行
    goto_case(officer_tab, base, case_id)
    add_record(
        officer_tab,
        "service_receipt",
        served_on=today,
        service_method="direct",
        served_document=served_label(case_id, "penalty_decision"),
    )
    sign(officer_tab, "service_receipt", "party", name="赵某")
    sign(officer_tab, "service_receipt", "officer")
    fire(officer_tab, "execute")
    add_record(officer_tab, "performance_record")
    sign(officer_tab, "performance_record", "officer")
    goto_case(head_tab, base, case_id)
    fire(head_tab, "close")

    # 结案: approval, and the complainant told of the outcome (002 第三十条)
    goto_case(officer_tab, base, case_id)
    add_record(officer_tab, "closure_approval")
    sign(officer_tab, "closure_approval", "officer")
    add_record(
        officer_tab,
        "source_notification",
        values={"notified_on": today, "content": "已依法作出行政处罚决定并执行完毕"},
    )
    sign(officer_tab, "source_notification", "officer")
    goto_case(head_tab, base, case_id)
    sign(head_tab, "closure_approval", "unit_head", name=world.head.full_name)
    close(head_tab)
    shot(head_tab, "case-penalty-closed")
    for kind in (
        "filing_approval",
        "inquiry_record",
        "rights_notice",
        "penalty_decision",
        "service_receipt",
        "closure_approval",
    ):
        assert download_pdf(head_tab, kind).startswith(b"%PDF"), kind
    case = Case.objects.get(pk=case_id)
    assert case.status == Case.Status.CLOSED
    assert case.source.notified_on == timezone.localdate()
    reviewer_tab.context.close()
