"""`sanxiang demo`: sample data (from the seed code), one account per role, printed, and
sample cases (sanxiang.sampledata.cases) for the workbench inbox.

Safe to run again: nothing is duplicated and the printed passwords are set anew. The demo
password is public, so outside development (DEBUG=1) the command needs --force.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.org.demo import run_demo
from sanxiang.sampledata.demo_work import seed_demo_work
from sanxiang.sampledata.seeders import record_demo_load, seed_demo_cases, seed_lists


class Command(BaseCommand):
    help = "创建演示数据和各角色的演示账号（可重复运行，口令重置为打印的演示口令）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="在非开发环境（DEBUG 未开启）中也创建演示账号。演示口令是公开的，切勿用于生产环境。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "演示账号使用公开的演示口令，只能在开发环境（DEBUG=1）中创建；"
                "如确需在其他环境创建，请加 --force（切勿用于生产环境）。"
            )
        # The cases come after the accounts, so that the demo officer handles some of them;
        # the demo accounts' work on them (publication, archiving, a draw …) after that.
        result = run_demo(
            stdout=self.stdout,
            seeders=[seed_lists],
            after_accounts=[seed_demo_cases, seed_demo_work],
        )
        record_demo_load(result.seed.rows_created + result.extra_rows, stdout=self.stdout)
