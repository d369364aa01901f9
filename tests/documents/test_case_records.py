"""A case's records as PDFs (sanxiang.cases.documents): every kind renders with the
embedded CJK font, with its matters, its signatures or recorded refusals, and the
correction relation on both the old and the new record."""

from __future__ import annotations

import pytest

from sanxiang.cases import services
from sanxiang.cases.documents import record_pdf
from sanxiang.procedures import registry
from tests.cases.factories import RECORD_DATA, days_ago, make_world, open_penalty

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_record_pdf_shows_matters_refusal_and_correction(poppler):
    world = make_world()
    case = open_penalty(world)
    record = services.add_record(
        actor=world.user_a,
        case=case,
        kind="case_source_register",
        made_on=days_ago(9),
        data=RECORD_DATA["case_source_register"],
    )
    services.sign_record(
        actor=world.user_a,
        record=record,
        role="officer",
        signer_name=world.officer_a.name,
        officer=world.officer_a,
    )
    correction = services.correct_record(
        actor=world.user_a,
        record=record,
        reason="漏记举报内容",
        made_on=days_ago(8),
        data={**RECORD_DATA["case_source_register"], "summary": "占道经营"},
        signatures=[
            services.SignatureInput(
                role="officer", signer_name=world.officer_a.name, officer=world.officer_a
            )
        ],
    )
    old = squeeze(poppler.text(record_pdf(record)))
    new = squeeze(poppler.text(record_pdf(correction)))
    assert "案件来源登记表" in old and case.number in old
    assert f"已被第R{correction.pk}号记录更正" in old
    assert f"更正第R{record.pk}号记录" in new and "漏记举报内容" in new
    assert "占道经营" in new
    assert "Noto" in poppler.fonts(record_pdf(record))


def test_every_record_kind_renders(poppler):
    """Each kind of the registry, with every matter filled in, becomes a PDF whose text
    carries the kind's name (fonts embedded: poppler runs with no fonts installed)."""
    from sanxiang.cases.documents import record_document
    from sanxiang.cases.models import Record
    from sanxiang.documents.render import render_pdf

    world = make_world()
    case = open_penalty(world)
    documents, names = [], []
    for code, kind in registry().kinds.items():
        record = Record(
            case=case,
            kind=code,
            stage=kind.stages[0],
            made_on=days_ago(1),
            made_by=world.user_a,
            data={f.name: f"{f.label}内容" for f in kind.fields},
        )
        record.save()
        documents.append(record_document(record))
        names.append(kind.name)
    text = squeeze(poppler.text(render_pdf(documents)))  # one PDF: one font subset to embed
    for name in names:
        assert squeeze(name) in text, name
