"""A citizen reads an agency's 事前公开 lists in headless Chromium: from the agency page to the
权责清单, a service guide with its flowchart (drawn from the enforced procedure), and the
随机抽查事项清单 — on a phone-sized screen, no JavaScript needed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from sanxiang.core.calendar_seed import seed_years
from sanxiang.procedures import get_procedure
from tests.browser.test_journeys import shot
from tests.portal.test_lists import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_citizen_reads_the_lists_and_the_flowchart(live_server: Any, phone: Any) -> None:
    today = timezone.localdate()
    seed_years(today.year - 1, today.year)
    world = make_world()
    tab = phone
    tab.goto(f"{live_server.url}/agencies/{world.agency.pk}/")
    tab.get_by_role("link", name="权责清单", exact=True).click()
    assert tab.get_by_role("heading", name="权责清单", exact=True).is_visible()
    assert tab.get_by_text("对未取得食品经营许可从事食品经营活动的行政处罚").is_visible()
    assert tab.get_by_text("本清单最近更新：").is_visible()
    tab.get_by_label("职权类别").select_option("licensing")
    tab.get_by_role("button", name="筛选").click()
    assert tab.get_by_text("对未取得食品经营许可从事食品经营活动的行政处罚").count() == 0

    tab.get_by_role("link", name=world.agency.name).click()
    tab.get_by_role("link", name="服务指南与执法流程图").click()
    tab.get_by_role("link", name="食品经营许可").click()
    assert tab.get_by_text("食品经营许可申请书").is_visible()
    chart = tab.locator('svg[data-procedure="licensing"]')
    assert chart.count() == 1
    procedure = get_procedure("licensing")
    assert chart.locator("[data-stage]").count() == len(procedure.stages)
    chart.scroll_into_view_if_needed()
    shot(tab, "lists-service-guide-flowchart")

    tab.get_by_role("link", name=world.agency.name).click()
    tab.get_by_role("link", name="随机抽查事项清单").click()
    for text in ("食品经营者日常监督抽查", "双随机抽查", "每年一次", "辖区内食品经营者"):
        assert tab.get_by_text(text).first.is_visible(), text
