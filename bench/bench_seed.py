"""Seed benchmark, run on demand (not in CI):

    python bench/bench_seed.py --scale 10      # 10,000 officers, 1,000 agencies

Seeds scale x 1,000 officers and scale x 100 agencies into a fresh SQLite file in a
temporary directory (or into DATABASE_URL when it is set: the seed only adds rows, in one
transaction), prints rows/s, then times the portal's queries on the result: the officers
with a certificate valid today (count and first page, as 000 公示办法 第十二条 publishes
them) and a certificate look-up by number.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PAGE = 50


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
    parser = argparse.ArgumentParser(description="种子数据写入与门户查询的性能测试")
    parser.add_argument(
        "--scale", type=int, default=10, help="规模：执法人员 scale×1000，执法主体 scale×100"
    )
    parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale 应为正整数")

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
    from django.db import connection
    from django.utils import timezone

    from sanxiang.org import selectors
    from sanxiang.org.models import Certificate, Officer
    from sanxiang.org.seed import seed

    call_command("migrate", verbosity=0)
    if Officer.objects.exists():
        print("注意：数据库中已有执法人员，结果不是在空库上测得的。")

    officers, agencies = args.scale * 1000, args.scale * 100
    print(f"规模 {args.scale}：执法主体 {agencies:,}，执法人员 {officers:,}")
    result = seed(seed=args.seed, agencies=agencies, officers=officers, stdout=sys.stdout)
    print(
        f"写入：{result.rows_created:,} 行，{result.elapsed:.2f} 秒，"
        f"{result.rows_per_second:,.0f} 行/秒"
    )

    today = timezone.localdate()
    print(f"门户查询（{today}，{connection.vendor}）：")
    qs = selectors.public_officers(today)
    valid = _timed("持有效执法证的执法人员 count()", qs.count)
    page = _timed(
        f"第一页（{PAGE} 条，含执法主体）",
        lambda: [
            (c.officer.name, c.officer.post, c.number, c.area, c.officer.agency.name)
            for c in qs[:PAGE]
        ],
    )
    last = _timed(
        f"最后一页（OFFSET {max(valid - PAGE, 0):,}）",
        lambda: [(c.officer.name, c.number) for c in qs[max(valid - PAGE, 0) : valid]],
    )
    numbers = list(Certificate.objects.order_by("?").values_list("number", flat=True)[:1])
    if numbers:
        _timed("按执法证号查验", lambda: selectors.certificate_by_number(numbers[0]))
    print(
        f"  有效执法证 {valid:,} / 执法证 {Certificate.objects.count():,}；首页 {len(page)} 条，末页 {len(last)} 条"
    )
    if tmp is not None:
        size = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).stat().st_size
        print(f"  SQLite 文件大小 {size / 2**20:.1f} MiB")
        connection.close()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
