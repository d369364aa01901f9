"""A case's records (文书/笔录) as official documents: the bridge from the stored record to
the plain inputs of ``sanxiang.documents`` (which knows nothing of cases).

Every record kind renders through the generic 文书 builder, driven by the kind's fields in
the record-kind registry (procedures/kinds.toml): records served on the party (告知书,
决定书, 通知书) as a letter addressed to the party with the agency's seal, the others (笔录,
审批表, 回证) as a ruled form. Signatures and recorded refusals (004 第十三条) are printed as
they were made; a correction says which record it supersedes and why, and a superseded
record says it was corrected — both stay printable (002 第四十五条).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from sanxiang.documents.builders import GenericRecord, Section, build_generic_record
from sanxiang.documents.layout import Document
from sanxiang.documents.layout import Signature as SignatureLine
from sanxiang.documents.render import render_pdf
from sanxiang.procedures import get_procedure, registry
from sanxiang.procedures.model import RECORD_DATA_KEYS, SIGNATURE_ROLES

from .models import Record

# A value longer than this goes into its own ruled row (a section) rather than a short cell.
_SHORT_VALUE = 40
_SHORT_LABEL = 8
_BOOL_TEXT = {True: "是", False: "否"}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _BOOL_TEXT[value]
    if isinstance(value, datetime.date):
        return f"{value:%Y年%m月%d日}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}元"
    if isinstance(value, list):
        return "；".join(_text(v) for v in value)
    return str(value)


def _key_data(record: Record) -> list[tuple[str, str]]:
    """The key data the engine reads (送达日期, 送达方式, 罚没金额…), labelled."""
    methods = registry().service_methods
    pairs: list[tuple[str, str]] = []
    for key in RECORD_DATA_KEYS:
        if key == "document":
            value: object = (
                registry().kind_name(record.served_document.kind)
                if record.served_document is not None
                else None
            )
        elif key == "service_method":
            method = methods.get(record.service_method)
            value = method.name if method is not None else (record.service_method or None)
        else:
            value = getattr(record, key)
        if value not in (None, ""):
            pairs.append((RECORD_DATA_KEYS[key], _text(value)))
    return pairs


def _signature_lines(record: Record) -> list[SignatureLine]:
    lines = []
    for s in record.signatures.all():
        local = timezone.localtime(s.signed_at)
        lines.append(
            SignatureLine(
                role=SIGNATURE_ROLES.get(s.role, s.role),
                name="" if s.refused else s.signer_name,
                date=local.date(),
                time_text=f"{local:%Y年%m月%d日%H时%M分}",
                refused=s.refused,
                refusal_note=(f"{s.signer_name}：{s.refusal_note}" if s.refused else ""),
            )
        )
    return lines


def _footnote(record: Record) -> str:
    notes = []
    if record.supersedes_id:
        notes.append(
            f"本记录更正第R{record.supersedes_id}号记录，更正理由：{record.correction_reason}。"
            "原记录保留在案卷中。"
        )
    successor = getattr(record, "superseded_by", None)
    if successor is not None:
        notes.append(f"本记录已被第R{successor.pk}号记录更正，仅作留存。")
    notes.append(f"记录编号R{record.pk}，{record.made_by}制作。")
    return "".join(notes)


def record_document(record: Record) -> Document:
    """The record as a 文书 ready to render."""
    case = record.case
    kind = registry().kind(record.kind)
    procedure = get_procedure(case.procedure)
    parties = list(case.parties.all())
    party_names = "、".join(p.name for p in parties)
    letter = kind.served and not kind.code.endswith("_record")
    fields: list[tuple[str, str]] = [
        ("案件编号", case.number),
        ("案由", case.title),
        ("当事人", party_names or "—"),
    ]
    if not letter:  # a form says which stage it records; a letter to the party does not
        fields.append(("环节", procedure.stage_name(record.stage)))
    sections: list[Section] = []
    for f in kind.fields:
        if f.name == "signatures" or f.name in kind.data:  # key data is printed below
            continue
        value = _text(record.data.get(f.name)) or "—"
        if len(value) > _SHORT_VALUE or "\n" in value:
            sections.append(Section(heading=f.label, text=value))
        elif len(f.label) > _SHORT_LABEL:  # a long label gets a row of its own
            sections.append(Section(heading=f.label, text=value, min_lines=1))
        else:
            fields.append((f.label, value))
    fields.extend(_key_data(record))
    return build_generic_record(
        GenericRecord(
            title=kind.name,
            agency=case.agency.name,
            date=record.made_on,
            number=f"{case.number}-R{record.pk}",
            fields=fields,
            sections=sections,
            signatures=_signature_lines(record),
            form=not letter,
            addressee=party_names if letter else "",
            seal=letter or kind.decision,
            footnote=_footnote(record),
        )
    )


def record_pdf(record: Record) -> bytes:
    return render_pdf(record_document(record))


def record_filename(record: Record) -> str:
    return f"{record.case.number}-R{record.pk}-{registry().kind_name(record.kind)}.pdf"
