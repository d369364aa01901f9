"""`sanxiang reindex_decisions`: rebuild the portal's decision search index from the
current published versions (after a restore, or a change to the index), batch by batch."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sanxiang.disclosure.search import reindex


class Command(BaseCommand):
    help = "按现行公开版本重建公示平台执法决定检索索引（分批处理，每批一个事务）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="每批公示数（默认 500）")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        written = reindex(batch_size=max(1, options["batch"]))
        self.stdout.write(
            f"已重建检索索引：{written} 件已公开的执法决定，用时 {time.perf_counter() - started:.1f} 秒。"
        )
