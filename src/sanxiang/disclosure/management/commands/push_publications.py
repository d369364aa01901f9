"""`sanxiang push_publications`: add the missing push records and send the due ones to the
unified disclosure platform (SANXIANG_PUSH_URL); run it from cron every few minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.disclosure.push import PushNotConfigured, configured_sender, enqueue, push_due


class Command(BaseCommand):
    help = "向统一的执法信息公示平台推送已公开、已更正、已撤下的行政许可和行政处罚信息。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="本次最多推送的记录数")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] <= 0:
            raise CommandError("--limit 应为正整数。")
        try:
            sender = configured_sender()
        except PushNotConfigured as exc:
            raise CommandError(str(exc)) from exc
        added = enqueue()
        run = push_due(sender=sender, limit=options["limit"])
        self.stdout.write(
            f"新增待推送 {added} 条；推送成功 {run.sent} 条，失败待重试 {run.failed} 条，"
            f"因含个人信息拒绝推送 {run.refused} 条。"
        )
        if run.failed or run.refused:
            raise CommandError("有记录未推送成功，详见工作台“数据报送”页面。", returncode=1)
