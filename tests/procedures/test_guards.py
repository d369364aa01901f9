"""Each guard with a state that passes it and states that fail it; each failure names its
rule and article."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from sanxiang.procedures import registry
from sanxiang.procedures.guards import GUARDS, GuardContext
from sanxiang.procedures.state import (
    AVItem,
    CaseState,
    OfficerOnStage,
    RecordSnapshot,
    ReviewStatus,
    StageEntry,
    Violation,
)

from .builders import OPENED, complete_record, fake_due_date, new_state

D = datetime.date


def run(guard: str, state: CaseState, transition: str) -> list[Violation]:
    reg = registry()
    procedure = reg.procedures[state.procedure]
    t = procedure.transition(transition)
    assert t is not None
    assert t.from_stage == state.stage
    ctx = GuardContext(
        state=state, procedure=procedure, registry=reg, transition=t, due_date=fake_due_date
    )
    violations = GUARDS[guard].check(ctx)
    for v in violations:
        assert v.source and v.message.endswith(f"（{v.source}）"), v
    return violations


def codes(violations: list[Violation]) -> list[str]:
    return [v.code for v in violations]


def rec(kind: str, stage: str, day: D = OPENED, **kw) -> RecordSnapshot:
    return RecordSnapshot(kind=kind, stage=stage, made_on=day, **kw)


def at(code: str, stage: str, *records: RecordSnapshot, **changes) -> CaseState:
    return replace(new_state(code, stage=stage, records=records), **changes)


def officers(stage: str, *valid: bool) -> tuple[OfficerOnStage, ...]:
    return tuple(
        OfficerOnStage(
            officer=f"O{i}",
            stage=stage,
            certificate_valid=ok,
            name=f"执法人员{i}",
            certificate_number=f"41000{i}",
            reason="" if ok else "执法证已过期",
        )
        for i, ok in enumerate(valid, start=1)
    )


# ------------------------------------------------------------------ implicit guards


def test_stage_records_complete():
    state = new_state("penalty_general")
    found = run("stage_records_complete", state, "file")
    assert codes(found) == ["missing_record", "missing_record"]
    assert "立案环节缺少案件来源登记表" in found[0].message
    assert found[1].source == "002 第二十八条"
    unsigned = rec("filing_approval", "filing", signed_by=frozenset({"officer", "unit_head"}))
    state = at(
        "penalty_general", "filing", complete_record(state, "case_source_register"), unsigned
    )
    found = run("stage_records_complete", state, "file")
    assert codes(found) == ["missing_signature"]
    assert "立案审批表缺少机关负责人的签名" in found[0].message
    assert found[0].source == "004 第十三条"
    signed = replace(unsigned, signed_by=frozenset({"officer", "unit_head", "agency_head"}))
    state = at("penalty_general", "filing", state.records[0], signed)
    assert run("stage_records_complete", state, "file") == []


def test_a_party_refusal_stands_for_the_signature_but_a_staff_refusal_does_not():
    report = rec(
        "investigation_report", "investigation", signed_by=frozenset({"officer", "unit_head"})
    )
    refused = rec(
        "inquiry_record",
        "investigation",
        signed_by=frozenset({"officer"}),
        refused_by=frozenset({"party"}),
    )
    state = at("penalty_general", "investigation", refused, report)
    assert run("stage_records_complete", state, "to_notice") == []
    staff = rec(
        "inquiry_record",
        "investigation",
        signed_by=frozenset({"party"}),
        refused_by=frozenset({"officer"}),
    )
    state = at("penalty_general", "investigation", staff, report)
    found = run("stage_records_complete", state, "to_notice")
    assert codes(found) == ["missing_signature"]
    assert "询问笔录缺少执法人员的签名" in found[0].message


def test_superseded_records_do_not_count():
    state = new_state("penalty_general")
    source = replace(complete_record(state, "case_source_register"), superseded=True)
    approval = complete_record(state, "filing_approval")
    state = at("penalty_general", "filing", source, approval)
    assert "案件来源登记表" in run("stage_records_complete", state, "file")[0].message


def test_min_count():
    procedure = registry().procedures["penalty_general"]
    assert all(r.min_count == 1 for s in procedure.stages for r in s.required)


def test_mandatory_av_present():
    state = new_state("coercion")
    state = at(
        "coercion",
        "implementation",
        av_requirements={"implementation": "full_process"},
    )
    found = run("mandatory_av_present", state, "close")
    assert codes(found) == ["missing_full_process_av"]
    assert "全过程音像记录" in found[0].message
    partial = replace(state, av_items=(AVItem(stage="implementation", full_process=False),))
    assert codes(run("mandatory_av_present", partial, "close")) == ["missing_full_process_av"]
    full = replace(state, av_items=(AVItem(stage="implementation", full_process=True),))
    assert run("mandatory_av_present", full, "close") == []
    av = replace(state, av_requirements={"implementation": "av"})
    assert codes(run("mandatory_av_present", av, "close")) == ["missing_av"]
    elsewhere = replace(av, av_items=(AVItem(stage="notice"),))
    assert codes(run("mandatory_av_present", elsewhere, "close")) == ["missing_av"]
    assert run("mandatory_av_present", replace(partial, av_requirements={}), "close") == []


def test_dates_in_the_future_or_before_opening():
    future = rec("case_source_register", "filing", OPENED + datetime.timedelta(days=1))
    early = rec("case_source_register", "filing", OPENED - datetime.timedelta(days=1))
    state = at("penalty_general", "filing", future, early)
    found = run("no_future_dates", state, "file")
    assert codes(found) == ["future_date"]
    assert "晚于今天" in found[0].message
    found = run("dates_not_before_opening", state, "file")
    assert codes(found) == ["before_opening"]
    assert "早于案件启动之日" in found[0].message
    served_late = rec(
        "case_source_register", "filing", OPENED, served_on=OPENED + datetime.timedelta(days=3)
    )
    assert codes(run("no_future_dates", at("penalty_general", "filing", served_late), "file")) == [
        "future_date"
    ]
    ok = at("penalty_general", "filing", rec("case_source_register", "filing"))
    assert run("no_future_dates", ok, "file") == run("dates_not_before_opening", ok, "file") == []


# ------------------------------------------------------------------ officers


def test_two_certified_officers():
    state = at("penalty_general", "investigation", officers=officers("investigation", True))
    found = run("two_certified_officers", state, "to_notice")
    assert codes(found) == ["too_few_officers"]
    assert found[0].message == (
        "调查取证须由两名以上持有效执法证的执法人员进行，现有1名"
        "（《中华人民共和国行政处罚法》第四十二条；000 全过程记录办法 第十二条）"
    )
    state = replace(state, officers=officers("investigation", True, True))
    assert run("two_certified_officers", state, "to_notice") == []
    state = replace(state, officers=officers("investigation", True, True, False))
    found = run("two_certified_officers", state, "to_notice")
    assert codes(found) == ["uncertified_officer"]
    assert (
        "执法人员3（执法证号 410003）参与调查取证时执法证无效（执法证已过期）" in found[0].message
    )
    twice = officers("investigation", True) * 2
    assert codes(run("two_certified_officers", replace(state, officers=twice), "to_notice")) == [
        "too_few_officers"
    ]
    other_stage = officers("filing", True, True)
    assert codes(
        run("two_certified_officers", replace(state, officers=other_stage), "to_notice")
    ) == ["too_few_officers"]


def test_two_officers_cite_the_coercion_law_for_coercion():
    state = at("coercion", "implementation", officers=officers("implementation", True))
    found = run("two_certified_officers", state, "close")
    assert "《中华人民共和国行政强制法》第十八条" in found[0].source


def test_certified_officers():
    state = at("inspection", "site_inspection")
    assert codes(run("certified_officers", state, "conclude")) == ["too_few_officers"]
    state = replace(state, officers=officers("site_inspection", True))
    assert run("certified_officers", state, "conclude") == []
    state = replace(state, officers=officers("site_inspection", True, False))
    assert codes(run("certified_officers", state, "conclude")) == ["uncertified_officer"]


# ------------------------------------------------------------------ notice, statement, hearing


def test_rights_notice_served():
    state = at("penalty_general", "notice")
    assert codes(run("rights_notice_served", state, "hear_statement")) == ["rights_notice_missing"]
    unserved = rec("rights_notice", "notice", signed_by=frozenset({"officer", "party"}))
    state = at("penalty_general", "notice", unserved)
    found = run("rights_notice_served", state, "hear_statement")
    assert codes(found) == ["rights_notice_not_served"]
    assert "《中华人民共和国行政处罚法》第四十四条" in found[0].message
    served = replace(unserved, served_on=OPENED, service_method="direct")
    assert (
        run("rights_notice_served", at("penalty_general", "notice", served), "hear_statement") == []
    )
    receipt = rec("service_receipt", "notice", served_on=OPENED, document="rights_notice")
    state = at("penalty_general", "notice", unserved, receipt)
    assert run("rights_notice_served", state, "hear_statement") == []


def test_statement_heard_or_waived():
    state = at("penalty_general", "statement")
    found = run("statement_heard_or_waived", state, "submit_decision")
    assert codes(found) == ["statement_not_heard"]
    assert "002 第三十五条" in found[0].source
    heard = rec("statement_record", "statement", signed_by=frozenset({"officer", "party"}))
    assert (
        run(
            "statement_heard_or_waived",
            at("penalty_general", "statement", heard),
            "submit_decision",
        )
        == []
    )
    refused = rec(
        "statement_record",
        "statement",
        signed_by=frozenset({"officer"}),
        refused_by=frozenset({"party"}),
    )
    assert (
        run(
            "statement_heard_or_waived",
            at("penalty_general", "statement", refused),
            "submit_decision",
        )
        == []
    )
    unsigned = rec("statement_record", "statement", signed_by=frozenset({"officer"}))
    assert codes(
        run(
            "statement_heard_or_waived",
            at("penalty_general", "statement", unsigned),
            "submit_decision",
        )
    ) == ["statement_not_heard"]
    waived = rec(
        "statement_waiver", "statement", signed_by=frozenset({"officer"}), statement_waived=True
    )
    assert (
        run(
            "statement_heard_or_waived",
            at("penalty_general", "statement", waived),
            "submit_decision",
        )
        == []
    )


def _notice(day: D = OPENED) -> RecordSnapshot:
    return rec(
        "rights_notice",
        "notice",
        day,
        signed_by=frozenset({"officer", "party"}),
        served_on=day,
        service_method="direct",
    )


def _hearing_request(requested: bool, day: D = OPENED) -> RecordSnapshot:
    return rec(
        "hearing_request",
        "statement",
        day,
        signed_by=frozenset({"party"}),
        hearing_requested=requested,
    )


def test_hearing_requested():
    state = at("penalty_general", "statement", _notice(), _hearing_request(True))
    found = run("hearing_requested", state, "to_hearing")
    assert codes(found) == ["hearing_not_applicable"]
    state = replace(state, hearing_eligible=True)
    assert run("hearing_requested", state, "to_hearing") == []
    withdrawn = _hearing_request(False, OPENED + datetime.timedelta(days=1))
    state = replace(state, records=(*state.records, withdrawn), today=withdrawn.made_on)
    assert codes(run("hearing_requested", state, "to_hearing")) == ["hearing_not_requested"]


def test_hearing_period_passed():
    """Five working days after the notice is served (行政处罚法 第六十四条, 第八十五条)."""
    served = D(2024, 3, 8)  # a Friday: five working days later is Friday 15 March
    base = at(
        "penalty_general", "statement", _notice(served), hearing_eligible=True, today=D(2024, 3, 15)
    )
    found = run("hearing_period_passed", base, "submit_decision")
    assert codes(found) == ["hearing_period_running"]
    assert "至2024年3月15日" in found[0].message
    assert "《中华人民共和国行政处罚法》第六十四条" in found[0].message
    assert (
        run("hearing_period_passed", replace(base, today=D(2024, 3, 16)), "submit_decision") == []
    )
    waived = replace(base, records=(*base.records, _hearing_request(False, served)))
    assert run("hearing_period_passed", waived, "submit_decision") == []
    requested = replace(base, records=(*base.records, _hearing_request(True, served)))
    assert run("hearing_period_passed", requested, "submit_decision") == []
    assert (
        run("hearing_period_passed", replace(base, hearing_eligible=False), "submit_decision") == []
    )
    unserved = replace(base, records=(replace(_notice(served), served_on=None),))
    assert codes(run("hearing_period_passed", unserved, "submit_decision")) == [
        "hearing_period_not_started"
    ]


def test_hearing_held_if_requested():
    state = at(
        "penalty_general", "statement", _notice(), _hearing_request(True), hearing_eligible=True
    )
    found = run("hearing_held_if_requested", state, "submit_decision")
    assert codes(found) == ["hearing_not_held"]
    held = rec(
        "hearing_record",
        "hearing",
        signed_by=frozenset({"hearing_host", "recorder"}),
        refused_by=frozenset({"party"}),
    )
    state = replace(state, records=(*state.records, held))
    assert run("hearing_held_if_requested", state, "submit_decision") == []
    no_host = replace(held, signed_by=frozenset({"recorder", "party"}))
    state = replace(state, records=(*state.records[:-1], no_host))
    assert codes(run("hearing_held_if_requested", state, "submit_decision")) == ["hearing_not_held"]
    not_requested = at("penalty_general", "statement", _notice())
    assert run("hearing_held_if_requested", not_requested, "submit_decision") == []


def test_hearing_notice_timely():
    notice = rec(
        "hearing_notice",
        "hearing",
        D(2024, 3, 4),
        signed_by=frozenset({"officer"}),
        served_on=D(2024, 3, 4),
        service_method="direct",
    )
    hearing = rec(
        "hearing_record",
        "hearing",
        D(2024, 3, 12),
        signed_by=frozenset({"hearing_host", "recorder", "party"}),
    )
    state = at("penalty_general", "hearing", notice, hearing, today=D(2024, 3, 20))
    found = run("hearing_notice_timely", state, "hearing_done")
    assert codes(found) == ["hearing_notice_late"]
    assert "听证最早可于2024年3月13日举行" in found[0].message
    on_time = replace(hearing, made_on=D(2024, 3, 13))
    assert (
        run("hearing_notice_timely", replace(state, records=(notice, on_time)), "hearing_done")
        == []
    )
    unserved = replace(notice, served_on=None)
    assert codes(
        run("hearing_notice_timely", replace(state, records=(unserved, on_time)), "hearing_done")
    ) == ["hearing_notice_not_served"]


# ------------------------------------------------------------------ review and decision


def test_legal_review_passed_if_required():
    state = at("penalty_general", "decision")
    assert run("legal_review_passed_if_required", state, "issue") == []
    cases = {
        ReviewStatus(required=True): "review_missing",
        ReviewStatus(required=True, passed=False): "review_failed",
        ReviewStatus(required=True, passed=True, matches_decision=False): "review_outdated",
    }
    for review, code in cases.items():
        found = run("legal_review_passed_if_required", replace(state, review=review), "issue")
        assert codes(found) == [code]
        assert "《中华人民共和国行政处罚法》第五十八条" in found[0].source
        assert "000 法制审核办法 第三条" in found[0].source
    passed = replace(state, review=ReviewStatus(required=True, passed=True))
    assert run("legal_review_passed_if_required", passed, "issue") == []
    licence = at("licensing", "decision", review=ReviewStatus(required=True))
    found = run("legal_review_passed_if_required", licence, "issue")
    assert found[0].source == "000 法制审核办法 第三条；001 河南法制审核办法 第三条；002 第五十条"


def test_collective_discussion_if_required():
    state = at("penalty_general", "decision", collective_discussion_required=True)
    found = run("collective_discussion_if_required", state, "issue")
    assert codes(found) == ["collective_discussion_missing"]
    assert "第五十七条" in found[0].source
    minutes = rec(
        "collective_discussion", "decision", signed_by=frozenset({"agency_head", "recorder"})
    )
    assert (
        run("collective_discussion_if_required", replace(state, records=(minutes,)), "issue") == []
    )
    assert (
        run("collective_discussion_if_required", at("penalty_general", "decision"), "issue") == []
    )


def test_head_signed():
    state = at("penalty_general", "decision")
    assert codes(run("head_signed", state, "issue")) == ["decision_missing"]
    draft = rec("penalty_decision", "decision", signed_by=frozenset({"officer"}))
    found = run("head_signed", at("penalty_general", "decision", draft), "issue")
    assert codes(found) == ["head_not_signed"]
    assert found[0].source == "002 第三十八条；000 全过程记录办法 第十三条"
    signed = replace(draft, signed_by=frozenset({"agency_head"}))
    assert run("head_signed", at("penalty_general", "decision", signed), "issue") == []


@pytest.mark.parametrize(
    ("party_kind", "amount", "ok"),
    [
        ("natural_person", Decimal("200"), True),
        ("natural_person", Decimal("200.01"), False),
        ("legal_person", Decimal("3000"), True),
        ("other_organisation", Decimal("3001"), False),
        ("natural_person", None, True),  # 警告
    ],
)
def test_simple_procedure_limits(party_kind, amount, ok):
    decision = rec(
        "on_spot_decision", "decision", signed_by=frozenset({"officer", "party"}), amount=amount
    )
    state = at("penalty_simple", "decision", decision, party_kind=party_kind)
    found = run("simple_procedure_limits", state, "hand_over")
    assert (found == []) is ok
    if not ok:
        assert found[0].source == "《中华人民共和国行政处罚法》第五十一条"
        assert "应适用一般程序" in found[0].message


# ------------------------------------------------------------------ service


def _decision(served: bool) -> RecordSnapshot:
    return rec(
        "penalty_decision",
        "decision",
        signed_by=frozenset({"agency_head"}),
        served_on=OPENED if served else None,
    )


def _receipt(method: str | None, *signers: str, document: str | None = "penalty_decision"):
    return rec(
        "service_receipt",
        "service",
        signed_by=frozenset({"officer", *signers}),
        served_on=OPENED,
        service_method=method,
        document=document,
    )


def test_service_recorded():
    state = at("penalty_general", "service", _decision(False))
    assert codes(run("service_recorded", state, "execute")) == [
        "service_missing",
        "decision_not_served",
    ]
    ok = at("penalty_general", "service", _decision(False), _receipt("direct", "party"))
    assert run("service_recorded", ok, "execute") == []
    found = run(
        "service_recorded",
        at("penalty_general", "service", _decision(True), _receipt("pigeon")),
        "execute",
    )
    assert codes(found) == ["service_method_unknown"]
    assert (
        "直接送达、邮寄送达、留置送达、委托、转交送达、传真、电子邮件等方式送达、公告送达"
        in found[0].message
    )
    assert "002 第三十九条" in found[0].source
    unsigned = at("penalty_general", "service", _decision(True), _receipt("direct"))
    assert codes(run("service_recorded", unsigned, "execute")) == ["service_unsigned"]
    left = at("penalty_general", "service", _decision(True), _receipt("left_at_residence"))
    assert codes(run("service_recorded", left, "execute")) == ["service_unwitnessed"]
    witnessed = at(
        "penalty_general", "service", _decision(True), _receipt("left_at_residence", "witness")
    )
    assert run("service_recorded", witnessed, "execute") == []
    filmed = replace(left, av_items=(AVItem(stage="service"),))
    assert run("service_recorded", filmed, "execute") == []
    for method in ("mail", "electronic", "public_notice"):
        assert (
            run(
                "service_recorded",
                at("penalty_general", "service", _decision(True), _receipt(method)),
                "execute",
            )
            == []
        )
    nameless = at("penalty_general", "service", _decision(True), _receipt("mail", document=None))
    assert codes(run("service_recorded", nameless, "execute")) == ["service_document_missing"]


# ------------------------------------------------------------------ application, inspection, closure


def test_application_accepted_and_rejected():
    accepted = rec("acceptance_notice", "acceptance", signed_by=frozenset({"officer"}))
    rejected = rec("rejection_notice", "acceptance", signed_by=frozenset({"officer"}))
    state = at("licensing", "acceptance", accepted)
    assert run("application_accepted", state, "accept") == []
    assert codes(run("application_rejected", state, "reject")) == ["not_rejected"]
    state = at("licensing", "acceptance", rejected)
    assert run("application_rejected", state, "reject") == []
    assert codes(run("application_accepted", state, "accept")) == ["not_accepted"]
    both = at("licensing", "acceptance", accepted, rejected)
    assert codes(run("application_accepted", both, "accept")) == ["accepted_and_rejected"]
    assert codes(run("application_rejected", both, "reject")) == ["accepted_and_rejected"]


def test_violations_found():
    clean = rec("inspection_result", "inspection_result", violations_found=False)
    state = at("inspection", "inspection_result", clean)
    assert codes(run("violations_found", state, "hand_over")) == ["no_violations_found"]
    dirty = replace(clean, violations_found=True)
    assert run("violations_found", at("inspection", "inspection_result", dirty), "hand_over") == []


def test_closure_all_stages_recorded():
    history = (
        StageEntry("file", "filing", "investigation", OPENED),
        StageEntry("to_notice", "investigation", "notice", OPENED),
    )
    state = new_state("penalty_general")
    filing = (
        complete_record(state, "case_source_register"),
        complete_record(state, "filing_approval"),
    )
    state = at("penalty_general", "investigation", *filing, history=history[:1])
    # leaving investigation itself is stage_records_complete's job
    assert run("closure_all_stages_recorded", state, "dismiss") == []
    state = at("penalty_general", "investigation", filing[0], history=history[:1])
    found = run("closure_all_stages_recorded", state, "dismiss")
    assert codes(found) == ["closure_incomplete"]
    assert found[0].message.startswith("立案环节的记录不完整，不得结案：立案环节缺少立案审批表")


# ------------------------------------------------------------------ source notification


def _closing(state: CaseState) -> list[Violation]:
    from sanxiang.procedures.engine import closing_violations

    violations = closing_violations(state, due_date=fake_due_date)
    for v in violations:
        assert v.message.endswith(f"（{v.source}）"), v
    return violations


FILED = (
    StageEntry("file", "filing", "investigation", OPENED),
    StageEntry("dismiss", "investigation", "closure", OPENED),
)
NOT_FILED = (StageEntry("not_filed", "filing", "closure", OPENED),)


def test_source_notified_guard_is_a_closing_guard_of_the_penalty_procedures():
    reg = registry()
    for code in ("penalty_general", "coercion"):
        closure = reg.procedures[code].stage("closure")
        assert closure.closing_guards == ("source_notified_if_required",)
    assert GUARDS["source_notified_if_required"].source == "002 第三十条"


def test_no_duty_no_notice_needed():
    state = at("penalty_general", "closure", history=FILED)
    assert _closing(state) == []


def test_filed_case_needs_the_outcome_told_in_the_closing_stage():
    early = rec("source_notification", "filing", signed_by=frozenset({"officer"}))
    state = at("penalty_general", "closure", early, history=FILED, source_notify_required=True)
    [v] = _closing(state)
    assert v.code == "source_not_notified" and "执法结果" in v.message
    assert v.source == "002 第三十条"
    told = rec("source_notification", "closure", signed_by=frozenset({"officer"}))
    assert _closing(replace(state, records=(early, told))) == []
    superseded = replace(told, superseded=True)
    assert codes(_closing(replace(state, records=(early, superseded)))) == ["source_not_notified"]


def test_case_not_filed_may_tell_the_reasons_in_the_filing_stage():
    state = at("penalty_general", "closure", history=NOT_FILED, source_notify_required=True)
    [v] = _closing(state)
    assert "不启动理由、依据" in v.message
    early = rec("source_notification", "filing", signed_by=frozenset({"officer"}))
    assert _closing(replace(state, records=(early,))) == []


def test_is_finished_waits_for_the_closing_guard():
    from sanxiang.procedures.engine import is_finished, open_requirements

    state = at("penalty_general", "closure", history=NOT_FILED, source_notify_required=True)
    state = replace(state, records=(complete_record(state, "closure_approval"),))
    assert not is_finished(state)
    assert codes(open_requirements(state)) == ["source_not_notified"]
    told = complete_record(state, "source_notification")
    state = replace(state, records=(*state.records, told))
    assert is_finished(state) and open_requirements(state) == []
    # outside a final stage the closing guards do not apply
    assert _closing(at("penalty_general", "execution", source_notify_required=True)) == []
