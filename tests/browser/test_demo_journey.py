"""The demo, as `make demo` sets it up, used by its own accounts: a general-procedure penalty
in 郑州市市场监督管理局 from a complaint to closure, with the AV its AV matter list asks for,
the fine within its discretion standard, and the legal review — officer, unit head, agency
head and legal reviewer each in their own browser."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxiang.cases.models import Case, Record
from sanxiang.core.calendar_seed import seed_years
from sanxiang.org.demo import DEMO_PASSWORD
from sanxiang.org.models import Officer, User
from tests.browser import case_steps as st
from tests.browser.test_journeys import shot
from tests.factories import make_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNTS = ("officer", "unithead", "head", "reviewer")


@pytest.fixture
def demo() -> None:
    seed_years(2024, timezone.localdate().year)  # transactional tests flush the calendar
    call_command("demo", "--force", stdout=io.StringIO())


@pytest.fixture
def tabs(demo: None, live_server: Any, browser: Any) -> Iterator[dict[str, Any]]:
    opened = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(st, "PASSWORD", DEMO_PASSWORD)
        for username in ACCOUNTS:
            context = browser.new_context(
                locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
            )
            context.set_default_timeout(20_000)
            opened[username] = context.new_page()
            st.login(opened[username], live_server.url, username)
        yield opened
        for page in opened.values():
            page.context.close()


def test_demo_accounts_take_a_penalty_from_complaint_to_closure(live_server: Any, tabs) -> None:
    base = live_server.url
    today = timezone.localdate().isoformat()
    o, uh, h, r = (tabs[u] for u in ACCOUNTS)
    names = {u: str(User.objects.get(username=u)) for u in ACCOUNTS}
    me = User.objects.get(username="officer").officer
    assert me is not None
    partner = next(
        x
        for x in Officer.objects.filter(unit=me.unit).exclude(pk=me.pk).order_by("pk")
        if any(c.validity_on(timezone.localdate())[0] for c in x.certificates.all())
    )

    o.goto(f"{base}/staff/cases/new/")
    o.locator("#id_action_type").select_option("penalty")
    o.locator("#id_title").fill("某餐饮店未取得食品经营许可从事食品经营活动案")
    options = o.locator("#id_matter option").all_inner_texts()
    o.locator("#id_matter").select_option(label=next(x for x in options if "SJ-CF-0122" in x))
    o.locator("#id_officers").select_option([str(me.pk), str(partner.pk)])
    o.locator("#id_source_kind").select_option("complaint")
    o.locator("#id_source_summary").fill("群众投诉某餐饮店无证经营")
    o.locator("#id_source_provider_name").fill("张某")
    o.locator("#id_source_notify_required").check()
    o.locator("#id_party_kind").select_option("legal_person")
    o.locator("#id_party_name").fill("郑州某餐饮管理有限公司")
    o.locator("#id_party_uscc").fill(make_uscc(region="410105"))
    o.locator("#id_party_representative").fill("赵某")
    o.get_by_role("button", name="启动案件").click()
    o.wait_for_url(re.compile(r"/staff/cases/\d+/$"))
    case_id = int(o.url.rstrip("/").rsplit("/", 1)[1])

    st.add_record(o, "case_source_register")
    st.sign(o, "case_source_register", "officer")
    st.add_record(o, "filing_approval")
    st.sign(o, "filing_approval", "officer")
    st.goto_case(uh, base, case_id)
    st.sign(uh, "filing_approval", "unit_head", name=names["unithead"])
    st.goto_case(h, base, case_id)
    st.sign(h, "filing_approval", "agency_head", name=names["head"])
    st.fire(h, "file")

    st.goto_case(o, base, case_id)
    st.assign_previous_officers(o)
    st.add_record(o, "inquiry_record")
    st.sign(o, "inquiry_record", "party", name="赵某")
    st.sign(o, "inquiry_record", "officer")
    # the demo agency's AV matter list asks for AV in the investigation (and at service)
    blocked = o.locator('button[data-transition="to_notice"]').locator("..")
    assert "音像记录" in blocked.inner_text()
    st.add_av(o, place="郑州市金水区某路1号")
    box = o.locator("#form-evidence")
    box.locator("summary").click()
    box.locator('[name="evidence-kind"]').select_option("documentary")
    box.locator('[name="evidence-description"]').fill("营业场所照片及无许可证明")
    box.locator('[name="evidence-place"]').fill("郑州市金水区某路1号")
    box.locator('[name="evidence-collector"]').select_option(str(me.pk))
    box.get_by_role("button", name="登记证据").click()
    o.get_by_text("已登记证据").wait_for()
    st.add_record(o, "investigation_report")
    st.sign(o, "investigation_report", "officer")
    st.goto_case(uh, base, case_id)
    st.sign(uh, "investigation_report", "unit_head", name=names["unithead"])
    st.goto_case(o, base, case_id)
    st.fire(o, "to_notice")
    st.assign_previous_officers(o)
    st.add_record(o, "rights_notice", served_on=today, service_method="direct")
    st.sign(o, "rights_notice", "party", name="赵某")
    st.sign(o, "rights_notice", "officer")
    st.fire(o, "hear_statement")
    st.add_record(o, "statement_record")
    st.sign(o, "statement_record", "party", name="赵某")
    st.sign(o, "statement_record", "officer")
    st.fire(o, "submit_decision")

    st.add_record(o, "case_review_form")
    st.sign(o, "case_review_form", "officer")
    # the discretion standard fixes the fine by the value of the goods (食品安全法 第一百二十二条)
    st.add_record(
        o,
        "penalty_decision",
        served_on=today,
        service_method="direct",
        amount="60000",
        extra__base_amount="5000",
    )
    st.goto_case(uh, base, case_id)
    st.sign(uh, "case_review_form", "unit_head", name=names["unithead"])
    st.goto_case(h, base, case_id)
    st.sign(h, "case_review_form", "agency_head", name=names["head"])

    o.goto(f"{base}/staff/reviews/case/{case_id}/")
    o.locator("#form-submit summary").click()
    form = o.get_by_test_id("submit-form")
    form.locator('[name="decision_record"]').select_option(index=1)
    form.locator('[name="report"]').select_option(index=1)
    form.locator('[name="evidence"]').first.check()
    form.get_by_role("button", name="报送").click()
    o.wait_for_url(re.compile(r"/staff/reviews/\d+/$"))
    round_url = o.url
    h.goto(round_url)
    assign = h.get_by_test_id("assign-form")
    labels = assign.locator('[name="reviewer"] option').all_inner_texts()
    assign.locator('[name="reviewer"]').select_option(
        label=next(x for x in labels if names["reviewer"] in x)
    )
    assign.get_by_role("button", name="分配").click()
    r.goto(round_url)
    for item in r.locator("form[data-item]").all():
        item.locator('input[value="conforms"]').check()
        item.get_by_role("button", name="保存").click()
        r.wait_for_load_state()
    outcome = r.get_by_test_id("outcome-form")
    outcome.locator('input[name="passed"][value="1"]').check()
    outcome.get_by_role("button").click()
    r.get_by_test_id("status").filter(has_text="审核通过").wait_for()

    st.goto_case(h, base, case_id)
    st.sign(h, "penalty_decision", "agency_head", name=names["head"])
    st.fire(h, "issue")
    st.goto_case(o, base, case_id)
    decision = Record.objects.filter(case_id=case_id, kind="penalty_decision").latest("id")
    st.add_record(
        o,
        "service_receipt",
        served_on=today,
        service_method="direct",
        served_document=f"R{decision.pk} 行政处罚决定书（{decision.made_on:%Y-%m-%d}）",
    )
    st.sign(o, "service_receipt", "party", name="赵某")
    st.sign(o, "service_receipt", "officer")
    st.add_av(o, place="郑州市金水区某路1号")
    st.fire(o, "execute")
    st.add_record(o, "performance_record")
    st.sign(o, "performance_record", "officer")
    st.goto_case(uh, base, case_id)
    st.fire(uh, "close")

    st.goto_case(o, base, case_id)
    st.add_record(o, "closure_approval")
    st.sign(o, "closure_approval", "officer")
    st.add_record(
        o,
        "source_notification",
        values={"notified_on": today, "content": "已依法作出行政处罚决定并执行完毕"},
    )
    st.sign(o, "source_notification", "officer")
    st.goto_case(uh, base, case_id)
    st.sign(uh, "closure_approval", "unit_head", name=names["unithead"])
    uh.get_by_test_id("close-case").click()
    uh.get_by_test_id("case-status").filter(has_text="已办结").wait_for()
    shot(uh, "demo-penalty-closed")
    case = Case.objects.get(pk=case_id)
    assert case.status == Case.Status.CLOSED
    assert case.source.notified_on == timezone.localdate()
    assert case.legal_reviews.filter(status="passed").count() == 1
