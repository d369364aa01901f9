"""Portal search over published decisions: the index kept by the publication services and
the one selector the portal and the API call.

Only what has been published reaches the index: the current ``PublicationVersion`` (the
redacted text and decision information that passed the confidentiality review, 000
公示办法 第五条) — never the case, its parties or the original text.

Chinese has no spaces, and PostgreSQL's text search has no Chinese parser built in, so the
index is made of character bigrams: "行政处罚" is indexed as 行政 政处 处罚, and the last
character of each run of Chinese characters on its own, so that a one-character query (a
prefix query ``罚:*``) finds every occurrence. ASCII words and numbers are indexed whole and
queried as word prefixes. The lexemes are written into the ``tsvector`` and ``tsquery`` as they
are (``'…'::tsvector``), without the text-search parser, so neither the server's locale nor
its configuration matters. The GIN index finds a term of one or two characters, or one word,
exactly; for a longer term it narrows the candidates and a ``LIKE`` on the folded text
keeps only rows that contain the term as written (bigrams alone would also match
"行政处理……处罚" for 行政处罚). On SQLite (the embedded default) the ``LIKE`` does it alone.

Results are ordered newest decision first. Counting a million rows for every page would be
the slowest part of a search, so the count stops at ``COUNT_CAP`` ("10000 条以上"), and
paging stops there too: beyond it the user narrows the query. On PostgreSQL a query with
terms the planner expects in more than ``DENSE_ROWS`` rows walks the date index newest
first (matches are dense, a page fills soon; the count shows "10000 条以上"); any other is
counted through the GIN index (bitmap scans, see ``_planned``) and, up to
``COUNT_CAP`` matches, its page sorted from them — never a walk of the whole date index
looking for a rare term.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from django.contrib.postgres.search import SearchVectorField
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from sanxiang.cases.models import ACTION_TYPE_CHOICES
from sanxiang.disclosure.models import Publication, PublicationSearch, PublicationVersion

MAX_QUERY_LENGTH = 50
MAX_TERMS = 8
PER_PAGE = 20
MAX_PER_PAGE = 100
COUNT_CAP = 10_000
# More matches than this (estimated) are found newest first along the date index.
DENSE_ROWS = 50_000
DENSE_TIMEOUT_MS = 300

T = TypeVar("T")
MAX_OFFSET = COUNT_CAP  # results beyond the first 10000 are not paged to
EXCERPT_LENGTH = 120

ACTION_TYPES = dict(ACTION_TYPE_CHOICES)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"([{_CJK}]+)|([0-9a-z]+)")
_MAX_WORD = 32
# full-width ASCII (Ａ-Ｚ, ａ-ｚ, ０-９) to ASCII; everything else (Chinese punctuation) kept
_FOLD = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code - 0xFEE0).isalnum()}


class SearchInputError(ValueError):
    """A search the portal refuses, with the message to show (in Chinese)."""


def fold(text: str) -> str:
    """Full-width letters and digits as ASCII, ASCII letters lower-case."""
    return text.translate(_FOLD).lower()


def text_lexemes(text: str) -> set[str]:
    """The lexemes indexed for ``text`` (folded first)."""
    lexemes: set[str] = set()
    for match in _TOKEN_RE.finditer(fold(text)):
        run, word = match.groups()
        if run:
            lexemes.update(run[i : i + 2] for i in range(len(run) - 1))
            lexemes.add(run[-1])
        else:
            lexemes.add(word[:_MAX_WORD])
    return lexemes


def _term_query(term: str) -> list[str]:
    """The tsquery operands that a text containing ``term`` (folded) must match."""
    parts: list[str] = []
    for match in _TOKEN_RE.finditer(term):
        run, word = match.groups()
        if run and len(run) == 1:
            parts.append(f"'{run}':*")
        elif run:
            parts.extend(f"'{run[i : i + 2]}'" for i in range(len(run) - 1))
        else:
            parts.append(f"'{word[:_MAX_WORD]}':*")
    return parts


def _exact_on_index(term: str) -> bool:
    """Whether the tsquery of ``term`` finds exactly the texts containing it: one or two
    Chinese characters, or one ASCII word (found as a word prefix). Longer terms need the
    ``LIKE`` recheck (their bigrams may sit apart in the text)."""
    match = _TOKEN_RE.fullmatch(term)
    return match is not None and (match.group(2) is not None or len(term) <= 2)


def parse_query(q: str) -> list[str]:
    """The terms of a user's query (folded), each to be found as written. Whitespace
    separates terms. Whatever the query holds (SQL, HTML) is only ever text to look for."""
    q = q.strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchInputError(
            f"检索词不能超过{MAX_QUERY_LENGTH}个字（现为{len(q)}个字），请缩短后重试。"
        )
    terms = list(dict.fromkeys(fold(t) for t in q.split()))
    if len(terms) > MAX_TERMS:
        raise SearchInputError(f"检索词最多{MAX_TERMS}个（以空格分隔），请减少后重试。")
    if terms and not any(_TOKEN_RE.search(t) for t in terms):
        raise SearchInputError("检索词应当包含汉字、字母或者数字。")
    return terms


def _tsvector_text(lexemes: Iterable[str]) -> str:
    # Lexemes hold only Chinese characters and [0-9a-z]: nothing to quote.
    return " ".join(sorted(lexemes))


def _vector(lexemes: Iterable[str]) -> Cast | None:
    if connection.vendor != "postgresql":
        return None
    return Cast(Value(_tsvector_text(lexemes)), output_field=SearchVectorField())


# --- the index ----------------------------------------------------------------------------


def _text_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return "；".join(_text_value(v) for v in value.values() if v)
    if isinstance(value, list | tuple):
        return "；".join(_text_value(v) for v in value if v)
    return str(value)


def published_field(fields: dict[str, Any], *keys: str) -> str:
    """The first of ``keys`` present in a version's published decision information."""
    for key in keys:
        text = _text_value(fields.get(key)).strip()
        if text:
            return text
    return ""


def entry_values(publication: Publication, version: PublicationVersion) -> dict[str, Any]:
    """What the index holds for ``publication`` — taken from ``version`` (redacted) and the
    publication's own public attributes only."""
    fields = version.fields or {}
    kind_label = Publication.Kind(publication.kind).label
    type_label = ACTION_TYPES.get(publication.action_type, publication.action_type)
    party = published_field(fields, "party")
    # the document's name, the first line of the published text (e.g. 行政处罚决定书)
    first_line = version.full_text.strip().split("\n", 1)[0].strip()
    title = (
        published_field(fields, "title")
        or first_line[:60]
        or (f"{type_label}决定" if publication.kind == Publication.Kind.DECISION else kind_label)
    )
    if party and party not in title:
        title = f"{title}（{party}）"
    text = "\n".join(
        part
        for part in (
            title,
            publication.document_number,
            publication.agency.name,
            _text_value(fields),
            version.full_text,
        )
        if part
    )
    return {
        "agency_id": publication.agency_id,
        "action_type": publication.action_type,
        "kind": publication.kind,
        "decided_on": publication.decided_on,
        "published_at": publication.published_at or version.made_at,
        "document_number": publication.document_number,
        "title": title[:255],
        "party_name": party[:255],
        "version_number": version.number,
        "search_text": fold(text),
    }


@transaction.atomic
def index_publication(publication: Publication) -> PublicationSearch | None:
    """Bring the index entry of ``publication`` up to date: its current version if the
    portal lists it, no entry otherwise. Called by the publication services inside their
    transaction (publish, correct, withdraw)."""
    version = publication.current_version
    if not publication.is_public or version is None:
        unindex_publication(publication)
        return None
    values = entry_values(publication, version)
    entry, _created = PublicationSearch.objects.update_or_create(
        publication=publication, defaults=values
    )
    vector = _vector(text_lexemes(values["search_text"]))
    if vector is not None:
        PublicationSearch.objects.filter(pk=entry.pk).update(search_vector=vector)
    return entry


@transaction.atomic
def unindex_publication(publication: Publication) -> None:
    """Remove ``publication`` from the portal's search (withdrawn, 000 公示办法 第二十一条)."""
    PublicationSearch.objects.filter(publication=publication).delete()


def reindex(*, batch_size: int = 500) -> int:
    """Rebuild the whole index, one batch of publications per transaction (keyset by id).
    Returns the number of entries written."""
    written = 0
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(
                Publication.objects.filter(pk__gt=last_id)
                .select_related("agency", "current_version")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return written
            for publication in batch:
                if index_publication(publication) is not None:
                    written += 1
            last_id = batch[-1].pk


# --- the selector -------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResults:
    items: Sequence[PublicationSearch]
    terms: Sequence[str]
    page: int
    per_page: int
    count: int  # capped at COUNT_CAP
    count_capped: bool
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def last_page(self) -> int:
        return max(1, -(-min(self.count, MAX_OFFSET) // self.per_page))


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    agency_id: int | None = None
    action_type: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    terms: Sequence[str] = field(default_factory=tuple)


def check_filters(
    *,
    q: str = "",
    agency_id: int | None = None,
    action_type: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> SearchFilters:
    """Validated filters, or SearchInputError with the reason."""
    terms = parse_query(q)
    if action_type and action_type not in ACTION_TYPES:
        raise SearchInputError("执法行为类别不正确，请从列表中选择。")
    if date_from and date_to and date_from > date_to:
        raise SearchInputError("决定日期的起始日期不能晚于截止日期。")
    return SearchFilters(
        q=q.strip(),
        agency_id=agency_id,
        action_type=action_type,
        date_from=date_from,
        date_to=date_to,
        terms=tuple(terms),
    )


def _matching(filters: SearchFilters, *, recheck: bool = True) -> QuerySet[PublicationSearch]:
    qs = PublicationSearch.objects.all()
    if filters.agency_id is not None:
        qs = qs.filter(agency_id=filters.agency_id)
    if filters.action_type:
        qs = qs.filter(action_type=filters.action_type)
    if filters.date_from:
        qs = qs.filter(decided_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(decided_on__lte=filters.date_to)
    if filters.terms:
        if connection.vendor == "postgresql":
            operands = [part for term in filters.terms for part in _term_query(term)]
            qs = qs.filter(
                RawSQL(
                    f'"{PublicationSearch._meta.db_table}"."search_vector" @@ %s::tsquery',
                    [" & ".join(operands)],
                    output_field=BooleanField(),
                )
            )
            exact = [term for term in filters.terms if not _exact_on_index(term)]
        else:
            exact = list(filters.terms)
        condition = Q()
        for term in exact if recheck else []:
            condition &= Q(search_text__contains=term)
        qs = qs.filter(condition)
    return qs


def _estimated_rows(qs: QuerySet[PublicationSearch]) -> float:
    """The planner's estimate of the rows ``qs`` matches (PostgreSQL; from the statistics
    of the tsvector's most common lexemes, refreshed by ANALYZE)."""
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


# Plans forced for a query with terms (see search_decisions): the planner cannot tell how
# many rows a bigram or one-character (prefix) query matches, and a wrong guess either walks
# the whole date index looking for a rare term under a LIMIT, or builds and sorts a bitmap
# of half the table for a common one.
# jit, parallel workers: their start-up costs more than these short queries (the cost the
# planner sees under these settings is no measure of the work).
WALK = {
    "enable_bitmapscan": "off",
    "enable_seqscan": "off",
    "enable_sort": "off",
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
}
# work_mem: room for an exact bitmap (a lossy one rechecks every row of its pages)
BITMAP = {"enable_indexscan": "off", "enable_seqscan": "off", "work_mem": "32MB", "jit": "off"}


def _planned(settings: dict[str, str], query: Callable[[], T], timeout_ms: int = 0) -> T | None:
    """``query()`` planned with ``settings`` (SET LOCAL, PostgreSQL), or None if cancelled
    after ``timeout_ms``. SET LOCAL is undone with the savepoint if the block fails, and put
    back when it succeeds."""
    import psycopg

    names = [*settings, "statement_timeout"] if timeout_ms else list(settings)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for name, value in settings.items():
                cursor.execute(f"SET LOCAL {name} = '{value}'")
            if timeout_ms:
                cursor.execute(f"SET LOCAL statement_timeout = {int(timeout_ms)}")
            result = query()
            for name in names:
                cursor.execute(f"SET LOCAL {name} TO DEFAULT")
            return result
    except OperationalError as exc:
        if timeout_ms and isinstance(exc.__cause__, psycopg.errors.QueryCanceled):
            return None
        raise


def _lexeme_rows(operand: str) -> float:
    return _estimated_rows(
        PublicationSearch.objects.filter(
            RawSQL(
                f'"{PublicationSearch._meta.db_table}"."search_vector" @@ %s::tsquery',
                [operand],
                output_field=BooleanField(),
            )
        )
    )


def _estimated_matches(filters: SearchFilters) -> float:
    """How many rows the planner's statistics suggest ``filters`` match: each term as its
    rarest bigram (a term's bigrams occur together; the planner would multiply them as if
    independent and expect far too few), terms and filters as independent."""
    total = max(_estimated_rows(PublicationSearch.objects.all()), 1.0)
    fraction = _estimated_rows(_matching(replace(filters, terms=()))) / total
    for term in filters.terms[:MAX_TERMS]:
        operands = _term_query(term)[:12]
        if operands:
            fraction *= min(_lexeme_rows(operand) for operand in operands) / total
    return fraction * total


def search_decisions(
    *,
    q: str = "",
    agency_id: int | None = None,
    action_type: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    offset: int | None = None,
) -> SearchResults:
    """Published decisions matching the query and filters, newest decision first.

    ``page`` (from 1) or ``offset`` choose the slice; neither goes past ``MAX_OFFSET``.
    Raises SearchInputError for a query the portal refuses."""
    filters = check_filters(
        q=q, agency_id=agency_id, action_type=action_type, date_from=date_from, date_to=date_to
    )
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    if offset is None:
        page = max(1, page)
        offset = (page - 1) * per_page
    else:
        page = offset // per_page + 1
    if offset < 0:
        raise SearchInputError("起始位置不能为负数。")
    if offset >= MAX_OFFSET:
        raise SearchInputError(f"只能查看前{COUNT_CAP}条结果，请增加检索词或者缩小日期范围后重试。")
    qs = _matching(filters)
    ordered = qs.select_related("agency").defer("search_vector").order_by("-decided_on", "-id")
    window = slice(offset, offset + per_page + 1)
    rows: list[PublicationSearch] | None = None
    count: int | None = None
    if filters.terms and connection.vendor == "postgresql":
        if _estimated_matches(filters) > DENSE_ROWS:
            # Matches are dense (by the statistics of the lexemes): newest first along the
            # date index a page fills soon. Should they not be (a long term's bigrams often
            # apart), the walk is cut short and the GIN index used instead.
            rows = _planned(WALK, lambda: list(ordered[window]), timeout_ms=DENSE_TIMEOUT_MS)
            if rows is not None:
                full = len(rows) > per_page or offset > 0
                count = COUNT_CAP + 1 if full else len(rows)
        if rows is None:
            # Count through the GIN index; up to COUNT_CAP matches, sort the page from
            # them too.
            count = _planned(BITMAP, lambda: qs.order_by()[: COUNT_CAP + 1].count())
            assert count is not None
            if count <= COUNT_CAP:
                rows = _planned(BITMAP, lambda: list(ordered[window]))
            else:  # more than COUNT_CAP matches: dense enough to walk the date index
                rows = _planned(WALK, lambda: list(ordered[window]))
    if rows is None:
        rows = list(ordered[window])
    has_next = len(rows) > per_page and offset + per_page < MAX_OFFSET
    items = rows[:per_page]
    if count is None:
        # a first page that is also the last needs no COUNT
        count = (
            len(items) if offset == 0 and not has_next else qs.order_by()[: COUNT_CAP + 1].count()
        )
    return SearchResults(
        items=items,
        terms=filters.terms,
        page=page,
        per_page=per_page,
        count=min(count, COUNT_CAP),
        count_capped=count > COUNT_CAP,
        has_next=has_next,
    )


def latest_decisions(limit: int = 10) -> list[PublicationSearch]:
    """The newest published decisions, for the portal's home page."""
    return list(
        PublicationSearch.objects.select_related("agency")
        .defer("search_vector", "search_text")
        .order_by("-decided_on", "-id")[:limit]
    )


def excerpt(entry: PublicationSearch, terms: Sequence[str], length: int = EXCERPT_LENGTH) -> str:
    """A piece of the entry's (redacted) text around the first term found."""
    text = re.sub(r"\s+", " ", entry.search_text)
    at = min((i for i in (text.find(t) for t in terms) if i >= 0), default=0)
    start = max(0, at - length // 3)
    piece = text[start : start + length]
    return ("…" if start else "") + piece + ("…" if start + length < len(text) else "")
