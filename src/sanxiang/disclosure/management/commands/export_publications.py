"""`sanxiang export_publications`: published licensing or penalty decisions in the 双公示
data items, as CSV or JSON, streamed to a file or stdout; the export is a ledger entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.disclosure.exports import (
    EXPORT_ACTION_TYPES,
    FORMATS,
    ExportFilter,
    ExportLeak,
    exportable,
    log_export,
    render,
    rows,
)
from sanxiang.org.models import Agency


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "按双公示数据项导出已公开的行政许可、行政处罚决定信息（CSV 或 JSON）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--type", required=True, choices=EXPORT_ACTION_TYPES, help="类别")
        parser.add_argument("--format", default="csv", choices=FORMATS, help="格式")
        parser.add_argument("--agency", type=int, help="执法主体编号（默认全部）")
        parser.add_argument("--from", dest="date_from", help="决定日期起 YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="决定日期止 YYYY-MM-DD")
        parser.add_argument("--output", help="输出文件（默认标准输出）")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = None
        if options["agency"] is not None:
            agency = Agency.objects.filter(pk=options["agency"]).first()
            if agency is None:
                raise CommandError(f"未找到编号为 {options['agency']} 的执法主体。")
        f = ExportFilter(
            action_type=options["type"],
            agency=agency,
            date_from=_date(options["date_from"]) if options["date_from"] else None,
            date_to=_date(options["date_to"]) if options["date_to"] else None,
        )
        log_export(actor=None, f=f, fmt=options["format"], label="命令行导出")
        parts = render(options["format"], f.action_type, rows(exportable(f)))
        try:
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8", newline="") as out:
                    out.writelines(parts)
            else:
                self.stdout.ending = ""
                for part in parts:
                    self.stdout.write(part)
        except ExportLeak as exc:
            raise CommandError(str(exc)) from exc
        if options["output"]:
            self.stderr.write(f"已导出到 {options['output']}。")
