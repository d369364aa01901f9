"""The custodian's pages: the list with its tabs (due, overdue), the case file page,
assembling, the ledgered downloads, archiving, and the case page of an archived case
refusing a new record."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.urls import reverse

from sanxiang.archives.models import CaseFile
from sanxiang.records.models import LedgerEntry
from tests.archives.helpers import registered
from tests.cases.factories import RECORD_DATA

pytestmark = pytest.mark.django_db


def test_only_custodians_see_the_archive_list(client, world, custodian):
    client.force_login(world.user_a)
    assert client.get(reverse("workbench:archives")).status_code == 403
    client.force_login(custodian)
    page = client.get(reverse("workbench:archives"))
    assert page.status_code == 200 and "案卷归档" in page.content.decode()


def test_due_and_overdue_tabs_and_the_full_journey(client, world, custodian, fast_documents):
    made, cf = registered(world, custodian)
    CaseFile.objects.filter(pk=cf.pk).update(due_on=datetime.date(2020, 1, 2))
    client.force_login(custodian)
    overdue = client.get(reverse("workbench:archives") + "?tab=overdue").content.decode()
    assert made.case.number in overdue and "已逾期" in overdue
    archived_tab = client.get(reverse("workbench:archives") + "?tab=archived").content.decode()
    assert made.case.number not in archived_tab
    home = client.get(reverse("workbench:home")).content.decode()
    assert 'data-testid="archive-counts"' in home

    url = reverse("workbench:archive_file", args=[cf.pk])
    response = client.post(
        reverse("workbench:archive_file_assemble", args=[cf.pk]), {"retention": "永久"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "卷内目录" in page and "音像记录清单及说明" in page
    assembly = cf.assemblies.get()

    response = client.post(
        reverse("workbench:archive_file_pdf", args=[cf.pk, 1]), {"purpose": "archive"}
    )
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == assembly.pdf.sha256
    response = client.post(
        reverse("workbench:archive_file_package", args=[cf.pk, 1]), {"purpose": "transfer"}
    )
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == assembly.package_sha256
    exports = LedgerEntry.objects.filter(action="archives.export").order_by("seq")
    assert [e.actor_id for e in exports] == [custodian.pk, custodian.pk]

    client.post(reverse("workbench:archive_file_archive", args=[cf.pk]))
    cf.refresh_from_db()
    assert cf.archived
    assert "已归档" in client.get(url).content.decode()

    # the officer's case page says archived, and a new record is refused
    client.force_login(world.user_a)
    case_page = client.get(reverse("workbench:case", args=[made.case.pk])).content.decode()
    assert 'data-testid="case-file-card"' in case_page and "已归档" in case_page
    before = made.case.records.count()
    client.post(
        reverse("workbench:record_correct", args=[made.case.records.first().pk]),
        {"reason": "笔误", "made_on": "2026-01-01", **RECORD_DATA["case_source_register"]},
    )
    assert made.case.records.count() == before
    # the package of the originals is the custodian's to export
    response = client.post(
        reverse("workbench:archive_file_package", args=[cf.pk, 1]), {"purpose": "archive"}
    )
    assert response.status_code == 403
