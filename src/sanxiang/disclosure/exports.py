"""Published decisions in the 双公示 data items (行政许可、行政处罚信息), as CSV or JSON, for
the unified disclosure platform (000 公示办法 第十八条, 001 河南公示办法 第十九条: 按照全省统一
规范的信息公示内容的标准和格式推送).

Only what passed the confidentiality review leaves: the texts are the published version's
(redacted) fields, the party is named as the portal names it (a natural person masked where
the profile says so, 000 公示办法 第十七条), and no ID number ever appears. Every row is
checked once more against the case's known personal values before it is written; a row that
would leak is refused, not written. Rows are streamed in chunks: an export of a province
never holds more than one chunk in memory.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from sanxiang.cases.models import Party
from sanxiang.org.models import Agency, User
from sanxiang.records import ledger

from .models import Publication, PublicationVersion
from .redaction import Redaction, mask_name
from .services import masks_names, party_facts

CHUNK = 1000
EXPORT_ACTION_TYPES = ("penalty", "licensing")
FORMATS = ("csv", "json")

PARTY_KIND_LABELS: dict[str, str] = {
    Party.Kind.NATURAL_PERSON.value: "自然人",
    Party.Kind.LEGAL_PERSON.value: "法人及非法人组织",
    Party.Kind.OTHER.value: "法人及非法人组织",
}

PENALTY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("party_name", "行政相对人名称"),
    ("party_kind", "行政相对人类别"),
    ("uscc", "统一社会信用代码"),
    ("representative", "法定代表人"),
    ("document_number", "行政处罚决定书文号"),
    ("violation_type", "违法行为类型"),
    ("facts", "违法事实"),
    ("basis", "处罚依据"),
    ("penalty_category", "处罚类别"),
    ("content", "处罚内容"),
    ("fine_10k", "罚款金额（万元）"),
    ("confiscated_10k", "没收违法所得、没收非法财物的金额（万元）"),
    ("decided_on", "处罚决定日期"),
    ("publicity_until", "公示截止期"),
    ("agency", "处罚机关"),
    ("agency_uscc", "处罚机关统一社会信用代码"),
    ("source_unit", "数据来源单位"),
    ("source_unit_uscc", "数据来源单位统一社会信用代码"),
    ("state", "公示状态"),
    ("version", "版本号"),
    ("published_at", "公开时间"),
    ("remark", "备注"),
)

LICENSING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("party_name", "行政相对人名称"),
    ("party_kind", "行政相对人类别"),
    ("uscc", "统一社会信用代码"),
    ("representative", "法定代表人"),
    ("document_name", "行政许可决定文书名称"),
    ("document_number", "行政许可决定文书号"),
    ("licence_matter", "许可事项"),
    ("content", "许可内容"),
    ("decided_on", "许可决定日期"),
    ("valid_from", "有效期自"),
    ("valid_until", "有效期至"),
    ("agency", "许可机关"),
    ("agency_uscc", "许可机关统一社会信用代码"),
    ("current_state", "当前状态"),
    ("source_unit", "数据来源单位"),
    ("source_unit_uscc", "数据来源单位统一社会信用代码"),
    ("state", "公示状态"),
    ("version", "版本号"),
    ("published_at", "公开时间"),
    ("remark", "备注"),
)

COLUMNS = {"penalty": PENALTY_COLUMNS, "licensing": LICENSING_COLUMNS}


class ExportLeak(RuntimeError):
    """A row would carry a personal value the case knows: nothing is written."""


@dataclass(frozen=True, kw_only=True)
class ExportFilter:
    action_type: str
    agency: Agency | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    include_withdrawn: bool = True


def exportable(f: ExportFilter) -> QuerySet[Publication]:
    """Publications ever published (current or withdrawn), oldest decision first."""
    if f.action_type not in EXPORT_ACTION_TYPES:
        raise ValueError(f"只能导出行政许可、行政处罚信息：{f.action_type}")
    statuses = [
        Publication.Status.PUBLISHED,
        Publication.Status.CORRECTION_DUE,
        Publication.Status.WITHDRAWAL_DUE,
    ]
    if f.include_withdrawn:
        statuses.append(Publication.Status.WITHDRAWN)
    qs = Publication.objects.filter(
        action_type=f.action_type, status__in=statuses, current_version__isnull=False
    )
    if f.agency is not None:
        qs = qs.filter(agency=f.agency)
    if f.date_from is not None:
        qs = qs.filter(decided_on__gte=f.date_from)
    if f.date_to is not None:
        qs = qs.filter(decided_on__lte=f.date_to)
    return qs.order_by("decided_on", "id")


def _ten_thousand(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return f"{(amount / Decimal(10000)).quantize(Decimal('0.000001')).normalize():f}"


def _party_columns(parties: Sequence[Party], mask: bool) -> dict[str, str]:
    if not parties:
        return {"party_name": "", "party_kind": "", "uscc": "", "representative": ""}
    p = parties[0]  # the first party; further parties are named in the remark
    natural = p.kind == Party.Kind.NATURAL_PERSON
    return {
        "party_name": (mask_name(p.name) if mask else p.name) if natural else p.name,
        "party_kind": PARTY_KIND_LABELS.get(p.kind, ""),
        "uscc": "" if natural else p.uscc,
        "representative": "" if natural else p.representative,
    }


def _check(row: dict[str, str], parties: Sequence[Party], publication: Publication) -> None:
    leaks = Redaction(text="\n".join(row.values()), spans=()).leaks(party_facts(parties))
    if leaks:
        raise ExportLeak(
            f"公示{publication.pk}（{publication.document_number}）的导出数据含有当事人的个人信息"
            f"（{'、'.join(leaks)}），已停止导出；请先更正该公示（000 公示办法 第十七条）。"
        )


def build_row(publication: Publication, version: PublicationVersion) -> dict[str, str]:
    """One publication in the 双公示 data items of its action type."""
    agency = publication.agency
    parties = list(publication.case.parties.all())
    fields: dict[str, Any] = version.fields or {}
    record = publication.source_record
    matter = publication.case.matter
    withdrawn = publication.status == Publication.Status.WITHDRAWN
    others = [p.name for p in parties[1:] if p.kind != Party.Kind.NATURAL_PERSON]
    remark = []
    if version.number > 1:
        remark.append(f"第{version.number}版（更正：{version.reason}）")
    if withdrawn:
        remark.append(publication.withdrawal_notice)
    if len(parties) > 1:
        remark.append(
            f"共{len(parties)}名当事人" + (f"，另有{'、'.join(others)}" if others else "")
        )
    common = {
        **_party_columns(parties, masks_names(agency)),
        "document_number": publication.document_number,
        "content": str(fields.get("decision", "")),
        "decided_on": publication.decided_on.isoformat(),
        "agency": agency.name,
        "agency_uscc": agency.uscc,
        "source_unit": agency.name,
        "source_unit_uscc": agency.uscc,
        "state": "已撤下" if withdrawn else "公开",
        "version": str(version.number),
        "published_at": version.made_at.isoformat(timespec="seconds"),
        "remark": "；".join(r for r in remark if r),
    }
    data = record.data or {}
    if publication.action_type == "penalty":
        row = {
            **common,
            "violation_type": (matter.violation or matter.name) if matter else "",
            "facts": str(fields.get("facts", "")),
            "basis": str(fields.get("basis", "")),
            "penalty_category": "罚款" if record.amount else "",
            "fine_10k": _ten_thousand(record.amount),
            "confiscated_10k": _ten_thousand(_decimal(data.get("confiscation_amount"))),
            # None of the five measures fixes how long a decision stays public.
            "publicity_until": "",
        }
    else:
        row = {
            **common,
            "document_name": "行政许可决定书",
            "licence_matter": matter.name if matter else "",
            "valid_from": str(data.get("valid_from", "")),
            "valid_until": str(data.get("valid_until", "")),
            "current_state": "2" if withdrawn else "1",  # 1 有效, 2 无效
        }
    ordered = {key: row.get(key, "") for key, _ in COLUMNS[publication.action_type]}
    _check(ordered, parties, publication)
    return ordered


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


def rows(qs: QuerySet[Publication]) -> Iterator[dict[str, str]]:
    """Each publication's row, in chunks (one query per chunk and relation)."""
    chunked = qs.select_related(
        "agency__jurisdiction", "current_version", "source_record", "case__matter"
    ).prefetch_related("case__parties")
    for publication in chunked.iterator(chunk_size=CHUNK):
        assert publication.current_version is not None
        yield build_row(publication, publication.current_version)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(action_type: str, items: Iterable[dict[str, str]]) -> Iterator[str]:
    """CSV with a BOM (so spreadsheet programs read it as UTF-8) and Chinese headers."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([label for _, label in COLUMNS[action_type]])
    for row in items:
        yield writer.writerow([row[key] for key, _ in COLUMNS[action_type]])


def labelled(action_type: str, row: dict[str, str]) -> dict[str, str]:
    return {label: row[key] for key, label in COLUMNS[action_type]}


def json_lines(action_type: str, items: Iterable[dict[str, str]]) -> Iterator[str]:
    """One JSON array, written element by element."""
    yield "["
    for n, row in enumerate(items):
        yield ("," if n else "") + "\n" + json.dumps(labelled(action_type, row), ensure_ascii=False)
    yield "\n]\n"


def render(fmt: str, action_type: str, items: Iterable[dict[str, str]]) -> Iterator[str]:
    if fmt == "csv":
        return csv_lines(action_type, items)
    if fmt == "json":
        return json_lines(action_type, items)
    raise ValueError(f"导出格式应为 csv 或 json：{fmt}")


def to_text(fmt: str, action_type: str, items: Iterable[dict[str, str]]) -> str:
    """Whole export as one string (tests and small exports)."""
    out = io.StringIO()
    for part in render(fmt, action_type, items):
        out.write(part)
    return out.getvalue()


@transaction.atomic
def log_export(*, actor: User | None, f: ExportFilter, fmt: str, label: str | None = None) -> None:
    """Every export is written to the ledger first: who, when, what (the filter) and why."""
    ledger.record(
        "disclosure.export",
        actor=actor,
        label=label,
        action_type=f.action_type,
        agency=f.agency.pk if f.agency else None,
        date_from=f.date_from,
        date_to=f.date_to,
        format=fmt,
        purpose="双公示数据报送（000 公示办法 第十八条）",
    )
