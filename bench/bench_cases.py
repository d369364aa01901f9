"""Case benchmark, run on demand (not in CI):

    python bench/bench_cases.py --cases 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_cases python bench/bench_cases.py --cases 1000000

Seeds the master data (agencies and officers scaled to the cases, plus the published lists)
and --cases enforcement cases (sanxiang.sampledata.cases) into a fresh SQLite file in a
temporary directory, or into DATABASE_URL when it is set (the seed only adds rows; use a
throw-away database), and prints in Chinese:

(a) the seed: cases and rows per second;
(b) transitions per second through the real service ``cases.services.fire_transition``,
    each in its own transaction, on seeded open cases whose next transition the engine
    allows (found with ``build_case_state`` and ``engine.available_transitions``);
(c) the refresh of the stored next deadline (cases.deadlines) on a sample, then the
    workbench inbox query — an agency's open cases, soonest deadline first, first page of
    25, and the overdue count — with the query plan on PostgreSQL, to show the
    (agency, status, next_due_on) index at work.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PAGE = 25


def _timed(label: str, fn: Callable[[], T], repeat: int = 3) -> T:
    """Run fn `repeat` times; print the first (cold) and the best time."""
    times: list[float] = []
    value: T | None = None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    print(f"  {label}: 首次 {times[0] * 1000:.1f} ms，最快 {min(times) * 1000:.1f} ms")
    assert value is not None
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="执法案件种子数据写入、环节流转与收件箱查询的性能测试"
    )
    parser.add_argument("--cases", type=int, default=10000, help="执法案件数量（默认 10000）")
    parser.add_argument(
        "--agencies",
        type=int,
        default=0,
        help="执法主体数量（默认按案件数：每千件一个，40 至 2000）",
    )
    parser.add_argument(
        "--officers", type=int, default=0, help="执法人员数量（默认执法主体的 20 倍）"
    )
    parser.add_argument(
        "--transitions", type=int, default=300, help="测量的环节流转次数（默认 300）"
    )
    parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="数据库中已有案件时跳过写入，只测 (b) 和 (c)（在 DATABASE_URL 上重复测量）",
    )
    args = parser.parse_args(argv)
    if args.cases < 1:
        parser.error("--cases 应为正整数")
    agencies = args.agencies or min(max(args.cases // 1000, 40), 2000)
    officers = args.officers or agencies * 20

    tmp: tempfile.TemporaryDirectory[str] | None = None
    if os.environ.get("DATABASE_URL"):
        print(f"数据库：DATABASE_URL（{os.environ['DATABASE_URL'].split('@')[-1]}）")
    else:
        tmp = tempfile.TemporaryDirectory(prefix="sanxiang-bench-")
        db = Path(tmp.name) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
        print(f"数据库：临时 SQLite 文件 {db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count, F
    from django.utils import timezone

    from sanxiang.cases import services
    from sanxiang.cases.deadlines import refresh_all
    from sanxiang.cases.models import Case, Record, Signature
    from sanxiang.cases.state import build_case_state
    from sanxiang.org.models import Agency, Role, RoleGrant, User
    from sanxiang.org.seed import seed
    from sanxiang.procedures import engine
    from sanxiang.sampledata.cases import seed_cases
    from sanxiang.sampledata.seeders import seed_lists

    call_command("migrate", verbosity=0)
    reuse = args.reuse and Case.objects.exists()
    if Case.objects.exists() and not reuse:
        print("注意：数据库中已有执法案件，结果不是在空库上测得的。")

    if reuse:
        print("(a) 跳过写入（--reuse，沿用库中已有的案件）")
    else:
        print(f"主数据：执法主体 {agencies:,}，执法人员 {officers:,}")
        seed(seed=args.seed, agencies=agencies, officers=officers)
        seed_lists(None)

        # (a) the seed
        print(f"(a) 写入执法案件 {args.cases:,} 件：")
        result = seed_cases(seed=args.seed, cases=args.cases, scope="bench", stdout=sys.stdout)
        print(
            f"  合计：{result.cases_created:,} 件，{result.rows_created:,} 行，"
            f"用时 {result.elapsed:.1f} 秒；{result.cases_created / result.elapsed:,.0f} 件/秒，"
            f"{result.rows_per_second:,.0f} 行/秒"
        )
    if connection.vendor == "postgresql":
        # Planner statistics after a bulk load (autovacuum would get there later).
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"  ANALYZE：{time.perf_counter() - started:.1f} 秒")

    # (b) transitions through the service
    today = timezone.localdate()
    roles = ["officer", "unit_head", "agency_head"]
    ready: list[tuple[Case, str]] = []
    scanned = 0
    candidates = (
        Case.objects.filter(status=Case.Status.OPEN)
        .select_related("agency__jurisdiction")
        .order_by("id")
    )
    started = time.perf_counter()
    for case in candidates.iterator(chunk_size=500):
        scanned += 1
        state = build_case_state(case, today)
        allowed = [c for c in engine.available_transitions(state, actor_roles=roles) if c.allowed]
        if allowed:
            ready.append((case, allowed[0].code))
        if len(ready) >= args.transitions or scanned >= args.transitions * 20:
            break
    print(
        f"(b) 环节流转：检查 {scanned:,} 件办理中案件（{time.perf_counter() - started:.1f} 秒），"
        f"其中 {len(ready):,} 件可流转"
    )
    actors: dict[int, User] = {}
    with transaction.atomic():
        for agency_id in sorted({c.agency_id for c, _ in ready}):
            user, _ = User.objects.get_or_create(
                username=f"bench-{agency_id}",
                defaults={"agency_id": agency_id, "full_name": "性能测试", "is_active": False},
            )
            RoleGrant.objects.bulk_create(
                [
                    RoleGrant(user=user, role=r)
                    for r in (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)
                ],
                ignore_conflicts=True,
            )
            actors[agency_id] = user
    latencies: list[float] = []
    refused = 0
    started = time.perf_counter()
    for case, code in ready:
        begin = time.perf_counter()
        try:
            services.fire_transition(
                actor=actors[case.agency_id],
                case=case,
                transition_code=code,
                expected_version=case.version,
            )
        except Exception as exc:
            refused += 1
            if refused <= 3:
                print(f"  被拒绝：{case.number} {code}：{exc}")
            continue
        latencies.append(time.perf_counter() - begin)
    elapsed = time.perf_counter() - started
    if latencies:
        latencies.sort()
        p95 = latencies[int(len(latencies) * 0.95) - 1] if len(latencies) >= 20 else latencies[-1]
        print(
            f"  fire_transition（每次一个事务）：{len(latencies):,} 次，用时 {elapsed:.2f} 秒，"
            f"{len(latencies) / elapsed:,.1f} 次/秒；中位 {statistics.median(latencies) * 1000:.1f} ms，"
            f"P95 {p95 * 1000:.1f} ms；被拒绝 {refused} 次"
        )

    # (c) the inbox
    busiest = (
        Case.objects.filter(status=Case.Status.OPEN)
        .values("agency_id")
        .annotate(n=Count("id"))
        .order_by("-n", "agency_id")
        .values_list("agency_id", flat=True)
        .first()
    )
    if busiest is not None:
        agency = Agency.objects.get(pk=busiest)
        # The bulk seed leaves each case's next deadline empty (cases.deadlines); refresh a
        # sample so that the ordering below has values to sort, and time the refresh.
        sample = Case.objects.filter(agency=agency, status=Case.Status.OPEN)
        started = time.perf_counter()
        refreshed = refresh_all(
            sample.filter(pk__in=list(sample.values_list("pk", flat=True)[:300]))
        )
        took = time.perf_counter() - started
        print(f"(c) 最近期限刷新：{refreshed} 件，{refreshed / took:.1f} 件/秒")
        inbox = (
            Case.objects.filter(agency=agency, status=Case.Status.OPEN)
            .select_related("unit", "matter")
            .order_by(F("next_due_on").asc(nulls_last=True), "-opened_on", "-id")
        )
        print(f"    收件箱查询（{agency.name}，{connection.vendor}）：")
        open_count = _timed("办理中案件 count()", inbox.count)
        today = timezone.localdate()
        overdue = _timed("已逾期 count()", inbox.filter(next_due_on__lt=today).count)
        page = _timed(
            f"第一页（{PAGE} 件，按最近期限，逾期在前）",
            lambda: [(c.number, c.title, c.stage, c.unit.name) for c in inbox[:PAGE]],
        )
        print(f"  办理中 {open_count:,} 件，其中已逾期 {overdue:,} 件，首页 {len(page)} 件")
        if connection.vendor == "postgresql":
            sql, params = inbox[:PAGE].query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + sql, params)
                plan = [row[0] for row in cursor.fetchall()]
            print("  查询计划：")
            for line in plan[:8]:
                print(f"    {line}")
    print(
        f"总量：案件 {Case.objects.count():,}，文书 {Record.objects.count():,}，"
        f"签名 {Signature.objects.count():,}"
    )
    if tmp is not None:
        size = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).stat().st_size
        print(f"  SQLite 文件大小 {size / 2**20:.1f} MiB")
        connection.close()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
