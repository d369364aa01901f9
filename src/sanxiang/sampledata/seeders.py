"""The seeders of the areas above `org`, run after the organisations exist."""

from __future__ import annotations

from django.db import transaction

from sanxiang.cases.deadlines import refresh_all
from sanxiang.cases.models import Case
from sanxiang.catalog.seed import seed_catalog
from sanxiang.org.demo import DEMO_AGENCY, DEMO_SEED
from sanxiang.org.models import Agency, User
from sanxiang.org.seed import Writer
from sanxiang.records import ledger
from sanxiang.records.checkpoints import create_checkpoint
from sanxiang.records.models import LedgerEntry

from .cases import seed_cases

# The demo's cases: most in the demo agency (handled in part by the demo officer account,
# so its inbox has work), the rest over the other agencies that have lists.
DEMO_CASES = 200
DEMO_AGENCY_CASES = 120


def seed_lists(stdout: Writer | None) -> None:
    """权责清单, 裁量基准 and the other published lists of every agency with a template."""
    seed_catalog(Agency.objects.all(), stdout=stdout)


def seed_demo_cases(stdout: Writer | None) -> int:
    """The demo's sample cases (once: a re-run finds the load on the ledger); the number of
    rows written."""
    agency = Agency.objects.filter(jurisdiction__code=DEMO_AGENCY[0], name=DEMO_AGENCY[1]).first()
    focus = (agency.pk, DEMO_AGENCY_CASES) if agency is not None else None
    officer = (
        User.objects.filter(username="officer", officer__isnull=False)
        .values_list("officer__agency_id", "officer_id")
        .first()
    )
    result = seed_cases(
        seed=DEMO_SEED,
        cases=DEMO_CASES,
        scope="demo",
        focus=focus,
        preferred_officers=dict([officer]) if officer else None,
        stdout=stdout,
    )
    if result.rows_created:  # bulk rows carry no deadlines yet: the inbox orders by them
        refresh_all(Case.objects.filter(status=Case.Status.OPEN, next_due_label=""))
    return result.rows_created


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
