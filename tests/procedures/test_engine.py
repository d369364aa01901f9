"""The engine: transitions, records, deadlines, AV — all on immutable snapshots."""

from __future__ import annotations

import datetime
from dataclasses import FrozenInstanceError, replace
from decimal import Decimal

import pytest

from sanxiang.core.rules import get_profile
from sanxiang.procedures import all_procedures, get_procedure
from sanxiang.procedures.engine import (
    add_record,
    apply,
    av_late_flags,
    av_requirement,
    available_transitions,
    check_record,
    check_transition,
    deadlines,
    is_finished,
    open_requirements,
)
from sanxiang.procedures.state import (
    AVItem,
    OfficerOnStage,
    RecordRefused,
    RecordSnapshot,
    ReviewStatus,
    TransitionRefused,
)

from .builders import (
    FULL_PATHS,
    OPENED,
    complete_record,
    fake_due_date,
    fill_stage,
    new_state,
    walk,
    walk_path,
)

D = datetime.date
DT = datetime.datetime


def codes(violations):
    return [v.code for v in violations]


# ------------------------------------------------------------------ transitions


def test_available_transitions_of_a_new_penalty_case():
    state = new_state("penalty_general")
    checks = available_transitions(state, due_date=fake_due_date)
    assert [c.code for c in checks] == ["file", "not_filed"]
    assert not any(c.allowed for c in checks)
    missing = [v.message for v in checks[0].violations]
    assert missing[0].startswith("立案环节缺少案件来源登记表")
    state = fill_stage(state)
    checks = available_transitions(state, due_date=fake_due_date)
    assert [c.allowed for c in checks] == [True, True]
    assert checks[0].label == "批准立案" and checks[0].to_stage == "investigation"


def test_unknown_and_misplaced_transitions():
    state = new_state("penalty_general")
    found = check_transition(state, "teleport")
    assert codes(found) == ["unknown_transition"]
    assert "没有“teleport”这一流转" in found[0].message
    found = check_transition(state, "issue")
    assert codes(found) == ["wrong_stage"]
    assert found[0].message.startswith("案件处于立案环节，不能执行“作出决定，送达”")
    assert "000 全过程记录办法 第十条" in found[0].source


def test_roles_allowed_to_fire():
    state = fill_stage(new_state("penalty_general"))
    found = check_transition(state, "file", actor_roles=["officer"])
    assert codes(found) == ["role_not_allowed"]
    assert "“批准立案”须由承办机构负责人、机关负责人执行" in found[0].message
    assert check_transition(state, "file", actor_roles=["unit_head"]) == []
    assert check_transition(state, "file") == []


def test_apply_moves_the_case_and_refusal_changes_nothing():
    state = new_state("penalty_general")
    with pytest.raises(TransitionRefused) as excinfo:
        apply(state, "file")
    assert codes(excinfo.value.violations) == ["missing_record", "missing_record"]
    assert "立案环节缺少案件来源登记表" in str(excinfo.value)
    assert state.stage == "filing" and state.history == () and state.version == 0
    filled = fill_stage(state)
    moved = apply(filled, "file")
    assert moved.stage == "investigation"
    assert moved.history[-1].transition == "file" and moved.history[-1].on == filled.today
    assert moved.version == filled.version + 1
    assert filled.stage == "filing"
    with pytest.raises(FrozenInstanceError):
        moved.stage = "closure"  # type: ignore[misc]


def test_investigation_needs_two_certified_officers():
    state = walk("penalty_general", "investigation")
    state = replace(state, officers=state.officers[:-1])  # one of the two investigators
    with pytest.raises(TransitionRefused) as excinfo:
        apply(state, "to_notice")
    assert [v.message for v in excinfo.value.violations] == [
        "调查取证须由两名以上持有效执法证的执法人员进行，现有1名"
        "（《中华人民共和国行政处罚法》第四十二条；000 全过程记录办法 第十二条）"
    ]


def test_no_penalty_decision_without_notice():
    state = walk("penalty_general", "statement")
    notices = [r for r in state.records if r.kind == "rights_notice"]
    unserved = tuple(
        replace(r, served_on=None, service_method=None) if r.kind == "rights_notice" else r
        for r in state.records
    )
    assert notices
    found = check_transition(
        replace(state, records=unserved), "submit_decision", due_date=fake_due_date
    )
    assert "rights_notice_not_served" in codes(found)


@pytest.mark.parametrize("code", [p.code for p in all_procedures()])
def test_every_final_stage_is_reachable_by_the_engine(code):
    procedure = get_procedure(code)
    for final in procedure.finals:
        state = walk(code, final)
        assert state.stage == final
        assert is_finished(state)


@pytest.mark.parametrize(("code", "path"), list(FULL_PATHS.items()))
def test_full_paths(code, path):
    state = walk_path(code, path)
    assert [h.transition for h in state.history] == path
    assert is_finished(state)
    assert open_requirements(state) == []


def test_open_requirements_and_finished():
    state = walk_path("penalty_general", FULL_PATHS["penalty_general"][:-1])
    assert not is_finished(state)
    state = apply(state, "close", due_date=fake_due_date)
    assert not is_finished(state)
    assert codes(open_requirements(state)) == ["missing_record"]
    state = fill_stage(state)
    assert is_finished(state)


# ------------------------------------------------------------------ records


def test_record_dates_are_checked():
    state = replace(new_state("penalty_general"), today=D(2024, 3, 10))
    good = complete_record(state, "case_source_register")
    assert check_record(state, good) == []
    future = replace(good, made_on=D(2024, 3, 11))
    found = check_record(state, future)
    assert codes(found) == ["future_date"]
    assert found[0].message == (
        "记录的制作日期（2024年3月11日）晚于今天（2024年3月10日）"
        "（002 第二十三条；000 全过程记录办法 第五条）"
    )
    early = replace(good, made_on=OPENED - datetime.timedelta(days=1))
    assert codes(check_record(state, early)) == ["before_opening"]
    with pytest.raises(RecordRefused):
        add_record(state, early)


def test_records_go_into_the_current_stage_of_their_procedure():
    state = new_state("penalty_general")
    wrong_stage = RecordSnapshot(kind="inquiry_record", stage="investigation", made_on=OPENED)
    assert codes(check_record(state, wrong_stage)) == ["wrong_stage"]
    wrong_kind = RecordSnapshot(kind="licence_decision", stage="filing", made_on=OPENED)
    found = check_record(state, wrong_kind)
    assert codes(found) == ["kind_not_in_stage"]
    assert "行政许可决定书（准予或者不予）不属于行政处罚一般程序的立案环节" in found[0].message
    unknown = RecordSnapshot(kind="memo", stage="filing", made_on=OPENED)
    assert codes(check_record(state, unknown)) == ["unknown_kind"]


def test_record_fields_are_checked():
    state = walk("penalty_general", "investigation")
    inquiry = complete_record(state, "inquiry_record")
    assert check_record(state, inquiry) == []
    staff_refusal = replace(inquiry, refused_by=frozenset({"officer"}))
    assert "staff_refusal" in codes(check_record(state, staff_refusal))
    both = replace(
        inquiry, refused_by=frozenset({"party"}), signed_by=frozenset({"party", "officer"})
    )
    assert codes(check_record(state, both)) == ["signed_and_refused"]
    ghost = replace(inquiry, signed_by=frozenset({"ghost"}))
    assert codes(check_record(state, ghost)) == ["unknown_signer"]
    amount = replace(inquiry, amount=Decimal(5))
    found = check_record(state, amount)
    assert codes(found) == ["unexpected_data"]
    assert "询问笔录不载明“罚没金额（元）”" in found[0].message


def test_service_method_must_be_one_of_the_six():
    state = walk("penalty_general", "service")
    receipt = complete_record(state, "service_receipt", service_method="pigeon")
    found = check_record(state, receipt)
    assert codes(found) == ["unknown_service_method"]
    assert found[0].source == "002 第三十九条"
    assert codes(
        check_record(state, replace(receipt, service_method="mail", document="inquiry_record"))
    ) == ["unknown_document"]


def test_a_major_decision_cannot_be_signed_before_review():
    state = walk("penalty_general", "decision")
    decisions = [r for r in state.records if r.kind == "penalty_decision"]
    assert decisions
    base = replace(state, review=ReviewStatus(required=True, passed=None))
    signed = complete_record(base, "penalty_decision", amount=Decimal("5000"))
    found = check_record(base, signed)
    assert codes(found) == ["review_missing"]
    assert "《中华人民共和国行政处罚法》第五十八条" in found[0].source
    draft = replace(signed, signed_by=frozenset({"officer"}))
    assert check_record(base, draft) == []
    passed = replace(base, review=ReviewStatus(required=True, passed=True))
    assert check_record(passed, signed) == []
    changed = replace(base, review=ReviewStatus(required=True, passed=True, matches_decision=False))
    assert codes(check_record(changed, signed)) == ["review_outdated"]


def test_corrections_supersede_and_keep_both():
    state = walk("penalty_general", "investigation")
    old = state.latest("inquiry_record")
    assert old is not None
    correction = replace(complete_record(state, "inquiry_record"), supersedes=old.ref)
    after = add_record(state, correction)
    assert after.record(old.ref).superseded
    assert after.records[-1].supersedes == old.ref
    assert len(after.records) == len(state.records) + 1
    again = replace(complete_record(after, "inquiry_record"), supersedes=old.ref)
    assert codes(check_record(after, again)) == ["already_superseded"]
    mismatch = replace(
        complete_record(after, "investigation_report"), supersedes=after.records[-1].ref
    )
    assert codes(check_record(after, mismatch)) == ["correction_mismatch"]
    duplicate = replace(complete_record(after, "inquiry_record"), ref=old.ref)
    assert codes(check_record(after, duplicate)) == ["duplicate_ref"]


def test_a_correction_may_switch_between_alternatives_of_one_requirement():
    state = walk("licensing", "acceptance")
    accepted = state.latest("acceptance_notice")
    assert accepted is not None
    rejection = replace(complete_record(state, "rejection_notice"), supersedes=accepted.ref)
    after = add_record(state, rejection)
    assert after.current_records(kinds=("acceptance_notice",)) == []
    assert check_transition(after, "reject", due_date=fake_due_date) == []
    assert codes(check_transition(after, "accept", due_date=fake_due_date)) == ["not_accepted"]
    unrelated = replace(complete_record(state, "correction_notice"), supersedes=accepted.ref)
    assert codes(check_record(state, unrelated)) == ["correction_mismatch"]


def test_a_correction_in_a_passed_stage_must_be_complete():
    state = walk("penalty_general", "notice")
    approval = state.latest("filing_approval")
    assert approval is not None
    incomplete = RecordSnapshot(
        kind="filing_approval",
        stage="filing",
        made_on=state.today,
        signed_by=frozenset({"officer"}),
        supersedes=approval.ref,
    )
    found = check_record(state, incomplete)
    assert codes(found) == ["correction_incomplete"]
    assert "立案环节已办结，更正后的立案审批表须签名完备" in found[0].message
    complete = replace(incomplete, signed_by=frozenset({"officer", "unit_head", "agency_head"}))
    assert check_record(state, complete) == []


# ------------------------------------------------------------------ deadlines


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, start, amount, unit):
        self.calls.append((start, amount, unit))
        return fake_due_date(start, amount, unit)


def test_hearing_request_due_five_working_days_after_service():
    state = walk("penalty_general", "notice", hearing_eligible=True)
    served = state.served_on("rights_notice")
    assert served is not None
    due = Recorder()
    items = {i.code: i for i in deadlines(state, due_date=due)}
    item = items["hearing_request"]
    assert (served, 5, "workdays") in due.calls
    assert item.start_on == served
    assert item.due_on == fake_due_date(served, 5, "workdays")
    assert item.kind == "window" and item.status == "open"
    assert "《中华人民共和国行政处罚法》第六十四条" in item.source
    later = replace(state, today=item.due_on + datetime.timedelta(days=1))
    assert {i.code: i for i in deadlines(later, due_date=due)}[
        "hearing_request"
    ].status == "elapsed"
    not_eligible = replace(state, hearing_eligible=False)
    assert "hearing_request" not in {i.code for i in deadlines(not_eligible, due_date=due)}


def test_decision_due_ninety_days_after_filing():
    state = walk("penalty_general", "investigation")
    filed = state.latest("filing_approval").made_on
    items = {i.code: i for i in deadlines(state, due_date=fake_due_date)}
    item = items["decision_within_90_days"]
    assert item.start_on == filed
    assert item.due_on == filed + datetime.timedelta(days=90)
    assert item.unit == "calendar_days" and item.status == "pending"
    assert item.source == "《中华人民共和国行政处罚法》第六十条"
    overdue = replace(state, today=item.due_on + datetime.timedelta(days=1))
    assert {i.code: i for i in deadlines(overdue, due_date=fake_due_date)}[
        "decision_within_90_days"
    ].status == "overdue"
    decided = walk("penalty_general", "service")
    done = {i.code: i for i in deadlines(decided, due_date=fake_due_date)}[
        "decision_within_90_days"
    ]
    assert done.status == "met" and done.done_on == decided.latest("penalty_decision").made_on


@pytest.mark.parametrize(
    ("profile", "amount", "unit", "source"),
    [
        ("zhengzhou", 20, "workdays", "000 全过程记录办法 第二十五条"),
        ("henan", 20, "workdays", "001 河南全过程记录办法 第二十一条"),
        ("zhoucun", 30, "calendar_days", "002 第四十三条"),
    ],
)
def test_archive_due_from_the_profile(profile, amount, unit, source):
    state = walk_path("penalty_general", FULL_PATHS["penalty_general"], profile=profile)
    closed = state.latest("closure_approval").made_on
    due = Recorder()
    item = {i.code: i for i in deadlines(state, due_date=due)}["archive"]
    assert due.calls[-1] == (closed, amount, unit) or (closed, amount, unit) in due.calls
    assert item.due_on == fake_due_date(closed, amount, unit)
    assert item.source == source
    assert item.status == "pending"
    archived = replace(state, archived_on=closed + datetime.timedelta(days=2))
    assert {i.code: i for i in deadlines(archived, due_date=due)}["archive"].status == "met"


def test_review_deadline_with_extension_and_open_value():
    state = walk("penalty_general", "decision")
    submitted = state.today
    state = replace(state, review=ReviewStatus(required=True, submitted_on=submitted))
    item = {i.code: i for i in deadlines(state, due_date=fake_due_date)}["legal_review"]
    assert item.due_on == fake_due_date(submitted, 5, "workdays")
    assert item.source == "000 法制审核办法 第十九条"
    extended = replace(state, review=replace(state.review, extended=True))
    item = {i.code: i for i in deadlines(extended, due_date=fake_due_date)}["legal_review"]
    assert item.due_on == fake_due_date(submitted, 10, "workdays")
    assert item.amount == 10
    zhoucun = replace(state, profile="zhoucun")
    item = {i.code: i for i in deadlines(zhoucun, due_date=fake_due_date)}["legal_review"]
    assert item.due_on is None and item.status == "unfixed"
    assert "未规定具体期限" in item.note
    explicit = {
        i.code: i for i in deadlines(zhoucun, due_date=fake_due_date, profile=get_profile("henan"))
    }
    assert explicit["legal_review"].source == "001 河南法制审核办法 第十三条"


def test_deadlines_without_a_profile():
    state = replace(walk("inspection", "inspection_result"), profile="")
    item = {i.code: i for i in deadlines(state, due_date=fake_due_date)}["archive"]
    assert item.status == "unfixed" and "未指定规则配置" in item.note


def test_seizure_term():
    state = walk_path("coercion", FULL_PATHS["coercion"][:5])
    assert state.stage == "implementation"
    item = {i.code: i for i in deadlines(state, due_date=fake_due_date)}["seizure_term"]
    assert item.start_on == state.entered_on("implementation")
    assert item.due_on == item.start_on + datetime.timedelta(days=30)
    assert item.source == "《中华人民共和国行政强制法》第二十五条"


@pytest.mark.django_db
def test_default_wiring_counts_working_days_on_the_calendar():
    from sanxiang.core.calendar_seed import seed_years
    from sanxiang.core.workdays import add_workdays

    seed_years(2025, 2025)
    served = D(2025, 9, 30)  # the National Day holiday follows
    state = new_state(
        "penalty_general", opened_on=D(2025, 9, 1), today=D(2025, 9, 30), hearing_eligible=True
    )
    notice = RecordSnapshot(
        kind="rights_notice",
        stage="filing",
        made_on=served,
        served_on=served,
        signed_by=frozenset({"officer", "party"}),
    )
    state = replace(state, records=(notice,))
    item = {i.code: i for i in deadlines(state)}["hearing_request"]
    assert item.due_on == add_workdays(served, 5)
    assert item.due_on > D(2025, 10, 8)


@pytest.mark.django_db
def test_default_wiring_refuses_to_guess_an_uncovered_year():
    from sanxiang.core.workdays import CalendarNotCovered

    state = new_state("penalty_general", opened_on=D(2031, 3, 3), today=D(2031, 3, 3))
    notice = RecordSnapshot(
        kind="rights_notice", stage="filing", made_on=D(2031, 3, 3), served_on=D(2031, 3, 3)
    )
    state = replace(state, records=(notice,), hearing_eligible=True)
    with pytest.raises(CalendarNotCovered):
        deadlines(state)


# ------------------------------------------------------------------ AV


def test_av_stored_late_is_a_warning():
    back = DT(2024, 3, 4, 18, 0)
    state = replace(
        new_state("penalty_general"),
        av_items=(
            AVItem(
                stage="filing",
                returned_at=back,
                stored_at=back + datetime.timedelta(hours=20),
                ref="A1",
            ),
            AVItem(
                stage="filing",
                returned_at=back,
                stored_at=back + datetime.timedelta(hours=30),
                ref="A2",
            ),
            AVItem(stage="filing", returned_at=back, stored_at=None, ref="A3"),
            AVItem(stage="filing", returned_at=None, stored_at=back, ref="A4"),
        ),
    )
    flags = av_late_flags(state, 24)
    assert [(f.code, f.ref, f.severity) for f in flags] == [("av_stored_late", "A2", "warning")]
    assert "约30小时才储存，超过24小时" in flags[0].message
    assert "000 全过程记录办法 第二十六条" in flags[0].source
    now = back + datetime.timedelta(hours=25)
    assert [f.ref for f in av_late_flags(state, 24, now=now)] == ["A2", "A3"]
    assert av_late_flags(state, None) == []
    flags = av_late_flags(state, 24, source="004 第二十六条")
    assert flags[0].source == "004 第二十六条"
    # a warning never blocks a transition
    filled = fill_stage(state)
    assert check_transition(filled, "file") == []


def test_av_requirement_from_the_matter_list():
    coercion = get_procedure("coercion")
    assert av_requirement(coercion, "implementation", {"seizure": "full_process"}) == "full_process"
    assert av_requirement(coercion, "implementation", {"implementation": "av"}) == "av"
    assert (
        av_requirement(
            coercion, "implementation", {"implementation": "av", "demolition": "full_process"}
        )
        == "full_process"
    )
    assert av_requirement(coercion, "approval", {"seizure": "full_process"}) == "none"
    penalty = get_procedure("penalty_general")
    assert av_requirement(penalty, "investigation", {"site_inspection": "av"}) == "av"


def test_missing_av_blocks_the_transition():
    state = walk("coercion", "implementation")
    state = replace(state, av_requirements={"implementation": "full_process"})
    found = check_transition(state, "close", due_date=fake_due_date)
    assert codes(found) == ["missing_full_process_av"]
    state = replace(state, av_items=(AVItem(stage="implementation", full_process=True),))
    assert check_transition(state, "close", due_date=fake_due_date) == []


def test_uncertified_officer_is_named():
    state = walk("penalty_general", "investigation")
    bad = OfficerOnStage(
        officer="O9",
        stage="investigation",
        certificate_valid=False,
        name="王五",
        certificate_number="41019",
        reason="执法证已被暂扣",
    )
    state = replace(state, officers=(*state.officers, bad))
    found = check_transition(state, "to_notice")
    assert [v.message for v in found] == [
        "王五（执法证号 41019）参与调查取证时执法证无效（执法证已被暂扣），不得从事执法活动"
        "（《中华人民共和国行政处罚法》第四十二条；000 全过程记录办法 第十二条）"
    ]
