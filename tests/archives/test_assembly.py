"""Assembly (组卷), the package (BagIt, RFC 8493) and archiving: contents of the volume,
the AV written description (000 全过程记录办法 第二十七条), bag validity and digests,
streaming, the ledger, and the read-only archived case (000 全过程记录办法 第二十八条)."""

from __future__ import annotations

import hashlib
import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from sanxiang.archives import services
from sanxiang.archives.models import CaseFile, CaseFileAssembly, CaseFileItem
from sanxiang.archives.package import PayloadFile, stream_package
from sanxiang.archives.responses import package_response
from sanxiang.cases import services as case_services
from sanxiang.cases.models import Case
from sanxiang.records import ledger
from sanxiang.records.models import LedgerEntry
from tests.archives.helpers import closed_case, mp4, registered, store
from tests.cases.factories import RECORD_DATA, days_ago

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return "\n".join(page.extract_text() or "" for page in pages).replace("\x00", "")


def package_bytes(assembly: CaseFileAssembly) -> bytes:
    return b"".join(package_response(assembly).streaming_content)  # type: ignore[arg-type]


def check_bag(data: bytes) -> dict[str, bytes]:
    """Validate the zipped bag as a BagIt reader would: bagit.txt, Payload-Oxum, every
    payload file re-hashed against manifest-sha256.txt, the tag manifest."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        root = names[0].split("/")[0]
        files = {n[len(root) + 1 :]: zf.read(n) for n in names}
    assert files["bagit.txt"] == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    manifest = {}
    for line in files["manifest-sha256.txt"].decode().splitlines():
        digest, path = line.split("  ", 1)
        manifest[path] = digest
    payload = {p: b for p, b in files.items() if p.startswith("data/")}
    assert set(manifest) == set(payload)
    for path, body in payload.items():
        assert hashlib.sha256(body).hexdigest() == manifest[path], path
    info = dict(line.split(": ", 1) for line in files["bag-info.txt"].decode().splitlines())
    assert info["Payload-Oxum"] == f"{sum(len(b) for b in payload.values())}.{len(payload)}"
    for line in files["tagmanifest-sha256.txt"].decode().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(files[name]).hexdigest() == digest
    files["__info__"] = repr(info).encode()
    return files


def test_a_closing_transition_registers_the_case_file_with_its_deadline(world):
    made = closed_case(world)  # closed by close_if_finished: not by a transition
    assert not CaseFile.objects.filter(case=made.case).exists()
    # a transition into a final stage that finishes the case registers it (cases.hooks)
    from sanxiang.archives.services import on_transition

    on_transition(made.case, made.case.transitions.last())  # type: ignore[arg-type]
    cf = CaseFile.objects.get(case=made.case)
    assert cf.status == CaseFile.Status.TO_ASSEMBLE
    assert cf.deadline_source == "000 全过程记录办法 第二十五条"


def test_assembly_binds_every_record_and_the_av_description(world, custodian):
    made, cf = registered(world, custodian)
    entries = LedgerEntry.objects.filter(action="archives.assemble").count()
    assembly = services.assemble(actor=custodian, case_file=cf, retention="永久")
    items = list(assembly.items.order_by("position"))
    titles = [i.title for i in items]
    assert titles[:4] == ["案件来源登记表", "立案审批表", "案源告知记录", "结案审批表"]
    assert titles[4:6] == ["音像记录清单及说明", "证据清单"]
    assert items[6].section == "evidence" and items[7].section == "av"
    assert items[0].first_page == 1 and items[5].last_page == assembly.pages - 2

    from sanxiang.records.filestore import get_store

    with get_store().open(assembly.pdf.sha256) as f:
        volume = f.read()
    text = pdf_text(volume)
    assert "卷内目录" in text and "行政执法案卷" in text and assembly.archive_number in text
    av_sha = made.av.stored_file.sha256  # type: ignore[union-attr]
    # page footers (第1页 共2页) and 卷内页号 stamps are lines of their own: drop them
    lines = [line.replace(" ", "") for line in text.splitlines()]
    compact = "".join(line for line in lines if not re.fullmatch(r"第\d+页共\d+页|\d+", line))
    assert av_sha in compact, "the AV list carries the digest"
    for expected in ("李执法", "某餐饮店", "执法记录仪", "电量不足更换电池", "第二十七条"):
        assert expected in compact
    assert made.evidence.stored_file.sha256 in compact  # type: ignore[union-attr]

    cf.refresh_from_db()
    assert cf.status == CaseFile.Status.ASSEMBLED and cf.archive_number == assembly.archive_number
    entry = LedgerEntry.objects.filter(action="archives.assemble").latest("seq")
    assert LedgerEntry.objects.filter(action="archives.assemble").count() == entries + 1
    data = ledger.entry_data(entry)
    assert data["package_sha256"] == assembly.package_sha256 and data["version"] == 1


def test_the_package_is_a_valid_bag_with_the_original_files(world, custodian, fast_documents):
    made, cf = registered(world, custodian)
    assembly = services.assemble(actor=custodian, case_file=cf, retention="定期30年")
    data = package_bytes(assembly)
    assert hashlib.sha256(data).hexdigest() == assembly.package_sha256
    assert len(data) == assembly.package_size
    files = check_bag(data)
    av = made.av.stored_file
    assert av is not None
    [av_path] = [p for p in files if p.startswith("data/av/")]
    assert hashlib.sha256(files[av_path]).hexdigest() == av.sha256
    assert "data/案卷.pdf" in files
    assert len([p for p in files if p.startswith("data/records/")]) == 6
    assert b"'Case-Number': '" + made.case.number.encode() in files["__info__"]
    # deterministic: the same assembly always gives the same bytes
    assert package_bytes(assembly) == data


def test_reassembly_makes_a_new_version_and_keeps_the_old(world, custodian, fast_documents):
    _, cf = registered(world, custodian)
    first = services.assemble(actor=custodian, case_file=cf, retention="定期30年")
    second = services.assemble(actor=custodian, case_file=cf, retention="定期10年")
    assert (first.version, second.version) == (1, 2)
    assert CaseFileAssembly.objects.filter(case_file=cf).count() == 2
    assert second.archive_number.endswith(first.archive_number[-7:])
    assert "-D10-" in second.archive_number and "-D30-" in first.archive_number


def test_only_the_custodian_assembles_and_archives(world, custodian, fast_documents):
    _, cf = registered(world, custodian)
    with pytest.raises(PermissionDenied):
        services.assemble(actor=world.user_a, case_file=cf, retention="永久")
    services.assemble(actor=custodian, case_file=cf, retention="永久")
    with pytest.raises(PermissionDenied):
        services.archive(actor=world.head, case_file=cf)


def test_a_stale_assembly_cannot_be_archived(world, custodian, fast_documents):
    made, cf = registered(world, custodian)
    services.assemble(actor=custodian, case_file=cf, retention="永久")
    case_services.add_evidence(
        actor=world.user_a,
        case=made.case,
        kind="documentary",
        description="补充书证",
        collector=world.officer_a,
        collected_at=made.evidence.collected_at,
        place="执法局",
    )
    with pytest.raises(ValidationError, match="重新组卷"):
        services.archive(actor=custodian, case_file=cf)
    services.assemble(actor=custodian, case_file=cf, retention="永久")
    assert services.archive(actor=custodian, case_file=cf).archived


def test_an_archived_case_refuses_every_write(world, custodian, fast_documents):
    made, cf = registered(world, custodian)
    services.assemble(actor=custodian, case_file=cf, retention="永久")
    cf = services.archive(actor=custodian, case_file=cf)
    assert cf.archived and cf.archived_by == custodian
    entry = LedgerEntry.objects.filter(action="archives.archive").latest("seq")
    assert ledger.entry_data(entry)["on_time"] is True
    before = LedgerEntry.objects.count()
    record = made.case.records.order_by("id").first()
    assert record is not None
    attempts = [
        lambda: case_services.add_evidence(
            actor=world.user_a,
            case=made.case,
            kind="documentary",
            description="补充",
            collector=world.officer_a,
            collected_at=made.evidence.collected_at,
            place="执法局",
        ),
        lambda: case_services.correct_record(
            actor=world.user_a,
            record=record,
            reason="笔误",
            made_on=days_ago(0),
            data=RECORD_DATA["case_source_register"],
        ),
        lambda: case_services.sign_record(
            actor=world.user_a, record=record, role="officer", signer_name="王执法"
        ),
        lambda: services.assemble(actor=custodian, case_file=cf, retention="永久"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as excinfo:
            attempt()
        assert "已归档" in " ".join(excinfo.value.messages)
    assert LedgerEntry.objects.count() == before


def test_triggers_refuse_changing_an_archived_file_and_any_assembly(
    world, custodian, fast_documents
):
    _, cf = registered(world, custodian)
    assembly = services.assemble(actor=custodian, case_file=cf, retention="永久")
    CaseFile.objects.filter(pk=cf.pk).update(retention="永久")  # not yet archived: allowed
    for action in (
        lambda: CaseFileAssembly.objects.filter(pk=assembly.pk).update(pages=1),
        lambda: CaseFileItem.objects.filter(assembly=assembly).update(title="x"),
        lambda: CaseFileItem.objects.filter(assembly=assembly).delete(),
        lambda: CaseFile.objects.filter(pk=cf.pk).delete(),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            action()
    services.archive(actor=custodian, case_file=cf)
    with pytest.raises(IntegrityError, match="已归档的案卷不可修改"), transaction.atomic():
        CaseFile.objects.filter(pk=cf.pk).update(status=CaseFile.Status.ASSEMBLED)
    cf.refresh_from_db()
    assert cf.archived


def test_every_export_is_on_the_ledger_with_who_and_why(world, custodian, fast_documents):
    _, cf = registered(world, custodian)
    assembly = services.assemble(actor=custodian, case_file=cf, retention="永久")
    services.log_export(
        actor=custodian, case_file=cf, assembly=assembly, what="package", purpose="transfer"
    )
    entry = LedgerEntry.objects.filter(action="archives.export").latest("seq")
    data = ledger.entry_data(entry)
    assert entry.actor == custodian and data["purpose"] == "移交" and data["what"] == "package"
    assert data["sha256"] == assembly.package_sha256
    # an officer of the case may read the PDF, not export the originals
    services.log_export(
        actor=world.user_a, case_file=cf, assembly=assembly, what="pdf", purpose="consult"
    )
    with pytest.raises(PermissionDenied):
        services.log_export(
            actor=world.user_a, case_file=cf, assembly=assembly, what="package", purpose="archive"
        )
    with pytest.raises(ValidationError):
        services.log_export(
            actor=custodian, case_file=cf, assembly=assembly, what="pdf", purpose="gift"
        )


def test_the_package_streams_a_large_av_file_without_holding_it(world, custodian):
    size = 50 * 1024 * 1024
    stored = store(mp4(size, seed=b"big"), "video/mp4", world.user_a)
    payload = [PayloadFile("data/av/big.mp4", stored.sha256, stored.size)]
    tracemalloc.start()
    h = hashlib.sha256()
    total = 0
    for chunk in stream_package("bag", [["Payload-Oxum", f"{size}.1"]], payload):
        h.update(chunk)
        total += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total > size
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes"


def test_register_case_file_refuses_an_open_case(world, custodian):
    from tests.cases.factories import open_penalty

    case = open_penalty(world)
    assert case.status == Case.Status.OPEN
    with pytest.raises(ValidationError, match="尚未办结"):
        services.register_case_file(actor=custodian, case=case)
