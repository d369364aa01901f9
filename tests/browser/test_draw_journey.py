"""双随机、一公开 in headless Chromium: an agency head plans a random inspection of a published
随机抽查事项, fixes the seed (shown before the draw), runs the draw and dispatches the
inspection tasks; the public draw page shows the seed, the list digests and the drawn
targets, and its re-computation passes. Screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from sanxiang.core.calendar_seed import seed_years
from sanxiang.inspections.models import Draw, InspectionTask
from tests.browser.case_steps import _ok, login
from tests.browser.test_journeys import shot
from tests.inspections.helpers import CATEGORY, DrawWorld, add_targets, make_draw_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dw() -> DrawWorld:
    today = timezone.localdate()
    seed_years(2024, today.year)
    return make_draw_world()


def test_head_plans_fixes_seed_draws_and_dispatches(live_server: Any, browser: Any, dw: DrawWorld):
    targets = add_targets(dw, 12)
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        login(page, base, dw.world.head.username)
        page.get_by_test_id("nav-inspections").click()
        page.locator("#form-plan summary").click()
        form = page.get_by_test_id("plan-form")
        form.get_by_label("随机抽查事项").select_option(str(dw.matter.pk))
        form.get_by_label("抽查任务名称").fill("2026年度食品销售者双随机抽查")
        today = timezone.localdate()
        form.get_by_label("抽查期间起").fill(today.isoformat())
        form.get_by_label("抽查期间止").fill(today.replace(year=today.year + 1).isoformat())
        form.get_by_label("检查对象行业类别").fill(CATEGORY)
        form.get_by_role("button", name="制定计划").click()
        _ok(page)

        page.get_by_test_id("fix-seed").click()
        _ok(page)
        draw = Draw.objects.get()
        assert page.get_by_test_id("seed").inner_text() == draw.seed
        assert page.get_by_test_id("draw-status").inner_text() == "已固定随机种子，待抽取"

        page.get_by_test_id("run-draw").click()
        _ok(page)
        results = page.get_by_test_id("results")
        assert results.locator("tbody tr").count() == 3  # ceil(12 x 20%)

        page.get_by_test_id("tasks-form").get_by_label("承办机构").select_option(
            str(dw.world.unit.pk)
        )
        page.get_by_test_id("create-tasks").click()
        _ok(page)
        assert InspectionTask.objects.count() == 3
        assert results.locator("a[href*='/cases/']").count() == 3
        shot(page, "draw-workbench")

        public = context.new_page()
        public.goto(f"{base}/agencies/{dw.world.agency.pk}/")
        public.get_by_role("link", name="“双随机、一公开”抽查结果").click()
        public.get_by_role("link", name=f"#{draw.pk}").click()
        assert public.get_by_test_id("public-seed").inner_text() == draw.seed
        draw.refresh_from_db()
        assert draw.target_digest in public.content()
        rows = public.get_by_test_id("public-results").locator("tbody tr")
        assert rows.count() == 3
        drawn = {r.target.name for r in draw.results.select_related("target")}
        assert drawn <= {t.name for t in targets}
        for name in drawn:
            assert public.get_by_text(name).count() == 1
        assert public.get_by_text("检查中").count() == 3
        shot(public, "draw-public")
        public.get_by_test_id("verify-link").click()
        assert "核验通过" in public.get_by_test_id("verify-result").inner_text()
    finally:
        context.close()
