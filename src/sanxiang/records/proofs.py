"""Merkle roots and proofs over the ledger as stored, streamed from the database.

Leaf i is the 32-byte ``hash`` of the entry with seq i+1; the tree of size n covers entries
1..n. A root, a set of roots or a proof reads the entries it needs once, in seq order
through the unique index on seq, in chunks, so memory stays flat however long the ledger
is; the cost is O(n) hashing per proof (about 2–3 s for 10^6 entries), which is why the
public proof endpoints are throttled.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Max

from . import merkle
from .models import LedgerEntry

CHUNK = 5000

T = TypeVar("T")


class LedgerIncomplete(ValueError):
    """The stored entries are not a gapless run from seq 1."""


@contextmanager
def closed_after(rows: Iterator[T]) -> Iterator[Iterator[T]]:
    """Close a queryset's iterator() when the block ends, not whenever the garbage collector
    gets to it: on PostgreSQL it is a server-side cursor, and closing one after its
    transaction has ended fails (and aborts whatever transaction is current then)."""
    try:
        yield rows
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def ledger_size() -> int:
    """How many entries the ledger holds (its highest seq; entries are gapless from 1)."""
    return int(LedgerEntry.objects.aggregate(top=Max("seq"))["top"] or 0)


def leaves(start: int, end: int) -> Iterator[bytes]:
    """Leaf data of leaves [start, end): the hashes of entries start+1 .. end."""
    rows = (
        LedgerEntry.objects.filter(seq__gt=start, seq__lte=end)
        .order_by("seq")
        .values_list("seq", "hash")
        .iterator(chunk_size=CHUNK)
    )
    expected = start + 1
    with closed_after(rows):
        for seq, digest in rows:
            if seq != expected:
                raise LedgerIncomplete(f"台账序号不连续：缺少第 {expected} 条。")
            expected += 1
            yield bytes.fromhex(digest)
    if expected != end + 1:
        raise LedgerIncomplete(f"台账序号不连续：缺少第 {expected} 条。")


def roots_at(sizes: Iterable[int]) -> dict[int, bytes]:
    """MTH at each of `sizes`, in one pass over the first max(sizes) entries."""
    wanted = sorted(set(sizes))
    result: dict[int, bytes] = {}
    if not wanted:
        return result
    builder = merkle.RootBuilder()
    pending = iter(wanted)
    target = next(pending)
    while target == 0:
        result[0] = merkle.EMPTY_ROOT
        target = next(pending, -1)
    if target < 0:
        return result
    for data in leaves(0, wanted[-1]):
        builder.add(data)
        while builder.size == target:
            result[target] = builder.root()
            target = next(pending, -1)
    return result


@dataclass(frozen=True)
class InclusionProof:
    seq: int
    leaf_index: int
    tree_size: int
    entry_hash: str
    leaf_hash: str
    audit_path: list[str]
    root_hash: str


@dataclass(frozen=True)
class ConsistencyProof:
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]


def _check_size(tree_size: int, size: int) -> None:
    if tree_size > size:
        raise ValueError(f"台账目前只有 {size} 条，不存在条数为 {tree_size} 的树。")


def _one_pass(
    ranges: list[tuple[int, int]], sizes: Iterable[int], end: int
) -> tuple[dict[tuple[int, int], bytes], dict[int, bytes]]:
    """The MTH of each of the disjoint leaf `ranges` and of the first n leaves for each n in
    `sizes`, reading leaves [0, end) once."""
    ordered = sorted(ranges)
    for (_, a_end), (b_start, _) in itertools.pairwise(ordered):
        if a_end > b_start:
            raise ValueError("proof ranges overlap")
    wanted = sorted(set(sizes))
    range_roots: dict[tuple[int, int], bytes] = {}
    size_roots: dict[int, bytes] = {0: merkle.EMPTY_ROOT} if 0 in wanted else {}
    pending = [n for n in wanted if n > 0]
    whole = merkle.RootBuilder()
    part: merkle.RootBuilder | None = None
    r, p = 0, 0
    for index, data in enumerate(leaves(0, end)):
        digest = merkle.leaf_hash(data)
        whole.add_leaf_hash(digest)
        while p < len(pending) and pending[p] == index + 1:
            size_roots[index + 1] = whole.root()
            p += 1
        if r < len(ordered) and ordered[r][0] <= index:
            if part is None:
                part = merkle.RootBuilder()
            part.add_leaf_hash(digest)
            if index + 1 == ordered[r][1]:
                range_roots[ordered[r]] = part.root()
                part, r = None, r + 1
    return range_roots, size_roots


def inclusion(seq: int, tree_size: int) -> InclusionProof:
    """The audit path proving entry `seq` is in the tree of the first `tree_size` entries
    (one pass over those entries)."""
    if not 1 <= seq <= tree_size:
        raise ValueError(f"序号 {seq} 不在条数为 {tree_size} 的树中（应为 1 至 {tree_size}）。")
    _check_size(tree_size, ledger_size())
    entry_hash = bytes.fromhex(LedgerEntry.objects.values_list("hash", flat=True).get(seq=seq))
    index = seq - 1
    ranges = merkle.inclusion_ranges(index, tree_size)
    range_roots, size_roots = _one_pass(ranges, [tree_size], tree_size)
    path = [range_roots[r] for r in ranges]
    leaf = merkle.leaf_hash(entry_hash)
    return InclusionProof(
        seq=seq,
        leaf_index=index,
        tree_size=tree_size,
        entry_hash=entry_hash.hex(),
        leaf_hash=leaf.hex(),
        audit_path=[p.hex() for p in path],
        root_hash=size_roots[tree_size].hex(),
    )


def consistency(first: int, second: int) -> ConsistencyProof:
    """The proof that the tree of `second` entries extends the tree of `first` entries (one
    pass over the first `second` entries)."""
    if not 1 <= first <= second:
        raise ValueError(f"应满足 1 ≤ first ≤ second（收到 first={first}，second={second}）。")
    _check_size(second, ledger_size())
    ranges = merkle.consistency_ranges(first, second)
    range_roots, size_roots = _one_pass(ranges, [first, second], second)
    return ConsistencyProof(
        first=first,
        second=second,
        first_root=size_roots[first].hex(),
        second_root=size_roots[second].hex(),
        proof=[range_roots[r].hex() for r in ranges],
    )
