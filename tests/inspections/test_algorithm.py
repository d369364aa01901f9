"""The draw algorithm alone: deterministic from the seed, seed-sensitive, exact ratio
rounding, at least two inspectors, conflicts excluded, balanced load."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal

import pytest

from sanxiang.inspections import algorithm

SEED_A = "00" * 31 + "01"
SEED_B = "00" * 31 + "02"
TARGETS = list(range(1, 101))
INSPECTORS = list(range(501, 511))


def run(seed: str = SEED_A, **kw: object) -> list[algorithm.Pick]:
    args: dict[str, object] = {
        "seed_hex": seed,
        "target_ids": TARGETS,
        "inspector_ids": INSPECTORS,
        "conflict_pairs": [],
        "ratio": Decimal("10.00"),
        "per_target": 2,
    }
    args.update(kw)
    return algorithm.draw(**args)  # type: ignore[arg-type]


def test_same_seed_same_result_and_different_seed_different_result():
    assert run() == run()
    assert run() != run(SEED_B)
    assert [p.target_id for p in run()] != [p.target_id for p in run(SEED_B)]


def test_result_does_not_depend_on_the_order_the_lists_are_given():
    assert run() == run(target_ids=list(reversed(TARGETS)))


def test_targets_follow_the_documented_hmac_ordering():
    key = bytes.fromhex(SEED_A)
    expected = sorted(
        TARGETS, key=lambda t: (hmac.new(key, f"target:{t}".encode(), hashlib.sha256).digest(), t)
    )[:10]
    assert [p.target_id for p in run()] == expected


@pytest.mark.parametrize(
    ("total", "ratio", "k"),
    [
        (100, "10", 10),
        (101, "10", 11),
        (7, "0.01", 1),
        (3, "33.33", 1),
        (3, "33.34", 2),
        (5, "100", 5),
        (0, "50", 0),
    ],
)
def test_ratio_rounds_up_exactly(total, ratio, k):
    assert algorithm.selected_count(total, Decimal(ratio)) == k


def test_each_target_gets_two_distinct_inspectors_and_load_is_balanced():
    picks = run(ratio=Decimal("50"))
    assert len(picks) == 50
    load: dict[int, int] = {}
    for p in picks:
        assert len(set(p.inspector_ids)) == 2
        for i in p.inspector_ids:
            load[i] = load.get(i, 0) + 1
    assert max(load.values()) - min(load.values()) <= 1


def test_conflicted_inspector_never_paired():
    first = run()
    target = first[0].target_id
    barred = [[i, target] for i in first[0].inspector_ids]
    again = run(conflict_pairs=barred)
    pick = next(p for p in again if p.target_id == target)
    assert not set(pick.inspector_ids) & set(first[0].inspector_ids)


def test_infeasible_when_conflicts_leave_fewer_than_two():
    target = run()[0].target_id
    barred = [[i, target] for i in INSPECTORS[:-1]]
    with pytest.raises(algorithm.DrawInfeasible) as exc:
        run(conflict_pairs=barred)
    assert exc.value.available == 1


def test_digests_are_order_independent_and_sensitive():
    assert algorithm.list_digest([3, 1, 2]) == algorithm.list_digest([1, 2, 3])
    assert algorithm.list_digest([1, 2, 3]) == hashlib.sha256(b"1,2,3").hexdigest()
    assert algorithm.list_digest([1, 2]) != algorithm.list_digest([1, 2, 3])
    assert algorithm.result_digest(run()) != algorithm.result_digest(run(SEED_B))


def reference_draw(seed, targets, inspectors, conflicts, ratio, m):
    """The algorithm exactly as its docstring states it, written independently."""
    key = bytes.fromhex(seed)

    def s(text):
        return hmac.new(key, text.encode(), hashlib.sha256).digest()

    k = algorithm.selected_count(len(targets), ratio)
    load = dict.fromkeys(inspectors, 0)
    out = []
    for pos, t in enumerate(sorted(targets, key=lambda t: (s(f"target:{t}"), t))[:k], start=1):
        avail = [i for i in inspectors if (i, t) not in conflicts]
        avail.sort(key=lambda i: (load[i], s(f"inspector:{t}:{i}"), i))
        chosen = tuple(avail[:m])
        for i in chosen:
            load[i] += 1
        out.append(algorithm.Pick(pos, t, chosen))
    return out


@pytest.mark.parametrize("m", [2, 3])
def test_matches_an_independent_implementation_of_the_documented_algorithm(m):
    conflicts = {(501, t) for t in range(1, 40)} | {(502, 7), (503, 7)}
    got = run(
        SEED_B, conflict_pairs=[list(c) for c in conflicts], ratio=Decimal("37.5"), per_target=m
    )
    assert got == reference_draw(SEED_B, TARGETS, INSPECTORS, conflicts, Decimal("37.5"), m)
