"""End-to-end journeys in headless Chromium (Debian's /usr/bin/chromium) through Playwright.

Screenshots of each key page go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sanxiang.org.models import Certificate
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    EntrustmentFactory,
    OfficerFactory,
    Role,
    UnitFactory,
    UserFactory,
    jinshui,
    zhengzhou,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "Sx-test-pass-2026"
DAY = datetime.timedelta(days=1)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


MISSING_CHROMIUM = (
    f"浏览器测试需要 Debian 的 Chromium（{CHROMIUM}），但未找到。"
    "请运行 `apt-get install -y chromium`（或 `make browser-deps`）后重试。"
)


def test_chromium_is_installed() -> None:
    """Fails, never skips, when the browser is missing: the journeys below would not run."""
    assert CHROMIUM.exists(), MISSING_CHROMIUM


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone-sized screen: citizens scan the QR code on the card with their phone."""
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    tab = context.new_page()
    yield tab
    context.close()


def shot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def people() -> dict[str, Any]:
    today = timezone.localdate()
    agency = AgencyFactory(
        name="郑州市市场监督管理局",
        jurisdiction=zhengzhou(),
        enforcement_fields="市场监管、知识产权",
        address="郑州市郑东新区商务外环路",
        phone="0371-67180000",
        complaint_phone="0371-12315000",
    )
    AgencyFactory(name="郑州市金水区城市管理局", jurisdiction=jinshui())
    unit = UnitFactory(agency=agency, name="执法稽查科")
    UnitFactory(agency=agency, name="法规科", kind="legal")
    officer = OfficerFactory(agency=agency, unit=unit, name="王建国", post="科长")
    valid = CertificateFactory(
        officer=officer,
        number="豫A10000001",
        category="市场监管",
        area="郑州市",
        issued_on=today - 365 * DAY,
        expires_on=today + 60 * DAY,
    )
    expired = CertificateFactory(
        officer=OfficerFactory(agency=agency, unit=unit, name="李卫东", post="科员"),
        number="豫A10000002",
        issued_on=today - 2000 * DAY,
        expires_on=today - 10 * DAY,
    )
    for name in ("张伟", "刘洋", "陈静", "杨帆"):
        CertificateFactory(
            officer=OfficerFactory(agency=agency, unit=unit, name=name, post="科员"),
            issued_on=today - 200 * DAY,
            expires_on=today + 900 * DAY,
        )
    EntrustmentFactory(agency=agency, starts_on=today - 100 * DAY, ends_on=today + 300 * DAY)
    staff = UserFactory(
        username="wangjianguo",
        full_name="王建国",
        agency=agency,
        officer=officer,
        roles=[Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER],
    )
    justice = AgencyFactory(name="郑州市司法局", jurisdiction=zhengzhou())
    supervisor = UserFactory(
        username="jiandu", full_name="周监督", agency=justice, roles=[Role.SUPERVISOR]
    )
    return {
        "agency": agency,
        "valid": valid,
        "expired": expired,
        "staff": staff,
        "supervisor": supervisor,
    }


def test_citizen_checks_certificates(live_server: Any, page: Any, phone: Any, people: Any) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    valid: Certificate = people["valid"]
    expired: Certificate = people["expired"]

    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="行政执法公示平台")).to_be_visible()
    shot(page, "portal-home")

    page.get_by_role("link", name="执法主体清单").first.click()
    expect(page.get_by_role("heading", name="执法主体清单", level=1)).to_be_visible()
    expect(page.get_by_text(people["agency"].uscc)).to_be_visible()
    shot(page, "portal-agencies")
    page.get_by_role("link", name="郑州市市场监督管理局").click()
    expect(page.get_by_role("heading", name="委托执法")).to_be_visible()
    shot(page, "portal-agency-detail")

    # The officer list, then a click on a certificate number: valid today.
    page.goto(f"{base}/officers/")
    expect(page.get_by_role("heading", name="执法人员清单", level=1)).to_be_visible()
    expect(page.get_by_text("王建国")).to_be_visible()
    expect(page.get_by_text("李卫东")).to_have_count(0)  # expired: not listed
    shot(page, "portal-officers")
    page.get_by_role("link", name=f"核验执法证 {valid.number}").click()
    expect(page.get_by_test_id("verdict")).to_have_text("有效")
    expect(page.get_by_text("王建国")).to_be_visible()
    shot(page, "portal-certificate-valid")

    # Looking up the expired number through the form: invalid, and why.
    page.goto(f"{base}/officers/")
    page.get_by_label("执法证号", exact=True).fill(expired.number)
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_test_id("verdict")).to_have_text("无效")
    expect(page.get_by_test_id("reason")).to_contain_text(
        f"执法证已于{expired.expires_on:%Y年%m月%d日}过期"
    )
    shot(page, "portal-certificate-expired")

    # A number nobody holds.
    page.get_by_label("执法证号", exact=True).fill("豫A99999999")
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_text("未查询到执法证号为")).to_be_visible()
    shot(page, "portal-certificate-unknown")

    # As reached from the QR code, on a phone.
    phone.goto(f"{base}/officers/{valid.number}/")
    expect(phone.get_by_test_id("verdict")).to_have_text("有效")
    shot(phone, "portal-certificate-valid-phone")
    phone.goto(f"{base}/officers/{expired.number}/")
    expect(phone.get_by_test_id("verdict")).to_have_text("无效")
    shot(phone, "portal-certificate-expired-phone")


def test_staff_logs_in_sees_role_home_and_logs_out(
    live_server: Any, page: Any, people: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    page.goto(f"{base}/staff/")
    expect(page).to_have_url(f"{base}/staff/login/?next=/staff/")
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    shot(page, "staff-login")

    page.get_by_label("用户名").fill("wangjianguo")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base}/staff/")
    expect(page.get_by_role("heading", name="王建国", level=1)).to_be_visible()
    expect(page.locator(".profile")).to_contain_text("郑州市市场监督管理局")
    for role in ("officer", "unit_head", "agency_head", "legal_reviewer"):
        expect(page.locator(f'[data-panel="{role}"]')).to_be_visible()
    expect(page.get_by_text("请及时向发证机关申请换证")).to_be_visible()  # 60 days left
    expect(page.locator('[data-staffing="inadequate"]')).to_be_visible()
    shot(page, "staff-home")

    page.get_by_role("link", name="本机关人员与配置").first.click()
    expect(page.get_by_role("heading", name="郑州市市场监督管理局", level=1)).to_be_visible()
    shot(page, "staff-agency")

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{base}/staff/login/")
    expect(page.get_by_text("您已安全退出工作台")).to_be_visible()
    shot(page, "staff-logged-out")
    page.goto(f"{base}/staff/")
    expect(page).to_have_url(f"{base}/staff/login/?next=/staff/")


def test_supervisor_home_and_lockout_pages(live_server: Any, page: Any, people: Any) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    page.goto(f"{base}/staff/login/")
    page.get_by_label("用户名").fill("jiandu")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    panel = page.locator('[data-panel="supervisor"]')
    expect(panel).to_contain_text("郑州市金水区城市管理局")
    expect(panel).to_contain_text("郑州市市场监督管理局")
    shot(page, "staff-supervisor-home")
    page.get_by_role("button", name="退出登录").click()

    for _ in range(5):
        page.get_by_label("用户名").fill("wangjianguo")
        page.get_by_label("密码").fill("wrong-password")
        page.get_by_role("button", name="登录").click()
        if page.get_by_role("heading", name="账号已被临时锁定").count():
            break
    expect(page.get_by_role("heading", name="账号已被临时锁定")).to_be_visible()
    expect(page.get_by_text("30分钟")).to_be_visible()
    shot(page, "staff-locked-out")


def test_citizen_pages_through_a_long_officer_list(live_server: Any, page: Any) -> None:
    from playwright.sync_api import expect

    today = timezone.localdate()
    agency = AgencyFactory(name="郑州市城市管理局", jurisdiction=zhengzhou())
    for n in range(130):
        CertificateFactory(
            officer=OfficerFactory(agency=agency, name=f"执法员{n:03d}", post="队员"),
            number=f"豫C{n:08d}",
            issued_on=today - 10 * DAY,
            expires_on=today + 500 * DAY,
        )
    page.goto(f"{live_server.url}/officers/?q=执法员")
    expect(page.get_by_text("共 130 条，第 1/7 页")).to_be_visible()
    page.get_by_role("link", name="下一页").click()
    expect(page.get_by_text("共 130 条，第 2/7 页")).to_be_visible()
    expect(page.get_by_text("执法员020")).to_be_visible()
    assert "q=" in page.url  # the search survives paging
    page.get_by_role("link", name="第7页").click()
    expect(page.get_by_text("执法员129")).to_be_visible()
    shot(page, "portal-officers-paged")
