"""Build the engine's ``CaseState`` from the database, in a fixed handful of queries.

``build_case_state(case, today)`` loads the records with their signatures, the officers with
their certificates, the AV items, the stage log and the catalogue's AV matter list, and
hands the pure engine (``sanxiang.procedures.engine``) a snapshot. Record refs are
``R<pk>``; officer refs are ``Officer.pk`` as text.

Legal review — the current gate. There is no review app yet, so the review status is built
here from the jurisdiction's rule profile:

- where the profile says every general-procedure penalty decision must be reviewed
  (``review.general_procedure_penalties = "required"``: Zhengzhou — 000 法制审核办法 第六条 —
  and Henan — 001 河南法制审核办法 第十八条), a ``penalty_general`` case gets
  ``ReviewStatus(required=True, passed=None)``. The engine therefore refuses the decision
  transition (``issue``) and a decision signed by the agency head, citing 000 法制审核办法
  第三条. That is correct, not a stop-gap bug: "no major decision without a passed legal
  review". The review app, when it lands, replaces ``review_status`` with the real status.
- everywhere else ``ReviewStatus(required=False)``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from sanxiang.catalog import selectors as catalog_selectors
from sanxiang.catalog.models import AVMatter
from sanxiang.core.rules import UnknownRule, get_profile
from sanxiang.org.models import Certificate
from sanxiang.procedures import engine, get_procedure, registry
from sanxiang.procedures.guards import missing_signatures, signature_specs
from sanxiang.procedures.state import (
    AVItem,
    AVLevel,
    CaseState,
    OfficerOnStage,
    RecordSnapshot,
    ReviewStatus,
    StageEntry,
)

from .models import Case, CaseOfficer, Party, Record

_STRENGTH = {"none": 0, "av": 1, "full_process": 2}


def record_snapshot(record: Record) -> RecordSnapshot:
    """One record as the engine sees it (signatures must be prefetched or are queried)."""
    signatures = list(record.signatures.all())
    document = record.served_document.kind if record.served_document is not None else None
    superseded = hasattr(record, "superseded_by")
    return RecordSnapshot(
        kind=record.kind,
        stage=record.stage,
        made_on=record.made_on,
        signed_by=frozenset(s.role for s in signatures if not s.refused),
        refused_by=frozenset(s.role for s in signatures if s.refused),
        superseded=superseded,
        ref=record.ref,
        supersedes=f"R{record.supersedes_id}" if record.supersedes_id else "",
        hearing_requested=record.hearing_requested,
        statement_waived=record.statement_waived,
        served_on=record.served_on,
        service_method=record.service_method or None,
        document=document,
        amount=record.amount,
        violations_found=record.violations_found,
    )


def is_signed(case: Case, record: Record) -> bool:
    """Every signature its kind requires (in its stage) is present or refused."""
    procedure = get_procedure(case.procedure)
    specs = signature_specs(procedure, registry(), record.stage, record.kind)
    return not missing_signatures(record_snapshot(record), specs)


def review_status(case: Case) -> ReviewStatus:
    """The current gate (see the module docstring)."""
    if case.procedure != "penalty_general":
        return ReviewStatus(required=False)
    try:
        rule = get_profile(case.agency.rule_profile_code).rule("review.general_procedure_penalties")
    except UnknownRule:
        return ReviewStatus(required=False)
    if rule.value == "required":
        return ReviewStatus(required=True, passed=None)
    return ReviewStatus(required=False)


def av_requirements(case: Case, on: datetime.date) -> dict[str, AVLevel]:
    """Stage → AV level from the agency's AV matter list (one query)."""
    procedure = get_procedure(case.procedure)
    matters = catalog_selectors.in_force(AVMatter, on=on, agency=case.agency).filter(
        action_type=case.action_type
    )
    levels: dict[str, str] = {}
    for stage, requirement in matters.values_list("stage", "requirement"):
        if _STRENGTH.get(requirement, 0) > _STRENGTH.get(levels.get(stage, "none"), 0):
            levels[stage] = requirement
    return {s.code: engine.av_requirement(procedure, s.code, levels) for s in procedure.stages}


def _officers(
    case: Case, officers: list[CaseOfficer], records: list[Record], today: datetime.date
) -> list[OfficerOnStage]:
    days_by_stage: dict[str, list[datetime.date]] = defaultdict(list)
    for record in records:
        days_by_stage[record.stage].append(record.made_on)
    result = []
    for row in officers:
        certificates: list[Certificate] = list(row.officer.certificates.all())
        days = sorted(set(days_by_stage.get(row.stage) or [today]))
        chosen = next((c for c in certificates if c.number == row.certificate_number), None)
        valid, reason = False, "未持有执法证"
        if chosen is None and certificates:
            chosen = max(certificates, key=lambda c: c.expires_on)
        if chosen is not None:
            valid, reason = True, ""
            for day in days:
                ok, why = chosen.validity_on(day)
                if not ok:
                    valid, reason = False, why
                    break
        result.append(
            OfficerOnStage(
                officer=str(row.officer_id),
                stage=row.stage,
                certificate_valid=valid,
                certificate_number=chosen.number if chosen else "",
                name=row.officer.name,
                reason=reason,
            )
        )
    return result


def load_records(case: Case) -> list[Record]:
    return list(
        case.records.select_related("served_document", "superseded_by")
        .prefetch_related("signatures")
        .order_by("id")
    )


def build_case_state(case: Case, today: datetime.date) -> CaseState:
    """The engine's view of the case on ``today``."""
    records = load_records(case)
    officers = list(
        case.officers.select_related("officer__agency").prefetch_related("officer__certificates")
    )
    av_items = [
        AVItem(
            stage=av.stage,
            full_process=av.full_process,
            returned_at=av.returned_at,
            stored_at=av.stored_at,
            ref=f"AV{av.pk}",
        )
        for av in case.av_recordings.all()
    ]
    history = [
        StageEntry(
            transition=t.transition, from_stage=t.from_stage, to_stage=t.to_stage, on=t.fired_on
        )
        for t in case.transitions.order_by("version")
    ]
    party_kinds = list(case.parties.values_list("kind", flat=True)[:1])
    party_kind: Any = party_kinds[0] if party_kinds else Party.Kind.NATURAL_PERSON.value
    return CaseState(
        procedure=case.procedure,
        stage=case.stage,
        opened_on=case.opened_on,
        today=today,
        records=tuple(record_snapshot(r) for r in records),
        officers=tuple(_officers(case, officers, records, today)),
        review=review_status(case),
        av_items=tuple(av_items),
        av_requirements=av_requirements(case, today),
        party_kind=party_kind,
        history=tuple(history),
        profile=case.agency.rule_profile_code,
        version=case.version,
    )
