"""Re-running a draw from its published seed and lists, and checking it against what was
recorded (随机抽取 公开可验证, 002 第十三条): used by ``sanxiang draw_verify`` and the portal.

Checks, in order:

1. the fix_seed ledger entry exists, is the entry the draw names, and records exactly the
   seed, lists and parameters the Draw row holds (so the row was not changed afterwards);
2. each list's digest recomputes from the list;
3. the run_draw entry comes after the fix_seed entry (the seed was fixed first) and names it;
4. re-running ``algorithm.draw`` from the seed and lists gives the result the run_draw entry
   recorded, the digest recorded, and the stored DrawResult/DrawInspector rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sanxiang.records import ledger
from sanxiang.records.models import LedgerEntry

from . import algorithm
from .models import Draw, DrawInspector, DrawResult
from .services import seed_payload


@dataclass
class Verification:
    draw_id: int
    checks: list[tuple[str, bool]] = field(default_factory=list)
    recomputed: list[algorithm.Pick] = field(default_factory=list)
    recomputed_digest: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(passed for _, passed in self.checks)

    def check(self, label: str, passed: bool) -> bool:
        self.checks.append((label, passed))
        return passed

    def as_dict(self) -> dict[str, Any]:
        return {
            "draw": self.draw_id,
            "ok": self.ok,
            "checks": [{"check": label, "passed": passed} for label, passed in self.checks],
            "recomputed_result_digest": self.recomputed_digest,
            "recomputed_results": [
                [p.position, p.target_id, list(p.inspector_ids)] for p in self.recomputed
            ],
        }


def _entry(seq: int | None, action: str, draw: Draw) -> LedgerEntry | None:
    if seq is None:
        return None
    entry = LedgerEntry.objects.filter(seq=seq).first()
    if entry is None or entry.action != action or entry.object_id != str(draw.pk):
        return None
    return entry


def _jsonable(data: dict[str, Any]) -> Any:
    return json.loads(ledger.canonical_json(data))


def stored_picks(draw: Draw) -> list[algorithm.Pick]:
    inspectors: dict[int, list[int]] = {}
    for result_id, officer_id in (
        DrawInspector.objects.filter(result__draw=draw)
        .order_by("result_id", "order")
        .values_list("result_id", "officer_id")
        .iterator()
    ):
        inspectors.setdefault(result_id, []).append(officer_id)
    return [
        algorithm.Pick(position, target_id, tuple(inspectors.get(pk, [])))
        for pk, position, target_id in DrawResult.objects.filter(draw=draw)
        .order_by("position")
        .values_list("pk", "position", "target_id")
        .iterator()
    ]


def verify_draw(draw: Draw) -> Verification:
    report = Verification(draw.pk)
    seed_entry = _entry(draw.seed_entry_seq, "inspections.fix_seed", draw)
    if not report.check("固定随机种子的台账记录存在", seed_entry is not None):
        return report
    assert seed_entry is not None
    fixed = ledger.entry_data(seed_entry)
    report.check(
        "抽取记录中的随机种子和名单与固定时的台账记录一致",
        fixed == _jsonable(seed_payload(draw)),
    )
    report.check(
        "待抽取对象名单摘要可复算",
        algorithm.list_digest(fixed["target_ids"]) == fixed["target_digest"],
    )
    report.check(
        "检查人员名单摘要可复算",
        algorithm.list_digest(fixed["inspector_ids"]) == fixed["inspector_digest"],
    )
    report.check(
        "回避关系摘要可复算",
        algorithm.conflict_digest(fixed["conflict_pairs"]) == fixed["conflict_digest"],
    )
    try:
        report.recomputed = algorithm.draw(
            seed_hex=fixed["seed"],
            target_ids=fixed["target_ids"],
            inspector_ids=fixed["inspector_ids"],
            conflict_pairs=fixed["conflict_pairs"],
            ratio=Decimal(fixed["ratio"]),
            per_target=fixed["per_target"],
        )
        report.recomputed_digest = algorithm.result_digest(report.recomputed)
    except algorithm.DrawInfeasible:
        report.recomputed = []
    if draw.status != Draw.Status.DRAWN:
        report.check("尚未抽取：没有抽取结果", not DrawResult.objects.filter(draw=draw).exists())
        return report
    draw_entry = _entry(draw.draw_entry_seq, "inspections.run_draw", draw)
    if not report.check("抽取结果的台账记录存在", draw_entry is not None):
        return report
    assert draw_entry is not None
    recorded = ledger.entry_data(draw_entry)
    report.check(
        "随机种子先于抽取写入台账（台账序号在前）",
        seed_entry.seq < draw_entry.seq and recorded.get("seed_entry_seq") == seed_entry.seq,
    )
    recomputed_rows = [[p.position, p.target_id, list(p.inspector_ids)] for p in report.recomputed]
    report.check(
        "按公布的种子和名单复算，结果与台账记录一致", recomputed_rows == recorded["results"]
    )
    report.check(
        "抽取结果摘要一致",
        report.recomputed_digest == recorded["result_digest"] == draw.result_digest,
    )
    report.check("数据库中的抽取结果与复算结果一致", stored_picks(draw) == report.recomputed)
    return report
