"""Realistic sample inputs for every builder (tests, demos, visual checks).

``sanxiang render_document_samples DIR`` writes each as a PDF.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from sanxiang.documents.builders import (
    QA,
    CaseOpeningApproval,
    Discretion,
    Finding,
    GenericRecord,
    Interviewee,
    LegalReviewOpinion,
    OfficerInfo,
    Opinion,
    PartyInfo,
    PartyKind,
    Payment,
    PenaltyDecision,
    PenaltyItem,
    Remedy,
    ReviewItem,
    Section,
    ServedDocument,
    ServiceMethod,
    ServiceReceipt,
    build_case_opening_approval,
    build_generic_record,
    build_inquiry_record,
    build_legal_review_opinion,
    build_penalty_decision,
    build_service_receipt,
)
from sanxiang.documents.builders import InquiryRecord as InquiryRecordInput
from sanxiang.documents.casefile import CaseFileCover
from sanxiang.documents.layout import Document, Signature

AGENCY = "郑州市市场监督管理局"
OFFICER_A = OfficerInfo(name="张建国", certificate_no="41010020230015")
OFFICER_B = OfficerInfo(name="李秀英", certificate_no="41010020230027")
DAY = datetime.date(2026, 11, 24)

COMPANY = PartyInfo(
    kind=PartyKind.LEGAL_PERSON,
    name="郑州市鑫荣商贸有限公司",
    id_number="91410105MA9FXK2L3Q",
    address="河南省郑州市金水区花园路88号鑫荣大厦1201室",
    representative="王德明",
    phone="0371-65550123",
)
PERSON = PartyInfo(
    kind=PartyKind.PERSON,
    name="赵淼",
    gender="女",
    birth_date=datetime.date(1988, 3, 14),
    id_number="410105198803140028",
    address="河南省郑州市二七区大学路12号院3号楼2单元501号",
    phone="13803710000",
)

FACTS = (
    "2026年11月3日，本局执法人员根据消费者投诉，对当事人位于郑州市金水区花园路88号的"
    "经营场所进行检查，发现当事人货架上陈列销售的“鑫荣”牌黄油曲奇饼干（规格：200g/袋，"
    "生产日期：2026年6月15日）标签未标注生产者的名称、地址和联系方式，不符合《食品安全"
    "国家标准 预包装食品标签通则》（GB 7718-2011）第4.1.6条的规定。经查，当事人自2026年"
    "8月1日起购进并销售上述饼干共计1,280袋，销售单价12.50元，货值金额16,000.00元，"
    "违法所得3,200.00元。"
)


def case_opening_approval() -> CaseOpeningApproval:
    return CaseOpeningApproval(
        agency=AGENCY,
        number="郑市监立〔2026〕103号",
        date=datetime.date(2026, 11, 4),
        case_cause="销售标签不符合食品安全标准的预包装食品",
        source="投诉举报",
        source_received_on=datetime.date(2026, 11, 2),
        start_reason=(
            "2026年11月2日接消费者投诉，反映当事人销售的饼干标签无生产者信息；"
            "11月3日现场检查核实，涉嫌违反《中华人民共和国食品安全法》第六十七条、第七十一条。"
        ),
        party=COMPANY,
        facts=FACTS,
        officer_opinion=Opinion(
            text="当事人涉嫌销售标签不符合食品安全标准的预包装食品，符合立案条件，建议立案调查。",
            signers=(OFFICER_A.name, OFFICER_B.name),
            signed_on=datetime.date(2026, 11, 4),
        ),
        unit_head_opinion=Opinion(
            text="同意立案，由张建国、李秀英承办。",
            signers=("孙卫东",),
            signed_on=datetime.date(2026, 11, 4),
        ),
        agency_head_opinion=Opinion(
            text="同意。", signers=("周明",), signed_on=datetime.date(2026, 11, 5)
        ),
    )


def inquiry_record() -> InquiryRecordInput:
    return InquiryRecordInput(
        agency=AGENCY,
        case_cause="郑州市鑫荣商贸有限公司涉嫌销售标签不符合食品安全标准的预包装食品",
        started_at=datetime.datetime(2026, 11, 6, 9, 30),
        ended_at=datetime.datetime(2026, 11, 6, 10, 45),
        place="郑州市市场监督管理局金水分局询问室（二楼203室）",
        interviewers=(OFFICER_A, OFFICER_B),
        recorder=OFFICER_B,
        interviewee=Interviewee(
            name="王德明",
            relation="当事人的法定代表人",
            gender="男",
            birth_date=datetime.date(1975, 9, 2),
            id_number="410105197509020031",
            workplace="郑州市鑫荣商贸有限公司 执行董事兼总经理",
            address="河南省郑州市金水区经三路66号",
            phone="13903710000",
        ),
        qa=(
            QA(
                question="请介绍一下你公司的基本情况。",
                answer="我公司成立于2019年，主要经营预包装食品的批发和零售，我是法定代表人。",
            ),
            QA(
                question="你公司销售的“鑫荣”牌黄油曲奇饼干是从哪里购进的？共购进多少？",
                answer="是2026年8月1日从河南省新郑市一家食品厂购进的，共购进1,500袋，进价每袋8.00元，有送货单。",
            ),
            QA(
                question="截至检查时销售了多少？",
                answer="卖了1,280袋，每袋卖12.50元，剩下的220袋已经被你们扣押了。",
            ),
            QA(
                question="你是否知道该饼干的标签没有标注生产者的名称、地址和联系方式？",
                answer="当时没有注意，进货时没有认真查验标签。",
            ),
            QA(
                question="你还有什么需要补充的吗？",
                answer="没有了。我们会立即整改，以后进货认真查验。",
            ),
        ),
        interviewee_signature=Signature(
            role="被询问人", name="王德明", date=datetime.date(2026, 11, 6)
        ),
        interviewers_signed_on=datetime.date(2026, 11, 6),
    )


def penalty_decision() -> PenaltyDecision:
    return PenaltyDecision(
        agency=AGENCY,
        number="郑市监罚〔2026〕15号",
        decided_on=DAY,
        party=COMPANY,
        case_intro=(
            "2026年11月2日，本局接到消费者投诉，反映当事人销售的饼干标签不符合规定。"
            "经现场检查核实，本局于2026年11月5日立案调查。"
        ),
        facts=FACTS,
        evidence=(
            "当事人营业执照复印件、法定代表人身份证明",
            "2026年11月3日现场检查笔录及现场照片、执法记录仪音像资料",
            "2026年11月6日对王德明的询问笔录",
            "涉案饼干实物照片及标签",
            "进货送货单、销售记录",
        ),
        statement_and_hearing=(
            "本局于2026年11月16日向当事人送达了《行政处罚告知书》，告知其拟作出行政处罚的内容及"
            "事实、理由、依据，并告知其依法享有陈述、申辩和要求听证的权利。当事人在法定期限内"
            "未提出陈述、申辩，也未要求听证。"
        ),
        violated="《中华人民共和国食品安全法》第六十七条第一款第二项、第七十一条第一款",
        basis="《中华人民共和国食品安全法》第一百二十五条第一款第二项",
        discretion=Discretion(
            standard="《河南省市场监督管理行政处罚裁量权适用规则》及食品安全类裁量基准第二十三项",
            circumstance="一般违法",
            reasons="当事人违法货值金额较小，积极配合调查并已主动整改",
        ),
        legal_review="本案经本局法制审核（郑市监法审〔2026〕8号）",
        penalties=(
            PenaltyItem(kind="没收违法所得", amount=Decimal("3200")),
            PenaltyItem(kind="没收违法销售的饼干220袋"),
            PenaltyItem(kind="罚款", amount=Decimal("50000")),
        ),
        payment=Payment(
            payee="郑州市非税收入财政专户",
            account="4100 1500 0100 5000 0001",
            method="可持本决定书到中国银行郑州各营业网点或通过“河南省非税收入电子缴款”系统缴纳",
        ),
        remedy=Remedy(review_body="郑州市人民政府", court="郑州市金水区人民法院"),
    )


def service_receipt() -> ServiceReceipt:
    return ServiceReceipt(
        agency=AGENCY,
        documents=(ServedDocument(title="行政处罚决定书", number="郑市监罚〔2026〕15号"),),
        recipient="郑州市鑫荣商贸有限公司",
        method=ServiceMethod.LEFT,
        served_at=datetime.datetime(2026, 11, 25, 10, 20),
        place="河南省郑州市金水区花园路88号鑫荣大厦1201室",
        servers=(OFFICER_A, OFFICER_B),
        recipient_signature=Signature(
            role="受送达人",
            refused=True,
            refusal_note="当事人法定代表人王德明拒绝签收，执法人员将文书留置于其办公室前台。",
        ),
        refusal_reason="对处罚决定有异议，拒绝签收",
        witnesses=("陈立（鑫荣大厦物业管理处工作人员）",),
        av_recorded=True,
    )


def legal_review_opinion(*, passed: bool = True) -> LegalReviewOpinion:
    items = [
        ReviewItem(
            key="subject",
            finding=Finding.PASS,
            note="本局具有食品安全监管执法主体资格；承办人员均持有效执法证件。",
        ),
        ReviewItem(key="procedure", finding=Finding.PASS, note="立案、调查、告知程序合法。"),
        ReviewItem(key="facts", finding=Finding.PASS, note="事实清楚，证据确实充分。"),
        ReviewItem(
            key="law",
            finding=Finding.PASS if passed else Finding.FAIL,
            note="适用法律正确，裁量适当。" if passed else "货值金额计算有误，裁量档次适用不当。",
        ),
        ReviewItem(key="authority", finding=Finding.PASS),
        ReviewItem(key="documents", finding=Finding.PASS, note="文书齐全、规范。"),
        ReviewItem(key="crime", finding=Finding.NOT_APPLICABLE, note="未发现涉嫌犯罪情形。"),
        ReviewItem(key="other", finding=Finding.NOT_APPLICABLE),
        ReviewItem(key="risk", finding=Finding.PASS, note="法律风险较低。"),
    ]
    return LegalReviewOpinion(
        agency=AGENCY,
        legal_unit="郑州市市场监督管理局法规科",
        number="郑市监法审〔2026〕8号",
        handling_unit="食品经营安全监督管理科",
        case_title="郑州市鑫荣商贸有限公司销售标签不符合食品安全标准的预包装食品案",
        submitted_on=datetime.date(2026, 11, 18),
        reviewed_on=datetime.date(2026, 11, 20),
        round_no=1 if passed else 2,
        materials=(
            "拟作出的行政处罚决定书",
            "调查终结报告",
            "证据材料目录及证据",
            "行政处罚告知书及送达回证",
        ),
        proposed_decision="没收违法所得3,200.00元、没收违法销售的饼干220袋，并处罚款50,000.00元",
        items=items,
        passed=passed,
        reasons=""
        if passed
        else "调查终结报告认定的货值金额与销售记录不一致，据此确定的裁量档次需重新核定",
        suggestions="" if passed else "重新核实货值金额并据实适用裁量基准后再次报送审核。",
        reviewers=(
            OfficerInfo(name="刘洋", certificate_no="41010020210101"),
            OfficerInfo(name="马丽", certificate_no="41010020210102"),
        ),
        unit_head="何振华",
        rules_name="《郑州市重大行政执法决定法制审核办法》",
    )


def generic_record() -> GenericRecord:
    return GenericRecord(
        title="现场检查笔录",
        agency=AGENCY,
        date=datetime.date(2026, 11, 3),
        number="郑市监检〔2026〕311号",
        fields=(
            ("检查时间", "2026年11月3日14时10分至15时05分"),
            ("检查地点", "郑州市金水区花园路88号鑫荣大厦1楼"),
            ("被检查人", COMPANY.name),
            ("法定代表人", COMPANY.representative),
            ("检查人员", f"{OFFICER_A.label()}、{OFFICER_B.label()}"),
            ("记录人", OFFICER_B.name),
        ),
        sections=(
            Section(
                heading="检查情况",
                text=(
                    "执法人员出示执法证件，表明身份，告知被检查人依法享有的权利。经检查，当事人货架"
                    "陈列“鑫荣”牌黄油曲奇饼干220袋，标签未标注生产者名称、地址和联系方式。执法人员"
                    "对现场进行了拍照和录像。"
                ),
                min_lines=5,
            ),
        ),
        signatures=(
            Signature(role="被检查人", name="王德明", date=datetime.date(2026, 11, 3)),
            Signature(role="检查人员", name=OFFICER_A.name, date=datetime.date(2026, 11, 3)),
            Signature(role="检查人员", name=OFFICER_B.name, date=datetime.date(2026, 11, 3)),
        ),
        per_page_signature="被检查人签名：",
    )


def case_file_cover() -> CaseFileCover:
    return CaseFileCover(
        agency=AGENCY,
        title="行政处罚案卷",
        case_cause="销售标签不符合食品安全标准的预包装食品",
        parties=COMPANY.name,
        case_number="郑市监罚〔2026〕15号",
        result="没收违法所得3,200.00元、没收违法销售的饼干220袋，罚款50,000.00元",
        officers=f"{OFFICER_A.name}、{OFFICER_B.name}",
        opened_on=datetime.date(2026, 11, 5),
        closed_on=datetime.date(2026, 12, 10),
        retention="定期30年",
        archive_number="Z012-2026-XZCF-0015",
        filed_by=OFFICER_B.name,
        archived_on=datetime.date(2026, 12, 20),
    )


def all_documents() -> dict[str, Document]:
    """Every sample, built."""
    return {
        "case_opening_approval": build_case_opening_approval(case_opening_approval()),
        "inquiry_record": build_inquiry_record(inquiry_record()),
        "penalty_decision": build_penalty_decision(penalty_decision()),
        "service_receipt": build_service_receipt(service_receipt()),
        "legal_review_pass": build_legal_review_opinion(legal_review_opinion(passed=True)),
        "legal_review_fail": build_legal_review_opinion(legal_review_opinion(passed=False)),
        "generic_record": build_generic_record(generic_record()),
    }
