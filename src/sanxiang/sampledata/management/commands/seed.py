"""`sanxiang seed --seed N --agencies A --officers B [--cases C]`: synthetic master data,
the published lists and, with --cases, enforcement cases, in bulk.

Deterministic for a seed; running it again with the same arguments adds nothing (see
sanxiang.org.seed for how rows are matched, sanxiang.sampledata.cases for the cases: a load
is on the ledger and is not repeated). Every agency gets at least one officer, so
--officers may not be smaller than --agencies.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.org.seed import seed
from sanxiang.sampledata.cases import seed_cases
from sanxiang.sampledata.seeders import seed_lists


def _count(text: str, what: str, *, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"{what}“{text}”不是整数。") from None
    if value < minimum:
        kind = "非负整数" if minimum == 0 else "正整数"
        raise CommandError(f"{what}应为{kind}，而不是 {value}。")
    return value


class Command(BaseCommand):
    help = (
        "生成用于演示和性能测试的模拟数据（辖区、执法主体、内设机构、执法人员及执法证、委托执法、"
        "公示清单，以及 --cases 指定数量的执法案件）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Strings, parsed in handle(), so that errors come out in Chinese.
        parser.add_argument(
            "--seed", default="1", help="随机种子（非负整数，默认 1）；同一种子生成相同数据"
        )
        parser.add_argument("--agencies", default="40", help="执法主体数量（正整数，默认 40）")
        parser.add_argument(
            "--officers", default="400", help="执法人员数量（正整数，不少于执法主体数量，默认 400）"
        )
        parser.add_argument(
            "--cases",
            default="0",
            help="执法案件数量（非负整数，默认 0）：含文书、签名、环节流转、证据和音像记录",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed_value = _count(options["seed"], "随机种子", minimum=0)
        agencies = _count(options["agencies"], "执法主体数量", minimum=1)
        officers = _count(options["officers"], "执法人员数量", minimum=1)
        cases = _count(options["cases"], "执法案件数量", minimum=0)
        if officers < agencies:
            raise CommandError(
                f"执法人员数量（{officers}）不能少于执法主体数量（{agencies}）：每个执法主体至少需要一名执法人员。"
            )
        try:
            seed(seed=seed_value, agencies=agencies, officers=officers, stdout=self.stdout)
            seed_lists(self.stdout)
            if cases:
                seed_cases(seed=seed_value, cases=cases, stdout=self.stdout)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
