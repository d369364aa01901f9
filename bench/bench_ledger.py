"""Ledger benchmark, run on demand (not in CI):

    python bench/bench_ledger.py --entries 1000000 --verify
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanxiang python bench/bench_ledger.py --entries 1000000 --verify

Runs in a throw-away database — never the configured one, whose ledger rows could not be
deleted afterwards: a temporary SQLite file, or (when DATABASE_URL names PostgreSQL) a
database "<name>_bench_ledger" beside the configured one, created, migrated and dropped.

1. Appends: --appends entries (default 5,000) one at a time, each in its own transaction
   as a business action does (lock the head row, hash, insert, update the head); prints
   appends per second.
2. With --verify: fills the ledger up to --entries with correctly chained entries
   (bulk-inserted: COPY on PostgreSQL, executemany on SQLite), signs checkpoints at half
   and at full size, times `verify` (chain + all checkpoint roots in one pass), and one
   inclusion and one consistency proof.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

COLUMNS = (
    "seq",
    "recorded_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "payload",
    "payload_hash",
    "prev_hash",
    "hash",
)
BATCH = 20_000


def _payload(i: int) -> dict[str, Any]:
    """About what a register_officer entry holds."""
    return {
        "officer": {
            "id": i,
            "agency_id": 1 + i % 977,
            "unit_id": None,
            "name": "张三丰",
            "gender": "M",
            "id_number": "410105199001011233",
            "post": "科员",
            "phone": "",
            "joined_on": datetime.date(2020, 1, 1 + i % 28),
            "left_on": None,
            "left_reason": "",
        }
    }


def _rows(start_seq: int, count: int, prev_hash: str):
    """Chained entries seq start_seq .. start_seq+count-1, as ledger.append would write them."""
    from sanxiang.records import ledger

    base = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for seq in range(start_seq, start_seq + count):
        recorded_at = base + datetime.timedelta(milliseconds=seq)
        text = ledger.canonical_json(
            ledger.envelope(
                action="org.register_officer",
                actor_id=None,
                actor_label=ledger.SYSTEM_LABEL,
                object_type="org.officer",
                object_id=str(seq),
                recorded_at=recorded_at,
                data=_payload(seq),
            )
        )
        digest = ledger.payload_digest(text)
        entry_hash = ledger.chain_hash(prev_hash, digest, seq)
        yield (
            seq,
            recorded_at,
            None,
            ledger.SYSTEM_LABEL,
            "org.register_officer",
            "org.officer",
            str(seq),
            text,
            digest,
            prev_hash,
            entry_hash,
        )
        prev_hash = entry_hash


def _bulk_fill(target: int) -> float:
    """Insert chained entries until the ledger holds `target`; returns seconds taken."""
    from django.db import connection, transaction

    from sanxiang.records.ledger import GENESIS_HASH, HEAD_ID
    from sanxiang.records.models import LedgerEntry, LedgerHead

    last = LedgerEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev = last if last else (0, GENESIS_HASH)
    count = target - seq
    if count <= 0:
        return 0.0
    started = time.perf_counter()
    rows = _rows(seq + 1, count, prev)
    final: tuple[Any, ...] | None = None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            raw = connection.connection.cursor()
            columns = ", ".join(COLUMNS)
            with raw.copy(f"COPY records_ledgerentry ({columns}) FROM STDIN") as copy:
                for final in rows:
                    copy.write_row(final)
        else:
            sql = (
                f"INSERT INTO records_ledgerentry ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
            )
            with connection.cursor() as cursor:
                batch: list[tuple[Any, ...]] = []
                for final in rows:
                    adapted = connection.ops.adapt_datetimefield_value(final[1])
                    batch.append((final[0], adapted, *final[2:]))
                    if len(batch) >= BATCH:
                        cursor.executemany(sql, batch)
                        batch.clear()
                if batch:
                    cursor.executemany(sql, batch)
        assert final is not None
        LedgerHead.objects.update_or_create(
            pk=HEAD_ID, defaults={"seq": final[0], "hash": final[-1]}
        )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="台账追加与核验的性能测试")
    parser.add_argument("--entries", type=int, default=100_000, help="核验时台账的条数")
    parser.add_argument("--appends", type=int, default=5_000, help="逐条追加（每条一个事务）的条数")
    parser.add_argument("--verify", action="store_true", help="填充到 --entries 条并计时核验")
    args = parser.parse_args(argv)
    if args.entries < 1 or args.appends < 0:
        parser.error("--entries 应为正整数，--appends 不能为负数")

    tmp = tempfile.TemporaryDirectory(prefix="sanxiang-bench-ledger-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    os.environ.setdefault("SANXIANG_VAR", tmp.name)  # the signing key goes here
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'main.sqlite3'}"

    import django

    django.setup()

    from django.conf import settings
    from django.db import connection, transaction

    from sanxiang.records import checkpoints, ledger, proofs
    from sanxiang.records.verify import verify

    # A throw-away database beside the configured one.
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(Path(tmp.name) / "bench.sqlite3")
    else:
        test_settings["NAME"] = f"{connection.settings_dict['NAME']}_bench_ledger"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    settings.VAR_DIR = Path(tmp.name)
    try:
        print(f"数据库：{connection.vendor}（临时库 {connection.settings_dict['NAME']}）")
        if args.appends:
            started = time.perf_counter()
            for i in range(args.appends):
                with transaction.atomic():
                    ledger.append(
                        actor=None,
                        action="org.register_officer",
                        object_type="org.officer",
                        object_id=str(i),
                        payload=_payload(i),
                    )
            elapsed = time.perf_counter() - started
            print(
                f"逐条追加：{args.appends:,} 条，{elapsed:.2f} 秒，"
                f"{args.appends / elapsed:,.0f} 条/秒（单线程，每条一个事务）"
            )
        if args.verify:
            half = max(args.entries // 2, 1)
            fill = _bulk_fill(half)
            started = time.perf_counter()
            checkpoints.create_checkpoint()
            first_cp = time.perf_counter() - started
            fill += _bulk_fill(args.entries)
            print(f"批量写入至 {args.entries:,} 条：{fill:.1f} 秒")
            started = time.perf_counter()
            checkpoints.create_checkpoint()
            second_cp = time.perf_counter() - started
            print(
                f"签署检查点：{half:,} 条 {first_cp:.2f} 秒；{args.entries:,} 条 {second_cp:.2f} 秒"
                "（流式计算默克尔根并核对上一检查点）"
            )
            report = verify(check_stored_files=False)
            s = report.seconds
            print(
                f"verify：{report.entries:,} 条台账、{report.checkpoints} 个检查点，"
                f"{s['total']:.2f} 秒（哈希链与默克尔根一次遍历 {s['ledger']:.2f} 秒），"
                f"{report.entries / s['ledger']:,.0f} 条/秒；异常 {report.break_count} 处"
            )
            if not report.ok:
                for brk in report.breaks[:5]:
                    print("  ", brk)
            started = time.perf_counter()
            proofs.inclusion(args.entries // 3 + 1, args.entries)
            inclusion = time.perf_counter() - started
            started = time.perf_counter()
            proofs.consistency(half, args.entries)
            consistency = time.perf_counter() - started
            print(
                f"包含证明（树 {args.entries:,}）：{inclusion:.2f} 秒；"
                f"一致性证明（{half:,} → {args.entries:,}）：{consistency:.2f} 秒"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
