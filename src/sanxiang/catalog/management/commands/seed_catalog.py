"""`sanxiang seed_catalog [--jurisdiction CODE] [--agency NAME]`: the published lists
(权责清单, 裁量基准, 随机抽查事项, 服务指南, 救济渠道, 监督方式, 音像记录事项) of the
market-regulation, urban-management and ecology-and-environment agencies already in the
database. Deterministic; running it again adds nothing (see sanxiang.catalog.seed).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.catalog.seed import seed_catalog
from sanxiang.org.models import Agency, Jurisdiction


class Command(BaseCommand):
    help = "为已登记的市场监管、城市管理（综合行政执法）、生态环境执法主体生成公示清单与裁量基准示例数据（可重复运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jurisdiction",
            default="",
            help="只处理该辖区（行政区划代码）及其下级辖区的执法主体",
        )
        parser.add_argument("--agency", default="", help="只处理名称包含该文字的执法主体")

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = Agency.objects.all()
        code = options["jurisdiction"].strip()
        if code:
            jurisdiction = Jurisdiction.objects.filter(code=code).first()
            if jurisdiction is None:
                raise CommandError(f"未找到行政区划代码为“{code}”的辖区。")
            agencies = agencies.filter(jurisdiction__path__startswith=jurisdiction.path)
        name = options["agency"].strip()
        if name:
            agencies = agencies.filter(name__contains=name)
        if not agencies.exists():
            raise CommandError(
                "没有符合条件的执法主体：请先运行 sanxiang seed 或 sanxiang demo 生成主数据。"
            )
        seed_catalog(agencies.order_by("pk"), stdout=self.stdout)
