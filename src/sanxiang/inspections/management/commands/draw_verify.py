"""`sanxiang draw_verify DRAW_ID [--json]`: re-run a 双随机 draw from its published seed and
candidate lists and check it against the ledger and the stored result (002 第十三条).
Exits with status 1 if any check fails."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.inspections.models import Draw
from sanxiang.inspections.verify import verify_draw


class Command(BaseCommand):
    help = "复算并核验双随机抽取：sanxiang draw_verify 抽取id"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draw_id", help="抽取 id")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出核验结果")

    def handle(self, *args: Any, **options: Any) -> None:
        if not str(options["draw_id"]).isdigit():
            raise CommandError(f"“{options['draw_id']}”不是抽取 id")
        draw = Draw.objects.filter(pk=int(options["draw_id"])).first()
        if draw is None:
            raise CommandError(f"未找到 id 为 {options['draw_id']} 的抽取")
        report = verify_draw(draw)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"抽取 #{draw.pk}（{draw.get_status_display()}），种子 {draw.seed}")
            for label, passed in report.checks:
                self.stdout.write(f"  [{'通过' if passed else '不符'}] {label}")
        if not report.ok:
            raise CommandError(f"抽取 #{draw.pk} 核验不通过。")
        self.stdout.write(f"抽取 #{draw.pk} 核验通过：结果可由公布的种子和名单复算。")
