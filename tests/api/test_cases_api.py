"""The case API: a field app or another agency's system drives a case end to end through the
same services as the workbench."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.cases.models import AVRecording, Case, Record, StageTransition
from sanxiang.records.models import StoredFile
from tests.cases.factories import RECORD_DATA, World, days_ago, make_world
from tests.factories import AgencyFactory, Role, UserFactory, zhoucun

from .conftest import assert_error, bearer

pytestmark = pytest.mark.django_db

CASE_ENDPOINTS = {
    ("/api/cases", "get"),
    ("/api/cases", "post"),
    ("/api/cases/{case_id}", "get"),
    ("/api/cases/{case_id}/trail", "get"),
    ("/api/cases/{case_id}/transitions", "post"),
    ("/api/cases/{case_id}/close", "post"),
    ("/api/cases/{case_id}/records", "post"),
    ("/api/records/{record_id}/signatures", "post"),
    ("/api/records/{record_id}/corrections", "post"),
    ("/api/cases/{case_id}/parties", "post"),
    ("/api/cases/{case_id}/officers", "post"),
    ("/api/cases/{case_id}/evidence", "post"),
    ("/api/cases/{case_id}/av-recordings", "post"),
    ("/api/cases/{case_id}/collective-discussion", "post"),
    ("/api/records/{record_id}/document.pdf", "get"),
}


@pytest.fixture
def cw(db) -> World:
    return make_world()


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, payload: dict[str, Any]) -> Any:
    return client.post(url, payload, content_type="application/json")


def penalty_payload(w: World, opened_ago: int = 10) -> dict[str, Any]:
    return {
        "agency": w.agency.pk,
        "unit": w.unit.pk,
        "action_type": "penalty",
        "title": "某餐饮店未取得食品经营许可从事食品经营活动案",
        "source": {
            "kind": "complaint",
            "received_on": days_ago(opened_ago).isoformat(),
            "summary": "群众投诉某餐饮店无证经营",
            "provider_name": "张某",
            "provider_contact": "13900139000",
            "notify_required": True,
        },
        "parties": [
            {
                "kind": "natural_person",
                "name": "赵某",
                "id_number": "410105199001011233",
                "address": "郑州市金水区某路1号",
                "phone": "13800138000",
            }
        ],
        "officers": [w.officer_a.pk, w.officer_b.pk],
        "matter": w.matter.pk,
        "opened_on": days_ago(opened_ago).isoformat(),
    }


def signatures(w: World, roles: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for role in roles:
        if role == "officer":
            out.append({"role": "officer", "signer_name": "李执法", "officer": w.officer_a.pk})
        elif role in ("unit_head", "agency_head"):
            out.append({"role": role, "signer_name": "王局长"})
        else:
            out.append({"role": role, "signer_name": "赵某"})
    return out


def add_record(
    client: Client, w: World, case_id: int, kind: str, made_ago: int, roles: list[str], **extra
) -> dict[str, Any]:
    payload = {
        "kind": kind,
        "made_on": days_ago(made_ago).isoformat(),
        "data": RECORD_DATA[kind],
        "signatures": signatures(w, roles),
        **extra,
    }
    response = post(client, f"/api/cases/{case_id}/records", payload)
    assert response.status_code == 201, response.content.decode()
    return response.json()


def fire(client: Client, case_id: int, transition: str) -> dict[str, Any]:
    version = client.get(f"/api/cases/{case_id}").json()["version"]
    response = post(
        client,
        f"/api/cases/{case_id}/transitions",
        {"transition": transition, "expected_version": version},
    )
    assert response.status_code == 200, response.content.decode()
    return response.json()


def open_penalty(client: Client, w: World) -> dict[str, Any]:
    response = post(client, "/api/cases", penalty_payload(w))
    assert response.status_code == 201, response.content.decode()
    return response.json()


# ---------------------------------------------------------------------------------------------


def test_openapi_lists_the_case_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    listed = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    assert listed >= CASE_ENDPOINTS
    responses = schema["paths"]["/api/cases/{case_id}/transitions"]["post"]["responses"]
    assert {"200", "409", "422"} <= set(responses)
    assert responses["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_penalty_case_driven_through_the_api_until_the_review_gate(cw):
    officer = as_user(cw.user_a)
    head = as_user(cw.head)
    case = open_penalty(officer, cw)
    case_id = case["id"]
    assert case["stage"] == "filing" and case["version"] == 0
    assert case["procedure"] == "penalty_general"
    assert case["source"]["notify_required"] is True
    assert case["parties"][0]["id_number"] == "4101**********1233"
    assert {o["officer_id"] for o in case["officers"]} == {cw.officer_a.pk, cw.officer_b.pk}
    # What the filing stage still lacks, and the transition it blocks.
    assert case["next"]["open_requirements"]
    file_check = next(t for t in case["next"]["transitions"] if t["code"] == "file")
    assert file_check["allowed"] is False and file_check["violations"]

    add_record(officer, cw, case_id, "case_source_register", 10, ["officer"])
    add_record(officer, cw, case_id, "filing_approval", 10, ["officer"])
    # The heads sign the approval afterwards, one signature at a time.
    approval = Record.objects.get(case_id=case_id, kind="filing_approval")
    for role in ("unit_head", "agency_head"):
        response = post(
            head, f"/api/records/{approval.pk}/signatures", {"role": role, "signer_name": "王局长"}
        )
        assert response.status_code == 201, response.content.decode()
    detail = head.get(f"/api/cases/{case_id}").json()
    assert next(t for t in detail["next"]["transitions"] if t["code"] == "file")["allowed"]
    assert fire(head, case_id, "file")["stage"] == "investigation"

    for officer_obj in (cw.officer_a, cw.officer_b):
        response = post(officer, f"/api/cases/{case_id}/officers", {"officer": officer_obj.pk})
        assert response.status_code == 201, response.content.decode()
    add_record(officer, cw, case_id, "inquiry_record", 9, ["officer", "party"])
    add_record(officer, cw, case_id, "investigation_report", 8, ["officer", "unit_head"])
    assert fire(officer, case_id, "to_notice")["stage"] == "notice"
    add_record(
        officer,
        cw,
        case_id,
        "rights_notice",
        7,
        ["officer", "party"],
        served_on=days_ago(7).isoformat(),
        service_method="direct",
    )
    assert fire(officer, case_id, "hear_statement")["stage"] == "statement"
    add_record(officer, cw, case_id, "statement_record", 6, ["officer", "party"])
    after = fire(officer, case_id, "submit_decision")
    assert after["stage"] == "decision" and after["version"] == 4

    # The decision needs a passed legal review (the current gate): refused, citing the article.
    response = post(
        head, f"/api/cases/{case_id}/transitions", {"transition": "issue", "expected_version": 4}
    )
    error = assert_error(response, 422, "validation_error")
    review = [m for m in error["fields"]["transition"] if "法制审核" in m]
    assert review and "000 法制审核办法 第三条" in review[0]
    assert "000 法制审核办法 第三条" in error["message"]
    assert Case.objects.get(pk=case_id).version == 4

    trail = officer.get(f"/api/cases/{case_id}/trail").json()
    assert trail["version"] == 4
    types = [i["type"] for i in trail["items"]]
    assert types.count("transition") == 4 and types.count("record") == 6
    keys = [(i["on"], i["at"]) for i in trail["items"]]
    assert keys == sorted(keys)
    approval_item = next(
        i["record"]
        for i in trail["items"]
        if i["record"] and i["record"]["kind"] == "filing_approval"
    )
    assert {s["role"] for s in approval_item["signatures"]} == {
        "officer",
        "unit_head",
        "agency_head",
    }
    assert [i["transition"]["to_stage"] for i in trail["items"] if i["transition"]] == [
        "investigation",
        "notice",
        "statement",
        "decision",
    ]


def test_inspection_case_to_its_final_stage_and_closed(cw):
    officer = as_user(cw.user_a)
    payload = {
        "agency": cw.agency.pk,
        "unit": cw.unit.pk,
        "action_type": "inspection",
        "title": "某餐饮店日常检查",
        "source": {
            "kind": "inspection",
            "received_on": days_ago(5).isoformat(),
            "summary": "年度随机抽查",
        },
        "officers": [cw.officer_a.pk, cw.officer_b.pk],
        "opened_on": days_ago(5).isoformat(),
    }
    response = post(officer, "/api/cases", payload)
    assert response.status_code == 201, response.content.decode()
    case_id = response.json()["id"]
    record = add_record(officer, cw, case_id, "inspection_record", 5, ["officer"])
    # The witness refuses to sign; the refusal is recorded in its place (004 第十三条).
    response = post(
        officer,
        f"/api/records/{record['id']}/signatures",
        {
            "role": "witness",
            "signer_name": "钱某",
            "refused": True,
            "refusal_note": "见证人拒绝签名",
        },
    )
    assert response.status_code == 201, response.content.decode()
    assert response.json()["refused"] is True
    after = fire(officer, case_id, "conclude")
    assert after["stage"] == "inspection_result" and after["status"] == "open"
    add_record(
        officer,
        cw,
        case_id,
        "inspection_result",
        4,
        ["officer", "unit_head"],
        violations_found=False,
    )
    response = post(as_user(cw.head), f"/api/cases/{case_id}/close", {})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["status"] == "closed"
    assert response.json()["closed_on"] == timezone.localdate().isoformat()
    listed = officer.get("/api/cases?status=closed&action_type=inspection").json()
    assert [c["id"] for c in listed["items"]] == [case_id]
    assert officer.get("/api/cases?status=open").json()["count"] == 0


def test_disallowed_transition_is_422_and_changes_nothing(cw):
    officer = as_user(cw.user_a)
    case_id = open_penalty(officer, cw)["id"]
    # Filing records missing: the guard refuses, naming the rule.
    response = post(
        officer, f"/api/cases/{case_id}/transitions", {"transition": "file", "expected_version": 0}
    )
    error = assert_error(response, 422, "validation_error")
    assert error["fields"]["transition"]
    assert all("（" in m for m in error["fields"]["transition"])
    # A transition out of another stage.
    response = post(
        officer,
        f"/api/cases/{case_id}/transitions",
        {"transition": "to_notice", "expected_version": 0},
    )
    error = assert_error(response, 422, "validation_error")
    assert "立案" in error["message"]
    case = Case.objects.get(pk=case_id)
    assert case.stage == "filing" and case.version == 0
    assert not StageTransition.objects.filter(case=case).exists()


def test_stale_expected_version_is_409(cw):
    officer = as_user(cw.user_a)
    head = as_user(cw.head)
    case_id = open_penalty(officer, cw)["id"]
    add_record(officer, cw, case_id, "case_source_register", 10, ["officer"])
    add_record(officer, cw, case_id, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    assert fire(head, case_id, "file")["version"] == 1
    response = post(
        head,
        f"/api/cases/{case_id}/transitions",
        {"transition": "to_notice", "expected_version": 0},
    )
    error = assert_error(response, 409, "concurrent_change")
    assert "版本1" in error["message"]
    assert error["fields"]["expected_version"]
    assert Case.objects.get(pk=case_id).version == 1


def test_another_agencys_user_gets_404(cw):
    officer = as_user(cw.user_a)
    case_id = open_penalty(officer, cw)["id"]
    record_id = add_record(officer, cw, case_id, "case_source_register", 1, [])["id"]
    stranger_agency = AgencyFactory(name="淄博市周村区市场监督管理局", jurisdiction=zhoucun())
    stranger = as_user(UserFactory(agency=stranger_agency, roles=[Role.AGENCY_HEAD]))
    error = assert_error(stranger.get(f"/api/cases/{case_id}"), 404, "not_found")
    assert "案件" in error["message"]
    assert_error(stranger.get(f"/api/cases/{case_id}/trail"), 404, "not_found")
    assert_error(
        post(
            stranger,
            f"/api/cases/{case_id}/transitions",
            {"transition": "file", "expected_version": 0},
        ),
        404,
        "not_found",
    )
    assert_error(
        post(
            stranger, f"/api/records/{record_id}/signatures", {"role": "party", "signer_name": "某"}
        ),
        404,
        "not_found",
    )
    assert stranger.get("/api/cases").json()["count"] == 0


def test_bearer_token_drives_a_case_endpoint(cw):
    case_id = open_penalty(as_user(cw.user_a), cw)["id"]
    client = Client()
    headers = bearer(cw.user_a)
    response = client.get(f"/api/cases/{case_id}", **headers)
    assert response.status_code == 200
    assert response.json()["number"].startswith("郑州立")
    # Writes by token need no CSRF token.
    response = client.post(
        f"/api/cases/{case_id}/records",
        {
            "kind": "case_source_register",
            "made_on": days_ago(1).isoformat(),
            "data": RECORD_DATA["case_source_register"],
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content.decode()
    assert_error(Client().get(f"/api/cases/{case_id}"), 401, "unauthenticated")


def test_bad_input_is_422_in_chinese(cw):
    officer = as_user(cw.user_a)
    case_id = open_penalty(officer, cw)["id"]
    url = f"/api/cases/{case_id}/records"
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    # A date in the future.
    error = assert_error(
        post(
            officer,
            url,
            {
                "kind": "case_source_register",
                "made_on": tomorrow,
                "data": RECORD_DATA["case_source_register"],
            },
        ),
        422,
        "validation_error",
    )
    assert "第九条" in error["fields"]["made_on"][0]
    # A required field of the record kind missing: the service names the kind's rule.
    data = dict(RECORD_DATA["case_source_register"])
    del data["summary"]
    error = assert_error(
        post(
            officer,
            url,
            {"kind": "case_source_register", "made_on": days_ago(1).isoformat(), "data": data},
        ),
        422,
        "validation_error",
    )
    assert "缺少必填事项" in error["message"]
    # An unknown record kind.
    error = assert_error(
        post(officer, url, {"kind": "no_such_kind", "made_on": days_ago(1).isoformat()}),
        422,
        "validation_error",
    )
    assert "未登记的文书种类" in error["fields"]["kind"][0]
    # An unknown action type, a future opening date, a negative amount, an unknown field.
    payload = penalty_payload(cw)
    payload.update(action_type="parking", opened_on=tomorrow)
    error = assert_error(post(officer, "/api/cases", payload), 422, "validation_error")
    assert set(error["fields"]) >= {"action_type", "opened_on"}
    error = assert_error(
        post(
            officer,
            url,
            {
                "kind": "rights_notice",
                "made_on": days_ago(1).isoformat(),
                "amount": "-1",
                "colour": "红",
            },
        ),
        422,
        "validation_error",
    )
    assert set(error["fields"]) >= {"amount", "colour"}
    assert not Record.objects.filter(case_id=case_id).exists()


def test_evidence_and_av_reference_uploaded_files(cw):
    officer = as_user(cw.user_a)
    case_id = open_penalty(officer, cw)["id"]
    digest = "ab" * 32
    StoredFile.objects.create(
        sha256=digest,
        size=10,
        media_type="video/mp4",
        stored_at=timezone.now(),
        stored_by=cw.user_a,
        backend="local",
    )
    now = timezone.now()
    evidence = {
        "kind": "physical",
        "description": "现场查扣的食品",
        "collector": cw.officer_a.pk,
        "collected_at": (now - datetime.timedelta(hours=3)).isoformat(),
        "place": "某餐饮店后厨",
    }
    response = post(officer, f"/api/cases/{case_id}/evidence", evidence)
    assert response.status_code == 201, response.content.decode()
    evidence_id = response.json()["id"]
    av = {
        "device": "执法记录仪 DSJ-01",
        "officer": cw.officer_a.pk,
        "started_at": (now - datetime.timedelta(hours=3)).isoformat(),
        "ended_at": (now - datetime.timedelta(hours=2)).isoformat(),
        "place": "某餐饮店",
        "spoken_statement": True,
        "full_process": True,
        "file_sha256": "cd" * 32,
    }
    error = assert_error(post(officer, f"/api/cases/{case_id}/av-recordings", av), 422)
    assert "/api/uploads" in error["fields"]["file_sha256"][0]
    av.update(
        file_sha256=digest,
        evidence=evidence_id,
        interruptions=[
            {
                "at": (now - datetime.timedelta(minutes=150)).isoformat(),
                "resumed_at": (now - datetime.timedelta(minutes=140)).isoformat(),
                "reason": "设备电量不足，更换电池",
                "spoken_explanation": True,
            }
        ],
    )
    response = post(officer, f"/api/cases/{case_id}/av-recordings", av)
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["file_sha256"] == digest and body["evidence_id"] == evidence_id
    assert len(body["interruptions"]) == 1
    assert AVRecording.objects.filter(case_id=case_id).count() == 1
    trail = officer.get(f"/api/cases/{case_id}/trail").json()
    assert {i["type"] for i in trail["items"]} == {"evidence", "av"}
    # Ending before it started.
    av.update(ended_at=(now - datetime.timedelta(hours=4)).isoformat())
    error = assert_error(post(officer, f"/api/cases/{case_id}/av-recordings", av), 422)
    assert "结束时间" in error["fields"]["ended_at"][0]


def test_correction_supersedes_and_both_stay_in_the_trail(cw):
    officer = as_user(cw.user_a)
    case_id = open_penalty(officer, cw)["id"]
    original = add_record(officer, cw, case_id, "case_source_register", 3, ["officer"])
    data = dict(RECORD_DATA["case_source_register"], summary="无证经营（更正）")
    response = post(
        officer,
        f"/api/records/{original['id']}/corrections",
        {"reason": "案源内容记录有误", "made_on": days_ago(2).isoformat(), "data": data},
    )
    assert response.status_code == 201, response.content.decode()
    new = response.json()
    assert new["supersedes_id"] == original["id"] and new["correction_reason"] == "案源内容记录有误"
    records = [
        i["record"]
        for i in officer.get(f"/api/cases/{case_id}/trail").json()["items"]
        if i["record"]
    ]
    by_id = {r["id"]: r for r in records}
    assert by_id[original["id"]]["superseded"] is True
    assert by_id[original["id"]]["superseded_by_id"] == new["id"]
    assert by_id[new["id"]]["superseded"] is False
    # A party added later.
    response = post(
        officer,
        f"/api/cases/{case_id}/parties",
        {"kind": "legal_person", "name": "郑州某餐饮管理有限公司", "uscc": "bad"},
    )
    error = assert_error(response, 422, "validation_error")
    assert "representative" in error["fields"]


def test_collective_discussion_mark_and_record_pdf(cw):
    from tests.cases.factories import open_penalty

    case = open_penalty(cw)
    client = as_user(cw.user_a)
    url = f"/api/cases/{case.pk}/collective-discussion"
    assert post(client, url, {"reason": ""}).status_code == 422
    response = post(client, url, {"reason": "涉案金额巨大，情节复杂"})
    assert response.status_code == 200
    body = response.json()
    assert body["collective_discussion_required"] is True
    assert body["collective_discussion_reason"] == "涉案金额巨大，情节复杂"
    again = post(client, url, {"reason": "再次提请"})
    assert again.status_code == 422
    assert "已标记为须经负责人集体讨论" in again.json()["error"]["message"]

    record = Record.objects.create(
        case=case,
        kind="case_source_register",
        stage="filing",
        made_on=case.opened_on,
        made_by=cw.user_a,
        data=RECORD_DATA["case_source_register"],
    )
    pdf = client.get(f"/api/records/{record.pk}/document.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    outsider = as_user(make_world("郑州市生态环境局").user_a)
    assert outsider.get(f"/api/records/{record.pk}/document.pdf").status_code == 404
