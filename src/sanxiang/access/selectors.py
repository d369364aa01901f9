"""Who may read a marked record, evidence item or AV recording — the one place the rule is
decided, for the workbench and the API alike.

A marked item (ConfidentialityMark in force; 001 河南全过程记录办法 第二十五条, 000 全过程记录办法
第二十九条, 002 第四十四条) is readable without a grant by those handling the case:

- the officers assigned to the case (本案承办人员, cases.CaseOfficer);
- the head of the handling unit (本案承办机构负责人: unit_head whose officer is in that unit);
- the agency's heads (本机关负责人: agency_head of the case's agency);
- the legal reviewer of a review round of the case still open (本案法制审核人员).

Everyone else who may see the case (its agency's staff, a supervisor) sees that the item
exists (kind, mark, date) but not its content, and needs an approved 调阅/复制 request
still in force (001 河南全过程记录办法 第二十四条: 确有必要调阅、复制行政执法记录信息的，应当经
行政执法机关负责人批准). Whoever reads, the read is logged (access.services.open_item).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from sanxiang.cases import selectors as case_selectors
from sanxiang.cases.models import AVRecording, Case, CaseOfficer, Evidence, Record
from sanxiang.core.rules import UnknownProfile, UnknownRule, get_profile
from sanxiang.org.models import Role, User
from sanxiang.review.models import LegalReview

from .models import AccessRequest, AccessRequestItem, ConfidentialityMark, Level, TargetKind

Item = Record | Evidence | AVRecording

# How many days an approval may run at most (the measures fix no period; the head chooses
# the days within this bound). Settings: SANXIANG_ACCESS_MAX_DAYS.
DEFAULT_MAX_DAYS = 30
# Images above this size are not loaded into memory to be watermarked: a copy is refused.
DEFAULT_WATERMARK_MAX_BYTES = 50 * 1024 * 1024

APPROVAL_RULE = "recording.access_approval"
FALLBACK_SOURCE = "001 河南全过程记录办法 第二十四条"
MARK_SOURCE = "001 河南全过程记录办法 第二十五条"

ENTITLED_OFFICER = "本案承办人员"
ENTITLED_UNIT_HEAD = "本案承办机构负责人"
ENTITLED_AGENCY_HEAD = "本机关负责人"
ENTITLED_REVIEWER = "本案法制审核人员"


def max_days() -> int:
    return int(getattr(settings, "SANXIANG_ACCESS_MAX_DAYS", DEFAULT_MAX_DAYS))


def watermark_max_bytes() -> int:
    return int(getattr(settings, "SANXIANG_WATERMARK_MAX_BYTES", DEFAULT_WATERMARK_MAX_BYTES))


def kind_of(item: Item) -> str:
    if isinstance(item, Record):
        return TargetKind.RECORD
    if isinstance(item, AVRecording):
        return TargetKind.AV
    return TargetKind.EVIDENCE


def item_ref(kind: str, pk: int) -> str:
    """The anchor the case page uses for the item (R12, E3, AV4)."""
    return {"record": "R", "evidence": "E", "av": "AV"}[kind] + str(pk)


def item_label(kind: str, pk: int) -> str:
    return f"{TargetKind(kind).label} {item_ref(kind, pk)}"


def approval_rule_source(case: Case) -> str:
    """The article that requires the approval, from the agency's profile."""
    try:
        return get_profile(case.agency.rule_profile_code).rule(APPROVAL_RULE).source
    except (UnknownProfile, UnknownRule):
        return FALLBACK_SOURCE


def mark_rule_source(case: Case) -> str:
    try:
        return (
            get_profile(case.agency.rule_profile_code).rule("recording.confidential_records").source
        )
    except (UnknownProfile, UnknownRule):
        return MARK_SOURCE


# ------------------------------------------------------------------ marks


def current_mark(kind: str, pk: int) -> ConfidentialityMark | None:
    """The mark in force on an item (its latest entry, unless that is a lift)."""
    latest = (
        ConfidentialityMark.objects.filter(target_kind=kind, target_id=pk)
        .select_related("set_by")
        .order_by("-id")
        .first()
    )
    return latest if latest is not None and latest.in_force else None


def case_marks(case: Case) -> dict[tuple[str, int], ConfidentialityMark]:
    """The marks in force on the items of a case (index mark_case; a case has few)."""
    latest: dict[tuple[str, int], ConfidentialityMark] = {}
    for mark in case.confidentiality_marks.select_related("set_by").order_by("id")[:10_000]:
        latest[(mark.target_kind, mark.target_id)] = mark
    return {key: m for key, m in latest.items() if m.in_force}


def mark_history(kind: str, pk: int) -> QuerySet[ConfidentialityMark]:
    return (
        ConfidentialityMark.objects.filter(target_kind=kind, target_id=pk)
        .select_related("set_by")
        .order_by("id")
    )


# ------------------------------------------------------------------ entitlement


def entitlement(user: User, case: Case) -> str:
    """Why the user may read the case's marked items without a grant ("" if not)."""
    if not user.is_active or user.agency_id is None:
        return ""
    if user.agency_id == case.agency_id:
        if (
            user.officer_id
            and CaseOfficer.objects.filter(case=case, officer_id=user.officer_id).exists()
        ):
            return ENTITLED_OFFICER
        if user.has_role(Role.AGENCY_HEAD):
            return ENTITLED_AGENCY_HEAD
        officer = user.officer
        if (
            user.has_role(Role.UNIT_HEAD)
            and officer is not None
            and officer.unit_id == case.unit_id
        ):
            return ENTITLED_UNIT_HEAD
    if user.has_role(Role.LEGAL_REVIEWER):
        open_round = LegalReview.objects.filter(case=case, reviewer=user).exclude(
            status__in=(LegalReview.Status.PASSED, LegalReview.Status.FAILED)
        )
        if open_round.exists():
            return ENTITLED_REVIEWER
    return ""


def may_mark(user: User, case: Case) -> bool:
    """Those handling the case mark its items (their duty under 001 河南全过程记录办法
    第二十五条 to keep them as the secrecy rules require)."""
    return entitlement(user, case) in (ENTITLED_OFFICER, ENTITLED_UNIT_HEAD, ENTITLED_AGENCY_HEAD)


def is_agency_head(user: User, case: Case) -> bool:
    return bool(
        user.is_active and user.agency_id == case.agency_id and user.has_role(Role.AGENCY_HEAD)
    )


def may_lift(user: User, case: Case) -> bool:
    """Lifting a mark opens the item to the whole agency: the agency head decides it, as they
    decide look-ups (001 河南全过程记录办法 第二十四条)."""
    return is_agency_head(user, case)


# ------------------------------------------------------------------ grants


def _active(now: datetime.datetime) -> Q:
    return Q(status=AccessRequest.Status.APPROVED, valid_from__lte=now, valid_until__gt=now)


def active_grants(
    user: User, case: Case, now: datetime.datetime | None = None
) -> list[AccessRequest]:
    """The user's approved requests on the case still in force, with their items."""
    now = now or timezone.now()
    return list(
        AccessRequest.objects.filter(_active(now), requester=user, case=case)
        .prefetch_related("items")
        .order_by("-id")[:200]
    )


def grant_for(
    grants: Iterable[AccessRequest], kind: str, pk: int, *, copy: bool = False
) -> AccessRequest | None:
    """The best grant naming the item: a copy grant before a view grant."""
    best: AccessRequest | None = None
    for grant in grants:
        if not any(i.target_kind == kind and i.target_id == pk for i in grant.items.all()):
            continue
        if grant.purpose == AccessRequest.Purpose.COPY:
            return grant
        if not copy and best is None:
            best = grant
    return best


# ------------------------------------------------------------------ the decision


@dataclass(frozen=True)
class Decision:
    """Whether a user may read an item, and on what basis."""

    kind: str
    pk: int
    allowed: bool
    mark: ConfidentialityMark | None = None
    basis: str = ""  # 本案承办人员 / 调阅许可 DY000012 / "" when unmarked or refused
    grant: AccessRequest | None = None
    message: str = ""  # why not (Chinese, with the article)

    @property
    def marked(self) -> bool:
        return self.mark is not None

    @property
    def level_label(self) -> str:
        return self.mark.get_level_display() if self.mark is not None else ""

    @property
    def ref(self) -> str:
        return item_ref(self.kind, self.pk)

    def watermark(self, at: datetime.datetime) -> str:
        """The watermark of a copy handed out under a grant ("" for those handling the case)."""
        grant = self.grant
        if grant is None:
            return ""
        when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
        if grant.purpose == AccessRequest.Purpose.COPY:
            return f"复制件 {grant.requester_name} {grant.number} {when}"
        return f"仅供调阅 {grant.requester_name} {grant.number} {when}"


def _refusal(case: Case, kind: str, pk: int, mark: ConfidentialityMark, *, copy: bool) -> str:
    what = item_label(kind, pk)
    source = approval_rule_source(case)
    if copy:
        return (
            f"{what}已标注为“{mark.get_level_display()}”：下载或复制须有经行政执法机关负责人"
            f"批准、仍在有效期内的复制许可（{source}）。请先申请复制。"
        )
    return (
        f"{what}已标注为“{mark.get_level_display()}”，您不是本案承办人员，也没有有效的调阅或"
        f"复制许可：调阅、复制须经行政执法机关负责人批准（{source}）。请先申请调阅。"
    )


def decide(
    user: User,
    case: Case,
    kind: str,
    pk: int,
    *,
    mark: ConfidentialityMark | None,
    basis: str,
    grants: Iterable[AccessRequest],
    copy: bool = False,
) -> Decision:
    if mark is None:
        return Decision(kind=kind, pk=pk, allowed=True)
    if basis:
        return Decision(kind=kind, pk=pk, allowed=True, mark=mark, basis=basis)
    grant = grant_for(grants, kind, pk, copy=copy)
    if grant is not None:
        until = timezone.localtime(grant.valid_until).strftime("%Y-%m-%d %H:%M")
        label = f"{grant.get_purpose_display()}许可 {grant.number}（有效至 {until}）"
        return Decision(kind=kind, pk=pk, allowed=True, mark=mark, basis=label, grant=grant)
    return Decision(
        kind=kind,
        pk=pk,
        allowed=False,
        mark=mark,
        message=_refusal(case, kind, pk, mark, copy=copy),
    )


def can_read(
    user: User, item: Item, *, copy: bool = False, now: datetime.datetime | None = None
) -> Decision:
    """May ``user`` read (``copy``: download a copy of) ``item``? The caller has already
    checked that the user may see the case (cases.selectors)."""
    kind, case = kind_of(item), item.case
    mark = current_mark(kind, item.pk)
    if mark is None:
        return Decision(kind=kind, pk=item.pk, allowed=True)
    basis = entitlement(user, case)
    grants = [] if basis else active_grants(user, case, now)
    return decide(user, case, kind, item.pk, mark=mark, basis=basis, grants=grants, copy=copy)


@dataclass
class CaseAccess:
    """The decisions for every marked item of one case, for one user (the case page, the
    API trail): three queries, whatever the number of items."""

    case: Case
    basis: str
    decisions: dict[tuple[str, int], Decision] = field(default_factory=dict)
    by_ref: dict[str, Decision] = field(default_factory=dict)

    def get(self, kind: str, pk: int) -> Decision | None:
        return self.decisions.get((kind, pk))

    def readable(self, kind: str, pk: int) -> bool:
        decision = self.get(kind, pk)
        return decision is None or decision.allowed

    def locked_label(self, ref: str) -> str:
        """For the case timeline: what replaces an event of an item the user may not read."""
        decision = self.by_ref.get(ref)
        if decision is None or decision.allowed:
            return ""
        return (
            f"🔒 {item_label(decision.kind, decision.pk)}（{decision.level_label}，内容不予显示）"
        )

    @property
    def shown(self) -> list[Decision]:
        """The marked items the user reads on this page (to be logged)."""
        return [d for d in self.decisions.values() if d.allowed]


def case_access(user: User, case: Case, now: datetime.datetime | None = None) -> CaseAccess:
    marks = case_marks(case)
    basis = entitlement(user, case) if marks else ""
    grants = active_grants(user, case, now) if marks and not basis else []
    access = CaseAccess(case=case, basis=basis)
    for (kind, pk), mark in marks.items():
        decision = decide(user, case, kind, pk, mark=mark, basis=basis, grants=grants)
        access.decisions[(kind, pk)] = decision
        access.by_ref[decision.ref] = decision
    return access


def visible_item(user: User, kind: str, pk: int) -> Item | None:
    """A record, evidence item or AV recording of a case the user may see (not yet its
    content: ask can_read)."""
    cases = case_selectors.cases_visible_to(user)
    if kind == TargetKind.RECORD:
        return case_selectors.visible_record(user, pk)
    if kind == TargetKind.EVIDENCE:
        return (
            Evidence.objects.select_related(
                "case__agency", "collector", "stored_file", "created_by"
            )
            .filter(case__in=cases, pk=pk)
            .first()
        )
    if kind == TargetKind.AV:
        return (
            AVRecording.objects.select_related(
                "case__agency", "officer", "stored_file", "created_by"
            )
            .prefetch_related("interruptions")
            .filter(case__in=cases, pk=pk)
            .first()
        )
    return None


# ------------------------------------------------------------------ requests


def requests_visible_to(user: User) -> QuerySet[AccessRequest]:
    """The requester's own requests; for an agency head and a records custodian, every
    request on the cases of their agency."""
    qs = AccessRequest.objects.select_related("case", "requester", "decided_by")
    if user.agency_id is not None and (
        user.has_role(Role.AGENCY_HEAD) or user.has_role(Role.RECORDS_CUSTODIAN)
    ):
        return qs.filter(Q(requester=user) | Q(case__agency_id=user.agency_id))
    return qs.filter(requester=user)


def my_requests(user: User) -> QuerySet[AccessRequest]:
    return (
        AccessRequest.objects.select_related("case", "decided_by")
        .filter(requester=user)
        .order_by("-id")
    )


def pending_for_head(user: User) -> QuerySet[AccessRequest]:
    """What an agency head has to decide (not their own requests)."""
    if user.agency_id is None or not user.has_role(Role.AGENCY_HEAD):
        return AccessRequest.objects.none()
    return (
        AccessRequest.objects.select_related("case", "requester")
        .filter(case__agency_id=user.agency_id, status=AccessRequest.Status.PENDING)
        .exclude(requester=user)
        .order_by("id")
    )


def custodian_queue(user: User) -> QuerySet[AccessRequest]:
    """Every request on the agency's cases, newest first, for its records custodian."""
    if user.agency_id is None or not user.has_role(Role.RECORDS_CUSTODIAN):
        return AccessRequest.objects.none()
    return (
        AccessRequest.objects.select_related("case", "requester", "decided_by")
        .filter(case__agency_id=user.agency_id)
        .order_by("-id")
    )


def request_items(request: AccessRequest) -> list[AccessRequestItem]:
    return list(request.items.order_by("id"))


def case_items(case: Case) -> list[tuple[str, int, str]]:
    """(kind, pk, label) of every record, evidence item and AV recording of the case, for the
    request form (bounded)."""
    from sanxiang.procedures import registry

    reg = registry()
    rows: list[tuple[str, int, str]] = []
    for r in case.records.order_by("id").only("id", "kind", "made_on")[:500]:
        rows.append(("record", r.pk, f"R{r.pk} {reg.kind_name(r.kind)}（{r.made_on:%Y-%m-%d}）"))
    for e in case.evidence.order_by("id").only("id", "kind", "collected_at")[:500]:
        when = timezone.localtime(e.collected_at).strftime("%Y-%m-%d")
        rows.append(("evidence", e.pk, f"E{e.pk} 证据：{e.get_kind_display()}（{when}）"))
    for a in case.av_recordings.order_by("id").only("id", "started_at")[:500]:
        when = timezone.localtime(a.started_at).strftime("%Y-%m-%d")
        rows.append(("av", a.pk, f"AV{a.pk} 音像记录（{when}）"))
    return rows


def in_force(request: AccessRequest, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(
        request.status == AccessRequest.Status.APPROVED
        and request.valid_from is not None
        and request.valid_until is not None
        and request.valid_from <= now < request.valid_until
    )


def level_choices() -> list[tuple[str, str]]:
    return [(v, label) for v, label in Level.choices if v != Level.LIFTED]
