"""The browser uploader (records/static/records/uploader.js) in headless Chromium: a ~3 MB
video in 1 MiB chunks over a connection that fails twice — once before a chunk reaches the
server, once after the server stored it but before the answer came back. The uploader
resumes from the server's offset each time and the file enters the store intact."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sanxiang.records.filestore import get_store
from sanxiang.records.models import StoredFile, UploadSession
from tests.browser.test_journeys import ARTIFACTS
from tests.factories import UserFactory
from tests.records.samples import sample, sha256

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.records.urls_uploader"),
]


def _logged_in_page(browser: Any, base: str, user: Any) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 800})
    context.set_default_timeout(30_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    return context.new_page()


def test_upload_survives_broken_connections_and_lands_in_the_store(
    live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    officer = UserFactory(full_name="王建国")
    data = sample("mp4", 3 * 1024 * 1024 + 123_457)
    digest = sha256(data)
    page = _logged_in_page(browser, base, officer)

    puts: list[str] = []

    def flaky(route: Any, request: Any) -> None:
        if request.method == "PUT":
            puts.append(request.headers.get("upload-offset", ""))
            if len(puts) == 2:
                route.abort("connectionreset")  # never reaches the server
                return
            if len(puts) == 4:
                route.fetch()  # the server appends the chunk…
                route.abort("connectionreset")  # …but the answer is lost
                return
        route.continue_()

    page.route("**/api/uploads/**", flaky)
    page.goto(f"{base}/test/uploader/")
    expect(page.get_by_role("heading", name="上传音像记录")).to_be_visible()

    page.get_by_label("选择音像记录文件").set_input_files(
        files=[{"name": "执法记录仪_20260131.mp4", "mimeType": "video/mp4", "buffer": data}]
    )
    status = page.locator("[data-upload-status]")
    expect(status).to_contain_text("上传完成", timeout=60_000)
    expect(status).to_contain_text(digest)
    expect(page.get_by_test_id("uploaded-event")).to_have_text(digest)
    assert page.locator("input[name=evidence]").input_value() == digest
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "records-uploader-complete.png"), full_page=True)

    one_mib = str(1024 * 1024)
    # The aborted 2nd request was retried at the same offset; after the lost answer (4th
    # request, offset 2 MiB) the uploader asked the server and went on from 3 MiB.
    assert puts[:3] == ["0", one_mib, one_mib]
    assert puts[3] == str(2 * 1024 * 1024) and puts[4] == str(3 * 1024 * 1024)
    assert len(puts) == 5

    stored = StoredFile.objects.get()
    assert (stored.sha256, stored.size, stored.media_type) == (digest, len(data), "video/mp4")
    assert stored.stored_by == officer
    session = UploadSession.objects.get()
    assert session.status == "complete" and session.stored_file == stored
    with get_store().open(digest) as f:
        assert sha256(f.read()) == digest
    page.context.close()


def test_refused_file_shows_the_servers_reason(live_server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    page = _logged_in_page(browser, base, UserFactory())
    page.goto(f"{base}/test/uploader/")
    page.get_by_label("选择音像记录文件").set_input_files(
        files=[{"name": "报告.mp4", "mimeType": "video/mp4", "buffer": sample("pdf", 50_000)}]
    )
    status = page.locator("[data-upload-status]")
    expect(status).to_contain_text("文件类型不符")
    expect(page.locator("[data-uploader]")).to_have_attribute("data-state", "bad")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "records-uploader-refused.png"), full_page=True)
    assert not StoredFile.objects.exists()
    assert UploadSession.objects.get().status == "failed"
    page.context.close()
