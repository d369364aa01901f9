"""A citizen files a correction request on the portal with proof and follows it by number and
code; the agency's publisher answers in writing; the citizen reads the answer and downloads the
答复书 (002 第二十一条)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from sanxiang.core.calendar_seed import seed_years
from sanxiang.disclosure.models import CorrectionRequest
from sanxiang.records.models import LedgerEntry
from tests.browser.case_steps import login
from tests.browser.test_journeys import shot
from tests.factories import AgencyFactory, Role, UserFactory, zhengzhou

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def tabs(browser: Any) -> Iterator[tuple[Any, Any]]:
    citizen = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    for context in (citizen, staff):
        context.set_default_timeout(15_000)
    yield citizen.new_page(), staff.new_page()
    citizen.close()
    staff.close()


def test_citizen_files_a_correction_request_and_follows_it(live_server, tabs) -> None:
    today = timezone.localdate()
    seed_years(2024, today.year)
    cache.clear()
    agency = AgencyFactory(name="郑州市市场监督管理局", jurisdiction=zhengzhou())
    UserFactory(username="gongshi", full_name="钱公示", agency=agency, roles=[Role.PUBLISHER])
    citizen, staff = tabs
    base = live_server.url

    citizen.goto(f"{base}/agencies/{agency.pk}/")
    citizen.get_by_test_id("correction-link").click()
    citizen.get_by_label("所涉公示信息").fill("郑市监罚〔2026〕12号行政处罚决定信息")
    citizen.get_by_label("不准确之处").fill("公示的当事人名称少了“管理”二字")
    citizen.get_by_label("请求更正的内容").fill("更正为郑州某餐饮管理有限公司")
    citizen.get_by_label("申请人类型").select_option("legal_person")
    citizen.get_by_label("申请人姓名或名称").fill("郑州某餐饮管理有限公司")
    # No contact at first: refused with a reason, what was typed is kept.
    citizen.get_by_label("证明材料").set_input_files(
        {"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    citizen.get_by_role("button", name="提交申请").click()
    assert "至少填写一种联系方式" in citizen.get_by_test_id("form-errors").inner_text()
    assert citizen.get_by_label("申请人姓名或名称").input_value() == "郑州某餐饮管理有限公司"
    citizen.get_by_label("联系电话").fill("0371-66668888")
    citizen.get_by_label("证明材料").set_input_files(
        {"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    citizen.get_by_role("button", name="提交申请").click()
    number = citizen.get_by_test_id("correction-number").inner_text()
    code = citizen.get_by_test_id("correction-code").inner_text()
    shot(citizen, "correction-receipt")

    citizen.get_by_role("link", name="查询办理情况").click()
    citizen.get_by_role("textbox", name="申请编号").fill(number)
    citizen.get_by_role("textbox", name="查询码").fill(code)
    citizen.get_by_role("button", name="查询").click()
    assert citizen.get_by_test_id("correction-state").inner_text() == "已受理，待答复"

    login(staff, base, "gongshi")
    staff.get_by_test_id("nav-corrections").click()
    staff.get_by_role("link", name=number).click()
    staff.get_by_label("答复结果").select_option("corrected")
    staff.get_by_label("书面答复内容").fill("经核实，公示的当事人名称有误，已于今日更正。")
    staff.get_by_role("button", name="提交书面答复").click()
    assert staff.get_by_test_id("correction-state").inner_text() == "已书面答复"

    citizen.goto(f"{base}/corrections/")
    citizen.get_by_role("textbox", name="申请编号").fill(number)
    citizen.get_by_role("textbox", name="查询码").fill(code)
    citizen.get_by_role("button", name="查询").click()
    assert citizen.get_by_test_id("correction-outcome").inner_text() == "信息不准确，已予更正"
    href = citizen.get_by_test_id("reply-pdf").get_attribute("href")
    reply = citizen.request.get(f"{base}{href}")
    assert reply.status == 200 and reply.body().startswith(b"%PDF")
    shot(citizen, "correction-answered")

    request = CorrectionRequest.objects.get(number=number)
    assert request.evidence.count() == 1
    actions = list(
        LedgerEntry.objects.filter(object_id=str(request.pk), action__startswith="disclosure.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "disclosure.submit_correction_request",
        "disclosure.answer_correction_request",
    ]
