"""The portal's published enforcement decisions (执法决定公开, 000 公示办法 第十六条、第二十条):
the search, a decision's page with its redacted full text, the PDF of it, and the notice
that stands in for a withdrawn one (000 公示办法 第二十一条).

Only what the confidentiality review passed is shown (000 公示办法 第五条): the current
``PublicationVersion`` of a listed publication — its decision information and redacted
text — and the dates and reasons of its versions. Nothing is read from the case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from sanxiang.disclosure import search
from sanxiang.disclosure.models import Publication, PublicationVersion

# 000 公示办法 第十六条 (001 河南公示办法 第十七条): the decision information, in order.
from sanxiang.disclosure.services import FIELD_LABELS
from sanxiang.documents.layout import Document, Heading, Paragraph
from sanxiang.documents.render import render_pdf
from sanxiang.org.models import Agency

AGENCY_OPTIONS = 500

REDACTION_NOTE = (
    "本文书为公开版本，已依法隐去个人信息和其他不宜公开的内容（000 公示办法 第十七条）。"
)


class DecisionSearchForm(forms.Form):
    q = forms.CharField(label="检索词", required=False, strip=True)
    agency = forms.TypedChoiceField(label="执法主体", required=False, coerce=int, empty_value=None)
    action_type = forms.ChoiceField(
        label="执法类别",
        required=False,
        choices=[("", "全部类别"), *search.ACTION_TYPES.items()],
        error_messages={"invalid_choice": "执法类别不正确，请从列表中选择。"},
    )
    date_from = forms.DateField(
        label="决定日期自",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "起始日期格式不正确，应为“年-月-日”，如 2026-01-31。"},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label="至",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "截止日期格式不正确，应为“年-月-日”，如 2026-01-31。"},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [("", "全部执法主体")]
        choices += Agency.objects.order_by("name", "pk").values_list("pk", "name")[:AGENCY_OPTIONS]
        # An agency linked from its page may lie beyond the options listed.
        raw = str(self.data.get("agency", "")) if self.is_bound else ""
        if raw.isdigit() and not any(str(pk) == raw for pk, _ in choices):
            name = Agency.objects.filter(pk=int(raw)).values_list("name", flat=True).first()
            if name is not None:
                choices.append((int(raw), name))
        field = self.fields["agency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices
        field.error_messages["invalid_choice"] = "未找到该执法主体，请从列表中选择。"
        self.fields["q"].widget.attrs.update(
            {
                "type": "search",
                "maxlength": str(search.MAX_QUERY_LENGTH),
                "placeholder": "如：食品经营许可、超载、罚款",
            }
        )


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """``text`` escaped, with each term marked (<mark>); the terms are text, never HTML."""
    terms = [t for t in terms if t]
    if not terms:
        return mark_safe(escape(text))  # escape() returns the text escaped
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    out: list[str] = []
    at = 0
    for match in pattern.finditer(text):
        out.append(escape(text[at : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        at = match.end()
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # every piece escaped


@dataclass(frozen=True)
class Hit:
    entry: Any
    excerpt: SafeString


@require_GET
def decision_search(request: HttpRequest) -> HttpResponse:
    form = DecisionSearchForm(request.GET or None)
    results: search.SearchResults | None = None
    error = ""
    status = 200
    if form.is_bound and not form.is_valid():
        error = "；".join(str(e) for errors in form.errors.values() for e in errors)
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        try:
            results = search.search_decisions(
                q=data.get("q") or "",
                agency_id=data.get("agency"),
                action_type=data.get("action_type") or "",
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                page=data.get("page") or 1,
            )
        except search.SearchInputError as exc:
            error = str(exc)
            status = 400
    hits = (
        [
            Hit(entry, highlight(search.excerpt(entry, results.terms), results.terms))
            for entry in results.items
        ]
        if results
        else []
    )
    return render(
        request,
        "portal/decisions/search.html",
        {
            "form": form,
            "results": results,
            "hits": hits,
            "error": error,
            "filtered": bool(request.GET.get("q") or request.GET.get("agency")),
            "count_cap": search.COUNT_CAP,
        },
        status=status,
    )


def _listed_or_withdrawn(pk: int) -> Publication:
    publication = (
        Publication.objects.select_related("agency", "current_version").filter(pk=pk).first()
    )
    if publication is None or publication.current_version is None:
        raise Http404("未查询到该执法决定信息。")
    if not publication.is_public and publication.status != Publication.Status.WITHDRAWN:
        raise Http404("未查询到该执法决定信息。")
    return publication


def _fields(version: PublicationVersion) -> list[tuple[str, str]]:
    fields = version.fields or {}
    return [(label, str(fields.get(key) or "")) for key, label in FIELD_LABELS.items()]


@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _listed_or_withdrawn(pk)
    if publication.status == Publication.Status.WITHDRAWN:
        # 000 公示办法 第二十一条: taken down; only the notice, no content.
        return render(
            request,
            "portal/decisions/withdrawn.html",
            {"publication": publication, "notice": publication.withdrawal_notice},
            status=410,
        )
    current = publication.current_version
    assert current is not None
    version = current
    wanted = request.GET.get("version", "")
    if wanted:
        # An earlier published version stays readable (000 公示办法 第二十一条: the history
        # of a correction is visible); each passed its own confidentiality review.
        found = (
            publication.versions.filter(number=int(wanted)).first() if wanted.isdigit() else None
        )
        if found is None:
            raise Http404("未查询到该版本。")
        version = found
    versions = list(
        publication.versions.order_by("-number").only("number", "made_at", "reason")[:50]
    )
    return render(
        request,
        "portal/decisions/detail.html",
        {
            "publication": publication,
            "version": version,
            "current": current,
            "fields": _fields(version),
            "paragraphs": [line for line in version.full_text.split("\n") if line.strip()],
            "versions": versions,
            "action_type_label": search.ACTION_TYPES.get(
                publication.action_type, publication.action_type
            ),
        },
    )


def decision_document(publication: Publication, version: PublicationVersion) -> Document:
    """The published (redacted) full text as a document to render."""
    lines = [line.strip() for line in version.full_text.split("\n") if line.strip()]
    title = lines[0] if lines else "执法决定信息"
    body = lines[1:] if lines else []
    blocks: list[Any] = [Paragraph(text=line, indent=0) for line in body]
    if version.number > 1:
        blocks.append(Heading(text="更正说明", indent=0))
        blocks.append(
            Paragraph(
                text=f"本文为第{version.number}版，更正理由：{version.reason or '（未载明）'}",
                indent=0,
            )
        )
    made_on = timezone.localdate(version.made_at)
    return Document(
        title=title,
        date=publication.decided_on,
        agency=publication.agency.name,
        number=publication.document_number,
        blocks=tuple(blocks),
        footnote=f"{REDACTION_NOTE}公开日期：{made_on:%Y年%m月%d日}。",
        keywords=("行政执法公示",),
    )


@require_GET
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _listed_or_withdrawn(pk)
    if publication.status == Publication.Status.WITHDRAWN:
        return render(
            request,
            "portal/decisions/withdrawn.html",
            {"publication": publication, "notice": publication.withdrawal_notice},
            status=410,
        )
    version = publication.current_version
    assert version is not None
    etag = f'"decision-{publication.pk}-v{version.number}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(
            render_pdf(decision_document(publication, version)), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'inline; filename="decision-{publication.pk}-v{version.number}.pdf"'
        )
    response["ETag"] = etag
    return response


urlpatterns: list[URLPattern] = [
    path("decisions/", decision_search, name="decisions"),
    path("decisions/<int:pk>/", decision_detail, name="decision"),
    path("decisions/<int:pk>/pdf/", decision_pdf, name="decision_pdf"),
]
