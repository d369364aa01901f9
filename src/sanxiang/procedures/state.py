"""The case as the engine sees it: an immutable snapshot the cases app builds from the
database, and the violations the engine reports about it.

The engine never reads the database. The cases app loads a case, builds a ``CaseState``
(records with their signatures and refusals, the officers who took part in each stage and
whether each one's certificate was valid on the day — ``org.Certificate.validity_on`` —, the
legal-review status, the AV items and the AV requirement of each stage from the catalogue's AV
matter list), asks the engine, and writes the result with optimistic locking on ``version``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

AVLevel = Literal["none", "av", "full_process"]
PartyKind = Literal["natural_person", "legal_person", "other_organisation"]
Severity = Literal["error", "warning"]

PARTY_KINDS: dict[str, str] = {
    "natural_person": "自然人",
    "legal_person": "法人",
    "other_organisation": "其他组织",
}


@dataclass(frozen=True)
class Violation:
    """A rule the case breaks, in Chinese, with the article it comes from.

    ``message`` already ends with the source in brackets:
    “调查取证须由两名以上持有效执法证的执法人员进行（《中华人民共和国行政处罚法》第四十二条）”.
    A warning (``severity="warning"``) flags without blocking.
    """

    code: str
    message: str
    source: str
    severity: Severity = "error"
    stage: str = ""
    ref: str = ""  # the record, officer or AV item concerned, when there is one

    def __str__(self) -> str:
        return self.message

    @classmethod
    def make(
        cls,
        code: str,
        text: str,
        source: str,
        *,
        severity: Severity = "error",
        stage: str = "",
        ref: str = "",
    ) -> Violation:
        return cls(
            code=code,
            message=f"{text}（{source}）",
            source=source,
            severity=severity,
            stage=stage,
            ref=ref,
        )


class TransitionRefused(Exception):
    """The transition may not be fired; ``violations`` says why. Nothing was changed."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations: list[Violation] = list(violations)
        super().__init__("；".join(v.message for v in self.violations) or "不允许的操作")


class RecordRefused(TransitionRefused):
    """The record may not be added to the case; ``violations`` says why."""


@dataclass(frozen=True)
class RecordSnapshot:
    """One 文书/笔录 of the case: its kind, the stage it belongs to, its date, who signed it
    and whose refusal to sign it records, and the key data the engine reads.

    A signed record is never edited: a correction is a new record whose ``supersedes`` names
    the old one's ``ref``; the old one stays, marked ``superseded``.
    """

    kind: str
    stage: str
    made_on: datetime.date
    signed_by: frozenset[str] = frozenset()
    refused_by: frozenset[str] = frozenset()
    superseded: bool = False
    ref: str = ""
    supersedes: str = ""
    # key data (model.RECORD_DATA_KEYS)
    hearing_requested: bool | None = None
    statement_waived: bool | None = None
    served_on: datetime.date | None = None
    service_method: str | None = None
    document: str | None = None  # for a 送达回证: the kind of the document it proves served
    amount: Decimal | None = None
    violations_found: bool | None = None

    def dates(self) -> list[tuple[str, datetime.date]]:
        dates = [("制作日期", self.made_on)]
        if self.served_on is not None:
            dates.append(("送达日期", self.served_on))
        return dates


@dataclass(frozen=True)
class OfficerOnStage:
    """An officer who took part in a stage, and whether the certificate was valid that day
    (``org.Certificate.validity_on``: valid, and the reason when not)."""

    officer: str  # an id the cases app understands (Officer.pk or the certificate number)
    stage: str
    certificate_valid: bool
    certificate_number: str = ""
    name: str = ""
    reason: str = ""  # why the certificate was not valid

    @property
    def display(self) -> str:
        who = self.name or self.officer
        return f"{who}（执法证号 {self.certificate_number}）" if self.certificate_number else who


@dataclass(frozen=True)
class ReviewStatus:
    """The legal review (法制审核) of the decision, as the review app reports it.

    ``matches_decision`` is False when the decision now differs from what was reviewed (a
    changed amount or legal basis), which needs a new review.
    """

    required: bool = False
    passed: bool | None = None  # None: not reviewed (yet)
    matches_decision: bool = True
    submitted_on: datetime.date | None = None
    decided_on: datetime.date | None = None
    extended: bool = False
    # The profile sends a passed review to the heads' collective discussion
    # (review.collective_discussion = after_pass, 002 第五十五条): the decision then also
    # needs a complete 集体讨论记录 made after the pass. ``discussion_source`` cites the rule.
    discussion_required: bool = False
    discussion_done: bool = False
    discussion_source: str = ""


@dataclass(frozen=True)
class AVItem:
    """Metadata of one audio/video recording made in a stage."""

    stage: str
    full_process: bool = False  # covers arrival at the scene to departure
    returned_at: datetime.datetime | None = None  # officers back at the unit / activity over
    stored_at: datetime.datetime | None = None  # stored in the platform
    ref: str = ""


@dataclass(frozen=True)
class StageEntry:
    """A fired transition: the case moved from one stage to the next on a day."""

    transition: str
    from_stage: str
    to_stage: str
    on: datetime.date


@dataclass(frozen=True)
class CaseState:
    """Everything the engine needs to know about one case, at one moment."""

    procedure: str
    stage: str
    opened_on: datetime.date
    today: datetime.date
    records: tuple[RecordSnapshot, ...] = ()
    officers: tuple[OfficerOnStage, ...] = ()
    review: ReviewStatus = ReviewStatus()
    av_items: tuple[AVItem, ...] = ()
    # stage code → "none" / "av" / "full_process", from the catalogue's AV matter list
    # (engine.av_requirement turns the list into this); a missing stage means "none".
    av_requirements: Mapping[str, AVLevel] = field(default_factory=dict)
    party_kind: PartyKind = "natural_person"
    # Whether the party has a right to a hearing (《中华人民共和国行政处罚法》第六十三条;
    # 《中华人民共和国行政许可法》第四十七条) — set by the cases app from the proposed decision.
    hearing_eligible: bool = False
    # 情节复杂或者重大违法 → the heads decide collectively (行政处罚法 第五十七条).
    collective_discussion_required: bool = False
    # The case source must be told what was decided (002 第三十条): CaseSource.notify_required.
    source_notify_required: bool = False
    history: tuple[StageEntry, ...] = ()
    profile: str = ""  # the agency's rule profile (core.rules), for profile deadlines
    archived_on: datetime.date | None = None
    version: int = 0  # the cases app's optimistic-lock counter

    def __post_init__(self) -> None:
        object.__setattr__(self, "records", tuple(self.records))
        object.__setattr__(self, "officers", tuple(self.officers))
        object.__setattr__(self, "av_items", tuple(self.av_items))
        object.__setattr__(self, "history", tuple(self.history))
        object.__setattr__(self, "av_requirements", MappingProxyType(dict(self.av_requirements)))

    # -------------------------------------------------------------- queries

    def current_records(
        self, *, stage: str | None = None, kinds: Iterable[str] | None = None
    ) -> list[RecordSnapshot]:
        """Records not superseded, optionally of a stage and of some kinds."""
        wanted = frozenset(kinds) if kinds is not None else None
        return [
            r
            for r in self.records
            if not r.superseded
            and (stage is None or r.stage == stage)
            and (wanted is None or r.kind in wanted)
        ]

    def latest(self, kind: str) -> RecordSnapshot | None:
        """The current record of a kind made last (the last added on a tie)."""
        found = self.current_records(kinds=(kind,))
        if not found:
            return None
        return max(enumerate(found), key=lambda pair: (pair[1].made_on, pair[0]))[1]

    def record(self, ref: str) -> RecordSnapshot | None:
        for record in self.records:
            if record.ref == ref:
                return record
        return None

    def passed_stages(self) -> list[str]:
        """Stages the case has left, in order, each once."""
        seen: list[str] = []
        for entry in self.history:
            if entry.from_stage not in seen:
                seen.append(entry.from_stage)
        return seen

    def visited_stages(self) -> list[str]:
        seen = self.passed_stages()
        if self.stage not in seen:
            seen.append(self.stage)
        return seen

    def entered_on(self, stage: str) -> datetime.date | None:
        """When the case last entered a stage (the initial stage: the day it was opened)."""
        for entry in reversed(self.history):
            if entry.to_stage == stage:
                return entry.on
        initial = self.history[0].from_stage if self.history else self.stage
        return self.opened_on if stage == initial else None

    def officers_on(self, stage: str) -> list[OfficerOnStage]:
        return [o for o in self.officers if o.stage == stage]

    def av_on(self, stage: str) -> list[AVItem]:
        return [item for item in self.av_items if item.stage == stage]

    def served_on(self, kind: str) -> datetime.date | None:
        """When a document of this kind was served: its own ``served_on`` or that of a
        送达回证 (service_receipt) naming it; the earliest if several."""
        dates = [r.served_on for r in self.current_records(kinds=(kind,)) if r.served_on]
        dates += [
            r.served_on
            for r in self.current_records(kinds=("service_receipt",))
            if r.document == kind and r.served_on
        ]
        return min(dates) if dates else None

    def hearing_requested(self) -> bool:
        """The party's latest word on a hearing (a record carrying hearing_requested)."""
        said = [
            (r.made_on, index, r.hearing_requested)
            for index, r in enumerate(self.records)
            if not r.superseded and r.hearing_requested is not None
        ]
        return bool(max(said)[2]) if said else False

    def hearing_waived(self) -> bool:
        said = [
            (r.made_on, index, r.hearing_requested)
            for index, r in enumerate(self.records)
            if not r.superseded and r.hearing_requested is not None
        ]
        return bool(said) and max(said)[2] is False
