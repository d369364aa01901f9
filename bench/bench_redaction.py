"""Redaction throughput, run on demand (not in CI):

    python bench/bench_redaction.py --mb 5
    python bench/bench_redaction.py --mb 20 --seed 3 --no-parties
    python bench/bench_redaction.py --mb 5 --bare     # dense: planted values, no body text

Generates documents (penalty decisions for natural and legal persons, inquiry records,
inspection results; ``tests/disclosure/redaction_corpus.py``) with planted personal and
public values and their public body text (evidence, reasoning, remedies — a decision of about
3 KB; --bare leaves it out) until their text reaches --mb megabytes (UTF-8), then times ``redact`` over all
of them — the structured layer with each document's parties (unless --no-parties) and every
detector — and prints MB/s and documents/s, by the wall clock and by CPU time (one core; on a shared
machine the wall clock counts others' work too). Generation is not timed. Every planted personal
value is checked to be gone afterwards (the run fails otherwise), so a faster but leaking
change cannot pass for an improvement.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="megabytes of text (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-parties", action="store_true", help="detectors only")
    parser.add_argument(
        "--bare",
        action="store_true",
        help="documents without their public body text: planted values only, dense",
    )
    args = parser.parse_args()

    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    from sanxiang.disclosure.redaction import redact
    from sanxiang.disclosure.redaction.normalize import normalize
    from tests.disclosure.redaction_corpus import Generator

    target = int(args.mb * 1_000_000)
    started = time.perf_counter()
    documents = []
    size = 0
    for document in Generator(args.seed, filler=not args.bare).documents(10**9):
        documents.append(document)
        size += len(document.text.encode("utf-8"))
        if size >= target:
            break
    generated = time.perf_counter() - started
    print(
        f"generated {len(documents):,} documents, {size / 1e6:.2f} MB "
        f"({size / len(documents):,.0f} bytes each on average) in {generated:.1f} s"
    )

    started, cpu_started = time.perf_counter(), time.process_time()
    results = [
        redact(
            d.text,
            () if args.no_parties else d.parties,
            mask_names=d.mask_names,
            keep=d.keep,
        )
        for d in documents
    ]
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    spans = sum(len(r.spans) for r in results)
    print(
        f"redacted in {elapsed:.2f} s: {size / 1e6 / elapsed:.2f} MB/s, "
        f"{len(documents) / elapsed:,.0f} documents/s, {spans:,} spans "
        f"({'detectors only' if args.no_parties else 'parties and detectors'})"
    )
    # On a shared machine the wall clock counts other processes' time too.
    print(
        f"CPU time {cpu:.2f} s: {size / 1e6 / cpu:.2f} MB/s, "
        f"{len(documents) / cpu:,.0f} documents/s of one core"
    )

    leaks = 0
    for document, result in zip(documents, results, strict=True):
        redacted = normalize(result.text)
        witness_only = args.no_parties
        for what, written in document.personal:
            if normalize(written) in redacted and not (witness_only and "address" in what):
                leaks += 1
    if leaks:
        print(f"FAILED: {leaks} planted personal values left in the redacted text")
        return 1
    print("every planted personal value removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
