"""The case pages of the workbench: the inbox, opening a case, the case page and every
action on it, through the Django test client against the real services."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases.models import Case, Record, Signature
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import RECORD_DATA, World, days_ago, make_world, open_penalty
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world() -> World:
    return make_world()


def login(client, user):
    client.force_login(user)
    return client


def record_post(kind: str, made_on: datetime.date, **extra) -> dict[str, str]:
    data = {f"{kind}-made_on": made_on.isoformat()}
    for key, value in RECORD_DATA[kind].items():
        data[f"{kind}-data__{key}"] = value
    for key, value in extra.items():
        data[f"{kind}-{key}"] = value
    return data


def sign_post(record: Record, role: str, name: str, officer=None, **extra) -> dict[str, str]:
    prefix = f"sign{record.pk}"
    now = timezone.localtime()
    data = {
        f"{prefix}-role": role,
        f"{prefix}-signer_name": name,
        f"{prefix}-signed_at": f"{now:%Y-%m-%dT%H:%M}",
    }
    if officer is not None:
        data[f"{prefix}-officer"] = str(officer.pk)
    for key, value in extra.items():
        data[f"{prefix}-{key}"] = value
    return data


def test_inbox_lists_my_cases_with_next_step_and_due_dates(client, world):
    case = open_penalty(world)
    response = login(client, world.user_a).get(reverse("workbench:cases"))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html
    assert "立案" in html  # current stage
    assert "案件来源登记表" in html  # the next step: what the stage still lacks
    # another agency's officer does not see it
    other = make_world("郑州市生态环境局")
    html = login(client, other.user_a).get(reverse("workbench:cases") + "?scope=open")
    assert case.number not in html.content.decode()


def test_open_case_form_opens_a_case_and_refuses_bad_input(client, world):
    login(client, world.user_a)
    today = timezone.localdate()
    form = {
        "action_type": "penalty",
        "title": "某超市销售过期食品案",
        "unit": str(world.unit.pk),
        "matter": str(world.matter.pk),
        "opened_on": today.isoformat(),
        "officers": [str(world.officer_a.pk), str(world.officer_b.pk)],
        "source_kind": "complaint",
        "source_received_on": today.isoformat(),
        "source_summary": "群众举报某超市销售过期食品",
        "source_provider_name": "钱某",
        "source_notify_required": "on",
        "party_kind": "legal_person",
        "party_name": "郑州某超市有限公司",
        "party_uscc": make_uscc(region="410105"),
        "party_representative": "孙某",
    }
    future = {**form, "opened_on": (today + datetime.timedelta(days=1)).isoformat()}
    response = client.post(reverse("workbench:case_open"), future)
    assert response.status_code == 200
    assert "000 全过程记录办法 第九条" in response.content.decode()
    assert not Case.objects.exists()

    bad_uscc = {
        **form,
        "party_uscc": form["party_uscc"][:-1] + ("0" if form["party_uscc"][-1] != "0" else "1"),
    }
    response = client.post(reverse("workbench:case_open"), bad_uscc)
    assert not Case.objects.exists()
    assert "统一社会信用代码" in response.content.decode()

    response = client.post(reverse("workbench:case_open"), form)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:case", args=[case.pk])
    assert case.stage == "filing"
    assert list(case.officers.values_list("officer_id", flat=True)) == [
        world.officer_a.pk,
        world.officer_b.pk,
    ]
    page = client.get(response["Location"]).content.decode()
    assert "案件来源登记表" in page and "本环节必备" in page
    assert "须告知案源提供人处理结果（002 第三十条）" in page


def test_record_sign_transition_and_pdf_through_the_pages(client, world):
    case = open_penalty(world)
    login(client, world.user_a)
    url = reverse("workbench:case_add_record", args=[case.pk, "case_source_register"])
    response = client.post(url, record_post("case_source_register", days_ago(10)))
    assert response.status_code == 302
    record = Record.objects.get(case=case, kind="case_source_register")
    entries = LedgerEntry.objects.filter(action="cases.add_record", object_id=str(record.pk))
    assert entries.count() == 1

    # a missing field is refused on the form, and nothing is saved
    incomplete = record_post("filing_approval", days_ago(10))
    del incomplete["filing_approval-data__facts"]
    response = client.post(
        reverse("workbench:case_add_record", args=[case.pk, "filing_approval"]), incomplete
    )
    assert response.status_code == 422
    assert not Record.objects.filter(kind="filing_approval").exists()
    assert "涉嫌无证经营" in response.content.decode()  # what was typed is kept

    response = client.post(
        reverse("workbench:record_sign", args=[record.pk]),
        sign_post(record, "officer", "", officer=world.officer_a),
    )
    assert response.status_code == 302
    assert Signature.objects.get(record=record).signer_name == world.officer_a.name

    # a signed record cannot be signed again in that role; the page says why
    page = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    assert "签名完备" in page

    # the transition is refused while the filing approval is missing — the reason is shown
    response = client.post(
        reverse("workbench:case_transition", args=[case.pk]),
        {"transition": "file", "expected_version": "0"},
    )
    assert response.status_code in (403, 422)
    case.refresh_from_db()
    assert case.stage == "filing"

    pdf = client.get(reverse("workbench:record_pdf", args=[record.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_stale_version_is_a_conflict_not_a_lost_update(client, world):
    case = open_penalty(world)
    from tests.cases.factories import signed_record

    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    login(client, world.head)
    stale = {"transition": "file", "expected_version": "0"}
    assert (
        client.post(reverse("workbench:case_transition", args=[case.pk]), stale).status_code == 302
    )
    response = client.post(reverse("workbench:case_transition", args=[case.pk]), stale)
    assert response.status_code == 409
    assert "已被他人更新" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == "investigation" and case.version == 1


def test_refusal_to_sign_is_recorded_and_correction_keeps_both(client, world):
    case = open_penalty(world)
    login(client, world.user_a)
    client.post(
        reverse("workbench:case_add_record", args=[case.pk, "case_source_register"]),
        record_post("case_source_register", days_ago(10)),
    )
    record = Record.objects.get(kind="case_source_register")
    # an officer may not "refuse"
    response = client.post(
        reverse("workbench:record_sign", args=[record.pk]),
        sign_post(record, "officer", "", officer=world.officer_a, refused="on", refusal_note="x"),
    )
    assert response.status_code == 422
    assert "004 第十三条" in response.content.decode()
    client.post(
        reverse("workbench:record_sign", args=[record.pk]),
        sign_post(record, "officer", "", officer=world.officer_a),
    )
    form = client.get(reverse("workbench:record_correct", args=[record.pk]))
    assert "无证经营" in form.content.decode()  # prefilled with the record's content
    post = {
        **record_post("case_source_register", days_ago(9)),
        "case_source_register-data__summary": "无证经营，且占道经营",
        "case_source_register-reason": "漏记举报内容",
        "sig-TOTAL_FORMS": "1",
        "sig-INITIAL_FORMS": "0",
        "sig-0-role": "officer",
        "sig-0-officer": str(world.officer_a.pk),
    }
    response = client.post(reverse("workbench:record_correct", args=[record.pk]), post)
    assert response.status_code == 302
    new = Record.objects.get(supersedes=record)
    assert new.data["summary"] == "无证经营，且占道经营"
    assert [s.signer_name for s in new.signatures.all()] == [world.officer_a.name]
    record.refresh_from_db()
    assert record.data["summary"] == "无证经营"
    page = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    assert f"已被 R{new.pk} 更正" in page and f"更正 R{record.pk}" in page


def test_supervisor_sees_but_cannot_act(client, world):
    from tests.factories import Role, UserFactory

    case = open_penalty(world)
    supervisor = UserFactory(agency=world.agency, roles=[Role.PUBLISHER])
    login(client, supervisor)
    page = client.get(reverse("workbench:case", args=[case.pk]))
    assert page.status_code == 200
    assert "制作本环节文书" not in page.content.decode()
    response = client.post(
        reverse("workbench:case_transition", args=[case.pk]),
        {"transition": "file", "expected_version": "0"},
    )
    assert response.status_code == 403


def test_officers_of_the_previous_stage_are_assigned_in_one_action(client, world):
    from tests.cases.factories import fire, signed_record

    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case = fire(world.head, case, "file")
    login(client, world.user_a)
    page = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    # the two officers of the filing stage are preselected for the investigation
    assert page.count("checked") >= 2
    response = client.post(
        reverse("workbench:case_assign", args=[case.pk]),
        {"assign-officers": [str(world.officer_a.pk), str(world.officer_b.pk)]},
    )
    assert response.status_code == 302
    rows = case.officers.filter(stage="investigation").order_by("id")
    assert [(r.officer_id, r.role) for r in rows] == [
        (world.officer_a.pk, "主办"),
        (world.officer_b.pk, "协办"),
    ]
    assert LedgerEntry.objects.filter(action="cases.assign_officers").count() == 1
    # an officer whose certificate has lapsed is refused, and nobody is assigned
    from tests.factories import OfficerFactory

    lapsed = OfficerFactory(agency=world.agency, unit=world.unit, name="赵无证")
    before = case.officers.count()
    response = client.post(
        reverse("workbench:case_assign", args=[case.pk]),
        {"assign-officers": [str(lapsed.pk)]},
    )
    assert response.status_code == 422
    assert "没有有效的执法证" in response.content.decode()
    assert case.officers.count() == before


def test_a_deadline_in_a_year_without_calendar_data_is_not_guessed(client, world, monkeypatch):
    from sanxiang.core.workdays import CalendarNotCovered
    from sanxiang.procedures import engine
    from tests.cases.factories import signed_record

    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])

    def uncovered(start, amount, unit):
        raise CalendarNotCovered(start.year + 1)

    monkeypatch.setattr(engine, "default_due_date", uncovered)
    from sanxiang.cases.deadlines import refresh_next_due

    refresh_next_due(case)
    case.refresh_from_db()
    assert case.next_due_on is None
    assert f"{case.opened_on.year + 1}年" in case.next_due_label
    login(client, world.user_a)
    page = client.get(reverse("workbench:case", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"工作日历未包含{case.opened_on.year + 1}年的节假日数据" in html
    assert "日历未覆盖，无法计算" in html
    inbox = client.get(reverse("workbench:cases")).content.decode()
    assert "日历未覆盖" in inbox


def test_decision_form_checks_the_tier_and_the_rights_notice_sets_hearing(client, world):
    from tests.cases.test_decision_rules import fixed_standard, in_decision
    from tests.cases.test_lifecycle import walk_to_statement  # noqa: F401  (in_decision uses it)

    fixed_standard(world)
    case = in_decision(world)
    login(client, world.user_a)
    page = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    assert "适用的裁量档次" in page
    url = reverse("workbench:case_add_record", args=[case.pk, "penalty_decision"])
    post = {
        "penalty_decision-made_on": days_ago(1).isoformat(),
        **{
            f"penalty_decision-data__{k}": v
            for k, v in {
                "party": "赵某",
                "facts_evidence": "无证经营",
                "penalty_basis": "《中华人民共和国食品安全法》第一百二十二条第一款",
                "performance": "十五日内缴纳",
                "remedy": "六十日内申请行政复议",
                "agency_seal_date": "（印章）",
            }.items()
        },
        "penalty_decision-served_on": days_ago(1).isoformat(),
        "penalty_decision-service_method": "direct",
        "penalty_decision-amount": "90000",
        "penalty_decision-extra__circumstance": "ordinary",
    }
    response = client.post(url, post)
    assert response.status_code == 422
    assert "超出裁量基准" in response.content.decode()
    assert not Record.objects.filter(kind="penalty_decision").exists()
    response = client.post(url, {**post, "penalty_decision-amount": "70000"})
    assert response.status_code == 302
    assert Record.objects.get(kind="penalty_decision").data["circumstance"] == "ordinary"


def test_rights_notice_with_a_revocation_opens_the_hearing_window(client, world):
    from tests.cases.factories import fire, signed_record

    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case = fire(world.head, case, "file")
    from sanxiang.cases import services

    services.assign_officers(
        actor=world.user_a, case=case, officers=[world.officer_a, world.officer_b]
    )
    signed_record(world, case, "inquiry_record", 9, ["officer", "party"])
    signed_record(world, case, "investigation_report", 8, ["officer", "unit_head"])
    case = fire(world.user_a, case, "to_notice")
    login(client, world.user_a)
    post = {
        **record_post("rights_notice", days_ago(3)),
        "rights_notice-served_on": days_ago(3).isoformat(),
        "rights_notice-service_method": "direct",
        "rights_notice-extra__proposed_penalty_kinds": ["fine", "revoke_licence"],
    }
    response = client.post(
        reverse("workbench:case_add_record", args=[case.pk, "rights_notice"]), post
    )
    assert response.status_code == 302
    notice = Record.objects.get(kind="rights_notice")
    assert notice.data["proposed_penalty_kinds"] == ["fine", "revoke_licence"]
    page = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    assert "当事人要求听证的期间" in page  # the hearing-request window has started


def test_marking_collective_discussion_needs_a_reason(client, world):
    case = open_penalty(world)
    login(client, world.user_a)
    url = reverse("workbench:case_collective", args=[case.pk])
    response = client.post(url, {"collective-reason": " "})
    assert response.status_code == 422
    case.refresh_from_db()
    assert not case.collective_discussion_required
    response = client.post(url, {"collective-reason": "涉案金额巨大，社会影响较大"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.collective_discussion_required
    page = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    assert "须经机关负责人集体讨论决定" in page


def test_inbox_orders_by_the_next_deadline_and_lists_the_overdue(client, world):
    import io

    from django.core.management import call_command

    from sanxiang.cases.models import Case
    from sanxiang.core.models import CalendarYear
    from sanxiang.core.workdays import add_calendar_days
    from tests.cases.factories import signed_record

    today = timezone.localdate()
    # 90 days on may cross into a year whose holiday notice is not yet entered: give the
    # test its own (weekends-only) calendar for the next year rather than depend on the date
    CalendarYear.objects.get_or_create(
        year=today.year + 1, defaults={"source": "测试用日历（仅周末休息）"}
    )
    filed = open_penalty(world, opened_ago=10)
    approval = signed_record(
        world, filed, "filing_approval", 10, ["officer", "unit_head", "agency_head"]
    )
    filed.refresh_from_db()
    # kept by the services: 90 days from the filing approval (《中华人民共和国行政处罚法》第六十条)
    assert filed.next_due_on == add_calendar_days(approval.made_on, 90)
    assert "九十日内作出行政处罚决定" in filed.next_due_label

    late, fresh = open_penalty(world), open_penalty(world)
    Case.objects.filter(pk=late.pk).update(next_due_on=today - datetime.timedelta(days=2))
    Case.objects.filter(pk=fresh.pk).update(next_due_on=None, next_due_label="")
    login(client, world.user_a)
    html = client.get(reverse("workbench:cases") + "?scope=mine").content.decode()
    positions = [html.index(c.number + "<") for c in (late, filed, fresh)]
    assert positions == sorted(positions)  # overdue first, then soonest, then none
    overdue = client.get(reverse("workbench:cases") + "?scope=overdue").content.decode()
    assert late.number + "<" in overdue and filed.number + "<" not in overdue

    # a bulk load leaves the column empty; the command fills it in
    Case.objects.update(next_due_on=None, next_due_label="")
    out = io.StringIO()
    call_command("refresh_case_deadlines", "--missing-only", "--batch", "2", stdout=out)
    assert "已重新计算 3 件" in out.getvalue()
    filed.refresh_from_db()
    assert filed.next_due_on == add_calendar_days(approval.made_on, 90)


def test_case_page_says_whether_the_decision_needs_legal_review(client, world):
    case = open_penalty(world)  # Zhengzhou: every general-procedure penalty is reviewed
    login(client, world.user_a)
    html = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    assert 'data-testid="review-card"' in html
    assert "应当法制审核" in html and "000 法制审核办法 第六条" in html
    assert reverse("workbench:review_case", args=[case.pk]) in html


def test_evidence_file_download_is_on_the_ledger_first(client, world):
    import io

    from django.db import transaction

    from sanxiang.cases import services
    from sanxiang.records.filestore.services import store_file

    case = open_penalty(world)
    content = b"%PDF-1.4\n% evidence\n" + b"0" * 1000
    with transaction.atomic():
        stored = store_file(
            stream=io.BytesIO(content),
            expected_sha256=None,
            expected_size=len(content),
            media_type="application/pdf",
            actor=world.user_a,
        )
    evidence = services.add_evidence(
        actor=world.user_a,
        case=case,
        kind="documentary",
        description="营业执照复印件",
        collector=world.officer_a,
        collected_at=timezone.now() - datetime.timedelta(hours=1),
        place="郑州市金水区某路1号",
        stored_file=stored,
    )
    login(client, world.user_b)
    page = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    url = reverse("workbench:stored_file", args=["evidence", evidence.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    entry = LedgerEntry.objects.filter(action="cases.download_file").get()
    assert entry.actor_id == world.user_b.pk
    # another agency cannot, and nothing is logged
    login(client, make_world("郑州市生态环境局").user_a)
    assert client.get(url).status_code == 404
    assert LedgerEntry.objects.filter(action="cases.download_file").count() == 1
