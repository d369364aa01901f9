"""The parts of a case file (案卷), as PDFs, in the order they are bound:

1. every record of the case (文书/笔录) in the order they were made, each correction right
   after the record it supersedes (both stay: 002 第四十五条); a 法制审核意见 record is bound
   as the full 法制审核意见书 of its decided round (000 法制审核办法 第十七条: the handling
   unit keeps it in the case file);
2. the AV list with its written description (音像记录清单及说明): for every recording its
   recorder, time, place, device, interruptions with reasons and the SHA-256 of the stored
   file — the written description an AV record used as evidence must carry (000 全过程记录
   办法 第二十七条; 第二十二条、第二十三条 for the spoken statement and interruptions);
3. the evidence list (证据清单) with collector, time, place and digest.

Pure of writes: ``case_file_parts(case)`` reads and renders.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from sanxiang.cases.documents import record_pdf
from sanxiang.cases.models import AVRecording, Case, Evidence, Record
from sanxiang.cases.state import load_records
from sanxiang.documents.layout import Document, Heading, Paragraph, Style
from sanxiang.documents.render import render_pdf
from sanxiang.procedures import registry
from sanxiang.records.filestore.types import ALLOWED_TYPES
from sanxiang.review.models import LegalReview
from sanxiang.review.opinion import opinion_pdf

AV_RULE = "000 全过程记录办法 第二十七条"
REVIEW_OPINION_KIND = "legal_review_opinion"


@dataclass(frozen=True)
class Part:
    section: str  # CaseFileItem.Section value
    title: str
    pdf: bytes
    slug: str  # the file name in the package's data/records/
    number: str = ""
    date: datetime.date | None = None
    remark: str = ""


def bound_order(records: Sequence[Record]) -> list[Record]:
    """Originals by (made_on, id); each correction right after what it supersedes."""
    successor = {r.supersedes_id: r for r in records if r.supersedes_id}
    out: list[Record] = []
    for record in sorted(
        (r for r in records if not r.supersedes_id), key=lambda r: (r.made_on, r.pk)
    ):
        current: Record | None = record
        while current is not None:
            out.append(current)
            current = successor.get(current.pk)
    return out


def _local(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日%H时%M分}" if moment else "—"


def extension(media_type: str) -> str:
    allowed = ALLOWED_TYPES.get(media_type)
    return allowed.extensions[0] if allowed else "bin"


def av_list_document(case: Case, recordings: Sequence[AVRecording], on: datetime.date) -> Document:
    blocks: list[Heading | Paragraph] = [
        Paragraph(
            text=(
                f"本案共有音像记录{len(recordings)}份。作为证据使用的音像记录，按照{AV_RULE}"
                "的规定附卷归档，并附制作人、制作时间、制作地点和证明对象等文字说明；"
                "音像文件原件按SHA-256摘要存于归档包data/av/目录。"
            )
        )
    ]
    for n, av in enumerate(recordings, start=1):
        blocks.append(Heading(text=f"{n}. 音像记录AV{av.pk}"))
        interruptions = list(av.interruptions.all())
        lines = [
            ("记录人（制作人）", av.officer.name),
            ("制作时间", f"{_local(av.started_at)}至{_local(av.ended_at)}"),
            ("制作地点", av.place),
            ("记录设备", av.device),
            ("证明对象", av.evidence.description if av.evidence else "执法过程音像记录"),
            ("语音说明", "已说明时间、地点、人员和事项" if av.spoken_statement else "未说明"),
            ("全过程记录", "是" if av.full_process else "否"),
            ("储存时间", _local(av.stored_at)),
        ]
        if av.storage_warning:
            lines.append(("储存提示", av.storage_warning))
        if interruptions:
            for i in interruptions:
                resumed = f"，{_local(i.resumed_at)}恢复" if i.resumed_at else "，未恢复"
                spoken = "，恢复时已语音说明" if i.spoken_explanation else ""
                lines.append(("中断", f"{_local(i.at)}中断，原因：{i.reason}{resumed}{spoken}"))
        else:
            lines.append(("中断", "无"))
        if av.stored_file is not None:
            lines.append(("文件大小", f"{av.stored_file.size}字节"))
            lines.append(("SHA-256", av.stored_file.sha256))
        else:
            lines.append(("SHA-256", "未上传音像文件"))
        blocks += [Paragraph(label=f"{label}：", text=value, indent=0) for label, value in lines]
    return Document(
        title="音像记录清单及说明",
        agency=case.agency.name,
        date=on,
        number=f"{case.number}-AV",
        subtitle=f"案由：{case.title}",
        style=Style.LETTER,
        blocks=blocks,
        keywords=("音像记录清单", AV_RULE),
    )


def evidence_list_document(case: Case, evidence: Sequence[Evidence], on: datetime.date) -> Document:
    blocks: list[Heading | Paragraph] = [
        Paragraph(text=f"本案共有证据{len(evidence)}份，电子文件原件存于归档包data/evidence/目录。")
    ]
    for n, e in enumerate(evidence, start=1):
        blocks.append(Heading(text=f"{n}. 证据E{e.pk}（{e.get_kind_display()}）"))
        lines = [
            ("证据内容", e.description),
            ("收集人", e.collector.name),
            ("收集时间", _local(e.collected_at)),
            ("收集地点", e.place),
        ]
        if e.stored_file is not None:
            lines.append(("SHA-256", e.stored_file.sha256))
        blocks += [Paragraph(label=f"{label}：", text=value, indent=0) for label, value in lines]
    return Document(
        title="证据清单",
        agency=case.agency.name,
        date=on,
        number=f"{case.number}-E",
        subtitle=f"案由：{case.title}",
        style=Style.LETTER,
        blocks=blocks,
        keywords=("证据清单",),
    )


def case_recordings(case: Case) -> list[AVRecording]:
    return list(
        case.av_recordings.select_related("officer", "stored_file", "evidence")
        .prefetch_related("interruptions")
        .order_by("started_at", "id")
    )


def case_evidence(case: Case) -> list[Evidence]:
    return list(
        case.evidence.select_related("collector", "stored_file").order_by("collected_at", "id")
    )


def case_file_parts(
    case: Case,
    on: datetime.date,
    recordings: Sequence[AVRecording],
    evidence: Sequence[Evidence],
) -> list[Part]:
    kinds = registry()
    reviews = list(
        LegalReview.objects.filter(
            case=case, status__in=[LegalReview.Status.PASSED, LegalReview.Status.FAILED]
        ).order_by("round")
    )
    opinions = iter(reviews)
    parts: list[Part] = []
    for record in bound_order(load_records(case)):
        remark = ""
        if record.supersedes_id:
            remark = f"更正R{record.supersedes_id}"
        elif hasattr(record, "superseded_by"):
            remark = "已更正"
        review = next(opinions, None) if record.kind == REVIEW_OPINION_KIND else None
        if review is not None:
            parts.append(
                Part(
                    section="review",
                    title=f"法制审核意见书（第{review.round}轮）",
                    pdf=opinion_pdf(review),
                    slug=f"R{record.pk}-法制审核意见书",
                    number=review.opinion_number,
                    date=review.decided_on,
                    remark=remark,
                )
            )
            continue
        name = kinds.kind_name(record.kind)
        parts.append(
            Part(
                section="record",
                title=name,
                pdf=record_pdf(record),
                slug=f"R{record.pk}-{name}",
                number=f"{case.number}-R{record.pk}",
                date=record.made_on,
                remark=remark,
            )
        )
    if recordings:
        parts.append(
            Part(
                section="list",
                title="音像记录清单及说明",
                pdf=render_pdf(av_list_document(case, recordings, on)),
                slug="音像记录清单及说明",
                number=f"{case.number}-AV",
                date=on,
                remark=AV_RULE,
            )
        )
    if evidence:
        parts.append(
            Part(
                section="list",
                title="证据清单",
                pdf=render_pdf(evidence_list_document(case, evidence, on)),
                slug="证据清单",
                number=f"{case.number}-E",
                date=on,
            )
        )
    return parts
