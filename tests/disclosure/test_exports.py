"""Standard-format export (双公示 data items) and the push to the unified disclosure platform
with per-record status and retry (000 公示办法 第十八条, 001 河南公示办法 第十九条)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from sanxiang.disclosure import services
from sanxiang.disclosure.exports import (
    ExportFilter,
    ExportLeak,
    build_row,
    exportable,
    rows,
    to_text,
)
from sanxiang.disclosure.models import Publication, PublicationVersion, PushRecord
from sanxiang.disclosure.push import PushFailed, enqueue, http_sender, push_due, retry_now
from sanxiang.records.models import LedgerEntry
from tests.disclosure.publication_helpers import PARTY_NAME, issue_penalty, publish, publisher
from tests.review.helpers import make_reviewers

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    _case, decision = issue_penalty(world, make_reviewers(world))
    publication = Publication.objects.get(source_record=decision)
    version = publish(publisher(world), publication)
    publication.refresh_from_db()
    return publication, version


def party_values(publication: Publication) -> list[str]:
    party = publication.case.parties.get()
    return [party.id_number, party.phone, party.address, party.name]


def test_penalty_row_has_the_data_items_and_nothing_personal(world, published) -> None:
    publication, _ = published
    text = to_text("csv", "penalty", rows(exportable(ExportFilter(action_type="penalty"))))
    assert text.startswith("\ufeff行政相对人名称,行政相对人类别,统一社会信用代码")
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(table) == 1
    row = table[0]
    assert row["行政处罚决定书文号"] == publication.document_number
    assert row["罚款金额（万元）"] == "5"
    assert row["处罚机关"] == world.agency.name
    assert row["处罚机关统一社会信用代码"] == world.agency.uscc
    assert row["行政相对人类别"] == "自然人"
    assert row["行政相对人名称"] == PARTY_NAME[0] + "某"  # Zhengzhou masks names
    assert row["公示状态"] == "公开"
    for value in party_values(publication):
        assert value not in text


def test_json_export_is_one_array_of_labelled_rows(published) -> None:
    text = to_text("json", "penalty", rows(exportable(ExportFilter(action_type="penalty"))))
    data = json.loads(text)
    assert isinstance(data, list) and data[0]["处罚类别"] == "罚款"


def test_a_row_that_would_leak_is_refused(published) -> None:
    publication, version = published
    party = publication.case.parties.get()
    # A version written around the review (raw SQL is refused by triggers; build in memory).
    leaky = PublicationVersion(
        publication=publication,
        number=version.number,
        fields={**version.fields, "facts": f"当事人电话{party.phone}"},
        full_text=version.full_text,
        made_at=version.made_at,
    )
    with pytest.raises(ExportLeak, match="000 公示办法 第十七条"):
        build_row(publication, leaky)


def test_unpublished_decisions_are_not_exported(world) -> None:
    issue_penalty(world, make_reviewers(world))  # awaiting review
    assert (
        to_text("csv", "penalty", rows(exportable(ExportFilter(action_type="penalty")))).count("\n")
        == 1
    )


class _Platform(BaseHTTPRequestHandler):
    received: list[dict] = []
    fail = False

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if type(self).fail:
            self.send_response(503)
            self.end_headers()
            return
        type(self).received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def platform():
    _Platform.received = []
    _Platform.fail = False
    server = HTTPServer(("127.0.0.1", 0), _Platform)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_port}/push"
    server.shutdown()


def test_push_sends_each_version_once_and_retries_failures(world, published, platform) -> None:
    publication, _ = published
    _server, url = platform
    assert enqueue() == 1
    assert enqueue() == 0  # set-based, idempotent

    _Platform.fail = True
    run = push_due(sender=http_sender(url))
    assert (run.sent, run.failed) == (0, 1)
    record = PushRecord.objects.get()
    assert record.status == PushRecord.Status.FAILED and "503" in record.last_error
    assert record.next_attempt_at > timezone.now()
    assert push_due(sender=http_sender(url)).failed == 0  # not due yet

    _Platform.fail = False
    later = timezone.now() + datetime.timedelta(minutes=5)
    run = push_due(sender=http_sender(url), now=later)
    assert run.sent == 1
    record.refresh_from_db()
    assert record.status == PushRecord.Status.SENT and record.attempts == 2
    item = _Platform.received[0]["records"][0]
    assert item["类别"] == "行政处罚" and item["数据"]["行政处罚决定书文号"]
    assert publication.case.parties.get().id_number not in json.dumps(item, ensure_ascii=False)
    assert LedgerEntry.objects.filter(action="disclosure.push_batch").count() == 2


def test_withdrawal_is_pushed_too(world, published, platform) -> None:
    publication, _ = published
    _, url = platform
    enqueue()
    push_due(sender=http_sender(url))
    services.record_decision_revoked(
        actor=world.head, publication=publication, kind="revoked", on=timezone.localdate()
    )
    services.withdraw_publication(actor=publisher(world, "孙公示"), publication=publication)
    assert enqueue() == 1
    push_due(sender=http_sender(url))
    ops = [r["records"][0]["操作"] for r in _Platform.received]
    assert ops[-1] == "撤下"
    assert _Platform.received[-1]["records"][0]["数据"]["公示状态"] == "已撤下"


def test_unreachable_platform_is_a_failure_not_a_crash(published) -> None:
    enqueue()
    run = push_due(sender=http_sender("http://127.0.0.1:9/none", timeout=2))
    assert run.failed == 1
    assert "无法连接" in PushRecord.objects.get().last_error


def test_retry_now_is_for_the_agencys_publisher(world, published) -> None:
    enqueue()

    def down(items):
        raise PushFailed("省级平台返回 HTTP 500")

    push_due(sender=down)
    record = PushRecord.objects.get()
    with pytest.raises(PermissionDenied):
        retry_now(actor=world.user_a, records=[record])
    assert retry_now(actor=publisher(world, "周公示"), records=[record]) == 1
    assert LedgerEntry.objects.filter(action="disclosure.retry_push").exists()


def test_push_command_refuses_without_a_configured_platform(settings) -> None:
    settings.SANXIANG_PUSH_URL = ""
    with pytest.raises(CommandError, match="SANXIANG_PUSH_URL"):
        call_command("push_publications")


def test_export_command_and_staff_download_are_logged(world, published, tmp_path) -> None:
    out = tmp_path / "penalty.csv"
    call_command("export_publications", "--type", "penalty", "--output", str(out))
    assert "行政处罚决定书文号" in out.read_text(encoding="utf-8")
    client = Client()
    client.force_login(publisher(world, "吴公示"))
    assert client.get("/staff/exports/").status_code == 200
    response = client.get("/staff/exports/", {"action_type": "penalty", "fmt": "json"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert json.loads(body)[0]["处罚机关"] == world.agency.name
    assert LedgerEntry.objects.filter(action="disclosure.export").count() == 2
    bad = client.get(
        "/staff/exports/",
        {
            "action_type": "penalty",
            "fmt": "csv",
            "date_from": "2026-02-01",
            "date_to": "2026-01-01",
        },
    )
    assert bad.status_code == 400 and "起始日期不能晚于截止日期" in bad.content.decode()
    officer = Client()
    officer.force_login(world.user_a)
    assert officer.get("/staff/exports/").status_code == 403
