"""Steps of a case in the browser, as an officer or a head does them on the case page:
fill a record's form (the fields its kind lists), sign it or record a refusal, fire a
transition, download its PDF. Each step waits for the page that the action leads to."""

from __future__ import annotations

import datetime
from typing import Any

from sanxiang.procedures import registry
from tests.cases.factories import RECORD_DATA

PASSWORD = "Sx-test-pass-2026"  # tests.factories.UserFactory


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/staff/")


def goto_case(page: Any, base: str, case_id: int) -> None:
    page.goto(f"{base}/staff/cases/{case_id}/")


def _ok(page: Any) -> None:
    """The action succeeded: the page shows a success message, not a refusal."""
    errors = page.locator('[data-testid="form-errors"]')
    if errors.count():
        raise AssertionError(errors.first.inner_text())
    page.locator(".notice-ok").first.wait_for()


def add_record(
    page: Any,
    kind: str,
    *,
    made_on: datetime.date | None = None,
    values: dict[str, str] | None = None,
    **key_data: str,
) -> None:
    """Fill and save the form of one record kind on the case page."""
    spec = registry().kind(kind)
    box = page.locator(f"#form-{kind}")
    box.locator("summary").click()
    form = box.locator("form")
    if made_on is not None:
        form.locator(f'[name="{kind}-made_on"]').fill(made_on.isoformat())
    sample = {**RECORD_DATA.get(kind, {}), **(values or {})}
    for field in spec.fields:
        if field.name == "signatures" or field.name in spec.data:
            continue
        text = sample.get(field.name) or f"{field.label}：依法如实记录"
        form.locator(f'[name="{kind}-data__{field.name}"]').fill(str(text))
    for name, value in key_data.items():
        control = form.locator(f'[name="{kind}-{name}"]')
        if control.first.get_attribute("type") == "checkbox":
            control.check()
        elif control.evaluate("e => e.tagName") == "SELECT":
            if name == "served_document":
                control.select_option(label=value)  # e.g. 'R3 权利告知书…'
            else:
                control.select_option(value)
        else:
            control.fill(value)
    form.get_by_role("button", name=f"保存{spec.name}").click()
    _ok(page)


def _latest(page: Any, kind: str) -> Any:
    return page.locator(f'article.record[data-kind="{kind}"]:not(.record-superseded)').last


def sign(
    page: Any,
    kind: str,
    role: str,
    *,
    name: str = "",
    refused_note: str = "",
) -> None:
    """Sign the latest record of ``kind`` in ``role`` (an officer signs as the officer the
    account belongs to), or record the party's/witness's refusal."""
    article = _latest(page, kind)
    article.locator("details.record-form > summary").click()
    form = article.locator("form[data-sign]")
    form.locator('select[name$="-role"]').select_option(role)
    if name:
        form.locator('[name$="-signer_name"]').fill(name)
    if refused_note:
        form.locator('[name$="-refused"]').check()
        form.locator('[name$="-refusal_note"]').fill(refused_note)
    form.get_by_role("button", name="确认签名").click()
    _ok(page)


def fire(page: Any, code: str) -> None:
    page.locator(f'button[data-transition="{code}"]').click()
    _ok(page)


def stage(page: Any) -> str:
    return str(page.get_by_test_id("current-stage").inner_text())


def download_pdf(page: Any, kind: str) -> bytes:
    link = _latest(page, kind).get_by_role("link", name="下载文书（PDF）")
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as fh:
        return fh.read()


def assign_previous_officers(page: Any) -> None:
    """Put the officers of the previous stage on the current one (preselected)."""
    box = page.locator("#form-assign")
    box.locator("summary").click()
    box.get_by_test_id("assign").click()
    _ok(page)


def add_av(page: Any, *, device: str = "执法记录仪 DSJ-A8", place: str = "执法现场") -> None:
    """Register an AV recording of the current stage made in the last hour, with the spoken
    statement at its start (000 全过程记录办法 第二十二条)."""
    now = datetime.datetime.now().replace(second=0, microsecond=0)
    box = page.locator("#form-av")
    box.locator("summary").click()
    box.locator('[name="av-device"]').fill(device)
    box.locator('[name="av-officer"]').select_option(index=1)
    box.locator('[name="av-started_at"]').fill(
        f"{now - datetime.timedelta(hours=1):%Y-%m-%dT%H:%M}"
    )
    box.locator('[name="av-ended_at"]').fill(
        f"{now - datetime.timedelta(minutes=20):%Y-%m-%dT%H:%M}"
    )
    box.locator('[name="av-place"]').fill(place)
    box.locator('[name="av-spoken_statement"]').check()
    box.locator('[name="av-full_process"]').check()
    box.get_by_role("button", name="登记音像记录").click()
    _ok(page)
