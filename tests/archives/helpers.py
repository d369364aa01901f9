"""Builders for archives tests: a closed case (not filed, source told, closure approved)
with an evidence file and an AV recording whose file is in the store."""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sanxiang.archives import services
from sanxiang.archives.models import CaseFile
from sanxiang.cases import services as case_services
from sanxiang.cases.models import AVRecording, Case, Evidence
from sanxiang.org.models import User
from sanxiang.records.filestore.services import store_file
from sanxiang.records.models import StoredFile
from tests.cases.factories import (
    RECORD_DATA,
    World,
    days_ago,
    fire,
    open_penalty,
    signed_record,
)
from tests.factories import Role, UserFactory

MP4_HEAD = b"\x00\x00\x00\x1cftypisom\x00\x00\x02\x00isomiso2avc1mp41"
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def custodian_of(world: World) -> User:
    return UserFactory(agency=world.agency, roles=[Role.RECORDS_CUSTODIAN], full_name="档案员")


def store(content: bytes, media_type: str, actor: User) -> StoredFile:
    return store_file(
        stream=io.BytesIO(content),
        expected_sha256=hashlib.sha256(content).hexdigest(),
        expected_size=len(content),
        media_type=media_type,
        actor=actor,
    )


def mp4(size: int = 4096, seed: bytes = b"av") -> bytes:
    body = hashlib.sha256(seed).digest() * (size // 32 + 1)
    return (MP4_HEAD + body)[:size]


@dataclass
class ClosedCase:
    case: Case
    evidence: Evidence
    av: AVRecording


def add_files(world: World, case: Case, *, av_file: StoredFile | None = None) -> ClosedCase:
    photo = store(JPEG_HEAD + b"photo" * 50, "image/jpeg", world.user_a)
    evidence = case_services.add_evidence(
        actor=world.user_a,
        case=case,
        kind="electronic",
        description="现场照片一张",
        collector=world.officer_a,
        collected_at=timezone.now() - datetime.timedelta(days=9),
        place="某餐饮店后厨",
        stored_file=photo,
    )
    started = timezone.now() - datetime.timedelta(days=9, hours=2)
    av = case_services.add_av_recording(
        actor=world.user_a,
        case=case,
        device="执法记录仪 DSJ-A8",
        officer=world.officer_a,
        started_at=started,
        ended_at=started + datetime.timedelta(minutes=40),
        place="某餐饮店",
        spoken_statement=True,
        full_process=True,
        stored_file=av_file or store(mp4(), "video/mp4", world.user_a),
        interruptions=[
            case_services.InterruptionInput(
                at=started + datetime.timedelta(minutes=10),
                resumed_at=started + datetime.timedelta(minutes=12),
                reason="电量不足更换电池",
                spoken_explanation=True,
            )
        ],
    )
    return ClosedCase(case, evidence, av)


def closed_case(world: World, *, av_file: StoredFile | None = None) -> ClosedCase:
    """A penalty not filed (不予立案), the source told, closure approved, closed today."""
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    made = add_files(world, case, av_file=av_file)
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
    case = case_services.close_if_finished(actor=world.head, case=case)
    assert case.status == Case.Status.CLOSED
    made.case = case
    return made


def registered(world: World, custodian: User, **kwargs: object) -> tuple[ClosedCase, CaseFile]:
    made = closed_case(world, **kwargs)  # type: ignore[arg-type]
    case_file = services.register_case_file(actor=custodian, case=made.case)
    return made, case_file


def _blank_pdf(label: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": label})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def use_fast_documents(monkeypatch: Any) -> None:
    """Blank one-page PDFs instead of rendered documents (font subsetting takes seconds per
    document): for tests of the workflow, not of the volume's text, which
    tests/archives/test_assembly.py checks on real renderings."""
    from sanxiang.archives import documents
    from sanxiang.archives import services as archive_services
    from sanxiang.documents import pdftools

    monkeypatch.setattr(documents, "record_pdf", lambda record: _blank_pdf(f"R{record.pk}"))
    monkeypatch.setattr(documents, "opinion_pdf", lambda review: _blank_pdf(f"L{review.pk}"))
    monkeypatch.setattr(documents, "render_pdf", lambda document: _blank_pdf(document.title))
    monkeypatch.setattr(
        archive_services,
        "assemble_case_file",
        lambda cover, parts: pdftools.concatenate(
            [_blank_pdf(cover.archive_number), *(p.pdf for p in parts)]
        ),
    )
