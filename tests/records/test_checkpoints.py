"""Signed checkpoints: the key, the signed message, when a checkpoint is (not) made, the
command, the public API (key, checkpoints, inclusion and consistency proofs checked here
with an independent RFC 9162 verifier), the staff entries API and the portal page."""

from __future__ import annotations

import base64
import hashlib
import io
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sanxiang.records import checkpoints, keys, ledger, merkle, proofs
from sanxiang.records.models import Checkpoint, LedgerEntry
from tests.factories import AgencyFactory, Role, UserFactory, zhengzhou
from tests.immutability import triggers_suspended

pytestmark = pytest.mark.django_db


def grow(n: int) -> None:
    for _ in range(n):
        ledger.append(actor=None, action="test.step", payload={"n": LedgerEntry.objects.count()})


def all_leaves() -> list[bytes]:
    return [
        bytes.fromhex(h) for h in LedgerEntry.objects.order_by("seq").values_list("hash", flat=True)
    ]


# --- independent RFC 9162 verification (written out again, not the module's) -------------


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def rfc_verify_inclusion(index, size, leaf_hash, path, root) -> bool:
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = _node(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def rfc_verify_consistency(first, second, first_root, second_root, path) -> bool:
    if first == second:
        return not path and first_root == second_root
    if not path:
        return False
    path = list(path)
    if first & (first - 1) == 0:
        path = [first_root, *path]
    fn, sn = first - 1, second - 1
    while fn % 2 == 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


# --- the key ------------------------------------------------------------------------------


def test_the_default_key_is_created_once_with_mode_0600(settings):
    path = settings.VAR_DIR / "keys" / "ledger-ed25519.pem"
    assert keys.public_key() is None  # looking does not create
    assert not path.exists()
    key = keys.signing_key()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert keys.signing_key().public_key().public_bytes_raw() == key.public_key().public_bytes_raw()
    public = keys.public_key()
    assert public is not None
    assert keys.key_id(public) == hashlib.sha256(public.public_bytes_raw()).hexdigest()


def test_a_configured_key_file_is_used_and_must_exist(settings, tmp_path):
    path = tmp_path / "configured.pem"
    settings.SANXIANG_SIGNING_KEY_FILE = str(path)
    with pytest.raises(ImproperlyConfigured, match="签名私钥文件不存在"):
        keys.signing_key()
    key = Ed25519PrivateKey.generate()
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    assert keys.key_id(keys.public_key()) == keys.key_id(key.public_key())


def test_a_key_of_another_type_is_refused(settings, tmp_path):
    from cryptography.hazmat.primitives.asymmetric import ec

    path = tmp_path / "ec.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.SANXIANG_SIGNING_KEY_FILE = str(path)
    with pytest.raises(ImproperlyConfigured, match="不是 Ed25519"):
        keys.signing_key()


# --- making checkpoints ---------------------------------------------------------------------


def test_the_signed_message_is_the_documented_text():
    import datetime

    at = datetime.datetime(
        2026, 1, 31, 9, 30, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
    )
    assert (
        checkpoints.message(12, "ab" * 32, at)
        == ("sanxiang-ledger-checkpoint/v1\n12\n" + "ab" * 32 + "\n2026-01-31T01:30:05Z\n").encode()
    )


def test_a_checkpoint_signs_the_size_and_root():
    grow(5)
    checkpoint = checkpoints.create_checkpoint()
    assert checkpoint.tree_size == 5
    assert checkpoint.root_hash == merkle.root(all_leaves()).hex()
    assert checkpoint.signed_at.microsecond == 0
    public = keys.public_key()
    assert checkpoint.key_id == keys.key_id(public)
    # Checked with cryptography directly, from the documented text.
    text = (
        f"sanxiang-ledger-checkpoint/v1\n5\n{checkpoint.root_hash}\n"
        f"{checkpoint.signed_at.strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
    )
    public.verify(base64.b64decode(checkpoint.signature), text.encode())
    assert checkpoints.signature_valid(checkpoint, public)
    assert not checkpoints.signature_valid(checkpoint, Ed25519PrivateKey.generate().public_key())


def test_no_new_checkpoint_while_the_ledger_has_not_grown():
    grow(3)
    first = checkpoints.create_checkpoint()
    assert checkpoints.create_checkpoint() == first
    grow(1)
    second = checkpoints.create_checkpoint()
    assert second.tree_size == 4
    assert Checkpoint.objects.count() == 2


def test_an_empty_ledger_is_not_signed():
    with pytest.raises(ValidationError, match="尚无记录"):
        checkpoints.create_checkpoint()


def test_refuses_to_sign_over_a_rewritten_history():
    grow(4)
    checkpoints.create_checkpoint()
    grow(2)
    with triggers_suspended():
        LedgerEntry.objects.filter(seq=2).update(hash="ff" * 32)
    with pytest.raises(ValidationError, match="与上一检查点不一致"):
        checkpoints.create_checkpoint()
    assert Checkpoint.objects.count() == 1


def test_refuses_to_sign_a_ledger_with_a_gap_or_that_shrank():
    grow(4)
    checkpoints.create_checkpoint()
    grow(2)
    with triggers_suspended():
        LedgerEntry.objects.filter(seq=5).delete()
    with pytest.raises(ValidationError, match="缺少第 5 条"):
        checkpoints.create_checkpoint()
    with triggers_suspended():
        LedgerEntry.objects.filter(seq__gte=3).delete()
    with pytest.raises(ValidationError, match="少于上一检查点"):
        checkpoints.create_checkpoint()


def test_only_a_platform_administrator_signs_through_the_site(platform_admin):
    grow(1)
    clerk = UserFactory(agency=platform_admin.agency, roles=[Role.AGENCY_HEAD])
    with pytest.raises(PermissionDenied):
        checkpoints.create_checkpoint(actor=clerk)
    assert checkpoints.create_checkpoint(actor=platform_admin).tree_size == 1


def test_roots_at_several_sizes_in_one_pass():
    grow(20)
    leaves = all_leaves()
    roots = proofs.roots_at([0, 1, 7, 8, 20])
    assert roots == {n: merkle.root(leaves[:n]) for n in (0, 1, 7, 8, 20)}


def test_database_proofs_equal_the_in_memory_ones():
    grow(13)
    leaves = all_leaves()
    for size in range(1, 14):
        root = merkle.root(leaves[:size]).hex()
        for seq in range(1, size + 1):
            proof = proofs.inclusion(seq, size)
            expected = merkle.inclusion_proof(seq - 1, size, leaves)
            assert proof.audit_path == [p.hex() for p in expected]
            assert proof.root_hash == root
        for first in range(1, size + 1):
            proof = proofs.consistency(first, size)
            expected = merkle.consistency_proof(first, size, leaves)
            assert proof.proof == [p.hex() for p in expected]
            assert (proof.first_root, proof.second_root) == (
                merkle.root(leaves[:first]).hex(),
                root,
            )


# --- the command ---------------------------------------------------------------------------


def test_the_checkpoint_command():
    grow(2)
    out = io.StringIO()
    call_command("checkpoint", stdout=out)
    assert "检查点：台账条数 2" in out.getvalue()
    out = io.StringIO()
    call_command("checkpoint", "--public-key", stdout=out, stderr=io.StringIO())
    pem = out.getvalue()
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert keys.key_id(keys.load_public_key(pem.encode())) == Checkpoint.objects.get().key_id


def test_the_checkpoint_command_reports_a_refusal():
    with pytest.raises(CommandError, match="尚无记录"):
        call_command("checkpoint", stdout=io.StringIO())


# --- the public API -------------------------------------------------------------------------


@pytest.fixture
def signed(clear_cache):
    grow(9)
    checkpoints.create_checkpoint()
    grow(8)
    checkpoints.create_checkpoint()
    return {c.tree_size: c for c in Checkpoint.objects.all()}


def test_public_key_endpoint(client, signed):
    body = client.get("/api/ledger/public-key").json()
    assert body["algorithm"] == "Ed25519"
    public = keys.load_public_key(body["public_key_pem"].encode())
    assert body["key_id"] == keys.key_id(public) == signed[17].key_id
    assert body["message_format"].startswith("sanxiang-ledger-checkpoint/v1\\n")


def test_public_key_endpoint_before_any_key(client, db, clear_cache):
    response = client.get("/api/ledger/public-key")
    assert response.status_code == 404
    assert "尚未生成" in response.json()["error"]["message"]


def test_checkpoints_endpoint_lists_signed_checkpoints_anyone_can_check(client, signed):
    body = client.get("/api/ledger/checkpoints").json()
    assert body["count"] == 2
    assert [c["tree_size"] for c in body["items"]] == [9, 17]
    public = keys.load_public_key(
        client.get("/api/ledger/public-key").json()["public_key_pem"].encode()
    )
    for item in body["items"]:
        public.verify(base64.b64decode(item["signature"]), item["signed_message"].encode())
        assert item["signed_message"].split("\n")[1:3] == [
            str(item["tree_size"]),
            item["root_hash"],
        ]
    latest = client.get("/api/ledger/checkpoints/latest").json()
    assert latest["tree_size"] == 17
    assert (
        client.get("/api/ledger/checkpoints?limit=1&offset=1").json()["items"][0]["tree_size"] == 17
    )


def test_inclusion_proof_endpoint(client, signed):
    for seq in (1, 5, 9, 10, 17):
        body = client.get(f"/api/ledger/proof/inclusion?seq={seq}&tree_size=17").json()
        entry = LedgerEntry.objects.get(seq=seq)
        assert body["entry_hash"] == entry.hash
        assert body["leaf_index"] == seq - 1
        assert body["leaf_hash"] == hashlib.sha256(b"\x00" + bytes.fromhex(entry.hash)).hexdigest()
        assert body["root_hash"] == signed[17].root_hash
        assert body["checkpoint"]["tree_size"] == 17
        assert rfc_verify_inclusion(
            seq - 1,
            17,
            bytes.fromhex(body["leaf_hash"]),
            [bytes.fromhex(p) for p in body["audit_path"]],
            bytes.fromhex(signed[17].root_hash),
        )
    # tree_size defaults to the latest checkpoint; a tree that is not signed still works.
    assert client.get("/api/ledger/proof/inclusion?seq=3").json()["tree_size"] == 17
    body = client.get("/api/ledger/proof/inclusion?seq=3&tree_size=12").json()
    assert body["checkpoint"] is None
    assert body["root_hash"] == merkle.root(all_leaves()[:12]).hex()


def test_consistency_proof_endpoint(client, signed):
    body = client.get("/api/ledger/proof/consistency?first=9&second=17").json()
    assert body["first_root"] == signed[9].root_hash
    assert body["second_root"] == signed[17].root_hash
    assert body["first_checkpoint"]["tree_size"] == 9
    assert rfc_verify_consistency(
        9,
        17,
        bytes.fromhex(signed[9].root_hash),
        bytes.fromhex(signed[17].root_hash),
        [bytes.fromhex(p) for p in body["proof"]],
    )
    for first, second in [(1, 17), (8, 17), (16, 17), (17, 17), (3, 5)]:
        body = client.get(f"/api/ledger/proof/consistency?first={first}&second={second}").json()
        assert rfc_verify_consistency(
            first,
            second,
            bytes.fromhex(body["first_root"]),
            bytes.fromhex(body["second_root"]),
            [bytes.fromhex(p) for p in body["proof"]],
        )


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/ledger/proof/inclusion?seq=18&tree_size=17", "seq"),
        ("/api/ledger/proof/inclusion?seq=1&tree_size=99", "tree_size"),
        ("/api/ledger/proof/inclusion?seq=0", "seq"),
        ("/api/ledger/proof/consistency?first=9&second=99", "second"),
        ("/api/ledger/proof/consistency?first=10&second=9", "first"),
        ("/api/ledger/proof/consistency?first=0&second=9", "first"),
    ],
)
def test_bad_proof_requests_get_the_error_shape(client, signed, url, field):
    response = client.get(url)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])


def test_a_gap_makes_proofs_fail_loudly(client, signed):
    with triggers_suspended():
        LedgerEntry.objects.filter(seq=4).delete()
    response = client.get("/api/ledger/proof/consistency?first=9&second=17")
    assert response.status_code == 409
    assert "缺少第 4 条" in response.json()["error"]["message"]


# --- the staff entries API -------------------------------------------------------------------


def test_entries_are_for_administrators_and_supervisors(
    client, platform_admin, clear_cache, fast_passwords
):
    from sanxiang.org import services

    agency = platform_admin.agency
    head = UserFactory(agency=agency, roles=[Role.AGENCY_HEAD])
    unit = services.create_unit(actor=head, agency=agency, name="一科", kind="handling")
    grow(2)
    assert client.get("/api/ledger/entries").status_code == 401

    client.force_login(head)
    response = client.get("/api/ledger/entries")
    assert response.status_code == 403
    assert "平台管理员和执法监督人员" in response.json()["error"]["message"]

    supervisor = UserFactory(
        agency=AgencyFactory(jurisdiction=zhengzhou()), roles=[Role.SUPERVISOR]
    )
    client.force_login(supervisor)
    body = client.get(f"/api/ledger/entries?object_type=org.unit&object_id={unit.pk}").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["action"] == "org.create_unit"
    assert item["data"]["unit"]["name"] == "一科"
    assert hashlib.sha256(item["payload"].encode()).hexdigest() == item["payload_hash"]

    client.force_login(platform_admin)
    assert client.get("/api/ledger/entries").json()["count"] == 3
    response = client.get("/api/ledger/entries?object_id=1")
    assert response.status_code == 422
    assert "object_type" in response.json()["error"]["fields"]


def test_the_openapi_document_lists_the_ledger_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in [
        "/api/ledger/public-key",
        "/api/ledger/checkpoints",
        "/api/ledger/proof/inclusion",
        "/api/ledger/proof/consistency",
        "/api/ledger/entries",
    ]:
        assert path in paths


# --- the portal -----------------------------------------------------------------------------


def test_the_transparency_page(client, signed):
    response = client.get(reverse("portal:transparency"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "台账检查点公示" in html
    assert signed[17].key_id in html
    assert "-----BEGIN PUBLIC KEY-----" in html
    for checkpoint in signed.values():
        assert checkpoint.root_hash in html
        assert checkpoint.signature in html
    assert "/api/ledger/proof/consistency" in html
    assert "RFC 9162" in html
    # Hashes and signatures only: no ledger content.
    assert "test.step" not in html


def test_the_transparency_page_before_any_checkpoint(client, db):
    response = client.get(reverse("portal:transparency"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "暂无检查点" in html
    assert keys.public_key() is None  # showing the page did not create a key


def test_the_transparency_page_is_paginated(client, db):
    for _ in range(25):
        grow(1)
        checkpoints.create_checkpoint()
    html = client.get(reverse("portal:transparency")).content.decode()
    assert "共 25 条" in html
    assert Checkpoint.objects.get(tree_size=25).root_hash in html
    assert Checkpoint.objects.get(tree_size=1).root_hash not in html
    html = client.get(reverse("portal:transparency") + "?page=2").content.decode()
    assert Checkpoint.objects.get(tree_size=1).root_hash in html
