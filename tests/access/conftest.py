"""A Zhengzhou case with a record, an evidence item with a PNG file and an AV recording; the
two officers on the case (world.user_a, world.user_b), the head (unit and agency head), an
officer of the agency not on the case, a records custodian, and a second agency head."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.models import AVRecording, Case, Evidence, Record
from sanxiang.org.models import User
from sanxiang.records.filestore.services import store_file
from tests.cases.factories import RECORD_DATA, World, days_ago, make_world, open_penalty
from tests.factories import CertificateFactory, OfficerFactory, Role, UserFactory


@dataclass
class Scene:
    w: World
    case: Case
    record: Record
    evidence: Evidence
    av: AVRecording
    png: bytes
    outsider: User  # an officer of the agency, not on the case
    custodian: User
    head2: User  # a second agency head (approves the first head's requests)


def png_bytes(width: int = 120, height: int = 80) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (255, 255, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def make_scene() -> Scene:
    w = make_world()
    case = open_penalty(w)
    record = case_services.add_record(
        actor=w.user_a,
        case=case,
        kind="case_source_register",
        made_on=days_ago(9),
        data=RECORD_DATA["case_source_register"],
    )
    png = png_bytes()
    with transaction.atomic():
        stored = store_file(
            stream=io.BytesIO(png),
            expected_sha256=None,
            expected_size=len(png),
            media_type="image/png",
            actor=w.user_a,
        )
    now = timezone.now()
    evidence = case_services.add_evidence(
        actor=w.user_a,
        case=case,
        kind="documentary",
        description="某公司的配方和进货价格（商业秘密）",
        collector=w.officer_a,
        collected_at=now - datetime.timedelta(hours=2),
        place="郑州市金水区某路1号",
        stored_file=stored,
    )
    av = case_services.add_av_recording(
        actor=w.user_a,
        case=case,
        device="执法记录仪 DSJ-01",
        officer=w.officer_a,
        started_at=now - datetime.timedelta(hours=3),
        ended_at=now - datetime.timedelta(hours=2, minutes=30),
        place="郑州市金水区某路1号",
        spoken_statement=True,
        full_process=True,
        returned_at=None,
        stored_at=None,
        stored_file=None,
        interruptions=[],
    )
    officer_c = OfficerFactory(agency=w.agency, unit=w.unit, name="赵执法")
    CertificateFactory(officer=officer_c)
    outsider = UserFactory(
        agency=w.agency, officer=officer_c, roles=[Role.OFFICER], full_name="赵执法"
    )
    custodian = UserFactory(agency=w.agency, roles=[Role.RECORDS_CUSTODIAN], full_name="钱档案")
    head2 = UserFactory(agency=w.agency, roles=[Role.AGENCY_HEAD], full_name="孙副局长")
    return Scene(w, case, record, evidence, av, png, outsider, custodian, head2)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def s(db) -> Scene:
    return make_scene()
