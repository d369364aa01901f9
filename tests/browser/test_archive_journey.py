"""Case files and archiving in headless Chromium: an officer uploads an AV file to a case
and registers the recording; the case is then closed (through the services, to keep the
journey short); the records custodian registers the newly closed cases, sees the case in
the due list, assembles the case file, downloads the archive package (a BagIt bag whose
manifest holds the AV file's SHA-256) and archives it; the case page then says archived."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanxiang.archives.models import CaseFile
from sanxiang.cases import services as case_services
from sanxiang.core.calendar_seed import seed_years
from sanxiang.records.models import LedgerEntry
from tests.archives.helpers import custodian_of, mp4, use_fast_documents
from tests.browser.case_steps import add_av, goto_case, login
from tests.browser.test_journeys import shot
from tests.cases.factories import (
    RECORD_DATA,
    days_ago,
    fire,
    make_world,
    open_penalty,
    signed_record,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    login(page, base, username)
    return page


def test_officer_uploads_av_and_the_custodian_archives_the_case_file(
    live_server: Any, browser: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    # blank pages for the volume's documents: their text is checked in tests/archives
    use_fast_documents(monkeypatch)
    today = timezone.localdate()
    seed_years(2024, today.year)
    world = make_world()
    custodian = custodian_of(world)
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    base = live_server.url

    # the officer uploads the body-camera file and registers the recording
    video = mp4(300_000, seed=b"browser")
    digest = hashlib.sha256(video).hexdigest()
    path = tmp_path / "bodycam.mp4"
    path.write_bytes(video)
    officer = _context(browser, base, world.user_a.username)
    goto_case(officer, base, case.pk)
    officer.locator("#form-av summary").click()
    officer.locator("#av-uploader-file").set_input_files(str(path))
    result = officer.locator("#av-uploader [data-upload-result]")
    expect(result).to_have_value(digest, timeout=30_000)
    officer.locator("#form-av summary").click()  # add_av opens it again
    officer.evaluate(
        "d => { document.querySelector('[name=\"av-file_sha256\"]').value = d; }", digest
    )
    add_av(officer, device="执法记录仪 DSJ-A8", place="某餐饮店")

    # the case ends (不予立案, the source told, closure approved) through the services
    case = fire(world.head, case, "not_filed")
    record = case_services.add_record(
        actor=world.user_a,
        case=case,
        kind="source_notification",
        made_on=days_ago(1),
        data={**RECORD_DATA["source_notification"], "notified_on": days_ago(1).isoformat()},
    )
    case_services.sign_record(
        actor=world.user_a,
        record=record,
        role="officer",
        signer_name=world.officer_a.name,
        officer=world.officer_a,
    )
    signed_record(world, case, "closure_approval", 0, ["officer", "unit_head"])
    case.refresh_from_db()
    case_services.close_if_finished(actor=world.head, case=case)

    # the custodian: register, due list, assemble, download the package, archive
    page = _context(browser, base, custodian.username)
    page.get_by_test_id("nav-archives").click()
    page.get_by_test_id("register-due").click()
    expect(page.get_by_test_id("tab-due")).to_contain_text("1")
    page.get_by_test_id("case-files").get_by_role("link", name=case.number).click()
    page.get_by_test_id("assemble-button").click()
    expect(page.get_by_test_id("case-file-status")).to_have_text("已组卷")
    expect(page.get_by_test_id("toc")).to_contain_text("音像记录清单及说明")
    shot(page, "archives-case-file-assembled")
    page.locator("#package-purpose").select_option("transfer")
    with page.expect_download() as info:
        page.get_by_test_id("download-package").click()
    data = Path(info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        root = names[0].split("/")[0]
        manifest = zf.read(f"{root}/manifest-sha256.txt").decode()
        [av_name] = [n for n in names if "/data/av/" in n]
        assert hashlib.sha256(zf.read(av_name)).hexdigest() == digest
    assert f"{digest}  data/av/" in manifest
    cf = CaseFile.objects.get(case=case)
    assert hashlib.sha256(data).hexdigest() == cf.assemblies.get().package_sha256
    export = LedgerEntry.objects.filter(action="archives.export").latest("seq")
    assert export.actor_id == custodian.pk and '"移交"' in export.payload

    page.get_by_test_id("archive-button").click()
    expect(page.get_by_test_id("case-file-status")).to_have_text("已归档")
    shot(page, "archives-case-file-archived")

    goto_case(officer, base, case.pk)
    expect(officer.get_by_test_id("case-file-card")).to_contain_text("已归档")
    for p in (officer, page):
        p.context.close()
