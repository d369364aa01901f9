"""Two simultaneous transitions on one case: one success, one conflict — on PostgreSQL, with
two real connections (SQLite serialises writers, so the sequential simulation in
test_refusals.py stands in for it there)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from sanxiang.cases import services
from sanxiang.cases.models import Case, CaseNumberSequence, StageTransition
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import make_world, open_penalty, signed_record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite allows one writer at a time, so no real race",
    ),
]


def test_two_simultaneous_transitions_give_one_success_and_one_conflict():
    world = make_world()
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case.refresh_from_db()
    version = case.version
    ledger_before = LedgerEntry.objects.count()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            services.fire_transition(
                actor=world.head, case=case, transition_code="file", expected_version=version
            )
            result = "ok"
        except services.ConcurrentChange as exc:
            result = f"conflict:{exc}"
        except Exception as exc:
            result = f"error:{exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "ok"], outcomes
    conflict = next(o for o in outcomes if o.startswith("conflict"))
    assert f"案件已被他人更新（版本{version + 1}），请刷新后重试" in conflict
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.version) == ("investigation", version + 1)
    assert StageTransition.objects.filter(case=case).count() == 1
    assert LedgerEntry.objects.count() == ledger_before + 1


def test_first_cases_of_a_year_opened_at_once_get_distinct_numbers():
    """Neither agency-year sequence row exists yet: every opener tries to create it at once;
    one insert wins, the others lock the winner's row (cases.services._locked_sequence)."""
    world = make_world()
    workers = 4
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            result = f"ok:{open_penalty(world).number}"
        except Exception as exc:
            result = f"error:{exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert all(o.startswith("ok:") for o in outcomes), outcomes
    year = Case.objects.values_list("opened_on", flat=True).first().year  # type: ignore[union-attr]
    numbers = sorted(o.removeprefix("ok:") for o in outcomes)
    assert numbers == sorted(f"郑州立〔{year}〕{n}号" for n in range(1, workers + 1))
    assert CaseNumberSequence.objects.get(agency=world.agency, year=year).last == workers
    assert LedgerEntry.objects.filter(action="cases.open_case").count() == workers
