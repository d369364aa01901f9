"""File-store ingest benchmark, run on demand (not in CI):

    python bench/bench_ingest.py --size-gb 2

Writes a random file of that size (an MP4 signature first, so the type check passes), then
times, on the same warm page cache:

- the standard tools: `openssl dgst -sha256 FILE` followed by `cp FILE DEST` and an fsync
  of DEST (`sync DEST`);
- an ingest through the store (records.filestore.services.store_file: temporary file,
  fsync, verify, link to the content address, StoredFile row and ledger entry), twice:
  from the file itself (copied by the kernel, as cp does, then hashed by reading back
  what was written) and from the same bytes as a plain stream without a descriptor, as
  from a socket (hashing and writing on two threads);
- the completion of an upload (LocalFileStore.adopt: hash the part file once, fsync,
  link it into the store — no copy).

Each ingest runs in a child process that does nothing else; its peak RSS (VmHWM) is the
ingest's memory. The contenders alternate over --rounds rounds (default 3): on a virtual
machine the first writer into untouched memory pays for it, and other work on the
machine shows up as noise, so the median and the best of each are printed, with MB/s, the
ratio of each ingest's time to the standard tools' time (below 1 = faster) and the load
average. Everything happens in a temporary directory (on the filesystem of --dir, default
the system temp dir) that is removed at the end; the database is a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MIB = 1024 * 1024
MP4_HEADER = b"\x00\x00\x00\x1cftypisom\x00\x00\x02\x00isomiso2avc1mp41"


def _vm_hwm_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _env(work: Path, media: str = "media") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="sanxiang.settings",
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        MEDIA_ROOT=str(work / media),
        SANXIANG_VAR=str(work / "var"),
    )
    return env


class _Unseekable(io.RawIOBase):
    """The file as a plain stream (like a socket or a request body): no descriptor."""

    def __init__(self, f: io.RawIOBase) -> None:
        self._f = f

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._f.readinto(buffer) or 0


def make_file(path: Path, size: int) -> None:
    block = 16 * MIB
    with open(path, "wb", buffering=0) as f:
        f.write(MP4_HEADER)
        left = size - len(MP4_HEADER)
        while left > 0:
            n = min(block, left)
            f.write(os.urandom(n))
            left -= n
        os.fsync(f.fileno())


def timed(cmd: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout


def child(mode: str, source: Path, expected: str) -> None:
    """One measured operation, alone in this process; prints JSON."""
    import django

    django.setup()
    baseline = _vm_hwm_kib()
    from sanxiang.records.filestore import LocalFileStore, get_store
    from sanxiang.records.filestore.services import store_file

    size = source.stat().st_size
    if mode in ("ingest", "stream"):
        started = time.perf_counter()
        with open(source, "rb", buffering=0) as f:
            stored = store_file(
                stream=f if mode == "ingest" else _Unseekable(f),
                expected_sha256=expected,
                expected_size=size,
                media_type="video/mp4",
                actor=None,
            )
        elapsed = time.perf_counter() - started
        assert stored.sha256 == expected
        location = str(get_store().path_for(expected))  # type: ignore[attr-defined]
    else:
        store = LocalFileStore(Path(os.environ["MEDIA_ROOT"]) / "adopt-store")
        part = source.parent / "upload.part"
        os.link(source, part)  # the finished part file of an upload
        started = time.perf_counter()
        blob = store.adopt(
            part, expected_sha256=expected, expected_size=size, media_type="video/mp4"
        )
        elapsed = time.perf_counter() - started
        assert blob.sha256 == expected and blob.new
        location = str(store.path_for(expected))
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "peak_rss_kib": _vm_hwm_kib(),
                "baseline_rss_kib": baseline,
                "stored_at": location,
            }
        )
    )


def run_child(mode: str, work: Path, source: Path, expected: str, media: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--source", str(source), "--expect", expected],
        check=True,
        capture_output=True,
        text=True,
        env=_env(work, media),
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    # Free the stored copy, so every round starts from the same state.
    shutil.rmtree(work / media)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="文件入库（流式哈希+写入）与 openssl+cp 的性能对比"
    )
    parser.add_argument("--size-gb", type=float, default=2.0, help="测试文件大小（GB，默认 2）")
    parser.add_argument("--rounds", type=int, default=3, help="轮数（默认 3，取中位数与最快）")
    parser.add_argument("--dir", default=None, help="临时目录所在位置（默认系统临时目录）")
    parser.add_argument("--child", choices=["ingest", "stream", "adopt"], help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--expect", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, Path(args.source), args.expect)
        return 0
    if shutil.which("openssl") is None:
        parser.error("需要 openssl 命令")

    size = int(args.size_gb * 1024**3)
    mb = size / 1e6
    with tempfile.TemporaryDirectory(prefix="sx-bench-ingest-", dir=args.dir) as tmp:
        work = Path(tmp)
        source = work / "source.mp4"
        print(f"生成 {args.size_gb:g} GB 随机文件 {source} ……", flush=True)
        make_file(source, size)

        print("初始化数据库（SQLite）……", flush=True)
        subprocess.run(
            [sys.executable, "-m", "sanxiang.manage", "migrate", "--no-input", "-v", "0"],
            check=True,
            env=_env(work),
        )

        # Warm the page cache once so every contender reads from memory alike.
        timed(["openssl", "dgst", "-sha256", str(source)])

        # Rounds alternate the contenders: on a virtual machine the first writer into fresh
        # memory pays for it, so a single ordered run would measure the order.
        tools: list[tuple[float, float, float]] = []
        ingests: list[dict[str, Any]] = []
        streams: list[dict[str, Any]] = []
        adopts: list[dict[str, Any]] = []
        expected = ""
        for round_no in range(args.rounds):
            hash_s, out = timed(["openssl", "dgst", "-sha256", str(source)])
            expected = out.strip().rsplit(" ", 1)[-1].lower()
            dest = work / "copy.mp4"
            cp_s, _ = timed(["cp", str(source), str(dest)])
            sync_s, _ = timed(["sync", str(dest)])
            dest.unlink()
            tools.append((hash_s, cp_s + sync_s, hash_s + cp_s + sync_s))
            ingests.append(run_child("ingest", work, source, expected, f"media-{round_no}"))
            streams.append(run_child("stream", work, source, expected, f"media-s{round_no}"))
            adopts.append(run_child("adopt", work, source, expected, f"media-a{round_no}"))
            print(
                f"  第 {round_no + 1} 轮：标准工具 {tools[-1][2]:.2f} s，"
                f"入库（文件）{ingests[-1]['seconds']:.2f} s，"
                f"入库（数据流）{streams[-1]['seconds']:.2f} s，"
                f"上传完成 {adopts[-1]['seconds']:.2f} s；"
                f"系统负载 {os.getloadavg()[0]:.2f}",
                flush=True,
            )

        def line(label: str, values: list[float]) -> str:
            med, best = statistics.median(values), min(values)
            return (
                f"  {label:<40} 中位 {med:6.2f} s {mb / med:6.0f} MB/s │ "
                f"最快 {best:6.2f} s {mb / best:6.0f} MB/s"
            )

        tools_total = [t[2] for t in tools]
        ingest_s = [r["seconds"] for r in ingests]
        stream_s = [r["seconds"] for r in streams]
        adopt_s = [r["seconds"] for r in adopts]
        print(f"\n文件大小：{size:,} 字节（{mb:,.0f} MB），SHA-256 {expected}，{args.rounds} 轮")
        print(line("openssl dgst -sha256", [t[0] for t in tools]))
        print(line("cp + sync（fsync 目标文件）", [t[1] for t in tools]))
        print(line("标准工具合计", tools_total))
        print(line("入库 store_file（文件：内核复制+回读哈希）", ingest_s))
        print(line("入库 store_file（数据流：哈希与写入并行）", stream_s))
        print(line("上传完成 adopt（不复制）", adopt_s))
        for label, values in (
            ("入库（文件）", ingest_s),
            ("入库（数据流）", stream_s),
            ("上传完成", adopt_s),
        ):
            print(
                f"  {label}耗时 / 标准工具耗时：中位 "
                f"{statistics.median(values) / statistics.median(tools_total):.2f}，"
                f"最快 {min(values) / min(tools_total):.2f}"
            )
        for label, results in (
            ("入库（文件）", ingests),
            ("入库（数据流）", streams),
            ("上传完成", adopts),
        ):
            peak = max(r["peak_rss_kib"] for r in results)
            base = max(r["baseline_rss_kib"] for r in results)
            print(
                f"  {label}进程峰值内存（VmHWM）：{peak / 1024:.1f} MiB"
                f"（Django 启动后、入库前 {base / 1024:.1f} MiB）"
            )
    return 0


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    sys.exit(main())
