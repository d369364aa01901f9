"""Case file (案卷) benchmark, run on demand (not in CI):

    python bench/bench_casefile.py --cases 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_casefile python bench/bench_casefile.py --cases 1000000

Seeds master data and --cases cases (sanxiang.sampledata.cases; a share of them closed)
into a fresh SQLite file, or into DATABASE_URL (a throw-away database), then prints:

(a) registering the case files of every closed case (``archives.services.
    register_due_case_files``: keyset batches, one transaction and ledger entry each);
(b) the custodian's list — an agency's files due, first page of 25, and the tab counts —
    with the query plan on PostgreSQL (index ``casefile_due``);
(c) streaming an archive package holding a --av-mb MB AV file: throughput and the peak
    Python memory (tracemalloc), which stays at a few MB whatever the file's size.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="案卷登记、案卷列表查询与归档包流式输出的性能测试")
    parser.add_argument("--cases", type=int, default=20000, help="执法案件数量（默认 20000）")
    parser.add_argument(
        "--av-mb", type=int, default=200, help="归档包中音像文件大小（MB，默认 200）"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    tmp: tempfile.TemporaryDirectory[str] | None = None
    tmp = tempfile.TemporaryDirectory(prefix="sanxiang-bench-casefile-")
    if os.environ.get("DATABASE_URL"):
        print(f"数据库：DATABASE_URL（{os.environ['DATABASE_URL'].split('@')[-1]}）")
    else:
        db = Path(tmp.name) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
        print(f"数据库：临时 SQLite 文件 {db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sanxiang.archives import selectors, services
    from sanxiang.archives.models import CaseFile
    from sanxiang.archives.package import PayloadFile, stream_package
    from sanxiang.cases.models import Case
    from sanxiang.org.models import User
    from sanxiang.org.seed import seed
    from sanxiang.records.filestore.services import store_file
    from sanxiang.sampledata.cases import seed_cases
    from sanxiang.sampledata.seeders import seed_lists

    settings.MEDIA_ROOT = Path(tmp.name) / "media"
    call_command("migrate", verbosity=0)
    agencies = min(max(args.cases // 1000, 40), 2000)
    seed(seed=args.seed, agencies=agencies, officers=agencies * 20)
    seed_lists(None)
    result = seed_cases(seed=args.seed, cases=args.cases, scope="bench", stdout=io.StringIO())
    closed = Case.objects.filter(status=Case.Status.CLOSED).count()
    print(f"案件 {result.cases_created:,} 件，其中已办结 {closed:,} 件")

    started = time.perf_counter()
    count = services.register_due_case_files(actor=None)
    elapsed = time.perf_counter() - started
    print(
        f"(a) 登记案卷 {count:,} 件，用时 {elapsed:.2f} 秒，{count / max(elapsed, 1e-9):,.0f} 件/秒"
    )

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    agency_id = CaseFile.objects.values_list("agency_id", flat=True).order_by("agency_id").first()
    user = User(agency_id=agency_id)
    today = timezone.localdate()
    base = selectors.case_files_for(user)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        page = list(selectors.listing(base, "due", today)[:25])
        counts = selectors.tab_counts(base, today)
        times.append(time.perf_counter() - t)
    print(
        f"(b) 档案管理员列表（第1页 {len(page)} 件 + 4 个计数 {counts}）："
        f"首次 {times[0] * 1000:.1f} ms，最快 {min(times) * 1000:.1f} ms"
    )
    if connection.vendor == "postgresql":
        print("    " + selectors.listing(base, "due", today)[:25].explain().replace("\n", "\n    "))

    size = args.av_mb * 1024 * 1024
    path = Path(tmp.name) / "av.mp4"
    head = b"\x00\x00\x00\x1cftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    with path.open("wb") as f:
        f.write(head)
        block = hashlib.sha256(b"bench").digest() * 32768
        written = len(head)
        while written < size:
            chunk = block[: size - written]
            f.write(chunk)
            written += len(chunk)
    with path.open("rb") as f:
        from django.db import transaction

        with transaction.atomic():
            stored = store_file(
                stream=f,
                expected_sha256=None,
                expected_size=size,
                media_type="video/mp4",
                actor=None,
            )
    payload = [PayloadFile("data/av/av.mp4", stored.sha256, stored.size)]
    tracemalloc.start()
    t = time.perf_counter()
    total = 0
    h = hashlib.sha256()
    for chunk in stream_package("bag", [["Payload-Oxum", f"{size}.1"]], payload):
        h.update(chunk)
        total += len(chunk)
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"(c) 归档包 {total / 1e6:,.0f} MB 流式输出（含 SHA-256）：{elapsed:.2f} 秒，"
        f"{total / 1e6 / elapsed:,.0f} MB/秒，Python 内存峰值 {peak / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
