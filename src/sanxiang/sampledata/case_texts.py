"""The text of synthetic 文书: every field a record kind lists (procedures/kinds.toml), in
the wording agencies use, filled from the case at hand.

``record_data(kind, ctx, day)`` returns the ``data`` of one record: a value for every field
of the kind except ``signatures`` (signatures are rows, as the cases services keep them).
Dates that are a field of their own are ISO dates (``2026-03-04``), dates inside text are
written out (2026年3月4日).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from sanxiang.procedures import registry

# Fields of a kind that are not typed into its data (cases.services keeps the same set).
NOT_DATA_FIELDS = frozenset({"signatures"})

ACTION_WORDS = {
    "penalty": "行政处罚",
    "coercion": "行政强制措施",
    "inspection": "行政检查",
    "expropriation": "行政征收征用",
    "licensing": "行政许可",
    "confirmation": "行政确认",
    "payment": "行政给付",
    "reward": "行政奖励",
    "adjudication": "行政裁决",
}

SOURCE_WORDS = {
    "inspection": "检查发现",
    "assignment": "上级交办",
    "transfer": "有关部门移送",
    "complaint": "投诉举报",
    "application": "当事人申请",
}

SERVICE_WORDS = {
    "direct": "直接送达",
    "mail": "邮寄送达",
    "left_at_residence": "留置送达",
    "entrusted": "委托送达",
    "electronic": "电子送达",
    "public_notice": "公告送达",
}


def cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class CaseText:
    """What the records of one case say about it."""

    rng: random.Random
    agency: str
    unit: str
    action_type: str
    matter: str
    violation: str
    basis: str
    party: str
    party_info: str
    party_signer: str
    address: str
    source_kind: str
    provider: str
    officer1: str
    cert1: str
    officer2: str
    cert2: str
    unit_head: str
    agency_head: str
    opened_on: datetime.date
    amount: str = ""
    witness: str = ""

    @property
    def officers(self) -> str:
        return f"{self.officer1}（执法证号{self.cert1}）、{self.officer2}（执法证号{self.cert2}）"

    @property
    def subject(self) -> str:
        """What the case is about, as a phrase."""
        return self.violation or self.matter

    def at(self, day: datetime.date) -> str:
        hour = 9 + self.rng.randrange(8)
        return f"{cn(day)}{hour}时{self.rng.choice(('00', '10', '20', '30', '40', '50'))}分，{self.address}"


_Fn = Callable[[CaseText, datetime.date], str]

_CHECKS = (
    "当事人未能提供有效许可证件",
    "现场查见相关物品及经营台账",
    "现场拍摄照片12张并制作视听资料",
    "经营场所内张贴的公示信息与实际不符",
    "现场存放的物品标签标识不全",
)
_RIGHTS = "已告知当事人有申请执法人员回避、陈述、申辩的权利，当事人表示不申请回避"
_REMEDY = (
    "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，"
    "或者在六个月内依法向人民法院提起行政诉讼"
)


def _q_and_a(c: CaseText, day: datetime.date) -> str:
    return (
        f"问：我们是{c.agency}的执法人员{c.officer1}、{c.officer2}，这是我们的执法证件，请过目。"
        f"你是否看清楚了？答：看清楚了。问：请介绍一下你的基本情况。答：{c.party_info}。"
        f"问：对{c.subject}的情况，请如实说明。答：情况属实，"
        f"{c.rng.choice(('我们不清楚相关规定', '是我们管理上的疏忽', '愿意配合调查并立即改正'))}。"
        "问：你还有什么补充？答：没有了。"
    )


_FIELDS: dict[str, _Fn] = {
    "accepted_on": lambda c, d: d.isoformat(),
    "adopted": lambda c, d: c.rng.choice(
        ("当事人提出的理由不成立，不予采纳", "当事人提出的部分理由成立，予以采纳并相应调整")
    ),
    "agency": lambda c, d: c.agency,
    "agency_head_opinion": lambda c, d: f"同意立案，由{c.unit}承办。{c.agency_head}",
    "agency_seal_date": lambda c, d: f"{c.agency}（印章）{cn(d)}",
    "amount": lambda c, d: c.amount or "不涉及",
    "applicant": lambda c, d: c.party_info,
    "application": lambda c, d: (
        f"{c.agency}关于申请强制执行{c.party}{c.matter}一案的申请书及相关材料"
    ),
    "applied_on": lambda c, d: d.isoformat(),
    "approval": lambda c, d: f"经{c.agency}负责人{c.agency_head}批准",
    "approver": lambda c, d: f"{c.agency}，{cn(d)}",
    "attendees": lambda c, d: f"{c.agency_head}、{c.unit_head}等机关负责人，承办人{c.officer1}列席",
    "basis": lambda c, d: c.basis,
    "case_source": lambda c, d: SOURCE_WORDS[c.source_kind],
    "certificates_shown": lambda c, d: f"执法人员{c.officer1}、{c.officer2}已向当事人出示执法证件",
    "change": lambda c, d: "变更经营场所地址，有效期延续五年",
    "checked_on": lambda c, d: d.isoformat(),
    "claims": lambda c, d: "当事人称系初次违法，危害后果轻微，且已主动改正，请求从轻处理",
    "collected_on": lambda c, d: d.isoformat(),
    "compensation": lambda c, d: "按照评估价格给予货币补偿",
    "conclusion": lambda c, d: c.rng.choice(
        ("符合相关标准", "不符合相关标准", "经集体讨论，同意承办机构意见")
    ),
    "condition": lambda c, d: "外包装完好，已清点封存",
    "confirmation": lambda c, d: "听证参加人已核对笔录无误并签字",
    "content": lambda c, d: f"就{c.subject}一事依法开展执法，执法过程已如实记录",
    "date": lambda c, d: d.isoformat(),
    "deadline": lambda c, d: "自收到本通知书之日起五个工作日内",
    "decision": lambda c, d: f"依据{c.basis}，决定准予{c.matter}",
    "delivered_on": lambda c, d: d.isoformat(),
    "discretion": lambda c, d: c.rng.choice(
        (
            "依据裁量基准，属一般情节",
            "依据裁量基准，当事人主动改正，属从轻情节",
            "依据裁量基准，属较重情节",
        )
    ),
    "discussion": lambda c, d: (
        f"与会人员对{c.party}{c.subject}一案的事实、证据、依据和处理意见进行了讨论"
    ),
    "document": lambda c, d: f"{c.agency}作出的决定书",
    "enforcement": lambda c, d: "逾期不履行的，本机关将依法加处罚款并申请人民法院强制执行",
    "evidence": lambda c, d: f"{c.party}的营业执照复印件、进货台账、销售记录等书证",
    "experts": lambda c, d: "相关领域专家三名",
    "facts": lambda c, d: f"经查，{c.party}{c.subject}，事实清楚",
    "facts_evidence": lambda c, d: (
        f"经查，{c.party}{c.subject}。以上事实有询问笔录、现场检查笔录、现场照片等证据证实"
    ),
    "facts_reasons": lambda c, d: f"申请人具备法定条件，申请办理{c.matter}",
    "facts_reasons_basis": lambda c, d: f"当事人{c.subject}，违反了{c.basis}的规定",
    "findings": lambda c, d: c.rng.choice(_CHECKS),
    "handler": lambda c, d: c.officer1,
    "handler_opinion": lambda c, d: f"建议依据{c.basis}作出处理。承办人{c.officer1}",
    "handling": lambda c, d: "责令当事人限期改正",
    "handover_to": lambda c, d: f"{c.unit}立案查处",
    "head_opinion": lambda c, d: f"同意。{c.agency_head}",
    "hearing_right": lambda c, d: (
        "当事人有权在收到本告知书之日起五个工作日内要求听证，逾期视为放弃"
    ),
    "host": lambda c, d: c.unit_head,
    "host_recorder": lambda c, d: f"主持人{c.unit_head}，记录人{c.officer2}",
    "how": lambda c, d: c.rng.choice(
        ("当事人书面声明放弃陈述、申辩", "当事人逾期未提出陈述、申辩")
    ),
    "informed": lambda c, d: (
        "已当场告知当事人采取行政强制措施的理由、依据以及依法享有的权利、救济途径"
    ),
    "inspection": lambda c, d: f"对{c.party}开展{c.matter}，发现涉嫌违法行为",
    "institution": lambda c, d: "河南省产品质量监督检验院",
    "investigator_case": lambda c, d: f"调查人员{c.officer1}陈述了案件事实、证据和处理意见",
    "items": lambda c, d: c.rng.choice(("涉案物品一批，共计24件", "涉案物品三箱", "相关设备两台")),
    "legal_basis": lambda c, d: c.basis,
    "licence": lambda c, d: f"{c.matter}许可证（编号见原决定）",
    "materials": lambda c, d: "申请书、主体资格证明文件、场所证明及相关材料",
    "matter": lambda c, d: c.matter,
    "measure": lambda c, d: "查封、扣押",
    "method": lambda c, d: "直接送达",
    "notified_on": lambda c, d: d.isoformat(),
    "object": lambda c, d: c.party,
    "objects": lambda c, d: "涉案物品一批（详见查封、扣押清单）",
    "obligation": lambda c, d: f"请于收到本催告书之日起十日内履行，缴纳罚款{c.amount}",
    "officer_opinion": lambda c, d: "建议予以办理",
    "officer_signature": lambda c, d: f"{c.officer1}、{c.officer2}",
    "officers": lambda c, d: c.officers,
    "opinion": lambda c, d: "申请材料齐全，符合法定形式，建议准予",
    "ordered": lambda c, d: "责令当事人立即改正违法行为",
    "paid_on": lambda c, d: d.isoformat(),
    "participants": lambda c, d: f"当事人{c.party_signer}，调查人员{c.officer1}、{c.officer2}",
    "party": lambda c, d: c.party_info,
    "party_case": lambda c, d: "当事人对事实无异议，请求从轻处罚",
    "party_opinion": lambda c, d: "无异议",
    "party_present": lambda c, d: f"已通知当事人到场，{c.party_signer}到场",
    "penalty_basis": lambda c, d: f"依据{c.basis}，决定给予罚款{c.amount}的行政处罚",
    "performance": lambda c, d: "当事人应当自收到本决定书之日起十五日内到指定银行缴纳罚款",
    "performed_on": lambda c, d: d.isoformat(),
    "person": lambda c, d: c.party_signer,
    "place": lambda c, d: c.address,
    "present": lambda c, d: f"当事人{c.party_signer}到场",
    "proposal": lambda c, d: f"建议依据{c.basis}作出处理",
    "proposed": lambda c, d: f"拟依据{c.basis}，给予罚款{c.amount or '（依裁量基准确定）'}的处理",
    "provider": lambda c, d: c.provider or "本机关执法人员",
    "published": lambda c, d: f"于{cn(d)}在{c.agency}门户网站公告",
    "quantity": lambda c, d: "一式三份，每份500克",
    "reason": lambda c, d: f"{SOURCE_WORDS[c.source_kind]}：{c.party}涉嫌{c.subject}",
    "reason_basis": lambda c, d: f"当事人涉嫌{c.subject}，依据{c.basis}",
    "reason_basis_term": lambda c, d: f"当事人涉嫌{c.subject}，依据{c.basis}，期限三十日",
    "reasons": lambda c, d: "申请材料不齐全且逾期未补正",
    "received_on": lambda c, d: c.opened_on.isoformat(),
    "recipient": lambda c, d: c.party_signer,
    "recorder": lambda c, d: c.officer2,
    "recusal_right": lambda c, d: "当事人认为执法人员与本案有直接利害关系的，有权申请回避",
    "registrar": lambda c, d: c.officer1,
    "remedy": lambda c, d: _REMEDY,
    "requested": lambda c, d: "否",
    "respondent": lambda c, d: c.party_info,
    "respondent_check": lambda c, d: "以上笔录我已看过，与我说的一致",
    "result": lambda c, d: "已按要求办理完毕",
    "return": lambda c, d: "查封、扣押的财物已全部退还当事人",
    "review": lambda c, d: "经复核，当事人提出的事实、理由和证据不足以改变拟作出的处理决定",
    "review_opinion": lambda c, d: "本案不属于重大执法决定法制审核目录范围",
    "reviewers": lambda c, d: c.unit_head,
    "rights": lambda c, d: _RIGHTS,
    "ruling": lambda c, d: "人民法院准予强制执行的行政裁定书",
    "scope": lambda c, d: c.address,
    "seal": lambda c, d: f"{c.agency}（印章）",
    "served_on": lambda c, d: d.isoformat(),
    "signature": lambda c, d: f"{c.party_signer}签收",
    "signing": lambda c, d: f"当事人{c.party_signer}签名确认",
    "source_type": lambda c, d: SOURCE_WORDS[c.source_kind],
    "statement": lambda c, d: "当事人对现场情况无异议",
    "statement_right": lambda c, d: "当事人有权进行陈述和申辩",
    "subject": lambda c, d: "涉案物品的质量检验",
    "summary": lambda c, d: f"{c.party}{c.subject}一案已办理完毕",
    "term": lambda c, d: "自决定之日起七日内",
    "time_place": lambda c, d: c.at(d),
    "unit_head_opinion": lambda c, d: f"同意立案调查。{c.unit_head}",
    "unit_opinion": lambda c, d: f"同意承办人意见。{c.unit_head}",
    "verification": lambda c, d: "经实地核查，申请材料与实际情况一致",
    "violations": lambda c, d: c.subject,
}

# Where a field means something particular in one kind.
_BY_KIND: dict[tuple[str, str], _Fn] = {
    ("case_source_register", "party"): lambda c, d: c.party,
    ("case_source_register", "summary"): lambda c, d: f"反映{c.party}涉嫌{c.subject}",
    ("case_source_register", "received_on"): lambda c, d: d.isoformat(),
    ("source_notification", "recipient"): lambda c, d: c.provider or c.party_signer,
    ("source_notification", "content"): lambda c, d: (
        f"您反映的{c.party}涉嫌{c.subject}一事，本机关已依法查处"
    ),
    ("source_notification", "method"): lambda c, d: "电话告知并记录",
    ("source_notification", "notified_on"): lambda c, d: d.isoformat(),
    ("inquiry_record", "content"): _q_and_a,
    ("inspection_record", "content"): lambda c, d: (
        f"依法对{c.party}开展{c.matter}，检查了经营场所、相关证照和台账"
    ),
    ("implementation_record", "process"): lambda c, d: (
        f"执法人员依法实施，当事人{c.party_signer}在场"
    ),
    ("onsite_record", "process"): lambda c, d: (
        f"执法人员依法对{c.party}的涉案物品实施查封、扣押，并当场交付决定书和清单"
    ),
    ("statement_record", "content"): lambda c, d: (
        "当事人陈述：对违法事实无异议，系初次违法，请求从轻处罚"
    ),
    ("performance_record", "content"): lambda c, d: (
        f"当事人已全额缴纳罚款{c.amount or ''}".rstrip()
    ),
    ("performance_record", "method"): lambda c, d: "银行缴款，缴款凭证已存档",
    ("enforcement_record", "method"): lambda c, d: "加处罚款",
    ("enforcement_record", "process"): lambda c, d: "当事人逾期未履行，经催告后依法加处罚款",
    ("enforcement_record", "result"): lambda c, d: "当事人已履行全部义务",
    ("inspection_result", "result"): lambda c, d: c.rng.choice(
        ("未发现问题", "发现问题，已责令改正")
    ),
    ("correction_record", "result"): lambda c, d: "经复查，当事人已改正",
    ("closure_approval", "summary"): lambda c, d: f"{c.party}{c.subject}一案，已依法办理完毕",
    ("closure_approval", "result"): lambda c, d: "已执行完毕",
    ("closure_approval", "officer_opinion"): lambda c, d: f"建议结案。承办人{c.officer1}",
    ("examination_record", "opinion"): lambda c, d: (
        "经审查，申请材料齐全、符合法定形式，建议予以办理"
    ),
    ("examination_record", "handler"): lambda c, d: c.officer1,
    ("legal_review_opinion", "result"): lambda c, d: "通过",
    ("legal_review_opinion", "reasons"): lambda c, d: "事实清楚，证据确凿，适用依据正确，程序合法",
    ("hearing_report", "summary"): lambda c, d: "听证会按期举行，当事人到场陈述",
    ("licence_decision", "reasons"): lambda c, d: "申请人符合法定条件、标准",
    ("rejection_notice", "reasons"): lambda c, d: "申请事项不属于本机关职权范围",
    ("decision_document", "decision"): lambda c, d: f"依据{c.basis}，决定{c.matter}",
    ("service_receipt", "method"): lambda c, d: "直接送达",
    ("testing_record", "conclusion"): lambda c, d: "检验结论：所检项目不符合标准要求",
    ("expert_opinion", "opinion"): lambda c, d: "专家组经论证，同意承办机构意见",
}


def record_data(kind: str, c: CaseText, day: datetime.date, **override: str) -> dict[str, str]:
    """Every data field of ``kind`` (see the module docstring)."""
    data: dict[str, str] = {}
    for f in registry().kind(kind).fields:
        if f.name in NOT_DATA_FIELDS:
            continue
        if f.name in override:
            data[f.name] = override[f.name]
            continue
        fn = _BY_KIND.get((kind, f.name)) or _FIELDS.get(f.name)
        data[f.name] = fn(c, day) if fn is not None else f"{f.label}：详见案卷"
    return data
