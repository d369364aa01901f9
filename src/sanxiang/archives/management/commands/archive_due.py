"""sanxiang archive_due: register a case file (待立卷, with its archiving deadline) for every
closed case without one, in batches (000 全过程记录办法 第二十五条; 002 第四十三条). Run it
daily, and after a bulk load."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sanxiang.archives import services


class Command(BaseCommand):
    help = "为已办结但尚未登记案卷的案件登记案卷及归档期限"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=services.REGISTER_BATCH)
        parser.add_argument("--limit", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.register_due_case_files(
            actor=None, batch_size=options["batch_size"], limit=options["limit"]
        )
        self.stdout.write(f"已登记案卷 {count} 件。")
