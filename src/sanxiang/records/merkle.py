"""Merkle tree hashing, inclusion and consistency proofs, as RFC 9162 §2.1 (= RFC 6962 §2.1)
defines them, for SHA-256:

    leaf hash   = SHA-256(0x00 || leaf data)
    node hash   = SHA-256(0x01 || left || right)
    empty tree  = SHA-256("")
    MTH(D[n])   splits at k, the largest power of two smaller than n

For the ledger, leaf i's data is the 32-byte ``hash`` of entry seq i+1 (see ledger.py), so a
tree of size n covers entries 1..n.

Everything streams: a root is folded from a stack of at most log2(n)+1 perfect-subtree
roots, so 10^6 leaves never sit in memory at once. A proof needs the roots of O(log n)
disjoint leaf ranges; `LeafSource` fetches the leaf data of one range (from a list, or from
the database in seq order), and each range is streamed once.

Proof verification follows RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) step
by step.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

# Leaf data of leaves [start, end), in order.
LeafSource = Callable[[int, int], Iterable[bytes]]


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """k: the largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class RootBuilder:
    """Streams leaves in and gives MTH of everything so far, at any point, in O(log n).

    The stack holds the roots of the perfect subtrees that make up the leaves so far, the
    largest (leftmost) first; their sizes are the set bits of `size`.
    """

    __slots__ = ("_stack", "size")

    def __init__(self) -> None:
        self._stack: list[bytes] = []
        self.size = 0

    def add_leaf_hash(self, digest: bytes) -> None:
        node = digest
        n = self.size
        stack = self._stack
        while n & 1:
            node = node_hash(stack.pop(), node)
            n >>= 1
        stack.append(node)
        self.size += 1

    def add(self, data: bytes) -> None:
        self.add_leaf_hash(leaf_hash(data))

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def root(leaves: Iterable[bytes]) -> bytes:
    """MTH of the leaf data `leaves`."""
    builder = RootBuilder()
    for data in leaves:
        builder.add(data)
    return builder.root()


def list_source(leaves: Sequence[bytes]) -> LeafSource:
    def source(start: int, end: int) -> Iterable[bytes]:
        return leaves[start:end]

    return source


def _as_source(leaves: LeafSource | Sequence[bytes]) -> LeafSource:
    return leaves if callable(leaves) else list_source(leaves)


def _range_root(source: LeafSource, start: int, end: int) -> bytes:
    builder = RootBuilder()
    count = 0
    for data in source(start, end):
        builder.add(data)
        count += 1
    if count != end - start:
        raise ValueError(f"leaf source gave {count} leaves for [{start}, {end})")
    return builder.root()


# --- which subtrees a proof holds (RFC 9162 §2.1.3.1 PATH, §2.1.4.1 SUBPROOF) ------------


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTH make up PATH(index, D[size]), in proof order."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    ranges: list[tuple[int, int]] = []
    # Walk down from the root, collecting siblings; PATH lists them bottom-up.
    start, end, m = 0, size, index
    while end - start > 1:
        k = _split(end - start)
        if m < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m = start + k, m - k
    ranges.reverse()
    return ranges


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTH make up PROOF(first, D[second]), in proof order."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from size {first} to size {second}")
    ranges: list[tuple[int, int]] = []
    start, end, m, complete = 0, second, first, True
    # SUBPROOF(m, D[start:end], complete); its nodes are listed innermost first.
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def _roots(source: LeafSource, ranges: list[tuple[int, int]]) -> list[bytes]:
    # The ranges are disjoint; fetch them in leaf order (one sequential read each).
    computed = {r: _range_root(source, *r) for r in sorted(ranges)}
    return [computed[r] for r in ranges]


def inclusion_proof(index: int, size: int, leaves: LeafSource | Sequence[bytes]) -> list[bytes]:
    """PATH(index, D[size]): the audit path for leaf `index` in the tree of the first `size`
    leaves."""
    return _roots(_as_source(leaves), inclusion_ranges(index, size))


def consistency_proof(first: int, second: int, leaves: LeafSource | Sequence[bytes]) -> list[bytes]:
    """PROOF(first, D[second]); empty when first == second."""
    return _roots(_as_source(leaves), consistency_ranges(first, second))


# --- verification (RFC 9162 §2.1.3.2, §2.1.4.2) ------------------------------------------


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    """The root the audit path leads to from leaf hash `leaf`, or None if the proof does not
    fit a tree of that size."""
    if index >= size or index < 0:
        return None
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if len(p) != HASH_SIZE or sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """Whether `proof` shows that leaf hash `leaf` is leaf `index` of the tree of `size`
    leaves with root `root_hash`."""
    if len(leaf) != HASH_SIZE or len(root_hash) != HASH_SIZE:
        return False
    return root_from_inclusion(index, size, leaf, proof) == root_hash


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether `proof` shows that the tree of `second` leaves with root `second_root` extends
    the tree of `first` leaves with root `first_root`."""
    if len(first_root) != HASH_SIZE or len(second_root) != HASH_SIZE:
        return False
    if any(len(c) != HASH_SIZE for c in proof):
        return False
    if first < 0 or second < first:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        # Every tree extends the empty one; there is nothing to prove.
        return not proof and first_root == EMPTY_ROOT
    # 1. An empty proof cannot link two different sizes.
    if not proof:
        return False
    path = list(proof)
    # 2. If first is an exact power of two, the first root is itself a node of the proof.
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    # 3.-4.
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5.
    fr = sr = path[0]
    # 6.
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    # 7.
    return fr == first_root and sr == second_root and sn == 0
