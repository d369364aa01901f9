"""The seeders of the areas above `org`, run after the organisations exist."""

from __future__ import annotations

from django.db import transaction

from sanxiang.catalog.seed import seed_catalog
from sanxiang.org.models import Agency
from sanxiang.org.seed import Writer
from sanxiang.records import ledger
from sanxiang.records.checkpoints import create_checkpoint
from sanxiang.records.models import LedgerEntry


def seed_lists(stdout: Writer | None) -> None:
    """权责清单, 裁量基准 and the other published lists of every agency with a template."""
    seed_catalog(Agency.objects.all(), stdout=stdout)


def record_demo_load(rows_created: int, *, stdout: Writer | None) -> None:
    """Loading the demo is itself an action on the platform: put it on the ledger and sign a
    checkpoint, so the demo's transparency page (/transparency/) has something to show.
    A re-run that creates nothing records nothing (and prints the same checkpoint)."""
    if rows_created:
        with transaction.atomic():
            ledger.record(
                "sampledata.load_demo",
                actor=None,
                label="演示数据初始化（命令行）",
                rows_created=rows_created,
            )
    if not LedgerEntry.objects.exists():
        return
    checkpoint = create_checkpoint()
    if stdout is not None:
        stdout.write(
            f"台账检查点：{checkpoint.tree_size} 条，默克尔根 {checkpoint.root_hash[:16]}…（/transparency/）"
        )
