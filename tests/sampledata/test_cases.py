"""`seed_cases`: every seeded case replays through the real engine, numbers are unique and
the sequences advanced, the load is deterministic and not repeated."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import (
    AVRecording,
    Case,
    CaseNumberSequence,
    CaseSource,
    Party,
    Record,
    Signature,
    StageTransition,
)
from sanxiang.cases.state import build_case_state
from sanxiang.core.validators import normalize_id_number, normalize_uscc
from sanxiang.org.models import Role
from sanxiang.org.seed import seed
from sanxiang.procedures import engine, get_procedure, registry
from sanxiang.procedures.guards import stage_gaps
from sanxiang.records.models import LedgerEntry
from sanxiang.sampledata.case_texts import NOT_DATA_FIELDS
from sanxiang.sampledata.cases import LEDGER_ACTION, routes, seed_cases
from sanxiang.sampledata.seeders import seed_lists
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEED = 4
CASES = 150
NUMBER = re.compile(r"^(?P<short>.{2})立〔(?P<year>\d{4})〕(?P<n>\d+)号$")


@pytest.fixture
def seeded():
    seed(seed=SEED, agencies=30, officers=300)
    seed_lists(None)
    return seed_cases(seed=SEED, cases=CASES)


def _errors(violations):
    return [v.message for v in violations if v.severity == "error"]


def test_every_procedure_has_a_route_to_a_final_stage():
    for code, found in routes().items():
        procedure = get_procedure(code)
        assert found, code
        for route in found:
            assert route.steps[0].stage.code == procedure.initial
            assert route.steps[-1].stage.code in procedure.finals
            for step, following in itertools.pairwise(route.steps):
                assert step.leave is not None and step.leave.to_stage == following.stage.code


def test_cases_are_spread_over_procedures_and_stages(seeded):
    assert seeded.cases_created == Case.objects.count() == CASES
    assert {"penalty_general", "inspection", "licensing", "coercion"} <= set(
        Case.objects.values_list("procedure", flat=True)
    )
    assert Case.objects.filter(status=Case.Status.CLOSED).count() > CASES // 3
    assert Case.objects.filter(status=Case.Status.OPEN).count() > CASES // 5
    assert Case.objects.filter(status=Case.Status.OPEN).values("stage").distinct().count() >= 5
    assert AVRecording.objects.exists()
    assert Signature.objects.filter(refused=True).exists()  # refusals stand in for signatures
    assert not Signature.objects.filter(refused=True, refusal_note="").exists()


def test_every_case_replays_through_the_engine(seeded):
    today = timezone.localdate()
    reg = registry()
    cases = Case.objects.select_related("agency__jurisdiction").order_by("id")
    closed = 0
    for case in cases:
        procedure = get_procedure(case.procedure)
        state = build_case_state(case, today)
        log = list(StageTransition.objects.filter(case=case).order_by("version"))
        # Stage and version follow the stage log (closing adds one, as close_if_finished).
        assert [t.version for t in log] == list(range(1, len(log) + 1)), case.number
        expected_stage = log[-1].to_stage if log else procedure.initial
        assert case.stage == expected_stage, case.number
        assert case.version == len(log) + (1 if case.status == Case.Status.CLOSED else 0)
        if log:
            assert log[0].from_stage == procedure.initial
        for before, after in itertools.pairwise(log):
            assert after.from_stage == before.to_stage and after.fired_on >= before.fired_on
        # Each transition was allowed on the day it was fired, with the records made by then.
        visited = {procedure.initial}
        for index, entry in enumerate(log):
            records = tuple(
                r for r in state.records if r.stage in visited and r.made_on <= entry.fired_on
            )
            then = replace(
                state,
                stage=entry.from_stage,
                history=state.history[:index],
                records=records,
                today=entry.fired_on,
            )
            problems = _errors(engine.check_transition(then, entry.transition))
            assert not problems, (case.number, entry.transition, problems)
            visited.add(entry.to_stage)
        assert not [r for r in state.records if r.stage not in visited], case.number
        if case.status == Case.Status.CLOSED:
            closed += 1
            assert engine.is_finished(state), (case.number, engine.open_requirements(state))
            for stage in state.visited_stages():
                assert not stage_gaps(state, procedure, reg, stage), (case.number, stage)
            assert case.closed_on is not None
            assert all(r.made_on <= case.closed_on for r in state.records)
        else:
            assert case.closed_on is None
            assert not engine.is_finished(state), case.number
            for stage in state.passed_stages():
                assert not stage_gaps(state, procedure, reg, stage), (case.number, stage)
    assert closed == seeded.closed > 0


def test_records_parties_and_sources_are_complete(seeded):
    today = timezone.localdate()
    for record in Record.objects.all().iterator():
        kind = registry().kind(record.kind)
        missing = [
            f.name
            for f in kind.fields
            if f.name not in NOT_DATA_FIELDS and not str(record.data.get(f.name) or "").strip()
        ]
        assert not missing, (record.kind, missing)
        assert record.made_on <= today
    for party in Party.objects.all():
        party.full_clean()
        if party.kind == Party.Kind.NATURAL_PERSON:
            assert normalize_id_number(party.id_number) == party.id_number
        else:
            assert normalize_uscc(party.uscc) == party.uscc
            assert normalize_id_number(party.representative_id_number)
    for source in CaseSource.objects.select_related("case"):
        source.full_clean()
        assert source.received_on <= source.case.opened_on
        if source.notify_required and source.case.status == Case.Status.CLOSED:
            assert source.notified_on is not None
    for signature in Signature.objects.select_related("record")[:2000]:
        assert timezone.localdate(signature.signed_at) >= signature.record.made_on


def test_case_numbers_unique_and_sequences_advanced(seeded):
    seen: dict[tuple[int, int], list[int]] = defaultdict(list)
    for agency_id, number, opened_on, name in Case.objects.values_list(
        "agency_id", "number", "opened_on", "agency__name"
    ):
        match = NUMBER.match(number)
        assert match, number
        assert match["short"] == name[:2] and int(match["year"]) == opened_on.year
        seen[(agency_id, opened_on.year)].append(int(match["n"]))
    for (agency_id, year), numbers in seen.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        last = CaseNumberSequence.objects.get(agency_id=agency_id, year=year).last
        assert last == max(numbers)

    # The next case opened through the service gets the next number.
    year = timezone.localdate().year
    agency_id = (
        Case.objects.filter(opened_on__year=year)
        .values("agency_id")
        .annotate(m=Max("id"))
        .order_by("agency_id")
        .values_list("agency_id", flat=True)
        .first()
    )
    assert agency_id is not None
    case = Case.objects.select_related("agency", "unit").filter(agency_id=agency_id).first()
    assert case is not None
    actor = UserFactory(agency=case.agency, roles=[Role.OFFICER])
    opened = services.open_case(
        actor=actor,
        agency=case.agency,
        unit=case.unit,
        action_type="inspection",
        title="日常监督检查",
        source=services.SourceInput(
            kind="inspection", received_on=timezone.localdate(), summary="双随机抽查"
        ),
    )
    last = len(seen[(agency_id, year)])
    assert opened.number == f"{case.agency.name[:2]}立〔{year}〕{last + 1}号"


def test_the_load_is_one_ledger_entry_and_not_repeated(seeded):
    entries = LedgerEntry.objects.filter(action=LEDGER_ACTION)
    assert entries.count() == 1
    counts = (Case.objects.count(), Record.objects.count(), Signature.objects.count())
    again = seed_cases(seed=SEED, cases=CASES)
    assert again.skipped and again.cases_created == 0
    assert (Case.objects.count(), Record.objects.count(), Signature.objects.count()) == counts
    assert entries.count() == 1


class _Rollback(Exception):
    pass


def _snapshot() -> list[object]:
    cases = list(
        Case.objects.order_by("agency_id", "number").values_list(
            "agency_id",
            "number",
            "title",
            "procedure",
            "stage",
            "version",
            "status",
            "opened_on",
            "closed_on",
        )
    )
    records = list(
        Record.objects.order_by("case__agency_id", "case__number", "made_on", "kind").values_list(
            "case__number", "kind", "stage", "made_on", "data", "amount", "served_on"
        )
    )
    parties = list(
        Party.objects.order_by("case__agency_id", "case__number").values_list(
            "case__number", "name", "id_number", "uscc"
        )
    )
    return [cases, records, parties, Signature.objects.count()]


def test_deterministic_for_a_seed():
    seed(seed=SEED, agencies=30, officers=240)
    seed_lists(None)
    snapshots = []
    for _ in range(2):
        with pytest.raises(_Rollback), transaction.atomic():
            seed_cases(seed=11, cases=60)
            snapshots.append(_snapshot())
            raise _Rollback
    assert snapshots[0] == snapshots[1]
    assert snapshots[0][0]


def test_seed_command_takes_cases():
    out = StringIO()
    call_command(
        "seed", "--seed", "2", "--agencies", "30", "--officers", "240", "--cases", "30", stdout=out
    )
    assert Case.objects.count() == 30
    assert "执法案件（seed=2）：新建 30 件" in out.getvalue()
    call_command(
        "seed", "--seed", "2", "--agencies", "30", "--officers", "240", "--cases", "30", stdout=out
    )
    assert Case.objects.count() == 30
    assert "已导入过，跳过" in out.getvalue()
