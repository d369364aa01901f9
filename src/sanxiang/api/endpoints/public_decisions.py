"""Published enforcement decisions, open to anyone and read-only: the portal's search and
decision page as JSON (000 公示办法 第十六条、第二十条). Only the current published version
— the text the confidentiality review passed (000 公示办法 第五条、第十七条) — is given;
a withdrawn decision answers 410 with the notice that replaced it (000 公示办法 第二十一条).
Rate-limited per client address; over the limit the answer is 429."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle

from sanxiang.disclosure import search
from sanxiang.disclosure.models import Publication, PublicationSearch
from sanxiang.disclosure.services import FIELD_LABELS

from ..schemas import ErrorOut

router = Router(tags=["公开查询"], auth=None)

LIST_RATE = "60/m"
DETAIL_RATE = "120/m"


class DecisionAgencyOut(Schema):
    id: int
    name: str


class DecisionItemOut(Schema):
    id: int
    title: str
    agency: DecisionAgencyOut
    action_type: str
    action_type_label: str
    document_number: str
    decided_on: datetime.date
    published_at: datetime.datetime
    party: str
    version: int
    excerpt: str
    url: str


class DecisionListOut(Schema):
    count: int
    count_capped: bool
    limit: int
    offset: int
    items: list[DecisionItemOut]


class DecisionFieldOut(Schema):
    key: str
    label: str
    value: str


class DecisionVersionOut(Schema):
    number: int
    made_at: datetime.datetime
    reason: str


class DecisionOut(Schema):
    id: int
    title: str
    agency: DecisionAgencyOut
    action_type: str
    action_type_label: str
    kind: str
    document_number: str
    decided_on: datetime.date
    published_at: datetime.datetime | None
    status: str
    status_label: str
    version: int
    fields: list[DecisionFieldOut]
    full_text: str
    versions: list[DecisionVersionOut]
    url: str
    pdf_url: str


def _item(entry: PublicationSearch, terms: list[str]) -> dict[str, Any]:
    return {
        "id": entry.publication_id,
        "title": entry.title,
        "agency": {"id": entry.agency_id, "name": entry.agency.name},
        "action_type": entry.action_type,
        "action_type_label": entry.get_action_type_display(),
        "document_number": entry.document_number,
        "decided_on": entry.decided_on,
        "published_at": entry.published_at,
        "party": entry.party_name,
        "version": entry.version_number,
        "excerpt": search.excerpt(entry, terms),
        "url": reverse("portal:decision", args=[entry.publication_id]),
    }


@router.get(
    "/public/decisions",
    response={200: DecisionListOut, 422: ErrorOut, 429: ErrorOut},
    summary="执法决定检索（公开）",
    description="检索已公开的行政执法决定，按决定日期从新到旧排列。`q` 为检索词（汉字、字母或数字，"
    "多个以空格分隔，须同时出现，最多50个字）；可按执法主体、执法类别和决定日期筛选。"
    "`count` 至多计到10000（`count_capped` 为 true 表示超过10000条），`offset` 不超过9999。"
    "只返回已通过保密审查的公开版本，已撤下的不列出。每个访问地址每分钟至多60次。",
    throttle=[AnonRateThrottle(LIST_RATE)],
)
def list_decisions(
    request: HttpRequest,
    q: str = Query("", max_length=200, description="检索词"),
    agency: int | None = Query(None, description="执法主体 id"),
    action_type: str = Query("", description="执法行为类别代码，如 penalty"),
    date_from: datetime.date | None = Query(None, alias="from", description="决定日期起（含）"),  # noqa: B008
    date_to: datetime.date | None = Query(None, alias="to", description="决定日期止（含）"),  # noqa: B008
    limit: int = Query(20, ge=1, le=search.MAX_PER_PAGE, description="每页条数，至多100"),
    offset: int = Query(0, ge=0, lt=search.MAX_OFFSET, description="起始位置"),
) -> dict[str, Any]:
    try:
        results = search.search_decisions(
            q=q,
            agency_id=agency,
            action_type=action_type.strip(),
            date_from=date_from,
            date_to=date_to,
            per_page=limit,
            offset=offset,
        )
    except search.SearchInputError as exc:
        raise ValidationError(str(exc)) from None
    terms = list(results.terms)
    return {
        "count": results.count,
        "count_capped": results.count_capped,
        "limit": limit,
        "offset": offset,
        "items": [_item(entry, terms) for entry in results.items],
    }


@router.get(
    "/public/decisions/{publication_id}",
    response={200: DecisionOut, 404: ErrorOut, 410: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="执法决定信息（公开）",
    description="一件已公开的执法决定：000 公示办法 第十六条 所列信息（执法主体、执法人员、"
    "行政相对人、执法类别、事实、依据、决定、救济途径）、已隐去个人信息的决定文书全文和更正记录。"
    "已撤下的返回 410 及撤下说明。每个访问地址每分钟至多120次。",
    throttle=[AnonRateThrottle(DETAIL_RATE)],
)
def get_decision(
    request: HttpRequest, publication_id: int = Path(..., ge=1, description="执法决定 id")
) -> dict[str, Any]:
    publication = (
        Publication.objects.select_related("agency", "current_version")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None or publication.current_version is None:
        raise Http404("未查询到该执法决定信息。")
    if publication.status == Publication.Status.WITHDRAWN:
        raise HttpError(410, publication.withdrawal_notice or "该执法决定信息已依法撤下。")
    if not publication.is_public:
        raise Http404("未查询到该执法决定信息。")
    version = publication.current_version
    fields = version.fields or {}
    first_line = version.full_text.strip().split("\n", 1)[0].strip()
    versions = publication.versions.order_by("number").only("number", "made_at", "reason")[:50]
    return {
        "id": publication.pk,
        "title": first_line or "执法决定",
        "agency": {"id": publication.agency_id, "name": publication.agency.name},
        "action_type": publication.action_type,
        "action_type_label": publication.get_action_type_display(),
        "kind": publication.kind,
        "document_number": publication.document_number,
        "decided_on": publication.decided_on,
        "published_at": publication.published_at,
        "status": publication.status,
        "status_label": publication.get_status_display(),
        "version": version.number,
        "fields": [
            {"key": key, "label": label, "value": str(fields.get(key) or "")}
            for key, label in FIELD_LABELS.items()
        ],
        "full_text": version.full_text,
        "versions": [
            {"number": v.number, "made_at": v.made_at, "reason": v.reason} for v in versions
        ],
        "url": reverse("portal:decision", args=[publication.pk]),
        "pdf_url": reverse("portal:decision_pdf", args=[publication.pk]),
    }
