"""行政执法信息更正申请答复书: the written answer 002 第二十一条 requires
(行政执法机关应当将信息更正情况书面答复申请人). Plain data in, a Document out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sanxiang.documents.builders import DocumentInputError
from sanxiang.documents.layout import Block, Document, Paragraph, SealBlock, Spacer
from sanxiang.documents.text import cn_date


@dataclass(frozen=True, kw_only=True)
class CorrectionReply:
    agency: str
    number: str  # the request's number
    requester: str
    received_on: datetime.date
    information: str
    inaccuracy: str
    requested_correction: str
    outcome: str  # in words, e.g. 信息不准确，已予更正
    reply_text: str
    replied_on: datetime.date
    contact: str = ""  # the agency's phone for questions


def build_correction_reply(reply: CorrectionReply) -> Document:
    if not reply.reply_text.strip():
        raise DocumentInputError("答复书应当载明答复内容（002 第二十一条）。")
    body = (
        f"本机关于{cn_date(reply.received_on)}收到你（单位）提交的行政执法信息更正申请"
        f"（申请编号：{reply.number}）。你（单位）认为本机关公示的“{reply.information}”"
        f"不准确：{reply.inaccuracy}，请求更正为：{reply.requested_correction}。"
    )
    blocks: list[Block] = [
        Paragraph(text=f"{reply.requester}：", indent=0),
        Paragraph(text=body),
        Paragraph(text=f"经核实，答复如下：{reply.outcome}。{reply.reply_text}"),
        Paragraph(text="特此答复。"),
    ]
    if reply.contact:
        blocks.append(Paragraph(text=f"如有疑问，请联系：{reply.contact}。"))
    blocks += [Spacer(lines=2), SealBlock(agency=reply.agency, date=reply.replied_on)]
    return Document(
        title="行政执法信息更正申请答复书",
        date=reply.replied_on,
        agency=reply.agency,
        number=reply.number,
        number_label="申请编号",
        blocks=tuple(blocks),
        keywords=("更正申请", "书面答复"),
    )
