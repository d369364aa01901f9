"""The review API: the same services as the workbench, each refusal a 422 naming its article,
the status of the gate, the opinion PDF, and the endpoints in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sanxiang.review.models import ChecklistItem, LegalReview
from tests.review.helpers import walk_to_decision

pytestmark = pytest.mark.django_db

REVIEW_ENDPOINTS = {
    ("/api/cases/{case_id}/review", "get"),
    ("/api/cases/{case_id}/reviews", "post"),
    ("/api/cases/{case_id}/review-flags", "post"),
    ("/api/cases/{case_id}/review-conflicts", "post"),
    ("/api/reviews", "get"),
    ("/api/reviews/{review_id}", "get"),
    ("/api/reviews/{review_id}/assignment", "post"),
    ("/api/reviews/{review_id}/checklist", "post"),
    ("/api/reviews/{review_id}/outcome", "post"),
    ("/api/reviews/{review_id}/requests", "post"),
    ("/api/review-requests/{request_id}/answer", "post"),
    ("/api/reviews/{review_id}/extensions", "post"),
    ("/api/review-extensions/{extension_id}/approval", "post"),
    ("/api/reviews/{review_id}/disputes", "post"),
    ("/api/review-disputes/{dispute_id}/consultation", "post"),
    ("/api/review-disputes/{dispute_id}/discussion", "post"),
    ("/api/reviews/{review_id}/opinion.pdf", "get"),
    ("/api/agencies/{agency_id}/review-catalogue", "get"),
    ("/api/agencies/{agency_id}/review-catalogue", "post"),
}


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, payload: dict[str, Any]):
    return client.post(url, payload, content_type="application/json")


def error(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()
    return response.json()["error"]


def test_openapi_lists_the_review_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    listed = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    assert listed >= REVIEW_ENDPOINTS
    responses = schema["paths"]["/api/reviews/{review_id}/outcome"]["post"]["responses"]
    assert {"200", "403", "422"} <= set(responses)


def test_submit_fail_resubmit_pass_through_the_api(world, reviewers):
    dc = walk_to_decision(world)
    officer, head, reviewer = (
        as_user(world.user_a),
        as_user(world.head),
        as_user(reviewers.reviewer),
    )
    case_id = dc.case.pk

    status = officer.get(f"/api/cases/{case_id}/review").json()
    assert status["gate"]["required"] is True and status["gate"]["passed"] is None
    assert status["requirement"][0]["source"] == "000 法制审核办法 第六条"
    assert "尚未经法制审核" in status["gate"]["violations"][0]

    incomplete = error(
        post(officer, f"/api/cases/{case_id}/reviews", {"report": dc.report.pk, "evidence": []}),
        422,
    )
    assert "001 河南法制审核办法 第八条" in incomplete["message"]

    payload = {
        "report": dc.report.pk,
        "evidence": [dc.evidence.pk],
        "decision_record": dc.decision.pk,
    }
    response = post(officer, f"/api/cases/{case_id}/reviews", payload)
    assert response.status_code == 201, response.content.decode()
    review_id = response.json()["id"]
    assert response.json()["due_on"]

    own = error(
        post(head, f"/api/reviews/{review_id}/assignment", {"reviewer": world.user_a.pk}), 422
    )
    assert "法制审核人员" in own["message"]
    assigned = post(
        head, f"/api/reviews/{review_id}/assignment", {"reviewer": reviewers.reviewer.pk}
    )
    assert assigned.status_code == 200 and assigned.json()["reviewer_id"] == reviewers.reviewer.pk
    assert [r["id"] for r in reviewer.get("/api/reviews").json()["items"]] == [review_id]

    for item in ChecklistItem.Item.values:
        finding = "fails" if item == "law" else "conforms"
        body = {"item": item, "finding": finding, "note": "裁量不当" if finding == "fails" else ""}
        assert post(reviewer, f"/api/reviews/{review_id}/checklist", body).status_code == 200
    no_pass = error(post(reviewer, f"/api/reviews/{review_id}/outcome", {"passed": True}), 422)
    assert "000 法制审核办法 第十七条" in no_pass["message"]
    no_reasons = error(post(reviewer, f"/api/reviews/{review_id}/outcome", {"passed": False}), 422)
    assert "说明理由" in no_reasons["message"]
    failed = post(
        reviewer, f"/api/reviews/{review_id}/outcome", {"passed": False, "reasons": "裁量不当"}
    )
    assert failed.json()["status"] == "failed"
    pdf = officer.get(f"/api/reviews/{review_id}/opinion.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert officer.get(f"/api/cases/{case_id}/review").json()["gate"]["passed"] is False

    second = post(officer, f"/api/cases/{case_id}/reviews", payload).json()["id"]
    post(head, f"/api/reviews/{second}/assignment", {"reviewer": reviewers.reviewer.pk})
    extension = post(reviewer, f"/api/reviews/{second}/extensions", {"reason": "案情复杂"})
    assert extension.status_code == 201
    extension_id = extension.json()["extensions"][0]["id"]
    not_head = error(post(reviewer, f"/api/review-extensions/{extension_id}/approval", {}), 422)
    assert "000 法制审核办法 第十九条" in not_head["message"]
    approved = post(head, f"/api/review-extensions/{extension_id}/approval", {})
    assert approved.status_code == 200 and approved.json()["extended"] is True
    for item in ChecklistItem.Item.values:
        post(reviewer, f"/api/reviews/{second}/checklist", {"item": item, "finding": "conforms"})
    passed = post(reviewer, f"/api/reviews/{second}/outcome", {"passed": True})
    assert passed.json()["status"] == "passed"
    gate = officer.get(f"/api/cases/{case_id}/review").json()
    assert gate["gate"]["passed"] is True and gate["gate"]["violations"] == []
    assert [r["round"] for r in gate["rounds"]] == [1, 2]
    assert LegalReview.objects.filter(case=dc.case).count() == 2


def test_dispute_and_permissions_through_the_api(world, reviewers):
    dc = walk_to_decision(world)
    officer, head = as_user(world.user_a), as_user(world.head)
    payload = {
        "report": dc.report.pk,
        "evidence": [dc.evidence.pk],
        "decision_record": dc.decision.pk,
    }
    review_id = post(officer, f"/api/cases/{dc.case.pk}/reviews", payload).json()["id"]
    # A reviewer may not submit, an officer may not record the checklist.
    error(post(as_user(reviewers.reviewer), f"/api/cases/{dc.case.pk}/reviews", payload), 403)
    error(
        post(
            officer, f"/api/reviews/{review_id}/checklist", {"item": "law", "finding": "conforms"}
        ),
        403,
    )
    refused = error(post(officer, f"/api/reviews/{review_id}/disputes", {"grounds": "不同意"}), 422)
    assert "000 法制审核办法 第十八条" in refused["message"]
    flag = post(
        officer,
        f"/api/cases/{dc.case.pk}/review-flags",
        {"criterion": "complex", "reason": "涉及多个法律关系"},
    )
    assert flag.status_code == 201 and flag.json()["criterion_label"].startswith("案件情况疑难复杂")
    rule = post(
        head,
        f"/api/agencies/{world.agency.pk}/review-catalogue",
        {
            "title": "吊销许可证件",
            "action_type": "penalty",
            "source": "000 法制审核办法 第十四条",
        },
    )
    assert rule.status_code == 201, rule.content.decode()
    listed = officer.get(f"/api/agencies/{world.agency.pk}/review-catalogue").json()
    assert [r["title"] for r in listed] == ["吊销许可证件"]
