"""The staff home page: one panel per role the user holds, each built from selectors.

Only what exists at this stage of the platform is shown: people, certificates, agencies,
staffing and the jurisdiction's rules each role works under.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.http import HttpRequest

from sanxiang.access import selectors as access_selectors
from sanxiang.archives import selectors as archive_selectors
from sanxiang.core.rules import Rule, UnknownProfile, UnknownRule, get_profile
from sanxiang.disclosure import selectors as publication_selectors
from sanxiang.org.models import Agency, Role, Unit, User
from sanxiang.portal.pagination import paginate
from sanxiang.review import selectors as review_selectors
from sanxiang.workbench import case_selectors, selectors

SUPERVISION_PER_PAGE = 20
UNIT_PANEL_LIMIT = 50
EXPIRING_PANEL_LIMIT = 10

# The rules each role works under, from the agency's jurisdiction profile.
ROLE_RULES: dict[str, tuple[str, ...]] = {
    Role.LEGAL_REVIEWER: (
        "review.required_before_major_decision",
        "review.general_procedure_penalties",
        "review.deadline",
        "review.extension",
        "review.max_extensions",
        "review.collective_discussion",
        "review.recusal_required",
    ),
    Role.RECORDS_CUSTODIAN: (
        "recording.archive_deadline",
        "recording.av_storage.same_day",
        "recording.av_storage.remote_hours",
        "recording.av_retention",
        "recording.access_approval",
    ),
    Role.PUBLISHER: (
        "disclosure.decision_deadline.licensing_penalty",
        "disclosure.decision_deadline.other",
        "disclosure.update_deadline",
        "disclosure.withdraw_deadline",
        "disclosure.correct_deadline",
        "disclosure.correction_request_written_reply",
        "disclosure.natural_person_name",
        "disclosure.annual_report_due",
        "disclosure.platform",
    ),
}


@dataclass(frozen=True)
class RuleLine:
    label: str
    value: str
    note: str
    source: str
    fixed: bool


def _rule_line(rule: Rule) -> RuleLine:
    value = rule.choice_label() or rule.display_value()
    return RuleLine(
        label=rule.label, value=value, note=rule.note, source=rule.source, fixed=rule.is_fixed
    )


def rules_for(agency: Agency | None, role: str) -> list[RuleLine]:
    if agency is None:
        return []
    try:
        profile = get_profile(agency.rule_profile_code)
    except (UnknownProfile, ValueError):
        return []
    lines = []
    for key in ROLE_RULES.get(role, ()):
        try:
            lines.append(_rule_line(profile.rule(key)))
        except UnknownRule:
            continue
    return lines


@dataclass
class Panel:
    role: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)


CASES_PANEL_LIMIT = 5


def _cases_panel(user: User, on: datetime.date) -> Panel:
    """The cases waiting: the user's own (officers) or the agency's, soonest due first."""
    scope = case_selectors.default_scope(user)
    urgent = list(case_selectors.inbox_queryset(user, scope, on)[:CASES_PANEL_LIMIT])
    return Panel(
        role="cases",
        title="待办案件",
        template="workbench/panels/cases.html",
        data={
            "counts": case_selectors.scope_counts(user, on),
            "scope": scope,
            "rows": [case_selectors.inbox_row(c, on) for c in urgent],
        },
    )


def _officer_panel(user: User, on: datetime.date) -> Panel:
    certificates = selectors.my_certificates(user, on)
    return Panel(
        role=Role.OFFICER,
        title="我的执法证",
        template="workbench/panels/officer.html",
        data={
            "linked": user.officer_id is not None,
            "officer": user.officer,
            "certificates": certificates,
            "has_valid": any(c.valid for c in certificates),
            "warning_days": selectors.EXPIRY_WARNING_DAYS,
        },
    )


def _unit_head_panel(user: User, on: datetime.date) -> Panel:
    unit: Unit | None = selectors.headed_unit(user)
    data: dict[str, Any] = {"unit": unit, "agency": user.agency}
    if unit is not None:
        officers = selectors.unit_officers(unit, on)
        shown = list(officers[:UNIT_PANEL_LIMIT])
        data.update(
            rows=selectors.officer_rows(shown, on),
            total=officers.count(),
            limit=UNIT_PANEL_LIMIT,
        )
    elif user.agency is not None:
        data["units"] = selectors.agency_units(user.agency, on).filter(is_active=True)
    return Panel(
        role=Role.UNIT_HEAD,
        title=f"{unit.name}执法人员" if unit else "本机关承办机构",
        template="workbench/panels/unit_head.html",
        data=data,
    )


def _staffing_data(agency: Agency | None, on: datetime.date) -> dict[str, Any]:
    if agency is None:
        return {}
    return {
        "staffing": selectors.agency_staffing(agency, on),
        "reviewers": selectors.reviewers_of(agency),
    }


def _legal_reviewer_panel(user: User, on: datetime.date) -> Panel:
    return Panel(
        role=Role.LEGAL_REVIEWER,
        title="法制审核",
        template="workbench/panels/legal_reviewer.html",
        data={
            "agency": user.agency,
            # An agency head sees the same staffing figures in the agency panel above.
            **({} if user.has_role(Role.AGENCY_HEAD) else _staffing_data(user.agency, on)),
            "rules": rules_for(user.agency, Role.LEGAL_REVIEWER),
            "reviews": _review_counts(user, on),
        },
    )


def _review_counts(user: User, on: datetime.date) -> dict[str, int]:
    """The rounds on the reviewer's list (/staff/reviews/): open, due within two working days,
    overdue (000 法制审核办法 第十九条)."""
    rounds = review_selectors.reviews_for_workbench(user).order_by()
    return {
        "open": rounds.count(),
        "soon": review_selectors.due_soon(rounds, on).count(),
        "overdue": review_selectors.overdue(rounds, on).count(),
    }


def _agency_head_panel(user: User, on: datetime.date) -> Panel:
    agency = user.agency
    data: dict[str, Any] = {"agency": agency, **_staffing_data(agency, on)}
    if agency is not None:
        expiring = selectors.expiring_certificates(agency, on)
        data.update(
            figures=selectors.agency_figures(agency, on),
            expiring=list(expiring[:EXPIRING_PANEL_LIMIT]),
            warning_days=selectors.EXPIRY_WARNING_DAYS,
        )
    return Panel(
        role=Role.AGENCY_HEAD,
        title="本机关概况",
        template="workbench/panels/agency_head.html",
        data=data,
    )


def _supervisor_panel(request: HttpRequest, user: User, on: datetime.date) -> Panel:
    supervision = selectors.Supervision(user, on)
    query = request.GET.get("q", "").strip()
    only_inadequate = request.GET.get("staffing") == "inadequate"
    page: Page[Agency] = paginate(
        request,
        supervision.agencies(query=query, only_inadequate=only_inadequate),
        per_page=SUPERVISION_PER_PAGE,
    )
    scope = user.agency.jurisdiction if user.agency is not None else None
    return Panel(
        role=Role.SUPERVISOR,
        title=f"{scope.name if scope and not user.is_superuser else '全部辖区'}执法主体监督",
        template="workbench/panels/supervisor.html",
        data={
            "summary": supervision.summary(),
            "page": page,
            "rows": supervision.rows(list(page.object_list)),
            "query": query,
            "only_inadequate": only_inadequate,
            "scope": scope,
        },
    )


def _records_custodian_panel(user: User, on: datetime.date) -> Panel:
    return Panel(
        role=Role.RECORDS_CUSTODIAN,
        title="档案管理职责",
        template="workbench/panels/records_custodian.html",
        data={
            "agency": user.agency,
            "rules": rules_for(user.agency, Role.RECORDS_CUSTODIAN),
            # the case files due and overdue (/staff/archives/): indexed counts
            "archives": archive_selectors.tab_counts(archive_selectors.case_files_for(user), on),
        },
    )


def _publisher_panel(user: User, on: datetime.date) -> Panel:
    agency = user.agency
    data: dict[str, Any] = {"agency": agency, "rules": rules_for(agency, Role.PUBLISHER)}
    if agency is not None:
        data["figures"] = selectors.agency_figures(agency, on)
        # the publications due and overdue (/staff/publications/): indexed counts
        data["publications"] = publication_selectors.queue_counts(user, on)
    return Panel(
        role=Role.PUBLISHER,
        title="公示审核职责",
        template="workbench/panels/publisher.html",
        data=data,
    )


def _access_panel(user: User) -> Panel | None:
    """调阅、复制 requests waiting for this agency head (001 河南全过程记录办法 第二十四条);
    shown only while there are some."""
    pending = access_selectors.pending_for_head(user)
    count = pending.count()
    if not count:
        return None
    return Panel(
        role="access",
        title="待审批的调阅、复制申请",
        template="workbench/access/panel.html",
        data={"count": count, "rows": list(pending[:5])},
    )


def home_panels(request: HttpRequest, user: User, on: datetime.date) -> list[Panel]:
    """Panels in the order of the roles' place in the work: officer first, supervisor last."""
    panels: list[Panel] = []
    if user.agency_id and any(
        user.has_role(r) for r in (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)
    ):
        panels.append(_cases_panel(user, on))
    if user.has_role(Role.OFFICER):
        panels.append(_officer_panel(user, on))
    if user.has_role(Role.UNIT_HEAD):
        panels.append(_unit_head_panel(user, on))
    if user.has_role(Role.AGENCY_HEAD):
        panels.append(_agency_head_panel(user, on))
        if (access_panel := _access_panel(user)) is not None:
            panels.append(access_panel)
    if user.has_role(Role.LEGAL_REVIEWER):
        panels.append(_legal_reviewer_panel(user, on))
    if user.has_role(Role.RECORDS_CUSTODIAN):
        panels.append(_records_custodian_panel(user, on))
    if user.has_role(Role.PUBLISHER):
        panels.append(_publisher_panel(user, on))
    if user.has_role(Role.SUPERVISOR) or user.is_superuser:
        panels.append(_supervisor_panel(request, user, on))
    return panels


def role_labels(user: User) -> list[str]:
    return [label for value, label in Role.choices if user.has_role(value)]
