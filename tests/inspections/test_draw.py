"""Plans, the two-step draw, verification and tasks, through the real services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.models import Case, CaseOfficer
from sanxiang.inspections import selectors, services
from sanxiang.inspections.models import Draw, DrawInspector, DrawResult, InspectionTask
from sanxiang.inspections.verify import verify_draw
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import fire, signed_record
from tests.factories import OfficerFactory, Role, UserFactory
from tests.immutability import triggers_suspended
from tests.inspections.helpers import add_targets, plan


def drawn(dw, n_targets=10, **plan_kw):
    add_targets(dw, n_targets)
    inspection = plan(dw, **plan_kw)
    draw = services.fix_seed(actor=dw.world.head, inspection=inspection)
    return services.run_draw(actor=dw.world.head, draw=draw)


def test_plan_uses_published_ratio_and_refuses_lower_or_unexplained_higher(dw):
    assert plan(dw).ratio == Decimal("20.00")
    with pytest.raises(ValidationError, match="不得低于随机抽查事项清单公示的20%"):
        plan(dw, ratio=Decimal("10"))
    with pytest.raises(ValidationError, match="请说明理由"):
        plan(dw, ratio=Decimal("30"))
    assert plan(dw, ratio=Decimal("30"), ratio_reason="投诉集中").ratio == Decimal("30")
    with pytest.raises(
        ValidationError, match="至少选派2名执法人员（《中华人民共和国行政处罚法》第四十二条）"
    ):
        plan(dw, inspectors_per_target=1)


def test_only_heads_of_the_agency_plan(dw):
    with pytest.raises(PermissionDenied):
        plan(dw, actor=dw.world.user_a)
    other = UserFactory(roles=[Role.AGENCY_HEAD])
    with pytest.raises(PermissionDenied):
        plan(dw, actor=other)


def test_seed_entry_is_written_first_with_the_lists_then_the_draw(dw):
    targets = add_targets(dw, 10)
    inspection = plan(dw)
    draw = services.fix_seed(actor=dw.world.head, inspection=inspection)
    assert len(draw.seed) == 64
    assert draw.target_ids == [t.pk for t in targets]
    assert draw.inspector_ids == sorted(o.pk for o in dw.officers)
    assert draw.selected_count == 2  # ceil(10 x 20%)
    assert not DrawResult.objects.exists()
    seed_entry = LedgerEntry.objects.get(seq=draw.seed_entry_seq)
    assert seed_entry.action == "inspections.fix_seed"
    assert draw.seed in seed_entry.payload and draw.target_digest in seed_entry.payload
    draw = services.run_draw(actor=dw.world.head, draw=draw)
    assert draw.status == Draw.Status.DRAWN
    assert draw.draw_entry_seq > draw.seed_entry_seq
    assert DrawResult.objects.filter(draw=draw).count() == 2
    for result in draw.results.all():
        assert result.inspectors.count() == 2
    with pytest.raises(ValidationError, match="不能再次抽取"):
        services.run_draw(actor=dw.world.head, draw=draw)
    with pytest.raises(ValidationError, match="已有已抽取的抽取"):
        services.fix_seed(actor=dw.world.head, inspection=inspection)


def test_two_draws_of_the_same_lists_get_different_seeds(dw):
    add_targets(dw, 30)
    inspection = plan(dw)
    first = services.fix_seed(actor=dw.world.head, inspection=inspection)
    services.abandon_draw(actor=dw.world.head, draw=first, reason="测试")
    second = services.fix_seed(actor=dw.world.head, inspection=inspection)
    assert first.seed != second.seed
    assert first.target_digest == second.target_digest


def test_only_active_targets_of_the_category_and_valid_inspectors_are_candidates(dw):
    targets = add_targets(dw, 3)
    add_targets(dw, 2, category="餐饮服务")
    services.set_target_active(
        actor=dw.world.head, target=targets[0], active=False, reason="已注销"
    )
    uncertified = OfficerFactory(agency=dw.world.agency)
    excluded = dw.officers[2]
    services.exclude_inspector(actor=dw.world.head, officer=excluded, reason="借调")
    draw = services.fix_seed(actor=dw.world.head, inspection=plan(dw))
    assert draw.target_ids == [targets[1].pk, targets[2].pk]
    assert uncertified.pk not in draw.inspector_ids
    assert excluded.pk not in draw.inspector_ids
    assert len(draw.inspector_ids) == 3


def test_conflicts_are_excluded_from_pairing(dw):
    targets = add_targets(dw, 5)
    for target in targets:
        for officer in dw.officers[:2]:
            services.declare_conflict(
                actor=dw.world.head, officer=officer, target=target, reason="近亲属任职"
            )
    draw = drawn_from(dw, plan(dw, ratio=Decimal("100"), ratio_reason="全覆盖"))
    paired = set(
        DrawInspector.objects.filter(result__draw=draw).values_list("officer_id", flat=True)
    )
    assert paired == {dw.officers[2].pk, dw.officers[3].pk}


def drawn_from(dw, inspection):
    draw = services.fix_seed(actor=dw.world.head, inspection=inspection)
    return services.run_draw(actor=dw.world.head, draw=draw)


def test_not_enough_inspectors_fails_and_writes_nothing(dw):
    targets = add_targets(dw, 2)
    for target in targets:
        for officer in dw.officers[:3]:
            services.declare_conflict(
                actor=dw.world.head, officer=officer, target=target, reason="曾在该企业任职"
            )
    inspection = plan(dw, ratio=Decimal("100"), ratio_reason="全覆盖")
    draw = services.fix_seed(actor=dw.world.head, inspection=inspection)
    entries = LedgerEntry.objects.count()
    with pytest.raises(ValidationError, match=r"可选派的检查人员只有1名.*不足2名"):
        services.run_draw(actor=dw.world.head, draw=draw)
    assert LedgerEntry.objects.count() == entries
    assert not DrawResult.objects.exists()
    draw.refresh_from_db()
    assert draw.status == Draw.Status.SEED_FIXED


def test_fix_seed_refuses_when_registry_too_small(dw):
    add_targets(dw, 2)
    for officer in dw.officers[1:]:
        services.exclude_inspector(actor=dw.world.head, officer=officer, reason="休假")
    with pytest.raises(ValidationError, match="只有1名"):
        services.fix_seed(actor=dw.world.head, inspection=plan(dw))
    assert not Draw.objects.exists()


def test_verify_passes_and_detects_a_tampered_result_row(dw):
    draw = drawn(dw, 20)
    report = verify_draw(draw)
    assert report.ok, report.checks
    call_command("draw_verify", str(draw.pk))
    result = draw.results.order_by("position").first()
    other = dw.officers[0].pk
    row = result.inspectors.exclude(officer_id=other).first()
    assert row is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        DrawInspector.objects.filter(pk=row.pk).update(officer_id=other)
    original = list(result.inspectors.values_list("officer_id", flat=True))
    with transaction.atomic(), triggers_suspended():  # someone with database access
        DrawInspector.objects.filter(result=result).delete()
        for order, officer_id in enumerate(reversed(original), start=1):
            DrawInspector.objects.create(result=result, order=order, officer_id=officer_id)
    assert not verify_draw(draw).ok
    with pytest.raises(CommandError, match="核验不通过"):
        call_command("draw_verify", str(draw.pk))


def test_verify_detects_a_changed_seed(dw):
    draw = drawn(dw, 20)
    Draw.objects.filter(pk=draw.pk).update(seed="ab" * 32)
    draw.refresh_from_db()
    report = verify_draw(draw)
    assert not report.ok
    assert ("抽取记录中的随机种子和名单与固定时的台账记录一致", False) in report.checks


def test_tasks_open_inspection_cases_with_the_paired_inspectors(dw):
    draw = drawn(dw, 10)
    cases = services.create_inspection_tasks(actor=dw.world.head, draw=draw, unit=dw.world.unit)
    assert len(cases) == 2
    for result in draw.results.all():
        case = result.task.case
        assert case.action_type == "inspection" and case.procedure == "inspection"
        assert case.source.kind == "inspection"
        assert case.matter == dw.power
        assert case.parties.get().name == result.target.name
        assert list(
            CaseOfficer.objects.filter(case=case).values_list("officer_id", flat=True)
        ) == list(result.inspectors.values_list("officer_id", flat=True))
    assert LedgerEntry.objects.filter(action="inspections.create_tasks").count() == 1
    with pytest.raises(ValidationError, match="已经派发"):
        services.create_inspection_tasks(actor=dw.world.head, draw=draw, unit=dw.world.unit)


def test_task_creation_is_all_or_nothing(dw):
    draw = drawn(dw, 10)
    last = draw.results.order_by("position").last()
    # a paired inspector lost the certificate after the draw: that case cannot be opened
    officer = last.inspectors.first().officer
    officer.certificates.update(status="revoked")
    with pytest.raises(ValidationError, match="未派发任何检查任务"):
        services.create_inspection_tasks(actor=dw.world.head, draw=draw, unit=dw.world.unit)
    assert not InspectionTask.objects.exists()
    assert not Case.objects.exists()


def test_result_of_a_closed_inspection_case(dw):
    for officer in dw.officers[2:]:
        services.exclude_inspector(actor=dw.world.head, officer=officer, reason="外派")
    draw = drawn(dw, 10)
    services.create_inspection_tasks(actor=dw.world.head, draw=draw, unit=dw.world.unit)
    first, second = selectors.draw_results(draw)
    rows = selectors.result_rows([first, second])
    assert [r.outcome.label for r in rows] == ["检查中", "检查中"]
    for result, violations in ((first, False), (second, True)):
        case = result.task.case
        signed_record(dw.world, case, "inspection_record", 0, ["officer", "witness"])
        case = fire(dw.world.user_a, case, "conclude")
        signed_record(
            dw.world,
            case,
            "inspection_result",
            0,
            ["officer", "unit_head"],
            violations_found=violations,
        )
        case_services.close_if_finished(actor=dw.world.head, case=case)
    rows = selectors.result_rows(selectors.draw_results(draw))
    assert [r.outcome.label for r in rows] == ["未发现问题（合格）", "发现问题"]
    assert rows[0].outcome.on == timezone.localdate()
