"""Builders: plain data in, :class:`~sanxiang.documents.layout.Document` out.

Each builder is a pure function from a frozen dataclass to a Document; the caller renders it
with ``render.render_pdf``. The inputs are plain values (names, dates, texts), so the cases,
review and records apps can fill them from their models without this app importing them.

A builder refuses input that would make a document contradict itself or the regulations —
a pass opinion with a failed item, a 留置送达 without the refusal that justifies it — with
:class:`DocumentInputError`, whose message names the rule and its article.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sanxiang.documents.layout import (
    Align,
    Block,
    Cell,
    Document,
    Heading,
    Paragraph,
    Row,
    SealBlock,
    Signature,
    SignatureBlock,
    Spacer,
    Style,
    Table,
)
from sanxiang.documents.text import cn_date, cn_datetime, cn_number, cn_time_range, rmb

BLANK_DATE = "　　年　　月　　日"
BLANK_NAME = "　" * 6


class DocumentInputError(ValueError):
    """Input a builder refuses; the message names the rule (``FILE 第N条``)."""


# --- shared inputs ----------------------------------------------------------------------


class PartyKind(StrEnum):
    PERSON = "person"  # 自然人
    LEGAL_PERSON = "legal_person"  # 法人
    OTHER_ORG = "other_org"  # 其他组织


@dataclass(frozen=True, kw_only=True)
class PartyInfo:
    """当事人. ``id_number`` is the 身份证号码 of a person or the 统一社会信用代码 of an
    organisation; ``representative`` the 法定代表人 (legal person) or 负责人 (other org)."""

    kind: PartyKind
    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    representative: str = ""
    gender: str = ""
    birth_date: datetime.date | None = None
    workplace: str = ""

    def fields(self) -> list[tuple[str, str]]:
        if self.kind == PartyKind.PERSON:
            pairs = [
                ("姓名", self.name),
                ("性别", self.gender),
                ("出生日期", cn_date(self.birth_date) if self.birth_date else ""),
                ("身份证号码", self.id_number),
                ("住址", self.address),
                ("工作单位", self.workplace),
                ("联系电话", self.phone),
            ]
        else:
            pairs = [
                ("名称", self.name),
                ("统一社会信用代码", self.id_number),
                ("住所", self.address),
                (
                    "法定代表人" if self.kind == PartyKind.LEGAL_PERSON else "负责人",
                    self.representative,
                ),
                ("联系电话", self.phone),
            ]
        return [(k, v) for k, v in pairs if v]


@dataclass(frozen=True, kw_only=True)
class OfficerInfo:
    """执法人员 with the number of the enforcement certificate (执法证)."""

    name: str
    certificate_no: str = ""

    def label(self) -> str:
        return (
            f"{self.name}（执法证号：{self.certificate_no}）" if self.certificate_no else self.name
        )


@dataclass(frozen=True, kw_only=True)
class Opinion:
    """An opinion with its signers and date (立案审批表, 审批 steps)."""

    text: str = ""
    signers: Sequence[str] = ()
    signed_on: datetime.date | None = None

    def trailer(self) -> list[str]:
        names = "　".join(self.signers) if self.signers else BLANK_NAME
        return [f"签名：{names}", cn_date(self.signed_on) if self.signed_on else BLANK_DATE]


def _kv_text(pairs: Sequence[tuple[str, str]]) -> str:
    return "\n".join(f"{k}：{v}" for k, v in pairs)


def _label_para(label: str, text: str) -> Paragraph:
    return Paragraph(label=f"{label}：", text=text or "　", indent=0)


def _check_signature(sig: Signature, article: str) -> None:
    if sig.refused and not sig.refusal_note.strip():
        raise DocumentInputError(
            f"{sig.role}拒绝签名的，应当在文书上载明拒绝签名的情况（{article}）。"
        )
    if sig.refused and sig.name:
        raise DocumentInputError(f"{sig.role}既已签名又记录为拒绝签名，二者只能有一项。")


# --- 立案审批表 (002 第二十八条) ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CaseOpeningApproval:
    """立案审批表: 002 第二十八条 — 启动原因, 当事人的基本情况, 掌握的事实情况, 行政执法
    人员的意见, 行政执法机构负责人的意见, 行政执法机关负责人的意见, 签名, 日期."""

    agency: str
    date: datetime.date
    case_cause: str  # 案由
    start_reason: str  # 启动原因
    party: PartyInfo
    facts: str  # 掌握的事实情况
    officer_opinion: Opinion
    unit_head_opinion: Opinion = Opinion()
    agency_head_opinion: Opinion = Opinion()
    number: str = ""
    source: str = ""  # 案件来源: 检查发现 / 投诉举报 / 上级交办 / 部门移送 …
    source_received_on: datetime.date | None = None
    emergency_note: str = ""  # 情况紧急先行启动、补办审批 (002 第二十八条第三款)
    remarks: str = ""


def build_case_opening_approval(a: CaseOpeningApproval) -> Document:
    for label, value in (
        ("案由", a.case_cause),
        ("启动原因", a.start_reason),
        ("掌握的事实情况", a.facts),
    ):
        if not value.strip():
            raise DocumentInputError(f"立案审批表应当载明{label}（002 第二十八条）。")
    source = a.source
    if a.source_received_on:
        source = (
            f"{source}（{cn_date(a.source_received_on)}）"
            if source
            else cn_date(a.source_received_on)
        )
    remarks = "\n".join(
        t
        for t in (
            f"情况紧急，先行启动行政执法程序，依法补办审批手续：{a.emergency_note}"
            if a.emergency_note
            else "",
            a.remarks,
        )
        if t
    )
    rows: list[Row] = [Row(cells=[Cell(text="案由", label=True), Cell(text=a.case_cause)])]
    if source:
        rows.append(Row(cells=[Cell(text="案件来源", label=True), Cell(text=source)]))
    rows += [
        Row(cells=[Cell(text="启动原因", label=True), Cell(text=a.start_reason)], min_lines=2),
        Row(
            cells=[
                Cell(text="当事人基本情况", label=True),
                Cell(text=_kv_text(a.party.fields())),
            ],
            min_lines=3,
        ),
        Row(cells=[Cell(text="掌握的事实情况", label=True), Cell(text=a.facts)], min_lines=4),
    ]
    for label, opinion in (
        ("行政执法人员\n的意见", a.officer_opinion),
        ("行政执法机构\n负责人的意见", a.unit_head_opinion),
        ("行政执法机关\n负责人的意见", a.agency_head_opinion),
    ):
        rows.append(
            Row(
                cells=[
                    Cell(text=label, label=True),
                    Cell(text=opinion.text, trailer=opinion.trailer()),
                ],
                min_lines=4,
            )
        )
    rows.append(Row(cells=[Cell(text="备注", label=True), Cell(text=remarks)], min_lines=2))
    return Document(
        title="立案审批表",
        agency=a.agency,
        number=a.number,
        number_label="编号：" if a.number else "",
        date=a.date,
        style=Style.FORM,
        blocks=[Table(columns=[1.6, 5], rows=rows)],
        keywords=("立案审批表",),
    )


# --- 询问笔录 (002 第三十一条、第三十二条; 004 第十三条) -----------------------------------------


@dataclass(frozen=True, kw_only=True)
class QA:
    question: str
    answer: str


@dataclass(frozen=True, kw_only=True)
class Interviewee:
    name: str
    relation: str = ""  # 与本案关系: 当事人 / 证人 / 法定代表人 / 委托代理人 …
    gender: str = ""
    birth_date: datetime.date | None = None
    id_number: str = ""
    workplace: str = ""  # 工作单位及职务
    address: str = ""
    phone: str = ""


@dataclass(frozen=True, kw_only=True)
class InquiryRecord:
    """询问笔录. Records the officers and certificate numbers and that the certificates were
    shown (002 第三十一条), the questions and answers (002 第三十二条), and the signatures of
    the person questioned, the questioners and the recorder, or the refusal (004 第十三条)."""

    agency: str
    case_cause: str
    started_at: datetime.datetime
    ended_at: datetime.datetime
    place: str
    interviewers: Sequence[OfficerInfo]
    recorder: OfficerInfo
    interviewee: Interviewee
    qa: Sequence[QA]
    interviewee_signature: Signature
    number: str = ""
    sequence: int = 1  # 第N次询问
    certificates_shown: bool = True
    recusal_answer: str = "不申请。"
    others_present: Sequence[str] = ()
    confirmation: str = "以上笔录我看过，与我所说的一致。"
    interviewers_signed_on: datetime.date | None = None


def build_inquiry_record(r: InquiryRecord) -> Document:
    if not r.interviewers:
        raise DocumentInputError(
            "询问笔录应当记录行政执法人员姓名、执法证件编号（002 第三十一条）。"
        )
    if not r.qa:
        raise DocumentInputError("询问笔录应当记录询问的内容（002 第三十二条）。")
    if r.ended_at < r.started_at:
        raise DocumentInputError("询问结束时间早于开始时间。")
    _check_signature(r.interviewee_signature, "004 第十三条")
    ie = r.interviewee
    names = "、".join(o.name for o in r.interviewers)
    certs = "、".join(o.certificate_no for o in r.interviewers if o.certificate_no)
    shown = (
        "这是我们的执法证件，请你过目（已出示执法证件）。"
        if r.certificates_shown
        else "（执法人员未出示执法证件。）"
    )
    notice = (
        f"我们是{r.agency}的行政执法人员{names}"
        + (f"，执法证件编号分别为{certs}" if certs else "")
        + f"，{shown}现就{r.case_cause}一事依法向你进行询问调查，请你如实回答问题，"
        "不得隐瞒事实或者提供虚假证言。依照法律规定，你有申请执法人员回避的权利："
        "如认为执法人员与本案有直接利害关系或者有其他关系可能影响公正执法的，可以申请回避。"
    )
    line1 = "　　".join(
        t
        for t in (
            f"被询问人：{ie.name}",
            f"性别：{ie.gender}" if ie.gender else "",
            f"出生日期：{cn_date(ie.birth_date)}" if ie.birth_date else "",
        )
        if t
    )
    blocks: list[Block] = [
        _label_para("询问时间", cn_time_range(r.started_at, r.ended_at)),
        _label_para("询问地点", r.place),
        _label_para("询问人", "、".join(o.label() for o in r.interviewers)),
        _label_para("记录人", r.recorder.label()),
        Paragraph(text=line1, indent=0),
    ]
    for label, value in (
        ("身份证号码", ie.id_number),
        ("工作单位及职务", ie.workplace),
        ("住址", ie.address),
        ("联系电话", ie.phone),
        ("与本案关系", ie.relation),
    ):
        if value:
            blocks.append(_label_para(label, value))
    if r.others_present:
        blocks.append(_label_para("其他在场人员", "、".join(r.others_present)))
    blocks += [
        Paragraph(text=notice, label="问：", indent=0),
        Paragraph(text="你是否申请回避？", label="问：", indent=0),
        Paragraph(text=r.recusal_answer, label="答：", indent=0),
    ]
    for qa in r.qa:
        blocks.append(Paragraph(text=qa.question, label="问：", indent=0))
        blocks.append(Paragraph(text=qa.answer, label="答：", indent=0))
    blocks.append(Paragraph(text="（以下空白）", indent=0, align=Align.CENTER))
    if r.confirmation:
        blocks.append(_label_para("被询问人核对意见", r.confirmation))
    sigs = [
        r.interviewee_signature,
        *(
            Signature(
                role="询问人",
                name=o.name,
                certificate_no=o.certificate_no,
                date=r.interviewers_signed_on,
            )
            for o in r.interviewers
        ),
        Signature(
            role="记录人",
            name=r.recorder.name,
            certificate_no=r.recorder.certificate_no,
            date=r.interviewers_signed_on,
        ),
    ]
    blocks.append(SignatureBlock(signatures=sigs))
    return Document(
        title="询问笔录",
        agency=r.agency,
        number=r.number,
        number_label="编号：" if r.number else "",
        subtitle=f"（第{cn_number(r.sequence)}次）",
        date=r.started_at.date(),
        style=Style.FORM,
        blocks=blocks,
        per_page_signature="被询问人签名：",
        keywords=("询问笔录",),
    )


# --- 行政处罚决定书 ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PenaltyItem:
    """One penalty: ``kind`` e.g. 警告, 罚款, 没收违法所得, 没收非法财物; ``amount`` for money."""

    kind: str
    amount: Decimal | None = None
    detail: str = ""

    def text(self) -> str:
        parts = [self.kind]
        if self.amount is not None:
            parts.append(rmb(self.amount))
        if self.detail:
            parts.append(f"（{self.detail}）" if self.amount is not None else self.detail)
        return "".join(parts)


@dataclass(frozen=True, kw_only=True)
class Discretion:
    """The discretion standard applied (裁量基准): which entry, which circumstance, why."""

    standard: str  # e.g. 《河南省市场监督管理行政处罚裁量基准》第12项
    circumstance: str  # e.g. 一般违法行为 / 从轻 / 减轻 / 从重
    reasons: str = ""


@dataclass(frozen=True, kw_only=True)
class Payment:
    """Where and by when to pay (行政处罚法第六十七条: 十五日内; 第七十二条: 加处罚款)."""

    payee: str  # 收缴机构 / 代收银行
    account: str = ""
    method: str = ""  # e.g. 可通过“河南省非税收入电子缴款”系统缴纳
    days: int = 15


@dataclass(frozen=True, kw_only=True)
class Remedy:
    """Remedies: 行政复议 within 60 days (行政复议法第二十条), 行政诉讼 within 6 months
    (行政诉讼法第四十六条)."""

    review_body: str  # 复议机关, e.g. 郑州市人民政府
    court: str  # e.g. 郑州市金水区人民法院
    review_days: int = 60
    litigation_months: int = 6


@dataclass(frozen=True, kw_only=True)
class PenaltyDecision:
    agency: str
    number: str
    decided_on: datetime.date
    party: PartyInfo
    case_intro: str  # 案件来源、立案和调查经过
    facts: str  # 违法事实
    evidence: Sequence[str]
    violated: str  # 违反的法律、法规、规章条款
    basis: str  # 处罚依据
    penalties: Sequence[PenaltyItem]
    remedy: Remedy
    discretion: Discretion | None = None
    statement_and_hearing: str = ""  # 告知、陈述申辩、听证及采纳情况
    legal_review: str = ""  # e.g. 本案经法制审核（郑市监法审〔2026〕8号）、集体讨论
    payment: Payment | None = None
    enforcement_note: str = ""
    copies_note: str = "本文书一式三份，一份送达当事人，一份交财务（缴款）部门，一份归档。"


def build_penalty_decision(d: PenaltyDecision) -> Document:
    if not d.penalties:
        raise DocumentInputError("行政处罚决定书应当载明行政处罚的种类和依据。")
    if not d.evidence:
        raise DocumentInputError("行政处罚决定书应当载明认定违法事实的证据。")
    if any(p.amount is not None for p in d.penalties) and d.payment is None:
        raise DocumentInputError("决定罚款或者没收违法所得的，应当载明缴款的期限和方式。")
    blocks: list[Block] = []
    party = d.party
    for label, value in party.fields():
        if label == "姓名" or label == "名称":
            blocks.append(_label_para("当事人", value))
        elif label in ("出生日期", "工作单位"):
            continue
        else:
            blocks.append(_label_para(label, value))
    blocks.append(Spacer(lines=0.3))
    blocks.append(Paragraph(text=d.case_intro))
    blocks.append(Paragraph(text=f"经查，{d.facts}" if not d.facts.startswith("经查") else d.facts))
    blocks.append(Paragraph(text="上述事实，主要有以下证据证明："))
    n = len(d.evidence)
    for i, ev in enumerate(d.evidence, start=1):
        end = "。" if i == n else "；"
        blocks.append(Paragraph(text=f"{i}．{ev.rstrip('；;。.')}{end}"))
    if d.statement_and_hearing:
        blocks.append(Paragraph(text=d.statement_and_hearing))
    reasoning = f"本机关认为，当事人的上述行为违反了{d.violated}的规定。依据{d.basis}的规定"
    if d.discretion is not None:
        reasoning += (
            f"，参照{d.discretion.standard}，当事人的违法行为属于{d.discretion.circumstance}情形"
        )
        if d.discretion.reasons:
            reasoning += f"（{d.discretion.reasons.rstrip('。')}）"
    reasoning += "。"
    if d.legal_review:
        reasoning += d.legal_review.rstrip("。") + "。"
    blocks.append(Paragraph(text=reasoning))
    blocks.append(Paragraph(text="本机关决定对当事人作出如下行政处罚："))
    m = len(d.penalties)
    for i, p in enumerate(d.penalties, start=1):
        blocks.append(Paragraph(text=f"{i}．{p.text()}{'。' if i == m else '；'}"))
    if d.payment is not None:
        pay = d.payment
        where = pay.payee + (f"（账号：{pay.account}）" if pay.account else "")
        text = (
            f"当事人应当自收到本决定书之日起{cn_number(pay.days)}日内，将罚没款缴至{where}"
            + (f"，{pay.method.rstrip('。')}" if pay.method else "")
            + "。到期不缴纳罚款的，本机关可以依据《中华人民共和国行政处罚法》第七十二条第一款"
            "第一项的规定，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。"
        )
        blocks.append(Paragraph(text=text))
    rem = d.remedy
    blocks.append(
        Paragraph(
            text=(
                f"当事人如不服本处罚决定，可以在收到本决定书之日起{cn_number(rem.review_days)}日内"
                f"向{rem.review_body}申请行政复议；也可以在{cn_number(rem.litigation_months)}个月内"
                f"依法向{rem.court}提起行政诉讼。申请行政复议或者提起行政诉讼的，行政处罚不停止执行，"
                "法律另有规定的除外。"
            )
        )
    )
    enforcement = d.enforcement_note or (
        "当事人逾期不申请行政复议、不提起行政诉讼又不履行本处罚决定的，本机关将依法申请人民法院"
        "强制执行。"
    )
    blocks.append(Paragraph(text=enforcement))
    blocks.append(SealBlock(agency=d.agency, date=d.decided_on))
    return Document(
        title="行政处罚决定书",
        agency=d.agency,
        number=d.number,
        date=d.decided_on,
        style=Style.LETTER,
        blocks=blocks,
        footnote=d.copies_note,
        keywords=("行政处罚决定书",),
    )


# --- 送达回证 (002 第三十九条) ---------------------------------------------------------------


class ServiceMethod(StrEnum):
    """The six ways of serving a document, 002 第三十九条."""

    DIRECT = "direct"  # 直接送达
    LEFT = "left"  # 留置送达
    ENTRUSTED = "entrusted"  # 委托、转交送达
    MAIL = "mail"  # 邮寄送达
    ELECTRONIC = "electronic"  # 传真、电子邮件等电子送达
    PUBLIC_NOTICE = "public_notice"  # 公告送达

    @property
    def label(self) -> str:
        return SERVICE_METHOD_LABELS[self]


SERVICE_METHOD_LABELS: dict[ServiceMethod, str] = {
    ServiceMethod.DIRECT: "直接送达",
    ServiceMethod.LEFT: "留置送达",
    ServiceMethod.ENTRUSTED: "委托送达",
    ServiceMethod.MAIL: "邮寄送达",
    ServiceMethod.ELECTRONIC: "电子送达",
    ServiceMethod.PUBLIC_NOTICE: "公告送达",
}


@dataclass(frozen=True, kw_only=True)
class ServedDocument:
    title: str
    number: str = ""

    def label(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title


@dataclass(frozen=True, kw_only=True)
class ServiceReceipt:
    """送达回证. ``recipient_signature`` is the 受送达人's signature, or a refusal (which is
    what makes a 留置送达); method details go in ``tracking_number`` (邮寄),
    ``electronic_address`` (电子), ``entrusted_to`` (委托), ``notice_medium`` and
    ``notice_period`` (公告)."""

    agency: str
    documents: Sequence[ServedDocument]
    recipient: str
    method: ServiceMethod
    served_at: datetime.datetime
    servers: Sequence[OfficerInfo]
    place: str = ""
    recipient_signature: Signature | None = None
    proxy: str = ""  # 代收人
    proxy_reason: str = ""  # 代收理由 / 与受送达人关系
    witnesses: Sequence[str] = ()
    refusal_reason: str = ""
    av_recorded: bool = False  # 音像记录 (002 第三十九条)
    tracking_number: str = ""
    electronic_address: str = ""
    consent_on_file: bool = False  # 当事人同意电子送达并签订确认书 (行政处罚法第六十一条)
    entrusted_to: str = ""
    notice_medium: str = ""
    notice_period: str = ""
    number: str = ""
    remarks: str = ""


def _check_service(s: ServiceReceipt) -> None:
    art = "002 第三十九条"
    if not s.documents:
        raise DocumentInputError("送达回证应当载明送达的文书名称和文号。")
    if not s.servers and s.method not in (ServiceMethod.MAIL, ServiceMethod.PUBLIC_NOTICE):
        raise DocumentInputError("送达回证应当由送达人签名。")
    sig = s.recipient_signature
    if sig is not None:
        _check_signature(sig, "004 第十三条")
    refused = sig is not None and sig.refused
    if s.method == ServiceMethod.DIRECT and refused:
        raise DocumentInputError(f"受送达人拒绝签收的，应当采用留置送达并记录（{art}）。")
    if s.method == ServiceMethod.LEFT:
        if not s.refusal_reason.strip():
            raise DocumentInputError(f"留置送达应当载明拒收事由和日期（{art}）。")
        if not s.witnesses and not s.av_recorded:
            raise DocumentInputError(
                f"留置送达应当有见证人签名，或者以拍照、录像等方式记录送达过程（{art}）。"
            )
        if not s.place:
            raise DocumentInputError(f"留置送达应当载明留置的地点（{art}）。")
    if s.method == ServiceMethod.MAIL and not s.tracking_number:
        raise DocumentInputError(f"邮寄送达应当记录邮件号码（{art}）。")
    if s.method == ServiceMethod.ELECTRONIC:
        if not s.electronic_address:
            raise DocumentInputError(f"电子送达应当记录传真号码或者电子邮件地址等（{art}）。")
        if not s.consent_on_file:
            raise DocumentInputError(
                "采用电子送达须经当事人同意并签订确认书（《中华人民共和国行政处罚法》第六十一条）。"
            )
    if s.method == ServiceMethod.ENTRUSTED and not s.entrusted_to:
        raise DocumentInputError(f"委托、转交送达应当载明受委托或者转交的机关、单位（{art}）。")
    if s.method == ServiceMethod.PUBLIC_NOTICE and not (s.notice_medium and s.notice_period):
        raise DocumentInputError(f"公告送达应当记录公告的载体和公告期间（{art}）。")


def build_service_receipt(s: ServiceReceipt) -> Document:
    _check_service(s)
    methods = "　".join(
        ("■" if m == s.method else "□") + SERVICE_METHOD_LABELS[m] for m in ServiceMethod
    )
    sig = s.recipient_signature
    if sig is None or (not sig.name and not sig.refused):
        recipient_text, recipient_trailer = "", [f"签名（盖章）：{BLANK_NAME}", BLANK_DATE]
    elif sig.refused:
        recipient_text = f"受送达人拒绝签收。{sig.refusal_note}"
        recipient_trailer = [cn_datetime(s.served_at)]
    else:
        recipient_text = ""
        recipient_trailer = [
            f"签名（盖章）：{sig.name}",
            sig.time_text or (cn_date(sig.date) if sig.date else cn_datetime(s.served_at)),
        ]
    details: list[str] = []
    if s.method == ServiceMethod.LEFT:
        details.append(f"拒收事由：{s.refusal_reason}；留置地点：{s.place}。")
        if s.av_recorded:
            details.append("留置送达过程已进行音像记录。")
    if s.method == ServiceMethod.MAIL:
        details.append(f"邮件号码：{s.tracking_number}。")
    if s.method == ServiceMethod.ELECTRONIC:
        details.append(f"送达地址：{s.electronic_address}（受送达人已同意电子送达并签订确认书）。")
    if s.method == ServiceMethod.ENTRUSTED:
        details.append(f"受委托（转交）机关、单位：{s.entrusted_to}。")
    if s.method == ServiceMethod.PUBLIC_NOTICE:
        details.append(f"公告载体：{s.notice_medium}；公告期间：{s.notice_period}。")
    if s.av_recorded and s.method != ServiceMethod.LEFT:
        details.append("送达过程已进行音像记录。")
    if s.remarks:
        details.append(s.remarks)
    servers = "\n".join(o.label() for o in s.servers) or "　"
    rows = [
        Row(
            cells=[
                Cell(text="送达文书名称及文号", label=True),
                Cell(text="\n".join(doc.label() for doc in s.documents), span=3),
            ],
            min_lines=2,
        ),
        Row(
            cells=[
                Cell(text="受送达人", label=True),
                Cell(text=s.recipient, span=3),
            ]
        ),
        Row(
            cells=[
                Cell(text="送达地点", label=True),
                Cell(text=s.place or "　", span=3),
            ]
        ),
        Row(cells=[Cell(text="送达方式", label=True), Cell(text=methods, span=3)]),
        Row(
            cells=[
                Cell(text="送达时间", label=True),
                Cell(text=cn_datetime(s.served_at), span=3),
            ]
        ),
        Row(
            cells=[
                Cell(text="受送达人签名或盖章", label=True),
                Cell(text=recipient_text, trailer=recipient_trailer, span=3),
            ],
            min_lines=3,
        ),
        Row(
            cells=[
                Cell(text="代收人及代收理由", label=True),
                Cell(
                    text=f"{s.proxy}（{s.proxy_reason}）"
                    if s.proxy and s.proxy_reason
                    else s.proxy,
                    span=3,
                ),
            ],
            min_lines=1,
        ),
        Row(
            cells=[
                Cell(text="送达人", label=True),
                Cell(text=servers),
                Cell(text="见证人", label=True),
                Cell(text="\n".join(s.witnesses) or "　"),
            ],
            min_lines=2,
        ),
        Row(
            cells=[Cell(text="备注", label=True), Cell(text="\n".join(details), span=3)],
            min_lines=2,
        ),
    ]
    return Document(
        title="送达回证",
        agency=s.agency,
        number=s.number,
        number_label="编号：" if s.number else "",
        date=s.served_at.date(),
        style=Style.FORM,
        blocks=[Table(columns=[2.2, 3, 1.4, 3], rows=rows)],
        keywords=("送达回证", SERVICE_METHOD_LABELS[s.method]),
    )


# --- 法制审核意见书 (000 第十六条、第十七条; 001 河南审核办法第九条) ------------------------------


class Finding(StrEnum):
    PASS = "pass"  # 符合
    FAIL = "fail"  # 不符合
    NOT_APPLICABLE = "na"  # 不涉及

    @property
    def label(self) -> str:
        return {"pass": "符合", "fail": "不符合", "na": "不涉及"}[self.value]


#: The checklist of 000 第十六条 (001 河南审核办法第九条), plus the legal-risk assessment the
#: same article requires the legal unit to review.
REVIEW_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("subject", "行政执法主体是否合法，行政执法人员是否具备执法资格"),
    ("procedure", "行政执法程序是否合法"),
    ("facts", "事实是否清楚，证据是否合法充分"),
    ("law", "适用法律、法规、规章是否准确，裁量基准运用是否适当"),
    ("authority", "是否超越法定权限"),
    ("documents", "行政执法文书是否规范、完备"),
    ("crime", "违法行为是否涉嫌犯罪、需要移送司法机关"),
    ("other", "其他应当审核的内容"),
    ("risk", "执法的法律风险评估情况"),
)
REVIEW_CHECKLIST_LABELS = dict(REVIEW_CHECKLIST)


@dataclass(frozen=True, kw_only=True)
class ReviewItem:
    key: str  # one of REVIEW_CHECKLIST's keys
    finding: Finding
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class LegalReviewOpinion:
    """法制审核意见书: the findings on each item of 000 第十六条 and the outcome — pass, or
    fail with written reasons naming the failed items (000 第十七条)."""

    agency: str
    legal_unit: str  # 法制机构
    number: str
    handling_unit: str  # 承办机构 (送审单位)
    case_title: str  # e.g. 郑州某某商贸有限公司销售标签不符合规定的预包装食品案
    submitted_on: datetime.date
    reviewed_on: datetime.date
    items: Sequence[ReviewItem]
    passed: bool
    reviewers: Sequence[OfficerInfo]
    round_no: int = 1
    materials: Sequence[str] = ()
    proposed_decision: str = ""
    reasons: str = ""
    suggestions: str = ""
    unit_head: str = ""
    rules_name: str = ""  # e.g. 《郑州市重大行政执法决定法制审核办法》, cited in the text


def _check_review(o: LegalReviewOpinion) -> None:
    keys = [i.key for i in o.items]
    unknown = [k for k in keys if k not in REVIEW_CHECKLIST_LABELS]
    if unknown:
        raise DocumentInputError(f"未知的审核事项：{'、'.join(unknown)}。")
    if len(set(keys)) != len(keys):
        raise DocumentInputError("审核事项重复。")
    missing = [label for key, label in REVIEW_CHECKLIST if key not in keys]
    if missing:
        raise DocumentInputError(
            f"法制审核意见应当对下列事项作出审核结论（000 第十六条）：{'；'.join(missing)}。"
        )
    failed = [i for i in o.items if i.finding == Finding.FAIL]
    if o.passed and failed:
        raise DocumentInputError(
            "有审核事项不符合的，不得提出审核通过的意见（000 第十七条）："
            + "；".join(REVIEW_CHECKLIST_LABELS[i.key] for i in failed)
            + "。"
        )
    if not o.passed:
        if not failed:
            raise DocumentInputError("不予审核通过的，应当指明不符合的审核事项（000 第十七条）。")
        if not o.reasons.strip():
            raise DocumentInputError(
                "不予审核通过的，应当提出具体书面审核意见并说明理由（000 第十七条）。"
            )
    if not o.reviewers:
        raise DocumentInputError("法制审核意见书应当记录审核人员（002 第三十七条）。")
    if o.reviewed_on < o.submitted_on:
        raise DocumentInputError("审核日期早于送审日期。")


def build_legal_review_opinion(o: LegalReviewOpinion) -> Document:
    _check_review(o)
    by_key = {i.key: i for i in o.items}
    rows = [
        Row(
            cells=[
                Cell(text="序号", label=True),
                Cell(text="审核事项", label=True),
                Cell(text="结论", label=True),
                Cell(text="说明", label=True),
            ]
        )
    ]
    for n, (key, label) in enumerate(REVIEW_CHECKLIST, start=1):
        item = by_key[key]
        rows.append(
            Row(
                cells=[
                    Cell(text=str(n), align=Align.CENTER),
                    Cell(text=label),
                    Cell(
                        text=item.finding.label,
                        align=Align.CENTER,
                        bold=item.finding == Finding.FAIL,
                    ),
                    Cell(text=item.note),
                ]
            )
        )
    intro = (
        f"你单位于{cn_date(o.submitted_on)}报送的{o.case_title}法制审核材料"
        f"（第{cn_number(o.round_no)}次送审）收悉。"
    )
    if o.proposed_decision:
        intro += f"拟作出的决定为：{o.proposed_decision.rstrip('。')}。"
    rules = f"{o.rules_name}第十六条" if o.rules_name else "重大行政执法决定法制审核的有关规定"
    intro += f"根据{rules}，本机构对下列事项进行了审核，意见如下："
    blocks: list[Block] = [Paragraph(text=f"{o.handling_unit}：", indent=0), Paragraph(text=intro)]
    if o.materials:
        blocks.append(Paragraph(text="送审材料：" + "；".join(o.materials) + "。"))
    blocks.append(Table(columns=[1.0, 5, 1.3, 4.4], rows=rows, size=12))
    outcome = "■审核通过　□不予通过" if o.passed else "□审核通过　■不予通过"
    blocks.append(Heading(text=f"审核结论：{outcome}"))
    failed = [REVIEW_CHECKLIST_LABELS[i.key] for i in o.items if i.finding == Finding.FAIL]
    if o.passed:
        reasons = o.reasons or (
            "经审核，该案执法主体合法，执法人员具备执法资格，事实清楚，证据充分，定性准确，"
            "适用依据正确，程序合法，裁量适当，执法文书规范，未超越法定权限，同意审核通过。"
        )
        blocks.append(Paragraph(text=reasons))
    else:
        blocks.append(
            Paragraph(
                text=f"经审核，下列事项不符合要求：{'；'.join(failed)}。理由：{o.reasons.rstrip('。')}。"
            )
        )
        blocks.append(
            Paragraph(
                text="现将案卷退回你单位，请研究处理后再次报送法制审核，并将本意见书存入执法案卷。"
            )
        )
    if o.suggestions:
        blocks.append(Paragraph(text=f"建议：{o.suggestions}"))
    blocks.append(
        SignatureBlock(
            signatures=[
                *(
                    Signature(
                        role="审核人员",
                        name=r.name,
                        certificate_no=r.certificate_no,
                        date=o.reviewed_on,
                    )
                    for r in o.reviewers
                ),
                Signature(
                    role="法制机构负责人",
                    name=o.unit_head,
                    date=o.reviewed_on if o.unit_head else None,
                ),
            ]
        )
    )
    blocks.append(SealBlock(agency=o.legal_unit, date=o.reviewed_on))
    return Document(
        title="法制审核意见书",
        agency=o.agency,
        number=o.number,
        date=o.reviewed_on,
        style=Style.LETTER,
        blocks=blocks,
        footnote="本意见书一式两份，一份送承办机构，一份存入执法案卷。",
        keywords=("法制审核意见书", "通过" if o.passed else "不予通过"),
    )


# --- generic record ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Section:
    heading: str
    text: str
    min_lines: int = 2
    opinion: Opinion | None = None  # signers and date under the text (审批意见)


@dataclass(frozen=True, kw_only=True)
class GenericRecord:
    """Any other 文书: a title, key–values, free-text sections, signatures.

    ``form=True`` draws it as a ruled form (审批表, 笔录 style); otherwise as a letter (告知书,
    通知书 style) with ``addressee`` and the agency's seal."""

    title: str
    agency: str
    date: datetime.date
    fields: Sequence[tuple[str, str]] = ()
    sections: Sequence[Section] = ()
    signatures: Sequence[Signature] = ()
    number: str = ""
    form: bool = True
    addressee: str = ""
    seal: bool = False
    footnote: str = ""
    per_page_signature: str = ""


def build_generic_record(g: GenericRecord) -> Document:
    for sig in g.signatures:
        _check_signature(sig, "004 第十三条")
    blocks: list[Block] = []
    if g.form:
        rows: list[Row] = []
        pairs = list(g.fields)
        # two label–value pairs per row for short values, one for long
        i = 0
        while i < len(pairs):
            k, v = pairs[i]
            if len(v) <= 14 and i + 1 < len(pairs) and len(pairs[i + 1][1]) <= 14:
                k2, v2 = pairs[i + 1]
                rows.append(
                    Row(
                        cells=[
                            Cell(text=k, label=True),
                            Cell(text=v),
                            Cell(text=k2, label=True),
                            Cell(text=v2),
                        ]
                    )
                )
                i += 2
            else:
                rows.append(Row(cells=[Cell(text=k, label=True), Cell(text=v, span=3)]))
                i += 1
        for sec in g.sections:
            rows.append(
                Row(
                    cells=[
                        Cell(text=sec.heading, label=True),
                        Cell(
                            text=sec.text,
                            span=3,
                            trailer=sec.opinion.trailer() if sec.opinion else (),
                        ),
                    ],
                    min_lines=sec.min_lines,
                )
            )
        if rows:
            blocks.append(Table(columns=[2, 3, 2, 3], rows=rows))
    else:
        if g.addressee:
            blocks.append(Paragraph(text=f"{g.addressee}：", indent=0))
        for k, v in g.fields:
            blocks.append(_label_para(k, v))
        for sec in g.sections:
            if sec.heading:
                blocks.append(Heading(text=sec.heading))
            blocks.append(Paragraph(text=sec.text))
    if g.signatures:
        blocks.append(SignatureBlock(signatures=g.signatures))
    if g.seal:
        blocks.append(SealBlock(agency=g.agency, date=g.date))
    return Document(
        title=g.title,
        agency=g.agency,
        number=g.number,
        number_label="编号：" if g.number and g.form else "",
        date=g.date,
        style=Style.FORM if g.form else Style.LETTER,
        blocks=blocks,
        footnote=g.footnote,
        per_page_signature=g.per_page_signature,
        keywords=(g.title,),
    )
