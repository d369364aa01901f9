"""Builders refuse inconsistent input with the article, and render each variant."""

from __future__ import annotations

import dataclasses
import datetime
import re
from decimal import Decimal

import pytest

from sanxiang.documents import samples
from sanxiang.documents.builders import (
    REVIEW_CHECKLIST,
    DocumentInputError,
    Finding,
    GenericRecord,
    PartyInfo,
    PartyKind,
    PenaltyItem,
    ReviewItem,
    Section,
    ServiceMethod,
    build_case_opening_approval,
    build_generic_record,
    build_inquiry_record,
    build_legal_review_opinion,
    build_penalty_decision,
    build_service_receipt,
)
from sanxiang.documents.layout import Signature
from sanxiang.documents.render import render_pdf
from tests.documents.helpers import squash

replace = dataclasses.replace


# --- 法制审核意见书 ------------------------------------------------------------------------


def test_review_pass_with_a_failed_item_is_refused():
    opinion = samples.legal_review_opinion(passed=False)
    with pytest.raises(DocumentInputError, match="000 第十七条"):
        build_legal_review_opinion(replace(opinion, passed=True))


def test_review_fail_needs_reasons_and_a_failed_item():
    opinion = samples.legal_review_opinion(passed=False)
    with pytest.raises(DocumentInputError, match="说明理由"):
        build_legal_review_opinion(replace(opinion, reasons="  "))
    all_pass = [replace(i, finding=Finding.PASS) for i in opinion.items]
    with pytest.raises(DocumentInputError, match="指明不符合的审核事项"):
        build_legal_review_opinion(replace(opinion, items=all_pass))


def test_review_must_answer_every_checklist_item():
    opinion = samples.legal_review_opinion()
    with pytest.raises(DocumentInputError, match="000 第十六条") as info:
        build_legal_review_opinion(replace(opinion, items=opinion.items[1:]))
    assert REVIEW_CHECKLIST[0][1] in str(info.value)
    extra = [*opinion.items, ReviewItem(key="subject", finding=Finding.PASS)]
    with pytest.raises(DocumentInputError, match="重复"):
        build_legal_review_opinion(replace(opinion, items=extra))
    with pytest.raises(DocumentInputError, match="审核人员"):
        build_legal_review_opinion(replace(opinion, reviewers=()))


def test_review_failure_names_the_failed_items(poppler):
    pdf = render_pdf(build_legal_review_opinion(samples.legal_review_opinion(passed=False)))
    text = squash(poppler.text(pdf))
    assert "下列事项不符合要求：适用法律、法规、规章是否准确，裁量基准运用是否适当" in text
    assert "《郑州市重大行政执法决定法制审核办法》第十六条" in text
    assert not re.search(r"00[0-4]第", text)  # internal file codes never reach a document


# --- 送达回证 -----------------------------------------------------------------------------


def _receipt(method: ServiceMethod, **changes):
    base = replace(
        samples.service_receipt(),
        method=method,
        recipient_signature=Signature(
            role="受送达人", name="王德明", date=datetime.date(2026, 11, 25)
        ),
        refusal_reason="",
        witnesses=(),
        av_recorded=False,
    )
    return replace(base, **changes)


VALID = {
    ServiceMethod.DIRECT: {},
    ServiceMethod.LEFT: {
        "recipient_signature": Signature(role="受送达人", refused=True, refusal_note="拒绝签收。"),
        "refusal_reason": "拒绝签收",
        "witnesses": ("陈立",),
    },
    ServiceMethod.ENTRUSTED: {"entrusted_to": "郑州市金水区市场监督管理局"},
    ServiceMethod.MAIL: {"tracking_number": "1180012345678", "recipient_signature": None},
    ServiceMethod.ELECTRONIC: {
        "electronic_address": "xinrong@example.com",
        "consent_on_file": True,
        "recipient_signature": None,
    },
    ServiceMethod.PUBLIC_NOTICE: {
        "notice_medium": "郑州市市场监督管理局门户网站",
        "notice_period": "2026年11月25日至2027年1月24日",
        "recipient_signature": None,
    },
}


@pytest.mark.parametrize("method", list(ServiceMethod))
def test_each_service_method_renders_with_its_box_ticked(method, poppler):
    assert len(ServiceMethod) == 6  # 002 第三十九条
    pdf = render_pdf(build_service_receipt(_receipt(method, **VALID[method])))
    text = squash(poppler.text(pdf))
    assert f"■{method.label}" in text
    for other in ServiceMethod:
        if other != method:
            assert f"□{other.label}" in text


@pytest.mark.parametrize(
    ("method", "changes", "message"),
    [
        (ServiceMethod.DIRECT, VALID[ServiceMethod.LEFT], "应当采用留置送达"),
        (ServiceMethod.LEFT, {**VALID[ServiceMethod.LEFT], "refusal_reason": ""}, "拒收事由"),
        (ServiceMethod.LEFT, {**VALID[ServiceMethod.LEFT], "witnesses": ()}, "见证人"),
        (ServiceMethod.LEFT, {**VALID[ServiceMethod.LEFT], "witnesses": (), "av_recorded": True, "place": ""}, "留置的地点"),
        (ServiceMethod.MAIL, {"tracking_number": ""}, "邮件号码"),
        (ServiceMethod.ELECTRONIC, {**VALID[ServiceMethod.ELECTRONIC], "consent_on_file": False}, "第六十一条"),
        (ServiceMethod.ELECTRONIC, {"consent_on_file": True}, "电子邮件地址"),
        (ServiceMethod.ENTRUSTED, {}, "受委托"),
        (ServiceMethod.PUBLIC_NOTICE, {"notice_medium": "网站"}, "公告期间"),
    ],
)  # fmt: skip
def test_service_receipt_refuses_incomplete_input(method, changes, message):
    with pytest.raises(DocumentInputError, match=message):
        build_service_receipt(_receipt(method, **changes))


def test_left_service_is_valid_with_av_instead_of_witnesses():
    receipt = _receipt(
        ServiceMethod.LEFT, **{**VALID[ServiceMethod.LEFT], "witnesses": (), "av_recorded": True}
    )
    assert build_service_receipt(receipt).title == "送达回证"


# --- 询问笔录 / signatures ---------------------------------------------------------------------


def test_refusal_to_sign_needs_a_note_and_is_printed(poppler):
    record = samples.inquiry_record()
    refused = Signature(role="被询问人", refused=True)
    with pytest.raises(DocumentInputError, match="004 第十三条"):
        build_inquiry_record(replace(record, interviewee_signature=refused))
    both = Signature(role="被询问人", name="王德明", refused=True, refusal_note="x")
    with pytest.raises(DocumentInputError, match="只能有一项"):
        build_inquiry_record(replace(record, interviewee_signature=both))
    note = "被询问人对笔录内容无异议，但拒绝签名，执法人员张建国、李秀英在场。"
    ok = Signature(
        role="被询问人", refused=True, refusal_note=note, date=datetime.date(2026, 11, 6)
    )
    text = squash(
        poppler.text(render_pdf(build_inquiry_record(replace(record, interviewee_signature=ok))))
    )
    assert "被询问人签名：拒绝签名" in text
    assert squash(note) in text


def test_inquiry_record_requires_officers_and_questions():
    record = samples.inquiry_record()
    with pytest.raises(DocumentInputError, match="002 第三十一条"):
        build_inquiry_record(replace(record, interviewers=()))
    with pytest.raises(DocumentInputError, match="002 第三十二条"):
        build_inquiry_record(replace(record, qa=()))
    with pytest.raises(DocumentInputError, match="结束时间"):
        build_inquiry_record(
            replace(record, ended_at=record.started_at - datetime.timedelta(hours=1))
        )


def test_inquiry_record_states_certificates_shown(poppler):
    text = squash(poppler.text(render_pdf(build_inquiry_record(samples.inquiry_record()))))
    assert "已出示执法证件" in text
    assert "执法证件编号分别为41010020230015、41010020230027" in text


# --- 立案审批表 / 决定书 -------------------------------------------------------------------------


def test_case_opening_approval_requires_the_article_28_contents():
    approval = samples.case_opening_approval()
    for field in ("start_reason", "facts", "case_cause"):
        with pytest.raises(DocumentInputError, match="002 第二十八条"):
            build_case_opening_approval(replace(approval, **{field: " "}))


def test_case_opening_approval_person_and_emergency(poppler):
    approval = replace(
        samples.case_opening_approval(),
        party=samples.PERSON,
        emergency_note="现场发现正在销售，先行登记保存后补办审批。",
    )
    text = squash(poppler.text(render_pdf(build_case_opening_approval(approval))))
    assert "身份证号码：410105198803140028" in text
    assert "情况紧急，先行启动行政执法程序" in text


def test_penalty_decision_requires_payment_for_money_penalties():
    decision = samples.penalty_decision()
    with pytest.raises(DocumentInputError, match="缴款"):
        build_penalty_decision(replace(decision, payment=None))
    with pytest.raises(DocumentInputError):
        build_penalty_decision(replace(decision, penalties=()))
    warning_only = replace(decision, payment=None, penalties=(PenaltyItem(kind="警告"),))
    assert build_penalty_decision(warning_only).title == "行政处罚决定书"


def test_penalty_decision_for_a_person(poppler):
    decision = replace(
        samples.penalty_decision(),
        party=samples.PERSON,
        penalties=(PenaltyItem(kind="罚款", amount=Decimal("10500.50")),),
    )
    text = squash(poppler.text(render_pdf(build_penalty_decision(decision))))
    assert "当事人：赵淼" in text
    assert "身份证号码：410105198803140028" in text
    assert "罚款人民币壹万零伍佰元伍角（¥10,500.50）" in text


def test_party_fields_by_kind():
    org = PartyInfo(kind=PartyKind.OTHER_ORG, name="某某个体户", representative="钱七")
    assert ("负责人", "钱七") in org.fields()
    assert ("法定代表人", "王德明") in samples.COMPANY.fields()


# --- generic -------------------------------------------------------------------------------


def test_generic_record_as_letter_with_seal(poppler):
    record = GenericRecord(
        title="行政处罚告知书",
        agency=samples.AGENCY,
        date=datetime.date(2026, 11, 16),
        number="郑市监告〔2026〕21号",
        form=False,
        addressee="郑州市鑫荣商贸有限公司",
        sections=(
            Section(heading="", text="本局拟对你单位作出行政处罚。你单位有权进行陈述和申辩。"),
        ),
        seal=True,
    )
    text = squash(poppler.text(render_pdf(build_generic_record(record))))
    assert "郑州市鑫荣商贸有限公司：" in text
    assert "（印章）" in text


def test_generic_record_refusal_needs_note():
    record = replace(
        samples.generic_record(), signatures=(Signature(role="被检查人", refused=True),)
    )
    with pytest.raises(DocumentInputError, match="004 第十三条"):
        build_generic_record(record)
