"""RFC 9162 / RFC 6962 Merkle trees: the Certificate Transparency reference vectors, an
independent naive implementation, and property tests that every proof verifies and every
tampered proof fails."""

from __future__ import annotations

import base64
import hashlib
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.records import merkle

# --- an independent, naive implementation straight from the RFC's recursive definitions --


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def naive_mth(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return _h(b"")
    if n == 1:
        return _h(b"\x00" + leaves[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return _h(b"\x01" + naive_mth(leaves[:k]) + naive_mth(leaves[k:]))


def naive_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*naive_path(m, leaves[:k]), naive_mth(leaves[k:])]
    return [*naive_path(m - k, leaves[k:]), naive_mth(leaves[:k])]


def naive_subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [naive_mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*naive_subproof(m, leaves[:k], b), naive_mth(leaves[k:])]
    return [*naive_subproof(m - k, leaves[k:], False), naive_mth(leaves[:k])]


def leaves_of(n: int) -> list[bytes]:
    return [i.to_bytes(4, "big") + b"leaf" for i in range(n)]


# --- Certificate Transparency test vectors (transparency-dev/merkle testonly) ------------

CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [  # (leaf index, tree size, audit path)
    (0, 1, []),
    (0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]),
    (1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
CT_CONSISTENCY = [  # (first, second, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
# compact/range_test.go TestGetRootHashGolden: leaf i's data is i as 2 bytes little-endian.
GOLDEN_ROOTS = {
    10: "VjWMPSYNtCuCNlF/RLnQy6HcwSk6CIipfxm+hettA+4=",
    15: "j4SulYmocFuxdeyp12xXCIgK6PekBcxzAIj4zbQzNEI=",
    16: "c+4Uc6BCMOZf/v3NZK1kqTUJe+bBoFtOhP+P3SayKRE=",
    100: "dUh9hYH88p0CMoHkdr1wC2szbhcLAXOejWpINIooKUY=",
    255: "SmdsuKUqiod3RX2jyF2M6JnbdE4QuTwwipfAowI4/i0=",
    256: "qFI0t/tZ1MdOYgyPpPzHFiZVw86koScXy9q3FU5casA=",
    1000: "RXrgb8xHd55Y48FbfotJwCbV82Kx22LZfEbmBGAvwlQ=",
    4095: "cWRFdQhPcjn9WyBXE/r1f04ejxIm5lvg40DEpRBVS0w=",
    4096: "6uU/phfHg1n/GksYT6TO9aN8EauMCCJRl3dIK0HDs2M=",
    10000: "VZcav65F9haHVRk3wre2axFoBXRNeUh/1d9d5FQfxIg=",
    65535: "iPuVYJhP6SEE4gUFp8qbafd2rYv9YTCDYqAxCj8HdLM=",
}


def test_hashing_primitives_match_rfc6962_vectors():
    assert merkle.EMPTY_ROOT.hex() == CT_ROOTS[0]
    assert merkle.leaf_hash(b"").hex() == CT_ROOTS[1]
    assert (
        merkle.leaf_hash(b"L123456").hex()
        == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert (
        merkle.node_hash(b"N123", b"N456").hex()
        == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


@pytest.mark.parametrize("size", range(9))
def test_roots_match_ct_vectors(size):
    assert merkle.root(CT_LEAVES[:size]).hex() == CT_ROOTS[size]
    assert naive_mth(CT_LEAVES[:size]).hex() == CT_ROOTS[size]


@pytest.mark.parametrize(("size", "expected"), sorted(GOLDEN_ROOTS.items()))
def test_streaming_root_matches_golden_roots(size, expected):
    leaves = ((i & 0xFF, (i >> 8) & 0xFF) for i in range(size))
    assert merkle.root(bytes(pair) for pair in leaves) == base64.b64decode(expected)


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_inclusion_proofs_match_ct_vectors(index, size, path):
    proof = merkle.inclusion_proof(index, size, CT_LEAVES)
    assert [p.hex() for p in proof] == path
    root = bytes.fromhex(CT_ROOTS[size])
    leaf = merkle.leaf_hash(CT_LEAVES[index])
    assert merkle.verify_inclusion(index, size, leaf, proof, root)


@pytest.mark.parametrize(("first", "second", "path"), CT_CONSISTENCY)
def test_consistency_proofs_match_ct_vectors(first, second, path):
    proof = merkle.consistency_proof(first, second, CT_LEAVES)
    assert [p.hex() for p in proof] == path
    assert merkle.verify_consistency(
        first, second, bytes.fromhex(CT_ROOTS[first]), bytes.fromhex(CT_ROOTS[second]), proof
    )


def test_builder_gives_the_root_at_every_size_on_the_way():
    leaves = leaves_of(70)
    builder = merkle.RootBuilder()
    assert builder.root() == naive_mth([])
    for i, data in enumerate(leaves, start=1):
        builder.add(data)
        assert builder.size == i
        assert builder.root() == naive_mth(leaves[:i])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        merkle.inclusion_proof(3, 3, leaves_of(3))
    with pytest.raises(ValueError):
        merkle.inclusion_proof(0, 0, [])
    with pytest.raises(ValueError):
        merkle.consistency_proof(0, 3, leaves_of(3))
    with pytest.raises(ValueError):
        merkle.consistency_proof(4, 3, leaves_of(4))
    with pytest.raises(ValueError, match="leaf source gave"):
        merkle.inclusion_proof(0, 4, lambda start, end: [b"x"])


def test_verifiers_refuse_malformed_input():
    leaves = leaves_of(5)
    root = merkle.root(leaves)
    leaf = merkle.leaf_hash(leaves[1])
    proof = merkle.inclusion_proof(1, 5, leaves)
    assert merkle.verify_inclusion(1, 5, leaf, proof, root)
    assert not merkle.verify_inclusion(5, 5, leaf, proof, root)
    assert not merkle.verify_inclusion(-1, 5, leaf, proof, root)
    assert not merkle.verify_inclusion(1, 5, leaf[:31], proof, root)
    assert not merkle.verify_inclusion(1, 5, leaf, [p[:31] for p in proof], root)
    # Consistency edge cases: equal sizes need an empty proof and equal roots; size 0 too.
    assert merkle.verify_consistency(5, 5, root, root, [])
    assert not merkle.verify_consistency(5, 5, root, root, [root])
    assert merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, root, [])
    assert not merkle.verify_consistency(0, 5, root, root, [])
    assert not merkle.verify_consistency(2, 5, merkle.root(leaves[:2]), root, [])
    assert not merkle.verify_consistency(5, 2, root, root, [])


def _tampered(proof: list[bytes]) -> list[list[bytes]]:
    """The corruptions of the transparency-dev test suite."""
    out: list[list[bytes]] = []
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        out.append(flipped)
    if proof:
        out.append(proof[:-1])
        out.append([*proof, proof[-1]])
        out.append([proof[0], *proof])
    out.append([*proof, b"\x00" * 32])
    out.append([b"\x00" * 32, *proof])
    return out


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data(), size=st.integers(min_value=1, max_value=300))
def test_every_inclusion_proof_verifies_and_tampered_ones_fail(data, size):
    leaves = leaves_of(size)
    root = merkle.root(leaves)
    assert root == naive_mth(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = merkle.inclusion_proof(index, size, leaves)
    assert proof == naive_path(index, leaves)
    leaf = merkle.leaf_hash(leaves[index])
    assert merkle.verify_inclusion(index, size, leaf, proof, root)
    for bad in _tampered(proof):
        assert not merkle.verify_inclusion(index, size, leaf, bad, root)
    # The wrong leaf, index, size or root.
    assert not merkle.verify_inclusion(index, size, merkle.leaf_hash(b"other"), proof, root)
    if size > 1:
        other = (index + 1) % size
        assert not merkle.verify_inclusion(other, size, leaf, proof, root)
    # (size + 1 is not always refused: e.g. leaf 0's path is the same in trees of 3 and 4.)
    assert not merkle.verify_inclusion(index, size * 2, leaf, proof, root)
    if size > 1:
        assert not merkle.verify_inclusion(index, size // 2, leaf, proof, root)
    assert not merkle.verify_inclusion(index, size, leaf, proof, merkle.EMPTY_ROOT)


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data(), second=st.integers(min_value=1, max_value=300))
def test_every_consistency_proof_verifies_and_tampered_ones_fail(data, second):
    first = data.draw(st.integers(min_value=1, max_value=second))
    leaves = leaves_of(second)
    first_root, second_root = merkle.root(leaves[:first]), merkle.root(leaves)
    proof = merkle.consistency_proof(first, second, leaves)
    assert proof == naive_subproof(first, leaves, True)
    assert merkle.verify_consistency(first, second, first_root, second_root, proof)
    if first == second:
        return
    for bad in _tampered(proof):
        assert not merkle.verify_consistency(first, second, first_root, second_root, bad)
    # A rewritten history: any changed leaf before `first` changes the first root.
    changed = list(leaves)
    victim = data.draw(st.integers(min_value=0, max_value=first - 1))
    changed[victim] = b"rewritten"
    forged_second = merkle.root(changed)
    forged_proof = merkle.consistency_proof(first, second, changed)
    assert not merkle.verify_consistency(first, second, first_root, forged_second, forged_proof)
    assert not merkle.verify_consistency(first, second, first_root, forged_second, proof)
    assert not merkle.verify_consistency(first, second, second_root, second_root, proof)
    if first > 1:
        assert not merkle.verify_consistency(first - 1, second, first_root, second_root, proof)
    if second - first > 1:
        assert not merkle.verify_consistency(first + 1, second, first_root, second_root, proof)


def test_leaf_source_reads_each_range_once_and_in_order():
    leaves = leaves_of(1000)
    calls: list[tuple[int, int]] = []

    def source(start: int, end: int):
        calls.append((start, end))
        return leaves[start:end]

    merkle.consistency_proof(377, 1000, source)
    assert calls == sorted(calls)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(calls))
    assert sum(end - start for start, end in calls) <= 1000
