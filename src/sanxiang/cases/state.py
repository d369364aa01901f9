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
  review". The review app registers the real status (``register_review_status_provider``,
  from its AppConfig.ready()): this profile-only status is the default without it.
- everywhere else ``ReviewStatus(required=False)``.

Also derived here: ``hearing_eligible`` from the latest current rights notice's proposed
penalties (``hearing_eligible()``, 《中华人民共和国行政处罚法》第六十三条);
``collective_discussion_required`` from the case's mark (services.mark_collective_discussion,
第五十七条第二款); ``source_notify_required`` from the case source (002 第三十条).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sanxiang.catalog import selectors as catalog_selectors
from sanxiang.catalog.models import AVMatter, PenaltyKind
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

from .models import Case, CaseOfficer, CaseSource, Party, Record

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


def profile_review_status(case: Case, records: Sequence[Record] = ()) -> ReviewStatus:
    """The gate from the rule profile alone (see the module docstring)."""
    if case.procedure != "penalty_general":
        return ReviewStatus(required=False)
    try:
        rule = get_profile(case.agency.rule_profile_code).rule("review.general_procedure_penalties")
    except UnknownRule:
        return ReviewStatus(required=False)
    if rule.value == "required":
        return ReviewStatus(required=True, passed=None)
    return ReviewStatus(required=False)


ReviewStatusProvider = Callable[[Case, Sequence[Record]], ReviewStatus]
_review_status_provider: ReviewStatusProvider = profile_review_status


def register_review_status_provider(provider: ReviewStatusProvider | None) -> None:
    """The review app hands in the real status (``provider(case, records)``, ``records``
    being the case's records as ``load_records`` gives them); ``None`` restores the
    profile-only default. The cases app cannot import the review app: data flows one way."""
    global _review_status_provider
    _review_status_provider = provider or profile_review_status


def review_status(case: Case, records: Sequence[Record] | None = None) -> ReviewStatus:
    """The legal-review status of the case's decision, from the registered provider."""
    return _review_status_provider(case, load_records(case) if records is None else records)


CaseLock = Callable[[Case], str | None]
_case_locks: list[CaseLock] = []


def register_case_lock(lock: CaseLock) -> None:
    """A higher app (archives) hands in a check that says why a case may no longer change
    (an archived case file is read-only), or None. The cases services refuse every write on
    a case a lock names; the cases app cannot import that app (data flows one way)."""
    if lock not in _case_locks:
        _case_locks.append(lock)


def case_lock_reason(case: Case) -> str | None:
    """Why no record, correction, signature, evidence or AV may be added to ``case``."""
    for lock in _case_locks:
        reason = lock(case)
        if reason:
            return reason
    return None


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


# Hearing eligibility (《中华人民共和国行政处罚法》第六十三条): the proposed penalties of the
# rights notice (权利告知书), in its data. Kinds that give the right whatever the amount:
# 降低资质等级、吊销许可证件 (第一款第三项), 责令停产停业、责令关闭、限制从业 (第四项).
HEARING_PENALTY_KINDS: frozenset[str] = frozenset(
    {
        PenaltyKind.DOWNGRADE,
        PenaltyKind.REVOKE_LICENCE,
        PenaltyKind.SUSPEND_BUSINESS,
        PenaltyKind.CLOSE,
        PenaltyKind.RESTRICT_PRACTICE,
    }
)
# Kinds that give the right when the amount is large: 较大数额罚款 (第一项), 没收较大数额违法
# 所得、没收较大价值非法财物 (第二项). What counts as large is set by the province or the
# ministry (第六十三条第一款), not by the measures in ../shared/regulations, so no rule profile
# holds a threshold: the officer marks the notice ``large_amount`` by the applicable standard.
HEARING_AMOUNT_KINDS: frozenset[str] = frozenset(
    {PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY}
)
# Rights-notice data keys read here (validated by services._check_rights_notice_data).
PROPOSED_KINDS_KEY = "proposed_penalty_kinds"  # list of catalog.PenaltyKind values
LARGE_AMOUNT_KEY = "large_amount"  # bool: the fine or confiscation is 较大数额/较大价值
HEARING_APPLICABLE_KEY = "hearing_applicable"  # bool: 第五项、第六项 (other serious penalty or
# a law so provides); for a licence, 《中华人民共和国行政许可法》第四十六条、第四十七条


def hearing_eligible(records: list[Record]) -> bool:
    """Whether the party has the right to a hearing, from the latest current rights notice
    (《中华人民共和国行政处罚法》第六十三条): a proposed penalty of the kinds of 第三、四项;
    a large fine or confiscation (第一、二项); or the notice says a hearing applies."""
    notices = [r for r in records if r.kind == "rights_notice" and not hasattr(r, "superseded_by")]
    if not notices:
        return False
    data = max(notices, key=lambda r: (r.made_on, r.pk)).data or {}
    kinds = set(data.get(PROPOSED_KINDS_KEY) or [])
    if kinds & HEARING_PENALTY_KINDS or data.get(HEARING_APPLICABLE_KEY) is True:
        return True
    return data.get(LARGE_AMOUNT_KEY) is True and (not kinds or bool(kinds & HEARING_AMOUNT_KINDS))


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
    notify = CaseSource.objects.filter(case=case).values_list("notify_required", flat=True)
    return CaseState(
        procedure=case.procedure,
        stage=case.stage,
        opened_on=case.opened_on,
        today=today,
        records=tuple(record_snapshot(r) for r in records),
        officers=tuple(_officers(case, officers, records, today)),
        review=review_status(case, records),
        av_items=tuple(av_items),
        av_requirements=av_requirements(case, today),
        party_kind=party_kind,
        hearing_eligible=hearing_eligible(records),
        collective_discussion_required=case.collective_discussion_required,
        source_notify_required=bool(notify.first()),
        history=tuple(history),
        profile=case.agency.rule_profile_code,
        version=case.version,
    )
