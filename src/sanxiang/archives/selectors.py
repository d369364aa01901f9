"""Reads of the archives app: the custodian's lists (one indexed, paginated query each, on
``casefile_due``: agency, status, due_on, id) and one case file with its latest assembly."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from sanxiang.cases.models import Case
from sanxiang.org.models import Role, User

from .models import CaseFile, CaseFileAssembly, CaseFileItem

OPEN_STATUSES = (CaseFile.Status.TO_ASSEMBLE, CaseFile.Status.ASSEMBLED)
TABS = {
    "due": "待归档",
    "overdue": "已逾期",
    "assembled": "已组卷待归档",
    "archived": "已归档",
}


def case_files_for(user: User) -> QuerySet[CaseFile]:
    """The case files of the user's agency (custodians, heads); none without an agency."""
    if user.agency_id is None:
        return CaseFile.objects.none()
    return CaseFile.objects.filter(agency_id=user.agency_id)


def tab(qs: QuerySet[CaseFile], code: str, on: datetime.date) -> QuerySet[CaseFile]:
    if code == "overdue":
        return qs.filter(status__in=OPEN_STATUSES, due_on__lt=on)
    if code == "assembled":
        return qs.filter(status=CaseFile.Status.ASSEMBLED)
    if code == "archived":
        return qs.filter(status=CaseFile.Status.ARCHIVED)
    return qs.filter(status__in=OPEN_STATUSES)


def tab_counts(qs: QuerySet[CaseFile], on: datetime.date) -> dict[str, int]:
    return {code: tab(qs, code, on).order_by().count() for code in TABS}


def listing(qs: QuerySet[CaseFile], code: str, on: datetime.date) -> QuerySet[CaseFile]:
    ordered = ["-archived_at", "-id"] if code == "archived" else ["due_on", "id"]
    return tab(qs, code, on).select_related("case").order_by(*ordered)


def is_custodian(user: User) -> bool:
    return user.has_role(Role.RECORDS_CUSTODIAN)


def case_file_of(case: Case) -> CaseFile | None:
    return CaseFile.objects.filter(case=case).first()


def assemblies(case_file: CaseFile) -> QuerySet[CaseFileAssembly]:
    return case_file.assemblies.select_related("pdf", "assembled_by").order_by("-version")


def items(assembly: CaseFileAssembly) -> QuerySet[CaseFileItem]:
    return assembly.items.select_related("stored_file").order_by("position")
