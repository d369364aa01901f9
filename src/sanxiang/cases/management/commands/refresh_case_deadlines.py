"""`sanxiang refresh_case_deadlines`: recompute each open case's next deadline
(cases.deadlines) — after a bulk load, or when a new year's holiday notice is entered.

    sanxiang refresh_case_deadlines [--agency 12] [--missing-only] [--batch 500]

Walks the open cases by id in batches (never the whole table at once) and commits per batch,
so it can be stopped and run again.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.cases.deadlines import refresh_all
from sanxiang.cases.models import Case


class Command(BaseCommand):
    help = "重新计算在办案件的最近期限（批量导入后，或录入新年度节假日安排后运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", help="只处理该执法主体（id）的案件")
        parser.add_argument("--missing-only", action="store_true", help="只处理尚无最近期限的案件")
        parser.add_argument("--batch", default="500", help="每批处理的案件数（默认500）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            batch = int(options["batch"])
        except ValueError:
            raise CommandError(f"--batch“{options['batch']}”不是整数") from None
        if batch < 1:
            raise CommandError("--batch 应为正整数")
        qs = Case.objects.filter(status=Case.Status.OPEN)
        if options["agency"]:
            if not str(options["agency"]).isdigit():
                raise CommandError(f"--agency“{options['agency']}”不是执法主体 id")
            qs = qs.filter(agency_id=int(options["agency"]))
        if options["missing_only"]:
            qs = qs.filter(next_due_on__isnull=True, next_due_label="")
        started = time.perf_counter()
        done = refresh_all(qs, batch=batch)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"已重新计算 {done} 件在办案件的最近期限，用时 {elapsed:.1f} 秒。")
