"""The ledger: canonical JSON, the hash chain as its docstring defines it (recomputed here
without the module's helpers), gapless seqs, appends only inside the caller's transaction."""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from sanxiang.records import ledger
from sanxiang.records.models import LedgerEntry, LedgerHead
from tests.factories import AgencyFactory, UserFactory
from tests.immutability import triggers_suspended

pytestmark = pytest.mark.django_db


def recompute(entries: list[LedgerEntry]) -> None:
    """The module docstring's definition, independently."""
    prev = b"\x00" * 32
    for expected_seq, entry in enumerate(entries, start=1):
        assert entry.seq == expected_seq
        assert entry.prev_hash == prev.hex()
        payload_hash = hashlib.sha256(entry.payload.encode("utf-8")).digest()
        assert entry.payload_hash == payload_hash.hex()
        digest = hashlib.sha256(prev + payload_hash + entry.seq.to_bytes(8, "big")).digest()
        assert entry.hash == digest.hex()
        prev = digest


# --- canonical JSON ---------------------------------------------------------------------


def test_canonical_json_is_sorted_compact_utf8():
    text = ledger.canonical_json({"b": 1, "a": {"z": [1, 2], "y": "执法"}, "c": None})
    assert text == '{"a":{"y":"执法","z":[1,2]},"b":1,"c":null}'


def test_canonical_json_encodes_dates_decimals_uuids_sets():
    tz = datetime.timezone(datetime.timedelta(hours=8))
    value = {
        "at": datetime.datetime(2026, 1, 31, 9, 2, 3, tzinfo=tz),
        "whole": datetime.datetime(2026, 1, 31, 9, 0, tzinfo=datetime.UTC),
        "on": datetime.date(2026, 1, 31),
        "time": datetime.time(8, 30),
        "amount": decimal.Decimal("12.50"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "tags": {"b", "a"},
        "pair": (1, 2),
    }
    assert json.loads(ledger.canonical_json(value)) == {
        "at": "2026-01-31T01:02:03.000000Z",
        "whole": "2026-01-31T09:00:00.000000Z",
        "on": "2026-01-31",
        "time": "08:30:00",
        "amount": "12.50",
        "id": "12345678-1234-5678-1234-567812345678",
        "tags": ["a", "b"],
        "pair": [1, 2],
    }


@pytest.mark.parametrize(
    "bad",
    [
        datetime.datetime(2026, 1, 1, 8, 0),  # naive
        float("nan"),
        decimal.Decimal("NaN"),
        b"bytes",
        object(),
    ],
)
def test_canonical_json_refuses_what_it_cannot_encode_exactly(bad):
    with pytest.raises((TypeError, ValueError)):
        ledger.canonical_json({"x": bad})


def test_canonical_json_refuses_model_instances():
    agency = AgencyFactory()
    with pytest.raises(TypeError):
        ledger.canonical_json({"agency": agency})


# --- appending --------------------------------------------------------------------------


def test_appends_chain_gaplessly_as_documented():
    user = UserFactory(username="zhangsan", full_name="张三")
    for i in range(5):
        ledger.append(
            actor=user if i % 2 else None,
            action="test.step",
            object_type="test.thing",
            object_id=str(i),
            payload={"i": i, "on": datetime.date(2026, 1, i + 1)},
        )
    entries = list(LedgerEntry.objects.order_by("seq"))
    recompute(entries)
    head = LedgerHead.objects.get()
    assert (head.seq, head.hash) == (5, entries[-1].hash)
    assert entries[1].actor_label == "zhangsan（张三）"
    assert entries[0].actor_label == "系统"


def test_the_hashed_payload_covers_every_column():
    user = UserFactory(username="lisi", full_name="李四")
    agency = AgencyFactory()
    entry = ledger.append(actor=user, action="test.look", obj=agency, payload={"why": "核查"})
    envelope = json.loads(entry.payload)
    assert envelope == {
        "v": 1,
        "action": "test.look",
        "actor": {"id": user.pk, "label": "lisi（李四）"},
        "object": {"type": "org.agency", "id": str(agency.pk)},
        "recorded_at": entry.recorded_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "data": {"why": "核查"},
    }
    assert (entry.object_type, entry.object_id) == ("org.agency", str(agency.pk))
    assert entry.payload == ledger.canonical_json(envelope)
    assert ledger.entry_data(entry) == {"why": "核查"}


def test_label_is_a_snapshot():
    user = UserFactory(username="wangwu", full_name="王五")
    entry = ledger.append(actor=user, action="test.a", payload={})
    user.full_name = "王五改名"
    user.save()
    entry.refresh_from_db()
    assert entry.actor_label == "wangwu（王五）"


def test_refuses_unsaved_objects_and_bad_actions():
    with pytest.raises(ledger.LedgerError):
        ledger.append(actor=None, action="test.a", obj=AgencyFactory.build(), payload={})
    with pytest.raises(ledger.LedgerError):
        ledger.append(actor=None, action="", payload={})
    with pytest.raises(ledger.LedgerError):
        ledger.append(actor=None, action="x" * 65, payload={})
    with pytest.raises(TypeError):
        ledger.append(actor=None, action="test.a", payload={"x": object()})
    assert not LedgerEntry.objects.exists()


def test_a_lost_head_row_is_rebuilt_from_the_last_entry():
    ledger.append(actor=None, action="test.a", payload={})
    ledger.append(actor=None, action="test.b", payload={})
    LedgerHead.objects.all().delete()  # the head is a cache, not protected
    entry = ledger.append(actor=None, action="test.c", payload={})
    assert entry.seq == 3
    recompute(list(LedgerEntry.objects.order_by("seq")))


def test_an_entry_rolls_back_with_the_change_it_records():
    ledger.append(actor=None, action="test.kept", payload={})
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger.append(actor=None, action="test.lost", payload={})
        raise RuntimeError("the business action failed after writing")
    assert list(LedgerEntry.objects.values_list("action", flat=True)) == ["test.kept"]
    assert LedgerHead.objects.get().seq == 1
    # The next append reuses seq 2: no gap.
    assert ledger.append(actor=None, action="test.next", payload={}).seq == 2


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(ledger.LedgerError, match="同一事务"):
        ledger.append(actor=None, action="test.autocommit", payload={})
    assert not LedgerEntry.objects.exists()
    with transaction.atomic():
        ledger.append(actor=None, action="test.atomic", payload={})
    assert LedgerEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_flush_the_protected_tables():
    # This test leaves an entry behind; the flush after it must get past the triggers (see
    # tests/immutability.py), or every later transactional test would fail.
    with transaction.atomic():
        ledger.append(actor=None, action="test.left_behind", payload={})


def test_triggers_suspended_helper_restores_the_triggers():
    entry = ledger.append(actor=None, action="test.a", payload={})
    with triggers_suspended():
        LedgerEntry.objects.filter(pk=entry.pk).update(action="test.b")
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(action="test.c")


def test_recorded_times_are_aware_and_recent():
    entry = ledger.append(actor=None, action="test.a", payload={})
    assert timezone.is_aware(entry.recorded_at)
    assert abs((timezone.now() - entry.recorded_at).total_seconds()) < 60


@pytest.mark.skipif(
    transaction.get_connection().vendor != "postgresql",
    reason="SQLite serialises writers with IMMEDIATE transactions and its test database is in memory "
    "(one connection); the race needs PostgreSQL's concurrent transactions",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_stay_gapless_and_chained():
    import threading

    from django.db import connections

    threads_n, per_thread = 6, 25
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    ledger.append(
                        actor=None, action="test.race", object_id=f"{n}-{i}", payload={"n": n}
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    entries = list(LedgerEntry.objects.order_by("seq"))
    assert len(entries) == threads_n * per_thread
    recompute(entries)
    assert len({e.object_id for e in entries}) == threads_n * per_thread
    assert LedgerHead.objects.get().seq == threads_n * per_thread
