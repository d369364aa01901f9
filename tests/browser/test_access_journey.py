"""Access control for records in headless Chromium, each person in their own browser: the
officer on the case marks a record 商业秘密; an officer of the agency not on the case cannot
open it (the refusal names 001 河南全过程记录办法 第二十四条) and applies with a reason; the
agency head approves for some days; the requester then opens the record, and the request's
page shows each step from the ledger (申请, 批准, 拒绝访问, 查阅)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from sanxiang.access.models import AccessRequest
from sanxiang.cases import services as case_services
from sanxiang.core.calendar_seed import seed_years
from sanxiang.records.models import LedgerEntry
from tests.browser.case_steps import _ok, goto_case, login
from tests.browser.test_journeys import shot
from tests.cases.factories import RECORD_DATA, days_ago, open_penalty
from tests.factories import CertificateFactory, OfficerFactory, Role, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tabs(browser: Any) -> Iterator[Any]:
    pages: list[Any] = []

    def open_as(base: str, username: str) -> Any:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        pages.append(page)
        login(page, base, username)
        return page

    yield open_as
    for page in pages:
        page.context.close()


def test_a_marked_record_opens_only_after_the_head_approves(live_server: Any, tabs: Any) -> None:
    from tests.cases.factories import make_world

    today = timezone.localdate()
    seed_years(today.year - 1, today.year)  # flushed by the previous transactional test
    w = make_world()
    case = open_penalty(w)
    record = case_services.add_record(
        actor=w.user_a,
        case=case,
        kind="case_source_register",
        made_on=days_ago(9),
        data=RECORD_DATA["case_source_register"],
    )
    officer_c = OfficerFactory(agency=w.agency, unit=w.unit, name="赵执法")
    CertificateFactory(officer=officer_c)
    outsider = UserFactory(
        agency=w.agency, officer=officer_c, roles=[Role.OFFICER], full_name="赵执法"
    )
    base = live_server.url
    rid = record.pk

    # the officer on the case marks the record
    officer = tabs(base, w.user_a.username)
    goto_case(officer, base, case.pk)
    form = officer.locator(f'[data-testid="mark-form-record-{rid}"]')
    officer.locator(f"#R{rid} details.access-mark summary").click()
    form.locator("select[name=level]").select_option("commercial_secret")
    form.locator("input[name=reason]").fill("含当事人进货渠道和价格")
    form.get_by_role("button", name="标注").click()
    _ok(officer)
    officer.locator(f'[data-testid="mark-record-{rid}"]').wait_for()

    # an officer not on the case sees that it exists, not its content, and cannot open it
    other = tabs(base, outsider.username)
    goto_case(other, base, case.pk)
    other.locator(f'[data-testid="locked-record-{rid}"]').wait_for()
    other.locator(f'[data-testid="open-record-{rid}"]').click()
    refusal = other.locator('[data-testid="access-denied"]')
    refusal.wait_for()
    assert "001 河南全过程记录办法 第二十四条" in refusal.inner_text()
    shot(other, "access-refused")

    # … and applies, first without a reason
    other.locator('[data-testid="apply"]').click()
    other.get_by_role("button", name="提交申请").click()
    assert "请填写申请理由" in other.locator('[data-testid="request-form"]').inner_text()
    other.get_by_label("申请理由").fill("办理关联案件，需核对当事人进货渠道")
    other.get_by_label("申请期限（天）").fill("3")
    other.get_by_role("button", name="提交申请").click()
    _ok(other)
    request = AccessRequest.objects.get()

    # the head approves
    head = tabs(base, w.head.username)
    head.locator('[data-testid="access-pending"]').wait_for()
    head.goto(f"{base}/staff/access/?tab=pending")
    head.get_by_role("link", name=request.number).click()
    approve = head.locator('[data-testid="approve-form"]')
    approve.get_by_label("许可期限（天）").fill("2")
    approve.get_by_label("审批意见").fill("同意调阅")
    approve.get_by_role("button", name="批准").click()
    _ok(head)

    # the requester now opens it; the request page shows every step
    other.goto(f"{base}/staff/access/requests/{request.pk}/")
    other.locator(f'[data-testid="open-record-{rid}"]').click()
    other.locator('[data-testid="item-content"]').wait_for()
    assert request.number in other.locator('[data-testid="basis"]').inner_text()
    other.goto(f"{base}/staff/access/requests/{request.pk}/")
    steps = other.locator('[data-testid="steps"]').inner_text()
    for label in ("提交申请", "批准", "拒绝访问", "查阅"):
        assert label in steps, steps
    shot(other, "access-request-steps")
    actions = list(
        LedgerEntry.objects.filter(action__startswith="access.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[:4] == ["access.mark", "access.view", "access.denied", "access.request"]
    assert "access.approve" in actions and actions[-1] == "access.view"
