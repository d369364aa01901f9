"""The draw algorithm ``sanxiang-draw-v1``: pure, deterministic, re-runnable by anyone from the
published seed and candidate lists (随机抽取检查对象、随机选派执法检查人员, 002 第十三条).

It uses no pseudo-random generator of any language, only HMAC-SHA256 (RFC 2104, FIPS 180-4),
so it can be re-implemented in a few lines anywhere::

    key          = the 32 bytes of the seed (published as 64 lowercase hex digits)
    score(text)  = HMAC-SHA256(key, UTF-8 bytes of text), compared as 32-byte strings

    1. Targets. T = the candidate target ids. Each target t gets score("target:" + t) (t in
       decimal, no padding). Sort T by (score, t) ascending; the first k are drawn, in that
       order, where k = ceil(|T| × ratio / 100) (ratio a percentage with two decimals,
       computed exactly: k = ceil(|T| × round(ratio × 100) / 10000)), at most |T|.
    2. Inspectors. I = the candidate inspector ids, C = the conflict pairs (officer, target).
       load(i) starts at 0 for every i. For each drawn target t, in draw order: the
       available inspectors are I minus every i with (i, t) in C; if fewer than m (the
       inspectors per target) remain the draw fails; otherwise sort them by
       (load(i), score("inspector:" + t + ":" + i), i) ascending and take the first m, in
       that order (the first leads, 主办), and add 1 to the load of each. The load term
       spreads the work evenly; the score decides among equally loaded inspectors.

Digests (SHA-256, lowercase hex) of the lists, so that anyone can check the published lists
are the ones that were fixed before the draw:

    list digest     = SHA-256(ids in ascending order, decimal, joined by ",")
    conflict digest = SHA-256("officer:target" pairs sorted by (officer, target), joined by ",")
    result digest   = SHA-256(lines "position:target:inspector,inspector,…" joined by "\\n",
                      positions from 1 in draw order)
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ALGORITHM = "sanxiang-draw-v1"
SEED_BYTES = 32


class DrawInfeasible(ValueError):
    """A drawn target cannot get enough non-conflicted inspectors."""

    def __init__(self, target_id: int, available: int, needed: int) -> None:
        self.target_id = target_id
        self.available = available
        self.needed = needed
        super().__init__(
            f"检查对象（id {target_id}）可选派的检查人员只有{available}名（已排除回避），"
            f"不足{needed}名"
        )


@dataclass(frozen=True)
class Pick:
    position: int
    target_id: int
    inspector_ids: tuple[int, ...]


def _key(seed_hex: str) -> bytes:
    key = bytes.fromhex(seed_hex)
    if len(key) != SEED_BYTES:
        raise ValueError("seed must be 32 bytes (64 hex digits)")
    return key


def score(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


class _Scorer:
    """score() with the keyed HMAC state prepared once (the same values, faster)."""

    def __init__(self, key: bytes) -> None:
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def __call__(self, text: str) -> bytes:
        h = self._base.copy()
        h.update(text.encode("utf-8"))
        return h.digest()


def selected_count(total: int, ratio: Decimal) -> int:
    """ceil(total × ratio%) exactly, ratio with two decimals; at most total."""
    hundredths = int((ratio * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(total, -(-total * hundredths // 10000))


def list_digest(ids: Iterable[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode("ascii")).hexdigest()


def conflict_digest(pairs: Iterable[Sequence[int]]) -> str:
    ordered = sorted((int(o), int(t)) for o, t in pairs)
    return hashlib.sha256(",".join(f"{o}:{t}" for o, t in ordered).encode("ascii")).hexdigest()


def result_digest(picks: Iterable[Pick]) -> str:
    lines = (
        f"{p.position}:{p.target_id}:{','.join(str(i) for i in p.inspector_ids)}" for p in picks
    )
    return hashlib.sha256("\n".join(lines).encode("ascii")).hexdigest()


def draw(
    *,
    seed_hex: str,
    target_ids: Sequence[int],
    inspector_ids: Sequence[int],
    conflict_pairs: Iterable[Sequence[int]],
    ratio: Decimal,
    per_target: int,
) -> list[Pick]:
    """The draw; raises DrawInfeasible if a drawn target cannot be staffed."""
    scorer = _Scorer(_key(seed_hex))
    k = selected_count(len(target_ids), ratio)
    ranked = sorted(target_ids, key=lambda t: (scorer(f"target:{t}"), t))[:k]
    conflicts: dict[int, set[int]] = {}
    for officer, target in conflict_pairs:
        conflicts.setdefault(int(target), set()).add(int(officer))
    load = dict.fromkeys(inspector_ids, 0)
    picks: list[Pick] = []
    for position, target in enumerate(ranked, start=1):
        barred = conflicts.get(target, set())
        tiers: dict[int, list[int]] = {}
        available = 0
        for i in inspector_ids:
            if i not in barred:
                tiers.setdefault(load[i], []).append(i)
                available += 1
        if available < per_target:
            raise DrawInfeasible(target, available, per_target)
        # Sorting by (load, score, id) only needs the scores of the lowest-load tiers that
        # fill the m places; the result is the same as sorting every available inspector.
        chosen: list[int] = []
        for tier_load in sorted(tiers):
            tier = sorted(tiers[tier_load], key=lambda i: (scorer(f"inspector:{target}:{i}"), i))
            chosen.extend(tier[: per_target - len(chosen)])
            if len(chosen) == per_target:
                break
        for i in chosen:
            load[i] += 1
        picks.append(Pick(position, target, tuple(chosen)))
    return picks
