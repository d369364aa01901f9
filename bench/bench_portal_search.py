"""Portal decision search benchmark, run on demand (not in CI):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search \\
        python bench/bench_portal_search.py --decisions 1000000

Seeds agencies (``sanxiang.org.seed``) and then --decisions published decisions straight
into the portal's search index ``disclosure_publicationsearch`` with PostgreSQL ``COPY``:
realistic Chinese text (a few hundred characters each: the facts with Faker zh_CN names,
companies and addresses already masked the way the redaction leaves them, the violated
article, the decision, the remedies), varied agencies, action types and five years of
dates. The lexemes are computed by the same ``text_lexemes`` the real index uses. The
secondary indexes (btree and GIN) are built after the load, then ANALYZE.

The search reads the index table alone (plus the agency of each result), so the bench
does not create the publications, versions, cases and records behind each entry: the
foreign key from the index to ``disclosure_publication`` is dropped in the bench
database (the unique index on it stays). Use a throw-away database.

Then it times the real selector ``sanxiang.disclosure.search.search_decisions`` — the
query the portal page and the API run, first page of 20 plus the capped count — for
--queries searches of mixed kinds, and prints p50/p95 per kind and overall, and the plan
of one query of each kind (--explain). PostgreSQL only: SQLite is the small embedded
default, not the scale this measures.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

AGENCY_COUNT = 300
YEARS = 5
PARAGRAPHS = 3000  # Faker sentences in the pool

LAWS = [
    ("《中华人民共和国食品安全法》", "食品安全"),
    ("《中华人民共和国广告法》", "广告"),
    ("《中华人民共和国产品质量法》", "产品质量"),
    ("《中华人民共和国药品管理法》", "药品"),
    ("《中华人民共和国道路运输条例》", "道路运输"),
    ("《中华人民共和国大气污染防治法》", "大气污染"),
    ("《中华人民共和国安全生产法》", "安全生产"),
    ("《城市市容和环境卫生管理条例》", "市容环境卫生"),
    ("《中华人民共和国消防法》", "消防安全"),
    ("《中华人民共和国价格法》", "价格"),
]
VIOLATIONS = [
    "未取得食品经营许可从事食品经营活动",
    "经营超过保质期的食品",
    "发布虚假广告",
    "生产销售不符合保障人体健康和人身安全的国家标准的产品",
    "未按规定标明价格",
    "超限超载运输",
    "露天焚烧秸秆",
    "未经批准擅自设置户外广告设施",
    "未按照规定配备消防设施",
    "无证经营",
    "违规占道经营",
    "排放大气污染物超过标准",
    "未对从业人员进行安全生产教育和培训",
    "销售假冒伪劣商品",
    "擅自改变房屋用途",
]
DECISIONS = [
    "给予警告，并处罚款人民币{n}元",
    "责令改正，没收违法所得{n}元，并处罚款{n}元",
    "责令停产停业整顿",
    "没收违法物品，并处罚款人民币{n}元",
    "吊销许可证件",
    "责令限期改正，逾期不改正的依法强制执行",
    "查封场所、设施或者财物",
]
TYPES = [
    ("penalty", 0.7),
    ("coercion", 0.1),
    ("licensing", 0.06),
    ("inspection", 0.06),
    ("confirmation", 0.03),
    ("payment", 0.02),
    ("reward", 0.01),
    ("expropriation", 0.01),
    ("adjudication", 0.01),
]


def _masked_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1)


class TextMaker:
    """Decision texts from a pool of Faker zh_CN sentences and enforcement phrases."""

    def __init__(self, rng: random.Random) -> None:
        from faker import Faker

        fake = Faker("zh_CN")
        fake.seed_instance(rng.randrange(1 << 30))
        self.rng = rng
        self.sentences = [fake.sentence(nb_words=rng.randint(8, 20)) for _ in range(PARAGRAPHS)]
        self.companies = [fake.company() for _ in range(PARAGRAPHS)]
        self.names = [fake.name() for _ in range(PARAGRAPHS)]
        self.places = [fake.city_name() + fake.street_name() for _ in range(PARAGRAPHS)]

    def decision(self, agency: str, number: str, day: datetime.date) -> tuple[str, str, str]:
        """(title, party as published, full text)."""
        r = self.rng
        law, field = r.choice(LAWS)
        violation = r.choice(VIOLATIONS)
        if r.random() < 0.5:
            party = self.companies[r.randrange(PARAGRAPHS)]
        else:
            party = _masked_name(self.names[r.randrange(PARAGRAPHS)])
        amount = r.choice([500, 1000, 2000, 5000, 10000, 20000, 50000, 100000])
        decision = r.choice(DECISIONS).format(n=f"{amount:,}")
        facts = "".join(r.choice(self.sentences) for _ in range(r.randint(2, 5)))
        text = (
            f"{agency}行政处罚决定书 {number}\n"
            f"当事人：{party}，住所：{r.choice(self.places)}**号。\n"
            f"{day.year}年{day.month}月{day.day}日，本机关执法人员在{field}检查中发现，"
            f"当事人涉嫌{violation}。经查，{facts}"
            f"上述事实有现场检查笔录、询问笔录、照片等证据证实。"
            f"当事人的行为违反了{law}第{r.randint(2, 120)}条的规定。"
            f"依据{law}第{r.randint(2, 120)}条的规定，本机关决定：{decision}。"
            f"如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，"
            f"或者在六个月内依法向人民法院提起行政诉讼。"
        )
        title = f"{violation}案（{party}）"
        return title, party, text


def _load(args: argparse.Namespace) -> None:
    from django.db import connection

    from sanxiang.disclosure.models import PublicationSearch
    from sanxiang.disclosure.search import fold, text_lexemes
    from sanxiang.org.models import Agency
    from sanxiang.org.seed import seed

    rng = random.Random(args.seed)
    if Agency.objects.count() < AGENCY_COUNT:
        seed(seed=args.seed, agencies=AGENCY_COUNT, officers=AGENCY_COUNT)
    agencies = list(Agency.objects.values_list("id", "name")[:AGENCY_COUNT])
    maker = TextMaker(rng)
    table = PublicationSearch._meta.db_table
    today = datetime.date.today()
    start_id = (PublicationSearch.objects.order_by("-id").values_list("id", flat=True).first()) or 0
    print(f"写入 {args.decisions:,} 件已公开决定（COPY 到 {table}）：")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
            "AND conname LIKE %s",
            [table, "%publication_id%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for index in (
            "pubsearch_date",
            "pubsearch_agency",
            "pubsearch_type",
            "pubsearch_vector_gin",
        ):
            cursor.execute(f"DROP INDEX IF EXISTS {index}")
    started = time.perf_counter()
    columns = (
        "id, publication_id, agency_id, action_type, kind, decided_on, published_at, "
        "document_number, title, party_name, version_number, search_text, search_vector"
    )
    types = [t for t, _ in TYPES]
    weights = [w for _, w in TYPES]
    batch = 50_000
    done = 0
    while done < args.decisions:
        n = min(batch, args.decisions - done)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for i in range(n):
                    pk = start_id + done + i + 1
                    agency_id, agency_name = agencies[rng.randrange(len(agencies))]
                    day = today - datetime.timedelta(days=rng.randrange(365 * YEARS))
                    number = f"{agency_name[:2]}罚〔{day.year}〕{rng.randint(1, 9999)}号"
                    title, party, text = maker.decision(agency_name, number, day)
                    folded = fold(f"{title}\n{number}\n{agency_name}\n{text}")
                    copy.write_row(
                        (
                            pk,
                            pk,
                            agency_id,
                            rng.choices(types, weights)[0],
                            "decision",
                            day,
                            datetime.datetime.combine(
                                day + datetime.timedelta(days=rng.randint(1, 7)),
                                datetime.time(9),
                                tzinfo=datetime.UTC,
                            ),
                            number,
                            title[:255],
                            party,
                            1,
                            folded,
                            " ".join(text_lexemes(folded)),
                        )
                    )
        done += n
        elapsed = time.perf_counter() - started
        print(f"  {done:,} 件，{elapsed:.0f} 秒（{done / elapsed:,.0f} 件/秒）", flush=True)
    print(f"  写入用时 {time.perf_counter() - started:.0f} 秒")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(
            f"CREATE INDEX pubsearch_date ON {table} (decided_on DESC, id DESC);"
            f"CREATE INDEX pubsearch_agency ON {table} (agency_id, decided_on DESC, id DESC);"
            f"CREATE INDEX pubsearch_type ON {table} (action_type, decided_on DESC, id DESC);"
        )
        print(f"  B 树索引：{time.perf_counter() - started:.0f} 秒", flush=True)
        started = time.perf_counter()
        cursor.execute(f"CREATE INDEX pubsearch_vector_gin ON {table} USING gin (search_vector)")
        print(f"  GIN 索引：{time.perf_counter() - started:.0f} 秒", flush=True)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


def _sizes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('disclosure_publicationsearch')), "
            "pg_size_pretty(pg_relation_size('pubsearch_vector_gin')), "
            "(SELECT count(*) FROM disclosure_publicationsearch)"
        )
        table, gin, rows = cursor.fetchone()
    print(f"索引表：{rows:,} 行，表 {table}，GIN 索引 {gin}")


def _queries(rng: random.Random, agencies: list[int]) -> Iterator[tuple[str, dict[str, Any]]]:
    today = datetime.date.today()
    two = ["罚款", "食品", "广告", "超载", "消防", "价格", "焚烧", "许可"]
    four = ["行政处罚", "食品安全", "责令改正", "无证经营", "虚假广告", "安全生产", "占道经营"]
    rare = ["保质期的食品 超载", "秸秆 户外广告", "消防设施 药品管理", "房屋用途 价格法"]
    kinds: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("两字检索词", lambda: {"q": rng.choice(two)}),
        ("四字检索词", lambda: {"q": rng.choice(four)}),
        ("一字检索词", lambda: {"q": rng.choice("罚罪秸烟")}),
        (
            "检索词+执法主体",
            lambda: {"q": rng.choice(four), "agency_id": rng.choice(agencies)},
        ),
        (
            "检索词+类别+日期",
            lambda: {
                "q": rng.choice(two),
                "action_type": "coercion",
                "date_from": today - datetime.timedelta(days=400),
                "date_to": today - datetime.timedelta(days=300),
            },
        ),
        (
            "仅日期范围",
            lambda: {
                "date_from": (d := today - datetime.timedelta(days=rng.randrange(1700))),
                "date_to": d + datetime.timedelta(days=30),
            },
        ),
        ("罕见组合（多词）", lambda: {"q": rng.choice(rare)}),
        ("第5页", lambda: {"q": rng.choice(two + four), "page": 5}),
        ("执法主体无检索词", lambda: {"agency_id": rng.choice(agencies)}),
    ]
    while True:
        for kind, make in kinds:
            yield kind, make()


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def _run(args: argparse.Namespace) -> None:
    from django.db import connection

    from sanxiang.disclosure.search import search_decisions
    from sanxiang.org.models import Agency

    rng = random.Random(args.seed + 1)
    agencies = list(Agency.objects.values_list("id", flat=True)[:AGENCY_COUNT])
    gen = _queries(rng, agencies)
    for _ in range(20):  # warm-up
        kind, params = next(gen)
        search_decisions(**params)
    times: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    examples: dict[str, dict[str, Any]] = {}
    for _ in range(args.queries):
        kind, params = next(gen)
        started = time.perf_counter()
        results = search_decisions(**params)
        times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        counts.setdefault(kind, []).append(results.count)
        examples.setdefault(kind, params)
    print(f"\n检索 {args.queries} 次（每次：第一页 20 条 + 至多 {10000:,} 的计数），单位毫秒：")
    print(f"  {'类型':<14}{'次数':>6}{'p50':>10}{'p95':>10}{'最大':>10}{'结果数中位':>12}")
    everything: list[float] = []
    for kind, values in times.items():
        everything += values
        print(
            f"  {kind:<14}{len(values):>6}{_pct(values, 0.5):>10.1f}{_pct(values, 0.95):>10.1f}"
            f"{max(values):>10.1f}{statistics.median(counts[kind]):>12,.0f}"
        )
    print(
        f"  {'合计':<14}{len(everything):>6}{_pct(everything, 0.5):>10.1f}"
        f"{_pct(everything, 0.95):>10.1f}{max(everything):>10.1f}"
    )
    if args.explain and connection.vendor == "postgresql":
        from sanxiang.disclosure.search import _matching, check_filters

        for kind, params in examples.items():
            filters = check_filters(**{k: v for k, v in params.items() if k != "page"})
            qs = _matching(filters).order_by("-decided_on", "-id")[:21]
            plan = qs.explain(analyze=True)
            top = [line for line in plan.splitlines() if line.strip()][:6]
            print(f"\n[{kind}] {params}（规划器自选的计划，未经 search_decisions 的计划控制）")
            print("\n".join("    " + line for line in top))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="公示平台执法决定检索的性能测试")
    parser.add_argument("--decisions", type=int, default=10000, help="已公开决定数量")
    parser.add_argument("--queries", type=int, default=270, help="测量的检索次数（默认 270）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="库中已有索引数据时跳过写入，只测检索")
    parser.add_argument("--explain", action="store_true", help="打印每类检索的执行计划")
    args = parser.parse_args(argv)

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("请将 DATABASE_URL 设为一个专用的 PostgreSQL 数据库。", file=sys.stderr)
        return 2
    print(f"数据库：DATABASE_URL（{os.environ['DATABASE_URL'].split('@')[-1]}）")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sanxiang.disclosure.models import PublicationSearch

    call_command("migrate", verbosity=0)
    if not (args.reuse and PublicationSearch.objects.exists()):
        _load(args)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE disclosure_publicationsearch")
        print(f"  VACUUM ANALYZE：{time.perf_counter() - started:.0f} 秒")
    _sizes()
    _run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
