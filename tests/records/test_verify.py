"""`sanxiang verify` catches every kind of tampering — a changed payload, a rewritten chain,
a deleted entry, two entries swapped, a changed column, a flipped byte in a stored file, a
forged checkpoint, a dropped trigger — and a clean store verifies. Tampering goes around the
triggers (tests/immutability.py) inside the test's transaction."""

from __future__ import annotations

import base64
import io
import json
import os

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from sanxiang.records import checkpoints, immutability, keys, ledger
from sanxiang.records.filestore import get_store
from sanxiang.records.filestore.services import store_file
from sanxiang.records.models import Checkpoint, LedgerEntry, LedgerHead, StoredFile
from sanxiang.records.verify import verify
from tests.immutability import triggers_suspended
from tests.records.samples import sample

pytestmark = pytest.mark.django_db


def _step(i: int) -> None:
    ledger.append(
        actor=None, action="test.step", object_type="test.thing", object_id=str(i), payload={"i": i}
    )


@pytest.fixture
def populated():
    for i in range(1, 8):
        _step(i)
    checkpoints.create_checkpoint()  # 7 entries
    files = [
        store_file(
            stream=io.BytesIO(sample("pdf", 20_000, seed=k)),
            expected_sha256=None,
            expected_size=None,
            media_type="application/pdf",
            actor=None,
        )
        for k in range(2)
    ]
    for i in range(8, 11):
        _step(i)
    checkpoints.create_checkpoint()  # 12 entries
    assert LedgerEntry.objects.count() == 12
    return {"files": files}


def run_verify(*args: str) -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify", *args, stdout=out, stderr=err)
    except CommandError as exc:
        assert "核验未通过" in str(exc)
        return False, out.getvalue()
    return True, out.getvalue()


def kinds(report) -> set[str]:
    return {b.kind for b in report.breaks}


def _sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


# --- clean ------------------------------------------------------------------------------


def test_a_clean_store_verifies(populated):
    ok, out = run_verify()
    assert ok, out
    assert "台账记录：12 条" in out
    assert "签名检查点：2 个" in out
    assert "存储文件：2 个，共 40000 字节" in out
    # UPDATE and DELETE on every protected table (records' and the cases app's signed
    # records), + TRUNCATE on PostgreSQL.
    events = 3 if connection.vendor == "postgresql" else 2
    triggers = events * len(immutability.PROTECTED_TABLES)
    assert f"防篡改触发器：{triggers} 个" in out
    assert "核验通过" in out


def test_json_output(populated):
    ok, out = run_verify("--json")
    assert ok
    data = json.loads(out)
    assert data["ok"] is True
    assert (data["entries"], data["checkpoints"], data["files"]) == (12, 2, 2)
    assert data["breaks"] == []


def test_an_empty_store_verifies(db):
    ok, out = run_verify()
    assert ok, out
    assert "台账记录：0 条" in out


# --- the ledger ---------------------------------------------------------------------------


def test_a_changed_payload_is_caught(populated):
    entry = LedgerEntry.objects.get(seq=3)
    forged = entry.payload.replace('"i":3', '"i":333')
    with triggers_suspended():
        LedgerEntry.objects.filter(seq=3).update(payload=forged)
    report = verify()
    assert not report.ok
    [brk] = [b for b in report.breaks if b.kind == "payload"]
    assert brk.seq == 3
    assert brk.expected == entry.payload_hash
    assert brk.actual == ledger.payload_digest(forged)
    ok, out = run_verify("--skip-files")
    assert not ok
    assert "[内容被改动] 序号 3 第 3 条台账记录的内容已被改动" in out
    assert entry.payload_hash in out


def test_a_rewritten_chain_is_caught_by_the_checkpoints(populated):
    """The attacker changes entry 3 and recomputes every hash after it: the chain is
    self-consistent again, but no longer gives the signed roots."""
    with triggers_suspended():
        prev = LedgerEntry.objects.get(seq=2).hash
        for entry in LedgerEntry.objects.filter(seq__gte=3).order_by("seq"):
            payload = entry.payload
            if entry.seq == 3:
                payload = payload.replace('"data":{"i":3}', '"data":{"i":4}')
                assert payload != entry.payload
            payload_hash = ledger.payload_digest(payload)
            new_hash = ledger.chain_hash(prev, payload_hash, entry.seq)
            LedgerEntry.objects.filter(pk=entry.pk).update(
                payload=payload, payload_hash=payload_hash, prev_hash=prev, hash=new_hash
            )
            prev = new_hash
        LedgerHead.objects.update(hash=prev)
    report = verify(check_stored_files=False)
    assert kinds(report) == {"checkpoint_root"}
    assert sorted(b.tree_size for b in report.breaks) == [7, 12]
    ok, out = run_verify("--skip-files")
    assert not ok
    assert "前 7 条台账记录的默克尔根与检查点不一致" in out


def test_a_deleted_entry_is_caught(populated):
    with triggers_suspended():
        LedgerEntry.objects.filter(seq=5).delete()
    report = verify(check_stored_files=False)
    assert {"gap", "link"} <= kinds(report)
    gap = next(b for b in report.breaks if b.kind == "gap")
    assert gap.seq == 5
    assert (gap.expected, gap.actual) == ("5", "6")
    ok, out = run_verify("--skip-files")
    assert not ok
    assert "缺少第 5 至 5 条" in out


def test_deleting_the_newest_entries_is_caught(populated):
    with triggers_suspended():
        LedgerEntry.objects.filter(seq__gte=11).delete()
    report = verify(check_stored_files=False)
    assert {"head", "checkpoint_size"} <= kinds(report)
    assert next(b for b in report.breaks if b.kind == "checkpoint_size").tree_size == 12


def test_two_swapped_entries_are_caught(populated):
    with triggers_suspended():
        LedgerEntry.objects.filter(seq=4).update(seq=-4)
        LedgerEntry.objects.filter(seq=5).update(seq=4)
        LedgerEntry.objects.filter(seq=-4).update(seq=5)
    report = verify(check_stored_files=False)
    assert "link" in kinds(report)
    assert "hash" in kinds(report)
    assert {b.seq for b in report.breaks if b.kind in ("link", "hash")} >= {4, 5}
    assert "checkpoint_root" in kinds(report)


def test_a_changed_column_is_caught(populated):
    with triggers_suspended():
        LedgerEntry.objects.filter(seq=2).update(action="test.innocent", actor_label="别人")
    report = verify(check_stored_files=False)
    columns = [b for b in report.breaks if b.kind == "column"]
    assert {(b.seq, b.expected, b.actual) for b in columns} == {
        (2, "test.step", "test.innocent"),
        (2, "系统", "别人"),
    }


def test_the_report_lists_at_most_a_thousand_breaks_but_counts_all(populated, monkeypatch):
    from sanxiang.records import verify as verify_module

    monkeypatch.setattr(verify_module, "MAX_DETAILS", 2)
    with triggers_suspended():
        LedgerEntry.objects.filter(seq__lte=5).update(payload="{}")
    report = verify(check_stored_files=False)
    assert len(report.breaks) == 2
    assert report.break_count > 5


# --- files --------------------------------------------------------------------------------


def test_a_flipped_byte_in_a_stored_file_is_caught(populated):
    stored = populated["files"][1]
    path = get_store().path_for(stored.sha256)  # type: ignore[attr-defined]
    os.chmod(path, 0o644)
    with open(path, "r+b") as f:
        f.seek(12_345)
        byte = f.read(1)
        f.seek(12_345)
        f.write(bytes([byte[0] ^ 0x01]))
    report = verify()
    [brk] = report.breaks
    assert brk.kind == "file_digest"
    assert brk.file == stored.sha256
    assert brk.expected == stored.sha256
    assert brk.actual != stored.sha256 and len(brk.actual) == 64
    ok, out = run_verify()
    assert not ok
    assert f"[文件内容被改动] 文件 {stored.sha256}" in out
    assert brk.actual in out
    # --skip-files does not look at files.
    assert run_verify("--skip-files")[0]


def test_a_missing_or_truncated_file_is_caught(populated):
    first, second = populated["files"]
    store = get_store()
    os.unlink(store.path_for(first.sha256))  # type: ignore[attr-defined]
    path = store.path_for(second.sha256)  # type: ignore[attr-defined]
    os.chmod(path, 0o644)
    with open(path, "r+b") as f:
        f.truncate(100)
    report = verify()
    assert {(b.kind, b.file) for b in report.breaks} == {
        ("file_missing", first.sha256),
        ("file_digest", second.sha256),
    }


def test_a_file_size_that_disagrees_with_its_row_is_caught(populated):
    stored = populated["files"][0]
    with triggers_suspended():
        StoredFile.objects.filter(pk=stored.pk).update(size=1)
    report = verify()
    assert [(b.kind, b.expected, b.actual) for b in report.breaks] == [("file_size", "1", "20000")]


# --- checkpoints --------------------------------------------------------------------------


def _forge(size: int, root: str, key: Ed25519PrivateKey, key_id: str | None = None) -> Checkpoint:
    signed_at = timezone.now().replace(microsecond=0)
    signature = key.sign(checkpoints.message(size, root, signed_at))
    return Checkpoint.objects.create(
        tree_size=size,
        root_hash=root,
        signed_at=signed_at,
        key_id=key_id or keys.key_id(key.public_key()),
        signature=base64.b64encode(signature).decode(),
    )


def test_a_checkpoint_signed_with_another_key_is_caught(populated):
    latest = Checkpoint.objects.get(tree_size=12)
    intruder = Ed25519PrivateKey.generate()
    # Right root, wrong key; and the wrong key passed off under the platform's key id.
    _forge(9, "00" * 32, intruder)
    own_id = keys.key_id(keys.public_key())
    _forge(10, latest.root_hash, intruder, key_id=own_id)
    report = verify(check_stored_files=False)
    found = {(b.kind, b.tree_size) for b in report.breaks}
    assert ("checkpoint_key", 9) in found
    assert ("checkpoint_root", 9) in found
    assert ("checkpoint_signature", 10) in found
    assert ("checkpoint_root", 10) in found
    ok, out = run_verify("--skip-files")
    assert not ok
    assert "条数为 10 的检查点签名无效" in out


def test_an_altered_checkpoint_root_is_caught(populated):
    with triggers_suspended():
        Checkpoint.objects.filter(tree_size=7).update(root_hash="11" * 32)
    report = verify(check_stored_files=False)
    assert {(b.kind, b.tree_size) for b in report.breaks} == {
        ("checkpoint_signature", 7),
        ("checkpoint_root", 7),
    }


def test_a_forged_checkpoint_with_a_valid_signature_but_a_false_root_is_caught(populated):
    # Even the platform's own key cannot make a false root pass.
    _forge(11, "22" * 32, keys.signing_key())
    report = verify(check_stored_files=False)
    assert {(b.kind, b.tree_size) for b in report.breaks} == {("checkpoint_root", 11)}


def test_verify_against_a_given_public_key(populated, tmp_path):
    own = tmp_path / "platform.pem"
    own.write_text(keys.public_key_pem(keys.public_key()))
    assert run_verify("--skip-files", "--public-key", str(own))[0]
    other = tmp_path / "other.pem"
    other.write_text(keys.public_key_pem(Ed25519PrivateKey.generate().public_key()))
    ok, out = run_verify("--skip-files", "--public-key", str(other))
    assert not ok
    assert out.count("检查点密钥未知") == 2
    with pytest.raises(CommandError, match="无法读取公钥文件"):
        call_command("verify", "--public-key", str(tmp_path / "missing.pem"))


# --- triggers, exit status ------------------------------------------------------------------


def test_a_dropped_trigger_is_caught(populated):
    with connection.cursor() as cursor:
        for statement in immutability.drop_sql(connection.vendor, "records_ledgerentry"):
            cursor.execute(statement)
    report = verify(check_stored_files=False)
    assert kinds(report) == {"trigger"}
    assert {b.expected for b in report.breaks} == set(
        immutability.trigger_names("records_ledgerentry", connection.vendor)
    )


def test_the_command_line_exits_non_zero_on_a_break(populated, capsys):
    with triggers_suspended():
        LedgerEntry.objects.filter(seq=1).update(payload="{}")
    from django.core.management import ManagementUtility

    # Last in the test: run_from_argv closes the connection when it is done.
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["sanxiang", "verify", "--skip-files"]).execute()
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "核验未通过：发现" in captured.err
    assert "[内容被改动] 序号 1" in captured.out
