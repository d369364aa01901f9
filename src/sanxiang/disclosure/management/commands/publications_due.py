"""`sanxiang publications_due`: create the publications of decisions already issued (and
inspection results already signed) that have none — after a bulk load or for seeded data;
new decisions get theirs when they are issued (cases hook).

    sanxiang publications_due [--batch 200] [--limit N]

Walks the decision records by id in batches with one bounded, indexed query each, and
commits per batch, so it can be stopped and run again (000 公示办法 第二十条).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.disclosure.services import create_due_publications


def _positive(name: str, value: Any) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"--{name}“{value}”不是整数") from None
    if number < 1:
        raise CommandError(f"--{name} 应为正整数")
    return number


class Command(BaseCommand):
    help = "为已作出但尚未生成公示的执法决定（及已签署的检查结果）批量生成公示。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", default="200", help="每批处理的文书数（默认200）")
        parser.add_argument("--limit", default=None, help="最多生成的公示数")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = _positive("batch", options["batch"]) or 200
        limit = _positive("limit", options["limit"])
        started = time.perf_counter()
        created = create_due_publications(batch_size=batch, limit=limit)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"已生成 {created} 项执法决定公示，用时 {elapsed:.1f} 秒。")
