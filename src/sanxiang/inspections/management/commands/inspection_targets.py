"""`sanxiang inspection_targets import FILE --agency ID`: load targets into an agency's
检查对象名录库 from a UTF-8 CSV file (header ``类型,名称,统一社会信用代码,身份证号码,法定代表人,
地址,行业类别``). Every row is checked; any error refuses the whole file, listing the lines.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.inspections import services
from sanxiang.org.models import Agency


class Command(BaseCommand):
    help = "导入检查对象名录库（CSV，UTF-8）：sanxiang inspection_targets import 文件 --agency 执法主体id"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"], help="import：导入")
        parser.add_argument("file", help="CSV 文件路径")
        parser.add_argument("--agency", required=True, help="名录库所属执法主体 id")

    def handle(self, *args: Any, **options: Any) -> None:
        if not str(options["agency"]).isdigit():
            raise CommandError(f"--agency“{options['agency']}”不是执法主体 id")
        agency = Agency.objects.filter(pk=int(options["agency"])).first()
        if agency is None:
            raise CommandError(f"未找到 id 为 {options['agency']} 的执法主体")
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as stream:
                summary = services.import_targets(actor=None, agency=agency, stream=stream)
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from None
        except UnicodeDecodeError:
            raise CommandError("文件不是 UTF-8 编码，请另存为 UTF-8 CSV 后重新导入。") from None
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(
            f"已导入 {summary.created} 个检查对象到“{agency.name}”的检查对象名录库"
            f"（文件 SHA-256 {summary.sha256}）。"
        )
