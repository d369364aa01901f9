"""`sanxiang verify`: recheck everything the tamper evidence rests on.

1. The hash chain, in one streaming pass over the ledger in seq order: seq gapless from 1;
   each prev_hash equal to the previous entry's hash (32 zero bytes for seq 1); each
   payload_hash equal to SHA-256 of the stored payload; each hash recomputed from
   prev_hash, payload_hash and seq; the columns (time, actor, action, object) equal to what
   the hashed payload says; the head row equal to the last entry.
2. Every checkpoint: its signature under the platform's public key (or the keys given),
   and its root recomputed from the first tree_size entries — all roots in the same pass
   as the chain, from the stored entry hashes.
3. Every stored file: streamed from the file store, its SHA-256 and size compared with
   the StoredFile row.
4. The immutability triggers are in place on every protected table.

Each break names what broke (entry seq, checkpoint size, file digest) with the expected and
the actual value.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import connection

from . import checkpoints, immutability, keys, merkle
from .ledger import GENESIS_HASH, HEAD_ID, format_datetime
from .models import Checkpoint, LedgerEntry, LedgerHead, StoredFile
from .proofs import closed_after

CHUNK_ROWS = 5000
FILE_CHUNK = 1024 * 1024
MAX_DETAILS = 1000


@dataclass
class Break:
    kind: str
    message: str
    seq: int | None = None
    tree_size: int | None = None
    file: str | None = None
    expected: str | None = None
    actual: str | None = None


@dataclass
class Report:
    entries: int = 0
    checkpoints: int = 0
    files: int = 0
    file_bytes: int = 0
    files_skipped: bool = False
    triggers_checked: int = 0
    break_count: int = 0
    breaks: list[Break] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.break_count == 0

    def add(self, brk: Break) -> None:
        self.break_count += 1
        if len(self.breaks) < MAX_DETAILS:
            self.breaks.append(brk)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["breaks_shown"] = len(self.breaks)
        return data


def _hex32(value: str) -> bytes | None:
    try:
        raw = bytes.fromhex(value)
    except (ValueError, TypeError):
        return None
    return raw if len(raw) == 32 else None


def _check_columns(report: Report, row: tuple[Any, ...]) -> None:
    seq, recorded_at, actor_id, label, action, object_type, object_id, payload = row[:8]
    try:
        env = json.loads(payload)
        stated = {
            "recorded_at": env["recorded_at"],
            "actor_id": env["actor"]["id"],
            "actor_label": env["actor"]["label"],
            "action": env["action"],
            "object_type": env["object"]["type"],
            "object_id": env["object"]["id"],
        }
    except (ValueError, KeyError, TypeError):
        report.add(
            Break("payload_format", f"第 {seq} 条台账记录的内容不是有效的台账格式。", seq=seq)
        )
        return
    stored = {
        "recorded_at": format_datetime(recorded_at),
        "actor_id": actor_id,
        "actor_label": label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
    }
    for name, value in stored.items():
        if stated[name] != value:
            report.add(
                Break(
                    "column",
                    f"第 {seq} 条台账记录的字段 {name} 与其内容（已计入哈希）不一致。",
                    seq=seq,
                    expected=str(stated[name]),
                    actual=str(value),
                )
            )


def check_ledger(report: Report, checkpoint_sizes: Sequence[int]) -> dict[int, bytes]:
    """The chain checks; returns the Merkle root at each of `checkpoint_sizes` that the
    ledger reaches, computed in the same pass."""
    wanted = sorted(set(checkpoint_sizes))
    roots: dict[int, bytes] = {}
    if wanted and wanted[0] == 0:
        roots[0] = merkle.EMPTY_ROOT
    pending = [s for s in wanted if s > 0]
    next_index = 0
    builder = merkle.RootBuilder()
    sha256 = hashlib.sha256
    expected_seq = 1
    prev_hash = GENESIS_HASH
    rows = (
        LedgerEntry.objects.order_by("seq")
        .values_list(
            "seq",
            "recorded_at",
            "actor_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "payload",
            "payload_hash",
            "prev_hash",
            "hash",
        )
        .iterator(chunk_size=CHUNK_ROWS)
    )
    last: tuple[int, str] | None = None
    with closed_after(rows):
        for row in rows:
            seq, payload, payload_hash, stored_prev, stored_hash = (
                row[0],
                row[7],
                row[8],
                row[9],
                row[10],
            )
            report.entries += 1
            if seq != expected_seq:
                report.add(
                    Break(
                        "gap",
                        f"台账序号不连续：应为第 {expected_seq} 条，实际为第 {seq} 条"
                        f"（缺少第 {expected_seq} 至 {seq - 1} 条）。",
                        seq=expected_seq,
                        expected=str(expected_seq),
                        actual=str(seq),
                    )
                )
            if stored_prev != prev_hash:
                report.add(
                    Break(
                        "link",
                        f"第 {seq} 条台账记录的前一条哈希与前一条记录的哈希不一致。",
                        seq=seq,
                        expected=prev_hash,
                        actual=stored_prev,
                    )
                )
            actual_payload_hash = sha256(payload.encode("utf-8")).hexdigest()
            if actual_payload_hash != payload_hash:
                report.add(
                    Break(
                        "payload",
                        f"第 {seq} 条台账记录的内容已被改动：内容摘要不符。",
                        seq=seq,
                        expected=payload_hash,
                        actual=actual_payload_hash,
                    )
                )
            prev_raw = _hex32(stored_prev)
            payload_raw = _hex32(payload_hash)
            leaf = _hex32(stored_hash)
            if prev_raw is None or payload_raw is None or leaf is None:
                report.add(Break("format", f"第 {seq} 条台账记录的哈希值格式无效。", seq=seq))
                leaf = leaf or bytes(32)
            else:
                computed = sha256(prev_raw + payload_raw + seq.to_bytes(8, "big")).hexdigest()
                if computed != stored_hash:
                    report.add(
                        Break(
                            "hash",
                            f"第 {seq} 条台账记录的哈希与由前一条哈希、内容摘要和序号重新计算的结果不符。",
                            seq=seq,
                            expected=computed,
                            actual=stored_hash,
                        )
                    )
            _check_columns(report, row)
            builder.add_leaf_hash(sha256(b"\x00" + leaf).digest())
            while next_index < len(pending) and pending[next_index] == builder.size:
                roots[builder.size] = builder.root()
                next_index += 1
            prev_hash = stored_hash
            expected_seq = seq + 1
            last = (seq, stored_hash)

    head = LedgerHead.objects.filter(pk=HEAD_ID).values_list("seq", "hash").first()
    if last is None:
        if head is not None and head[0] != 0:
            report.add(
                Break(
                    "head",
                    f"台账为空，但台账头记载已有 {head[0]} 条：台账记录可能已被删除。",
                    expected="0",
                    actual=str(head[0]),
                )
            )
    elif head is None:
        report.add(Break("head", "缺少台账头记录。", expected=f"{last[0]} {last[1]}"))
    elif (head[0], head[1]) != last:
        report.add(
            Break(
                "head",
                f"台账头（第 {head[0]} 条）与最后一条台账记录（第 {last[0]} 条）不一致："
                "末尾的台账记录可能已被删除或改写。",
                seq=last[0],
                expected=f"{head[0]} {head[1]}",
                actual=f"{last[0]} {last[1]}",
            )
        )
    return roots


def check_checkpoints(
    report: Report, public_keys: Sequence[Ed25519PublicKey], roots: dict[int, bytes]
) -> None:
    by_id = {keys.key_id(k): k for k in public_keys}
    rows = Checkpoint.objects.order_by("tree_size").iterator(chunk_size=1000)
    with closed_after(rows):
        for cp in rows:
            report.checkpoints += 1
            key = by_id.get(cp.key_id)
            if key is None:
                report.add(
                    Break(
                        "checkpoint_key",
                        f"条数为 {cp.tree_size} 的检查点由未知密钥签署（公钥指纹 {cp.key_id}）。",
                        tree_size=cp.tree_size,
                        expected="、".join(by_id) or "（无可用公钥）",
                        actual=cp.key_id,
                    )
                )
            elif not checkpoints.signature_valid(cp, key):
                report.add(
                    Break(
                        "checkpoint_signature",
                        f"条数为 {cp.tree_size} 的检查点签名无效：检查点内容或签名已被改动或伪造。",
                        tree_size=cp.tree_size,
                    )
                )
            computed = roots.get(cp.tree_size)
            if computed is None:
                report.add(
                    Break(
                        "checkpoint_size",
                        f"条数为 {cp.tree_size} 的检查点超出台账现有条数（{report.entries} 条）："
                        "台账记录可能已被删除。",
                        tree_size=cp.tree_size,
                        expected=str(cp.tree_size),
                        actual=str(report.entries),
                    )
                )
            elif computed.hex() != cp.root_hash:
                report.add(
                    Break(
                        "checkpoint_root",
                        f"前 {cp.tree_size} 条台账记录的默克尔根与检查点不一致：该检查点之后台账历史被改写，"
                        "或检查点被伪造。",
                        tree_size=cp.tree_size,
                        expected=cp.root_hash,
                        actual=computed.hex(),
                    )
                )


def check_files(report: Report) -> None:
    from .filestore import get_store

    store = get_store()
    rows = StoredFile.objects.order_by("pk").values_list("sha256", "size").iterator(chunk_size=1000)
    with closed_after(rows):
        for sha, size in rows:
            report.files += 1
            try:
                reader = store.open(sha)
            except FileNotFoundError:
                report.add(
                    Break(
                        "file_missing", f"存储文件 {sha} 缺失。", file=sha, expected=sha, actual=""
                    )
                )
                continue
            digest = hashlib.sha256()
            length = 0
            with reader:
                while chunk := reader.read(FILE_CHUNK):
                    digest.update(chunk)
                    length += len(chunk)
            report.file_bytes += length
            actual = digest.hexdigest()
            if actual != sha:
                report.add(
                    Break(
                        "file_digest",
                        f"存储文件 {sha} 的内容已被改动：SHA-256 不符。",
                        file=sha,
                        expected=sha,
                        actual=actual,
                    )
                )
            elif length != size:
                report.add(
                    Break(
                        "file_size",
                        f"存储文件 {sha} 的大小与登记不符。",
                        file=sha,
                        expected=str(size),
                        actual=str(length),
                    )
                )


def check_triggers(report: Report) -> None:
    missing = immutability.missing_triggers(connection)
    report.triggers_checked = sum(
        len(immutability.trigger_names(t, connection.vendor)) for t in immutability.PROTECTED_TABLES
    )
    for name in missing:
        report.add(
            Break(
                "trigger",
                f"防篡改触发器 {name} 缺失或已停用：数据库不再拒绝修改或删除受保护的记录。",
                expected=name,
                actual="",
            )
        )


def verify(
    *,
    public_keys: Sequence[Ed25519PublicKey] | None = None,
    check_stored_files: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Run every check; `public_keys` defaults to the platform's own key."""
    report = Report()
    say = progress or (lambda _text: None)
    if public_keys is None:
        own = keys.public_key()
        public_keys = [own] if own is not None else []

    started = time.perf_counter()
    sizes = list(Checkpoint.objects.values_list("tree_size", flat=True))
    say("正在核验台账哈希链……")
    roots = check_ledger(report, sizes)
    report.seconds["ledger"] = time.perf_counter() - started

    mark = time.perf_counter()
    say("正在核验签名检查点……")
    check_checkpoints(report, public_keys, roots)
    report.seconds["checkpoints"] = time.perf_counter() - mark

    mark = time.perf_counter()
    if check_stored_files:
        say("正在核验存储文件……")
        check_files(report)
    else:
        report.files_skipped = True
    report.seconds["files"] = time.perf_counter() - mark

    check_triggers(report)
    report.seconds["total"] = time.perf_counter() - started
    return report
