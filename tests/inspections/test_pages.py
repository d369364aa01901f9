"""The workbench and portal pages of 双随机、一公开."""

from __future__ import annotations

import io

from django.urls import reverse

from sanxiang.inspections import services
from sanxiang.inspections.models import Draw, InspectionTarget, InspectionTask, RandomInspection
from tests.factories import make_uscc
from tests.inspections.helpers import CATEGORY, add_targets, plan


def login(client, user):
    client.force_login(user)
    return client


def test_officer_cannot_open_the_pages(client, dw):
    login(client, dw.world.user_a)
    assert client.get(reverse("workbench:inspections")).status_code == 403


def test_head_plans_fixes_seed_draws_and_dispatches(client, dw):
    add_targets(dw, 10)
    login(client, dw.world.head)
    page = client.get(reverse("workbench:inspections"))
    assert page.status_code == 200 and "制定抽查计划" in page.text
    form = {
        "matter": dw.matter.pk,
        "title": "食品销售者抽查",
        "period_start": "2026-01-01",
        "period_end": "2099-12-31",
        "target_category": CATEGORY,
        "inspectors_per_target": "1",
    }
    refused = client.post(reverse("workbench:inspection_plan_create"), form)
    assert refused.status_code == 422 and "至少选派2名执法人员" in refused.text
    form["inspectors_per_target"] = "2"
    done = client.post(reverse("workbench:inspection_plan_create"), form)
    inspection = RandomInspection.objects.get()
    assert done.status_code == 302 and done.url == reverse(
        "workbench:inspection", args=[inspection.pk]
    )
    client.post(reverse("workbench:inspection_fix_seed", args=[inspection.pk]))
    draw = Draw.objects.get()
    page = client.get(reverse("workbench:inspection", args=[inspection.pk]))
    assert draw.seed in page.text and "执行抽取" in page.text
    client.post(reverse("workbench:inspection_run_draw", args=[draw.pk]))
    draw.refresh_from_db()
    assert draw.status == Draw.Status.DRAWN
    client.post(reverse("workbench:inspection_tasks", args=[draw.pk]), {"unit": dw.world.unit.pk})
    page = client.get(reverse("workbench:inspection", args=[inspection.pk]))
    tasks = InspectionTask.objects.select_related("case").all()
    assert len(tasks) == 2
    for task in tasks:
        assert reverse("workbench:case", args=[task.case.pk]) in page.text


def test_csv_upload_shows_line_errors(client, dw):
    login(client, dw.world.head)
    text = "类型,名称,统一社会信用代码,身份证号码,法定代表人,地址,行业类别\n其他组织,甲,123,,,,食品销售\n"
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "targets.csv"
    response = client.post(reverse("workbench:inspection_target_import"), {"file": upload})
    assert response.status_code == 422
    assert "第2行：统一社会信用代码" in response.text
    good = io.BytesIO((text.replace(",123,", f",{make_uscc()},")).encode("utf-8"))
    good.name = "targets.csv"
    response = client.post(reverse("workbench:inspection_target_import"), {"file": good})
    assert response.status_code == 302
    assert InspectionTarget.objects.count() == 1


def test_conflict_form_finds_target_by_uscc(client, dw):
    target = add_targets(dw, 1)[0]
    login(client, dw.world.head)
    response = client.post(
        reverse("workbench:inspection_conflict_create"),
        {
            "officer": dw.world.officer_a.pk,
            "target": target.uscc,
            "reason": "配偶任该企业法定代表人",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("workbench:inspection_inspectors"))
    assert "配偶任该企业法定代表人" in page.text


def test_public_draw_page_shows_seed_lists_results_and_verifies(client, dw):
    targets = add_targets(dw, 5)
    person = services.create_target(
        actor=dw.world.head,
        agency=dw.world.agency,
        data=services.TargetInput(
            kind="natural_person", name="赵小明", id_number="11010519491231002X", category=CATEGORY
        ),
    )
    inspection = plan(dw, ratio=100, ratio_reason="全覆盖")
    draw = services.fix_seed(actor=dw.world.head, inspection=inspection)
    agency = dw.world.agency.pk
    listing = client.get(reverse("portal:draws", args=[agency]))
    assert listing.status_code == 200 and f"#{draw.pk}" in listing.text
    page = client.get(reverse("portal:draw", args=[agency, draw.pk]))
    assert draw.seed in page.text and draw.target_digest in page.text
    services.run_draw(actor=dw.world.head, draw=draw)
    page = client.get(reverse("portal:draw", args=[agency, draw.pk]))
    assert targets[0].name in page.text
    assert "赵某" in page.text and "赵小明" not in page.text and person.id_number not in page.text
    assert "待派发检查任务" in page.text
    verify = client.get(reverse("portal:draw_verify", args=[agency, draw.pk]), {"format": "json"})
    assert verify.json()["ok"] is True
    candidates = client.get(reverse("portal:draw_candidates", args=[agency, draw.pk])).json()
    assert candidates["seed"] == draw.seed
    assert [t["id"] for t in candidates["targets"]] == draw.target_ids
    assert "赵小明" not in str(candidates)
    detail = client.get(reverse("portal:agency", args=[agency]))
    assert reverse("portal:draws", args=[agency]) in detail.text


def test_public_draw_page_queries_do_not_grow_with_results(
    client, dw, django_assert_max_num_queries
):
    add_targets(dw, 12)
    inspection = plan(dw, ratio=100, ratio_reason="全覆盖")
    draw = services.run_draw(
        actor=dw.world.head, draw=services.fix_seed(actor=dw.world.head, inspection=inspection)
    )
    services.create_inspection_tasks(actor=dw.world.head, draw=draw, unit=dw.world.unit)
    url = reverse("portal:draw", args=[dw.world.agency.pk, draw.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.text.count("检查中") == 12
