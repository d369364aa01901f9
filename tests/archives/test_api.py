"""The archives API: list and get case files, download the PDF and the package (ledgered)."""

from __future__ import annotations

import hashlib

import pytest

from sanxiang.archives import services
from sanxiang.records.models import LedgerEntry
from tests.archives.helpers import registered

pytestmark = pytest.mark.django_db


def test_case_files_api(client, world, custodian, fast_documents):
    made, cf = registered(world, custodian)
    client.force_login(custodian)
    listed = client.get("/api/case-files?tab=due").json()
    assert listed["count"] == 1 and listed["items"][0]["case_number"] == made.case.number
    assert listed["items"][0]["deadline"].endswith("（000 全过程记录办法 第二十五条）")
    assert client.get("/api/case-files?tab=archived").json()["count"] == 0
    assert client.get(f"/api/case-files/{cf.pk}").json()["latest"] is None

    assembly = services.assemble(actor=custodian, case_file=cf, retention="永久")
    detail = client.get(f"/api/case-files/{cf.pk}").json()
    assert detail["latest"]["package_sha256"] == assembly.package_sha256
    assert [i["section"] for i in detail["latest"]["items"]][-2:] == ["evidence", "av"]

    base = f"/api/case-files/{cf.pk}/versions/1"
    pdf = client.get(f"{base}/case-file.pdf?purpose=consult")
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == assembly.pdf.sha256
    package = client.get(f"{base}/package.zip?purpose=transfer")
    data = b"".join(package.streaming_content)
    assert hashlib.sha256(data).hexdigest() == assembly.package_sha256
    assert LedgerEntry.objects.filter(action="archives.export").count() == 2
    assert client.get(f"{base}/package.zip?purpose=nothing").status_code == 422

    client.force_login(world.user_a)  # an officer may read the PDF, not export originals
    assert client.get(f"{base}/package.zip?purpose=archive").status_code == 403
    assert client.get(f"{base}/case-file.pdf?purpose=consult").status_code == 200
