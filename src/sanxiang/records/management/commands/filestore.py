"""`sanxiang filestore cleanup`: remove what interrupted ingests and uploads left behind.

- temporary files of ingests that crashed (older than --hours, default 24);
- upload sessions untouched for --upload-days (default 7): abandoned, their bytes removed;
- part files that no open upload session owns.

Stored content is never touched.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sanxiang.records.filestore import get_store
from sanxiang.records.uploads import cleanup_stale_uploads


class Command(BaseCommand):
    help = "文件存储维护：cleanup 清理中断入库留下的临时文件和长期未完成的上传。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        cleanup = sub.add_parser("cleanup", help="清理临时文件和过期的上传会话")
        cleanup.add_argument(
            "--hours", type=float, default=24.0, help="临时文件超过多少小时视为遗留（默认24）"
        )
        cleanup.add_argument(
            "--upload-days",
            type=float,
            default=7.0,
            help="上传会话超过多少天未更新即放弃（默认7）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "cleanup":
            removed = get_store().cleanup(older_than_seconds=options["hours"] * 3600)
            abandoned = cleanup_stale_uploads(older_than_seconds=options["upload_days"] * 24 * 3600)
            self.stdout.write(
                f"已删除 {len(removed)} 个遗留的临时文件，放弃 {len(abandoned)} 个过期的上传会话。"
            )
