"""Synthetic enforcement cases in bulk: ``seed_cases(seed=1, cases=1_000_000)``.

Each case comes with its source, party, officers, the records (文书) of every stage it went
through with their signatures, the stage log, evidence and AV metadata — over the agencies,
officers and published lists already in the database (run after ``seed`` and the lists).

What a case looks like
----------------------
A case follows one *route* of its procedure (``procedures/definitions/*.toml``): a path of
transitions from the initial stage to a final one, skipping the hearing (the cases app never
marks a party eligible for one yet, so the engine refuses ``to_hearing``). Every stage the
case has left holds the records its definition requires, each with the signatures
``guards.signature_specs`` asks for (a party or witness sometimes refuses, and the refusal
is recorded instead), and the key data the guards of the transition read: the rights notice
served, the statement heard or waived, the decision served by a 送达回证 naming it, two
officers with valid certificates on the stages that need them, AV recordings where the
agency's AV matter list asks for them. About 60 % of the cases are closed (the last stage's
records complete, closed as ``close_if_finished`` does: version = transitions + 1), the rest
are open in some stage with part of its records, so inboxes have work in every stage.
General-procedure penalties of agencies whose rule profile requires a legal review stop in
the decision stage, awaiting the review (the seed writes no review rounds:
``cases.state.profile_review_status``). Fines lie within the matter's discretion standard
(裁量基准, its statutory range); matters whose standard starts above the on-the-spot limit
are not handled by the simple procedure.
The tests replay every case through the real engine.

Parties are natural persons (身份证号码 with the GB 11643 check digit), companies and
individual businesses (统一社会信用代码 with the GB 32100 and GB 11714 check characters).
Case numbers follow ``cases.services`` (``郑州立〔2026〕15号``): per agency and year, in
the order the cases were opened, continuing from the agency's ``CaseNumberSequence``,
which is advanced so that the next ``open_case`` gets the next number.

Determinism and re-running
--------------------------
Everything is drawn from ``random.Random`` streams seeded by (seed, agency), in a fixed order
(agencies by id, then the agency's cases by opening date); only the dates are laid relative
to today. The load is summarised by one ledger entry (``sampledata.seed_cases``: seed,
scope, number of cases and rows) — no entry per row, like the rest of the bulk seed. A
second run with the same seed and scope finds that entry and adds nothing.

Scale
-----
The cases are spread over the eligible agencies by their number of certified officers
(one aggregate row per agency). Agencies are then handled in chunks: a bounded number of
queries loads a chunk's officers, units, matters, AV matters and sequences, and its cases
are generated one at a time and written with ``bulk_create`` every ``FLUSH_CASES`` cases —
never one query per row, never a whole table in memory. ``save()``/``full_clean()`` are not
called; signed records and signatures are inserted in their final form (the immutability
triggers refuse later UPDATEs). Everything runs in one transaction.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import json
import random
import time
from bisect import bisect
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, Model, Q
from django.utils import timezone
from faker.providers.person.zh_CN import Provider as ZhPersonProvider
from stdnum.cn import ric
from stdnum.cn import uscc as uscc_mod

from sanxiang.cases.models import (
    AVRecording,
    Case,
    CaseNumberSequence,
    CaseOfficer,
    CaseSource,
    Evidence,
    Party,
    Record,
    Signature,
    StageTransition,
)
from sanxiang.cases.state import profile_review_status
from sanxiang.catalog.models import AVMatter, DiscretionStandard, ItemStatus, PowerItem
from sanxiang.org.models import Agency, Certificate, Unit, User
from sanxiang.org.seed import _BIRTH_REGIONS, _BY_CODE, Writer, _allocate, _mobile, _org_code
from sanxiang.procedures import all_procedures, engine, get_procedure, registry
from sanxiang.procedures.guards import signature_specs
from sanxiang.procedures.model import Procedure, StageDef, TransitionDef
from sanxiang.records import ledger
from sanxiang.records.models import LedgerEntry

from .case_texts import SERVICE_WORDS, CaseText, cn, record_data

LEDGER_ACTION = "sampledata.seed_cases"
IMPORT_USERNAME = "sampledata"
IMPORT_FULL_NAME = "合成数据导入"
BATCH_SIZE = 5000
FLUSH_CASES = 1000
AGENCY_CHUNK = 200
WINDOW_DAYS = 1000  # cases are opened within this many days before today
CLOSED_SHARE = 0.6

# How often each procedure is chosen (among those the agency has matters for).
PROCEDURE_WEIGHTS: dict[str, float] = {
    "penalty_general": 28,
    "penalty_simple": 22,
    "inspection": 25,
    "licensing": 12,
    "coercion": 8,
    "expropriation": 1,
    "confirmation": 2,
    "payment": 2,
    "reward": 1,
    "adjudication": 1,
}
# How often a route takes a transition (the main line is 1).
TRANSITION_WEIGHTS: dict[str, float] = {
    "not_filed": 0.05,
    "dismiss": 0.08,
    "reject": 0.1,
    "release": 0.4,
    "change": 0.05,
    "revoke": 0.03,
    "hand_over": 0.35,
}
# Guards build_case_state can never satisfy yet (it never marks a party eligible for a
# hearing): routes through them are not generated.
_UNREACHABLE_GUARDS = frozenset({"hearing_requested"})
_OFFICER_GUARDS = frozenset({"two_certified_officers", "certified_officers"})
_EVIDENCE_STAGES = ("investigation", "site_inspection", "examination", "implementation")
_HEAD_POSTS = frozenset(
    {
        "处长",
        "科长",
        "股长",
        "总队长",
        "支队长",
        "大队长",
        "队长",
        "组长",
        "副处长",
        "副科长",
        "副股长",
    }
)
_SOURCE_KINDS: dict[str, tuple[tuple[str, float], ...]] = {
    "penalty": (("inspection", 5), ("complaint", 3), ("transfer", 1), ("assignment", 1)),
    "coercion": (("inspection", 6), ("complaint", 2), ("transfer", 1)),
    "inspection": (("inspection", 8), ("complaint", 2), ("assignment", 1)),
}
_PARTY_KINDS: dict[str, tuple[float, float, float]] = {
    # natural person, legal person, other organisation (individual business)
    "penalty": (0.35, 0.45, 0.2),
    "coercion": (0.3, 0.5, 0.2),
    "inspection": (0.1, 0.6, 0.3),
    "licensing": (0.1, 0.6, 0.3),
}
_BRANDS = tuple(
    [
        "鑫源",
        "恒达",
        "华信",
        "宏图",
        "金盛",
        "瑞丰",
        "永兴",
        "嘉禾",
        "锦程",
        "盛世",
        "佳美",
        "天润",
        "福瑞",
        "德隆",
        "中原",
        "豫丰",
        "安泰",
        "汇通",
        "兴旺",
        "长青",
        "博远",
        "和顺",
        "金诺",
        "众诚",
        "康达",
        "宏发",
        "昌盛",
        "裕丰",
        "新元",
        "明辉",
    ]
)
_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "market": ("餐饮管理", "食品", "商贸", "超市", "医药连锁", "电子商务"),
    "urban": ("广告", "装饰工程", "建筑工程", "物业服务", "渣土运输"),
    "ecology": ("化工", "建材", "机械制造", "环保科技", "印染"),
    "other": ("商贸", "科技", "实业", "文化传媒", "物流"),
}
_SHOPS = tuple(
    [
        "烩面馆",
        "便利店",
        "水果店",
        "烟酒店",
        "小吃店",
        "五金店",
        "理发店",
        "早餐店",
        "副食店",
        "药店",
    ]
)
_ALNUM = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_DEVICES = ("执法记录仪（DSJ-V9）", "执法记录仪（DSJ-T8）", "执法记录仪（DSJ-A7）")
_REFUSAL = "当事人拒绝签名，执法人员已在文书上注明，并全程音像记录（004 第十三条）"
_EVIDENCE_KINDS = (
    (Evidence.Kind.DOCUMENTARY, "营业执照、进货台账等书证复印件，经当事人核对无误"),
    (Evidence.Kind.ELECTRONIC, "现场照片及执法记录仪视频"),
    (Evidence.Kind.PHYSICAL, "涉案物品样品"),
    (Evidence.Kind.TESTIMONY, "当事人陈述及证人证言"),
)


# --------------------------------------------------------------------------- result


@dataclass
class CaseSeedResult:
    seed: int
    scope: str
    requested: int = 0
    cases_created: int = 0
    closed: int = 0
    skipped: bool = False
    agencies: int = 0
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_procedure: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    elapsed: float = 0.0

    @property
    def rows_created(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows_created / self.elapsed if self.elapsed > 0 else 0.0

    def summary(self) -> list[str]:
        if self.skipped:
            return [
                f"执法案件（seed={self.seed}，{self.scope}）：已导入过，跳过（台账 {LEDGER_ACTION}）。"
            ]
        names = {p.code: p.name for p in all_procedures()}
        spread = "，".join(
            f"{names.get(code, code)} {n}" for code, n in sorted(self.by_procedure.items())
        )
        labels = (
            ("case", "案件"),
            ("record", "文书"),
            ("signature", "签名"),
            ("transition", "环节流转"),
            ("party", "当事人"),
            ("officer", "承办人员"),
            ("evidence", "证据"),
            ("av", "音像记录"),
        )
        counts = "，".join(f"{label} {self.rows.get(key, 0)}" for key, label in labels)
        lines = [
            f"执法案件（seed={self.seed}）：新建 {self.cases_created} 件"
            f"（已办结 {self.closed} 件），分布于 {self.agencies} 个执法主体。",
            f"  {counts}。",
        ]
        if spread:
            lines.append(f"  按程序：{spread}。")
        if self.cases_created < self.requested:
            lines.append(
                f"  注意：要求 {self.requested} 件，但没有符合条件的执法主体"
                "（至少两名持有效执法证的执法人员、一个承办机构和一项现行权责清单事项）。"
            )
        lines.append(
            f"  用时 {self.elapsed:.2f} 秒，写入 {self.rows_created} 行，"
            f"约 {self.rows_per_second:,.0f} 行/秒。"
        )
        return lines


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Step:
    stage: StageDef
    leave: TransitionDef | None  # the transition that leaves it (None: the last stage)


@dataclass(frozen=True)
class Route:
    procedure: Procedure
    steps: tuple[Step, ...]
    weight: float

    def has_stage(self, code: str) -> bool:
        return any(s.stage.code == code for s in self.steps)


def _routes_of(procedure: Procedure) -> list[Route]:
    routes: list[Route] = []

    def walk(stage: str, path: list[TransitionDef], seen: set[str]) -> None:
        if stage in procedure.finals:
            steps = [Step(procedure.stage(t.from_stage), t) for t in path] + [
                Step(procedure.stage(stage), None)
            ]
            weight = 1.0
            for t in path:
                weight *= TRANSITION_WEIGHTS.get(t.code, 1.0)
            routes.append(Route(procedure, tuple(steps), weight))
        for t in procedure.transitions_from(stage):
            if t.to_stage in seen or _UNREACHABLE_GUARDS & set(t.guards):
                continue
            walk(t.to_stage, [*path, t], seen | {t.to_stage})

    walk(procedure.initial, [], {procedure.initial})
    return routes


@functools.cache
def routes() -> dict[str, tuple[Route, ...]]:
    """Every route of every shipped procedure."""
    return {p.code: tuple(_routes_of(p)) for p in all_procedures()}


# --------------------------------------------------------------------------- identities


class _Names:
    """Chinese names from Faker's zh_CN person data (surname frequencies included), drawn
    from the caller's generator."""

    def __init__(self) -> None:
        surnames = ZhPersonProvider.last_names
        self.surnames = list(surnames)
        self.cum = list(itertools.accumulate(float(w) for w in surnames.values()))
        self.male = list(ZhPersonProvider.first_names_male)
        self.female = list(ZhPersonProvider.first_names_female)

    def name(self, rng: random.Random, male: bool | None = None) -> str:
        if male is None:
            male = rng.random() < 0.55
        surname = self.surnames[bisect(self.cum, rng.random() * self.cum[-1])]
        return surname + rng.choice(self.male if male else self.female)

    def surname(self, rng: random.Random) -> str:
        return self.surnames[bisect(self.cum, rng.random() * self.cum[-1])]


_NAMES = _Names()


def id_number(rng: random.Random, province: str, male: bool) -> str:
    pool = _BIRTH_REGIONS.get(province, _BIRTH_REGIONS["41"])
    if rng.random() > 0.85:
        pool = _BIRTH_REGIONS["other"]
    birth = datetime.date(rng.randint(1956, 2004), 1, 1) + datetime.timedelta(
        days=rng.randrange(365)
    )
    seq = rng.randrange(500) * 2 + (1 if male else 0)
    stem = f"{rng.choice(pool)}{birth:%Y%m%d}{seq:03d}"
    return stem + ric.calc_check_digit(stem + "?")


def enterprise_uscc(rng: random.Random, kind: str, region: str) -> str:
    """统一社会信用代码 of a company (kind "91") or an individual business ("92")."""
    body = "MA" + "".join(rng.choice(_ALNUM) for _ in range(6))
    stem = f"{kind}{region}{_org_code(body)}"
    return stem + uscc_mod.calc_check_digit(stem)


# --------------------------------------------------------------------------- agencies


@dataclass(frozen=True)
class _OfficerRow:
    id: int
    name: str
    unit_id: int | None
    post: str
    certificate: str
    issued_on: datetime.date


@dataclass(frozen=True)
class _Discretion:
    """The statutory range of a matter's discretion standard (catalog.DiscretionStandard)."""

    fine_min: Decimal | None
    fine_max: Decimal | None
    multiple_min: Decimal | None
    multiple_max: Decimal | None
    threshold: Decimal | None

    def fine(self, rng: random.Random) -> tuple[Decimal, Decimal | None]:
        """A fine inside the range, and the base (违法所得、货值金额 …) it needs, if any."""
        fixed = self.fine_min is not None or self.fine_max is not None
        if fixed:
            lo = self.fine_min or Decimal(0)
            hi = self.fine_max or lo * 2
            base = self.threshold / 2 if self.threshold is not None else None
            if self.multiple_min is not None and base is None:
                base = Decimal(rng.randint(1, 9) * 1000)
            steps = max(int((hi - lo) // 1000), 0)
            return lo + 1000 * rng.randint(0, steps), base
        base = Decimal(rng.randint(10, 200) * 10000)
        mid = ((self.multiple_min or Decimal(0)) + (self.multiple_max or Decimal(0))) / 2
        return (base * mid).quantize(Decimal(1)), base

    def allows(self, fine: Decimal) -> bool:
        if self.fine_min is None and self.fine_max is None:
            return False  # multiples of a base: not an on-the-spot fine
        return (self.fine_min or Decimal(0)) <= fine


@dataclass(frozen=True)
class _Matter:
    id: int
    category: str
    name: str
    violation: str
    basis: str
    unit_id: int | None
    valid_from: datetime.date
    discretion: _Discretion | None = None


@dataclass
class _AgencyContext:
    agency: Agency
    officers: list[_OfficerRow]  # by issued_on
    handling_units: list[tuple[int, str]]
    unit_names: dict[int, str]
    matters: dict[str, list[_Matter]]  # procedure code → matters
    av_levels: dict[str, dict[str, str]]  # procedure code → stage → level
    review_required: dict[str, bool]  # procedure code → legal review gate
    users: dict[int, int]  # officer id → user id
    sequences: dict[int, int]  # year → last number
    lower: datetime.date  # earliest day two certified officers were in post
    head_name: str
    preferred: int | None = None

    @property
    def short(self) -> str:
        return self.agency.name[:2]


def _procedures_for(category: str) -> list[str]:
    return [p.code for p in all_procedures() if p.action_type == category]


def _eligible(today: datetime.date, agency_ids: Sequence[int] | None) -> list[tuple[int, int]]:
    """(agency id, certified officers) of the agencies that can hold cases, by id."""
    certs = Certificate.objects.filter(
        status=Certificate.Status.ACTIVE,
        issued_on__lte=today,
        expires_on__gte=today,
        officer__left_on__isnull=True,
        officer__agency__abolished_on__isnull=True,
    )
    if agency_ids is not None:
        certs = certs.filter(officer__agency_id__in=agency_ids)
    counts = dict(
        certs.values("officer__agency_id")
        .annotate(n=Count("officer_id", distinct=True))
        .filter(n__gte=2)
        .values_list("officer__agency_id", "n")
    )
    categories = {p.action_type for p in all_procedures()}
    with_matters = set(
        PowerItem.objects.filter(
            status=ItemStatus.PUBLISHED, valid_from__lte=today, category__in=categories
        )
        .values_list("agency_id", flat=True)
        .distinct()
    )
    with_units = set(
        Unit.objects.filter(kind=Unit.Kind.HANDLING, is_active=True)
        .values_list("agency_id", flat=True)
        .distinct()
    )
    return sorted(
        (aid, n) for aid, n in counts.items() if aid in with_matters and aid in with_units
    )


def _load_contexts(
    agency_ids: Sequence[int],
    today: datetime.date,
    preferred: Mapping[int, int],
) -> dict[int, _AgencyContext]:
    agencies = {
        a.pk: a
        for a in Agency.objects.filter(pk__in=agency_ids).select_related(
            "jurisdiction__parent__parent"
        )
    }
    officers: dict[int, list[_OfficerRow]] = defaultdict(list)
    seen: set[int] = set()
    for oid, aid, name, unit_id, post, number, issued in (
        Certificate.objects.filter(
            officer__agency_id__in=agency_ids,
            status=Certificate.Status.ACTIVE,
            issued_on__lte=today,
            expires_on__gte=today,
            officer__left_on__isnull=True,
        )
        .order_by("officer__agency_id", "issued_on", "officer_id", "number")
        .values_list(
            "officer_id",
            "officer__agency_id",
            "officer__name",
            "officer__unit_id",
            "officer__post",
            "number",
            "issued_on",
        )
    ):
        if oid not in seen:
            seen.add(oid)
            officers[aid].append(_OfficerRow(oid, name, unit_id, post, number, issued))
    units: dict[int, list[tuple[int, str]]] = defaultdict(list)
    unit_names: dict[int, dict[int, str]] = defaultdict(dict)
    for uid, aid, name, kind in (
        Unit.objects.filter(agency_id__in=agency_ids, is_active=True)
        .order_by("agency_id", "name", "pk")
        .values_list("pk", "agency_id", "name", "kind")
    ):
        unit_names[aid][uid] = name
        if kind == Unit.Kind.HANDLING:
            units[aid].append((uid, name))
    standards: dict[int, _Discretion] = {}
    for pid, *bounds in (
        DiscretionStandard.objects.filter(
            agency_id__in=agency_ids, status=ItemStatus.PUBLISHED, valid_from__lte=today
        )
        .order_by("power_item_id", "pk")
        .values_list(
            "power_item_id",
            "statutory_fine_min",
            "statutory_fine_max",
            "statutory_multiple_min",
            "statutory_multiple_max",
            "base_threshold",
        )
    ):
        standards.setdefault(pid, _Discretion(*bounds))
    matters: dict[int, dict[str, list[_Matter]]] = defaultdict(lambda: defaultdict(list))
    for row in (
        PowerItem.objects.filter(
            agency_id__in=agency_ids, status=ItemStatus.PUBLISHED, valid_from__lte=today
        )
        .order_by("agency_id", "code", "pk")
        .values_list(
            "pk", "agency_id", "category", "name", "violation", "basis", "unit_id", "valid_from"
        )
    ):
        pk, aid, category, name, violation, basis, unit_id, valid_from = row
        matter = _Matter(
            pk, category, name, violation, basis, unit_id, valid_from, standards.get(pk)
        )
        for code in _procedures_for(matter.category):
            if (
                code == "penalty_simple"
                and matter.discretion is not None
                and not matter.discretion.allows(Decimal(3000))
            ):
                continue  # its fines start above what may be imposed on the spot
            matters[aid][code].append(matter)
    raw_av: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    strength = {"none": 0, "av": 1, "full_process": 2}
    for aid, action_type, stage, requirement in (
        AVMatter.objects.filter(agency_id__in=agency_ids, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .values_list("agency_id", "action_type", "stage", "requirement")
    ):
        levels = raw_av[aid][action_type]
        if strength.get(requirement, 0) > strength.get(levels.get(stage, "none"), 0):
            levels[stage] = requirement
    users: dict[int, dict[int, int]] = defaultdict(dict)
    for uid, oid, aid in User.objects.filter(
        officer__agency_id__in=agency_ids, is_active=True
    ).values_list("pk", "officer_id", "officer__agency_id"):
        users[aid][oid] = uid
    sequences: dict[int, dict[int, int]] = defaultdict(dict)
    for aid, year, last in (
        CaseNumberSequence.objects.select_for_update()
        .filter(agency_id__in=agency_ids)
        .values_list("agency_id", "year", "last")
    ):
        sequences[aid][year] = last

    contexts: dict[int, _AgencyContext] = {}
    window_start = today - datetime.timedelta(days=WINDOW_DAYS)
    for aid in agency_ids:
        agency = agencies[aid]
        rows = officers.get(aid, [])
        if len(rows) < 2 or not units.get(aid) or not matters.get(aid):
            continue
        av_levels: dict[str, dict[str, str]] = {}
        review: dict[str, bool] = {}
        for code in matters[aid]:
            procedure = get_procedure(code)
            levels = raw_av[aid].get(procedure.action_type, {})
            av_levels[code] = {
                s.code: engine.av_requirement(procedure, s.code, levels) for s in procedure.stages
            }
            # The rule profile's gate; the review app adds catalogue rules and flags, which
            # the seed does not create.
            review[code] = profile_review_status(Case(procedure=code, agency=agency)).required
        head_rng = random.Random(f"agency-head/{agency.uscc}")
        contexts[aid] = _AgencyContext(
            agency=agency,
            officers=rows,
            handling_units=units[aid],
            unit_names=unit_names[aid],
            matters=dict(matters[aid]),
            av_levels=av_levels,
            review_required=review,
            users=users.get(aid, {}),
            sequences=sequences.get(aid, {}),
            lower=max(window_start, rows[1].issued_on),
            head_name=_NAMES.name(head_rng, male=head_rng.random() < 0.8),
            preferred=preferred.get(aid),
        )
    return contexts


# --------------------------------------------------------------------------- one case


class Row(SimpleNamespace):
    """A row to insert: the model's columns by attribute name (``agency_id`` …). Cheaper
    than a model instance by two orders of magnitude, which matters at 10^7 rows."""


@functools.cache
def _defaults(model: type[Model]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            values[f.attname] = None
        elif f.has_default():
            values[f.attname] = f.get_default()
        elif f.null:
            values[f.attname] = None
        else:
            values[f.attname] = ""
    return values


def _new(model: type[Model], **values: Any) -> Row:
    row = Row(**_defaults(model))
    row.__dict__.update(values)
    return row


@dataclass
class _RecordRow:
    record: Row
    signatures: list[Row]  # the required ones first, then any others
    required: int  # how many of them the kind requires in its stage
    served: _RecordRow | None = None


@dataclass
class _Bundle:
    case: Row
    source: Row
    parties: list[Row]
    officers: list[Row]
    transitions: list[Row]
    records: list[_RecordRow]
    evidence: list[Row]
    av: list[Row]


@dataclass
class _Ctx:
    """Shared by the cases of one run."""

    seed: int
    today: datetime.date
    now: datetime.datetime
    tz: datetime.tzinfo
    import_user: int


def _weighted(rng: random.Random, items: Sequence[tuple[str, float]]) -> str:
    total = sum(w for _, w in items)
    pick = rng.random() * total
    for value, weight in items:
        pick -= weight
        if pick < 0:
            return value
    return items[-1][0]


def _department(agency_name: str) -> str:
    if "市场监" in agency_name:
        return "market"
    if "城市管理" in agency_name or "综合行政执法局" in agency_name:
        return "urban"
    if "生态环境" in agency_name:
        return "ecology"
    return "other"


class _CaseMaker:
    def __init__(self, run: _Ctx, ctx: _AgencyContext) -> None:
        self.run = run
        self.ctx = ctx
        self.rng = random.Random(f"{run.seed}/cases/{ctx.agency.uscc}")
        self.reg = registry()
        code = ctx.agency.jurisdiction.code
        spec = _BY_CODE.get(code)
        city = _BY_CODE.get(spec.parent or "") if spec is not None else None
        self.place_prefix = spec.prefix if spec is not None else ctx.agency.jurisdiction.name
        self.roads: tuple[str, ...] = (
            (spec.roads if spec is not None else ())
            or (city.roads if city is not None else ())
            or ("人民路", "建设路", "文化路")
        )
        self.region = code
        self.province = code[:2]
        self.short_place = spec.short if spec is not None else ""
        self.industries = _INDUSTRIES[_department(ctx.agency.name)]

    # -- timing

    def dates(self, n: int) -> list[tuple[datetime.date, bool]]:
        """(opened_on, closed) of the agency's cases, in opening order."""
        rng, today, lower = self.rng, self.run.today, self.ctx.lower
        span = max((today - lower).days, 0)
        out = []
        for _ in range(n):
            closed = rng.random() < CLOSED_SHARE
            if closed:
                days = rng.randint(min(20, span), span) if span else 0
            else:
                days = rng.randint(0, min(span, 150))
            out.append((today - datetime.timedelta(days=days), closed))
        out.sort(key=lambda pair: pair[0])
        return out

    def _at(self, day: datetime.date, hour: int, minute: int) -> datetime.datetime:
        moment = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.run.tz)
        return self._clamp(moment)

    def _clamp(self, moment: datetime.datetime) -> datetime.datetime:
        """Nothing is recorded later than now (the run's start)."""
        return min(moment, self.run.now)

    # -- people

    def party(self, action_type: str) -> tuple[Row, str, str]:
        """The party, its description for the records, and who signs for it."""
        rng = self.rng
        weights = _PARTY_KINDS.get(action_type, (0.8, 0.15, 0.05))
        pick = rng.random()
        address = f"{self.place_prefix}{rng.choice(self.roads)}{rng.randint(1, 399)}号"
        phone = _mobile(rng)
        if pick < weights[0]:
            male = rng.random() < 0.6
            name = _NAMES.name(rng, male)
            number = id_number(rng, self.province, male)
            party = _new(
                Party,
                kind=Party.Kind.NATURAL_PERSON,
                name=name,
                id_number=number,
                address=address,
                phone=phone,
            )
            info = f"{name}，{'男' if male else '女'}，身份证号码{number}，住址{address}，联系电话{phone}"
            return party, info, name
        representative = _NAMES.name(rng)
        rep_number = id_number(rng, self.province, rng.random() < 0.6)
        if pick < weights[0] + weights[1]:
            name = (
                f"{self.place_prefix}{rng.choice(_BRANDS)}{rng.choice(self.industries)}"
                f"{rng.choice(('有限公司', '有限责任公司', '股份有限公司'))}"
            )
            kind, code = Party.Kind.LEGAL_PERSON, enterprise_uscc(rng, "91", self.region)
            role = "法定代表人"
        else:
            name = f"{self.short_place}{_NAMES.surname(rng)}记{rng.choice(_SHOPS)}"
            kind, code = Party.Kind.OTHER, enterprise_uscc(rng, "92", self.region)
            role = "经营者"
        party = _new(
            Party,
            kind=kind,
            name=name,
            uscc=code,
            representative=representative,
            representative_id_number=rep_number,
            address=address,
            phone=phone,
        )
        info = f"{name}，统一社会信用代码{code}，{role}{representative}，住所{address}，联系电话{phone}"
        return party, info, representative

    # -- the case

    def make(self, opened_on: datetime.date, closed: bool) -> _Bundle:
        rng, ctx, run = self.rng, self.ctx, self.run
        procedures = [
            (code, PROCEDURE_WEIGHTS.get(code, 1.0))
            for code, items in ctx.matters.items()
            if any(m.valid_from <= opened_on for m in items)
        ]
        if not procedures:  # every matter took effect later: open the case on that day
            opened_on = min(m.valid_from for items in ctx.matters.values() for m in items)
            procedures = [(code, PROCEDURE_WEIGHTS.get(code, 1.0)) for code in ctx.matters]
        code = _weighted(rng, procedures)
        procedure = get_procedure(code)
        matter = rng.choice([m for m in ctx.matters[code] if m.valid_from <= opened_on])
        route_list = routes()[code]
        route = route_list[
            int(_weighted(rng, [(str(i), r.weight) for i, r in enumerate(route_list)]))
        ]
        steps = list(route.steps)
        review_cut = ctx.review_required.get(code, False)
        if review_cut and any(s.stage.code == "decision" for s in steps):
            # No decision without a passed legal review: the case waits in the decision stage.
            cut = next(i for i, s in enumerate(steps) if s.stage.code == "decision")
            steps = steps[: cut + 1]
            closed = False
        current = len(steps) - 1 if closed else rng.randrange(len(steps))
        steps = steps[: current + 1]

        # Officers with a certificate valid from the opening day on.
        eligible = [o for o in ctx.officers if o.issued_on <= opened_on]
        if len(eligible) < 2:
            eligible = ctx.officers[:2]
            opened_on = max(opened_on, eligible[1].issued_on)
        first = next((o for o in eligible if o.id == ctx.preferred), None)
        if first is None or rng.random() < 0.5:
            first = rng.choice(eligible)
        second = rng.choice([o for o in eligible if o.id != first.id])
        unit_id = matter.unit_id if matter.unit_id in ctx.unit_names else None
        if unit_id is None:
            handling = {u for u, _ in ctx.handling_units}
            unit_id = first.unit_id if first.unit_id in handling else ctx.handling_units[0][0]
        head = next(
            (
                o
                for o in ctx.officers
                if o.unit_id == unit_id and o.post in _HEAD_POSTS and o.id != first.id
            ),
            second,
        )
        user_of = ctx.users
        maker = user_of.get(first.id, run.import_user)

        # Timeline: days spent in each stage, squeezed into the days left before today.
        durations = [
            rng.randint(0, 5) + (3 if s.stage.code in _EVIDENCE_STAGES else 0) for s in steps
        ]
        closing = rng.randint(0, 2) if closed else 0
        available = (run.today - opened_on).days
        total = sum(durations) + closing
        if total > available:
            durations = [d * available // total for d in durations]
            closing = 0

        party, party_info, party_signer = self.party(procedure.action_type)
        source_kind = (
            _weighted(rng, _SOURCE_KINDS[procedure.action_type])
            if procedure.action_type in _SOURCE_KINDS
            else "application"
        )
        provider = ""
        provider_contact = ""
        if source_kind == "complaint":
            provider, provider_contact = _NAMES.name(rng), _mobile(rng)
        elif source_kind == "transfer":
            provider = f"{self.place_prefix}公安局"
        elif source_kind == "assignment":
            provider = f"{self.place_prefix}人民政府"
        amount: Decimal | None = None
        base: Decimal | None = None
        if procedure.code == "penalty_simple":
            choices = (
                (50, 100, 200)
                if party.kind == Party.Kind.NATURAL_PERSON
                else (500, 1000, 2000, 3000)
            )
            allowed = [
                c
                for c in choices
                if matter.discretion is None or matter.discretion.allows(Decimal(c))
            ]
            amount = Decimal(rng.choice(allowed or choices))
        elif procedure.action_type == "penalty":
            if matter.discretion is not None:
                amount, base = matter.discretion.fine(rng)
            else:
                amount = Decimal(rng.randint(5, 100) * 1000)
        elif procedure.action_type in ("payment", "reward"):
            amount = Decimal(rng.randint(1, 50) * 500)
        text = CaseText(
            rng=rng,
            agency=ctx.agency.name,
            unit=ctx.unit_names.get(unit_id, ""),
            action_type=procedure.action_type,
            matter=matter.name,
            violation=matter.violation,
            basis=matter.basis,
            party=party.name,
            party_info=party_info,
            party_signer=party_signer,
            address=party.address,
            source_kind=source_kind,
            provider=provider,
            officer1=first.name,
            cert1=first.certificate,
            officer2=second.name,
            cert2=second.certificate,
            unit_head=head.name,
            agency_head=ctx.head_name,
            opened_on=opened_on,
            amount=f"{amount:,.0f}元" if amount is not None else "",
            witness=_NAMES.name(rng),
        )
        if procedure.action_type == "penalty":
            title = f"{party.name}{matter.violation or matter.name}案"
        elif procedure.action_type == "inspection":
            title = f"{matter.name}（{party.name}）"
        elif source_kind == "application":
            title = f"{party.name}申请{matter.name}"
        else:
            title = f"{party.name}{matter.name}"

        year = opened_on.year
        number = ctx.sequences.get(year, 0) + 1
        ctx.sequences[year] = number
        case = _new(
            Case,
            agency_id=ctx.agency.pk,
            unit_id=unit_id,
            action_type=procedure.action_type,
            procedure=procedure.code,
            matter_id=matter.id,
            number=f"{ctx.short}立〔{year}〕{number}号",
            title=title[:255],
            stage=steps[-1].stage.code,
            version=len(steps) - 1 + (1 if closed else 0),
            opened_on=opened_on,
            status=Case.Status.CLOSED if closed else Case.Status.OPEN,
            created_by_id=maker,
        )
        received = opened_on - datetime.timedelta(days=min(rng.randint(0, 3), 3))
        notify = source_kind in ("complaint", "transfer", "assignment") and any(
            "source_notification" in procedure.stage(f).allowed_kinds for f in procedure.finals
        )
        source = _new(
            CaseSource,
            kind=source_kind,
            received_on=received,
            provider_name=provider,
            provider_contact=provider_contact,
            summary=f"反映{party.name}涉嫌{text.subject}"
            if source_kind != "application"
            else f"{party.name}申请{matter.name}",
            notify_required=notify,
        )
        bundle = _Bundle(case, source, [party], [], [], [], [], [])

        # Walk the route.
        day = opened_on
        decision_row: _RecordRow | None = None
        initial = steps[0].stage.code
        for index, (step, duration) in enumerate(zip(steps, durations, strict=True)):
            stage = step.stage
            last = index == len(steps) - 1
            complete = not last or closed or rng.random() < 0.35
            leave = step.leave if not last else None
            needs_officers = stage.code == initial or any(
                _OFFICER_GUARDS & set(t.guards) for t in procedure.transitions_from(stage.code)
            )
            if needs_officers:
                for role, officer in (("主办", first), ("协办", second)):
                    bundle.officers.append(
                        _new(
                            CaseOfficer,
                            officer_id=officer.id,
                            stage=stage.code,
                            role=role,
                            certificate_number=officer.certificate,
                        )
                    )
            open_end = last and not closed
            kinds = self.stage_kinds(procedure, stage, leave, open_end, notify)
            following = route.steps[index + 1].stage.code if index + 1 < len(route.steps) else ""
            level = ctx.av_levels.get(code, {}).get(stage.code, "none")
            days = sorted(day + datetime.timedelta(days=rng.randint(0, duration)) for _ in kinds)
            rows: list[_RecordRow] = []
            for kind, made_on in zip(kinds, days, strict=True):
                row = self.record(
                    procedure,
                    stage,
                    kind,
                    made_on,
                    text,
                    party_signer,
                    first,
                    second,
                    head,
                    maker,
                    served_via_receipt=following == "service",
                    decision=decision_row,
                    inspection_violations=leave is not None and leave.code == "hand_over",
                    review_pending=review_cut,
                    amount=amount,
                    base=base,
                )
                rows.append(row)
                kind_def = self.reg.kinds[kind]
                if kind_def.decision and kind_def.served:
                    decision_row = row
            if open_end and (not complete or stage.code in procedure.finals):
                # Work in progress: some records are not made yet, or the last one still
                # waits for its last required signature (an open final stage always lacks
                # something, or the case would be closed).
                rows = rows[: rng.randrange(len(rows) + 1)]
                if rows and rows[-1].required > 1:
                    rows[-1].signatures.pop(rows[-1].required - 1)
                elif rows and stage.code in procedure.finals:
                    rows.pop()
            bundle.records.extend(rows)
            if level != "none" or (stage.code in _EVIDENCE_STAGES and rng.random() < 0.3):
                start = self._at(day, 9 + rng.randrange(6), rng.randrange(60))
                ended = self._clamp(start + datetime.timedelta(minutes=rng.randint(15, 90)))
                returned = self._clamp(ended + datetime.timedelta(minutes=rng.randint(20, 90)))
                bundle.av.append(
                    _new(
                        AVRecording,
                        stage=stage.code,
                        device=rng.choice(_DEVICES),
                        officer_id=first.id,
                        started_at=start,
                        ended_at=ended,
                        place=party.address,
                        spoken_statement=True,
                        full_process=level == "full_process" or rng.random() < 0.5,
                        returned_at=returned,
                        stored_at=self._clamp(
                            returned + datetime.timedelta(minutes=rng.randint(10, 600))
                        ),
                        created_by_id=maker,
                    )
                )
            if stage.code in _EVIDENCE_STAGES or (
                procedure.code == "penalty_simple" and stage.code == "decision"
            ):
                for ev_kind, description in rng.sample(_EVIDENCE_KINDS, rng.randint(1, 2)):
                    bundle.evidence.append(
                        _new(
                            Evidence,
                            kind=ev_kind,
                            stage=stage.code,
                            description=f"{party.name}：{description}",
                            collector_id=first.id,
                            collected_at=self._at(day, 10 + rng.randrange(6), rng.randrange(60)),
                            place=party.address,
                            created_by_id=maker,
                        )
                    )
            day = day + datetime.timedelta(days=duration)
            if leave is not None:
                fired_by = (
                    maker if "officer" in leave.roles else user_of.get(head.id, run.import_user)
                )
                bundle.transitions.append(
                    _new(
                        StageTransition,
                        transition=leave.code,
                        from_stage=leave.from_stage,
                        to_stage=leave.to_stage,
                        fired_by_id=fired_by,
                        fired_on=day,
                        version=index + 1,
                    )
                )
        if closed:
            case.closed_on = day + datetime.timedelta(days=closing)
        told = [r.record for r in bundle.records if r.record.kind == "source_notification"]
        if told:
            source.notified_on = told[-1].made_on
            source.notification_summary = told[-1].data.get("content", "")
        return bundle

    def stage_kinds(
        self,
        procedure: Procedure,
        stage: StageDef,
        leave: TransitionDef | None,
        open_end: bool,
        notify: bool,
    ) -> list[str]:
        rng = self.rng
        kinds: list[str] = []
        for req in stage.required:
            if len(req.kinds) == 1:
                kinds.extend([req.kinds[0]] * req.min_count)
                continue
            if "rejection_notice" in req.kinds and "acceptance_notice" in req.kinds:
                rejected = (leave is not None and "application_rejected" in leave.guards) or (
                    leave is None and open_end and rng.random() < 0.1
                )
                chosen = "rejection_notice" if rejected else "acceptance_notice"
                kinds.extend([chosen] * req.min_count)
                continue
            weights = [
                (k, 6.0 if i == 0 else 2.0 if i == 1 else 1.0) for i, k in enumerate(req.kinds)
            ]
            picked = [_weighted(rng, weights) for _ in range(req.min_count)]
            if req.kinds[0] in ("inquiry_record",) and rng.random() < 0.4:
                extra = _weighted(rng, [(k, w) for k, w in weights if k not in picked])
                picked.append(extra)
            kinds.extend(picked)
        if (
            not open_end
            and notify
            and stage.code in procedure.finals
            and "source_notification" in stage.optional_records
        ):
            # The source is told the outcome before the case closes (002 第三十条).
            kinds.append("source_notification")
        return kinds

    def record(
        self,
        procedure: Procedure,
        stage: StageDef,
        kind: str,
        made_on: datetime.date,
        text: CaseText,
        party_signer: str,
        first: _OfficerRow,
        second: _OfficerRow,
        head: _OfficerRow,
        maker: int,
        *,
        served_via_receipt: bool,
        decision: _RecordRow | None,
        inspection_violations: bool,
        review_pending: bool,
        amount: Decimal | None,
        base: Decimal | None,
    ) -> _RecordRow:
        rng, _run = self.rng, self.run
        kind_def = self.reg.kinds[kind]
        record = _new(
            Record,
            kind=kind,
            stage=stage.code,
            made_on=made_on,
            made_by_id=maker,
            data=record_data(kind, text, made_on),
        )
        served: _RecordRow | None = None
        method = ""
        if kind == "service_receipt":
            method = _weighted(rng, (("direct", 7), ("mail", 2), ("left_at_residence", 1)))
            record.served_on = made_on
            record.service_method = method
            record.data["method"] = SERVICE_WORDS[method]
            if decision is not None:
                served = decision
                record.data["document"] = self.reg.kind_name(decision.record.kind)
        elif "served_on" in kind_def.data and not (kind_def.decision and served_via_receipt):
            record.served_on = made_on
            record.service_method = "direct"
        if "amount" in kind_def.data:
            record.amount = amount
            if base is not None and amount is not None:
                record.data["base_amount"] = str(base)  # what the standard's multiple is of
        if "violations_found" in kind_def.data:
            record.violations_found = inspection_violations or rng.random() < 0.2
            if not record.violations_found:
                record.data["violations"] = "未发现违法行为"
                record.data["handling"] = "无需处理"
        if "statement_waived" in kind_def.data:
            record.statement_waived = True

        signatures: list[Row] = []
        hour = 9 + rng.randrange(8)
        signed_at = self._at(made_on, hour, rng.randrange(60))
        people = {
            "officer": (first.name, first.id),
            "unit_head": (head.name, head.id),
            "agency_head": (self.ctx.head_name, None),
            "party": (party_signer, None),
            "witness": (text.witness, None),
            "reviewer": (head.name, None),
            "hearing_host": (head.name, head.id),
            "recorder": (second.name, second.id),
        }
        for spec in signature_specs(procedure, self.reg, stage.code, kind):
            roles = spec.roles
            role = roles[0] if len(roles) == 1 or rng.random() < 0.8 else roles[1]
            if role == "agency_head" and kind_def.decision and review_pending:
                continue  # the head signs only after a passed legal review
            refused = role in ("party", "witness") and rng.random() < 0.04
            name, officer_id = people.get(role, (first.name, first.id))
            signatures.append(
                _new(
                    Signature,
                    role=role,
                    signer_name=name,
                    officer_id=officer_id,
                    signed_at=signed_at,
                    refused=refused,
                    refusal_note=_REFUSAL if refused else "",
                    entered_by_id=maker,
                )
            )
        required = len(signatures)
        if kind == "service_receipt":
            if method == "direct":
                signatures.append(
                    _new(
                        Signature,
                        role="party",
                        signer_name=party_signer,
                        signed_at=signed_at,
                        entered_by_id=maker,
                    )
                )
            elif method == "left_at_residence":
                signatures.append(
                    _new(
                        Signature,
                        role="witness",
                        signer_name=text.witness,
                        signed_at=signed_at,
                        entered_by_id=maker,
                    )
                )
        if kind in ("inquiry_record", "site_inspection_record") and rng.random() < 0.5:
            signatures.append(
                _new(
                    Signature,
                    role="officer",
                    signer_name=second.name,
                    officer_id=second.id,
                    signed_at=signed_at,
                    entered_by_id=maker,
                )
            )
        return _RecordRow(record, signatures, required, served)


# --------------------------------------------------------------------------- writing


class _Writer:
    """Writes the bundles: COPY on PostgreSQL (ids of cases and records reserved from their
    sequences first), ``bulk_create`` elsewhere (SQLite: the demo and the tests)."""

    def __init__(self, result: CaseSeedResult, now: datetime.datetime) -> None:
        self.result = result
        self.now = now
        self.pending: list[_Bundle] = []
        self.copy = connection.vendor == "postgresql"

    def add(self, bundle: _Bundle) -> None:
        self.pending.append(bundle)
        if len(self.pending) >= FLUSH_CASES:
            self.flush()

    def _ids(self, model: type[Model], rows: Sequence[Row]) -> None:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                row.id = pk

    def _write(self, model: type[Model], rows: Sequence[Row], *, ids: bool = False) -> None:
        if not rows:
            return
        if not self.copy:
            objs = [model(**vars(row)) for row in rows]
            model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
            if ids:
                if any(o.pk is None for o in objs):  # pragma: no cover - SQLite ≥ 3.35 returns ids
                    raise RuntimeError("数据库未返回批量插入的主键，无法写入关联记录。")
                for row, obj in zip(rows, objs, strict=True):
                    row.id = obj.pk
            return
        if ids:
            self._ids(model, rows)
        fields = [f for f in model._meta.concrete_fields if ids or not f.primary_key]
        columns = ", ".join(f'"{f.column}"' for f in fields)
        stamped = [
            f.attname
            for f in fields
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
        ]
        json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
        names = [f.attname for f in fields]
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    values = vars(row)
                    for name in stamped:
                        values[name] = self.now
                    copy.write_row(
                        [
                            json.dumps(values[n], ensure_ascii=False)
                            if n in json_fields
                            else values[n]
                            for n in names
                        ]
                    )

    def flush(self) -> None:
        bundles, self.pending = self.pending, []
        if not bundles:
            return
        rows = self.result.rows
        cases = [b.case for b in bundles]
        self._write(Case, cases, ids=True)
        sources: list[Row] = []
        parties: list[Row] = []
        officers: list[Row] = []
        transitions: list[Row] = []
        evidence: list[Row] = []
        av: list[Row] = []
        first: list[Row] = []
        second: list[_RecordRow] = []
        for b in bundles:
            cid = b.case.id
            b.source.case_id = cid
            sources.append(b.source)
            for group, out in (
                (b.parties, parties),
                (b.officers, officers),
                (b.transitions, transitions),
                (b.evidence, evidence),
                (b.av, av),
            ):
                for obj in group:
                    obj.case_id = cid
                    out.append(obj)
            for record_row in b.records:
                record_row.record.case_id = cid
                if record_row.served is None:
                    first.append(record_row.record)
                else:
                    second.append(record_row)
            self.result.by_procedure[b.case.procedure] += 1
            if b.case.status == Case.Status.CLOSED:
                self.result.closed += 1
        self._write(CaseSource, sources)
        self._write(Party, parties)
        self._write(CaseOfficer, officers)
        self._write(StageTransition, transitions)
        self._write(Evidence, evidence)
        self._write(AVRecording, av)
        self._write(Record, first, ids=True)
        for record_row in second:
            assert record_row.served is not None
            record_row.record.served_document_id = record_row.served.record.id
        self._write(Record, [r.record for r in second], ids=True)
        signatures = []
        for b in bundles:
            for record_row in b.records:
                for sig in record_row.signatures:
                    sig.record_id = record_row.record.id
                    signatures.append(sig)
        self._write(Signature, signatures)
        rows["case"] += len(cases)
        rows["source"] += len(sources)
        rows["party"] += len(parties)
        rows["officer"] += len(officers)
        rows["transition"] += len(transitions)
        rows["evidence"] += len(evidence)
        rows["av"] += len(av)
        rows["record"] += len(first) + len(second)
        rows["signature"] += len(signatures)
        self.result.cases_created += len(cases)


def _import_user() -> int:
    """The account the bulk rows are entered by when no officer's account is linked."""
    user, _created = User.objects.get_or_create(
        username=IMPORT_USERNAME,
        defaults={
            "full_name": IMPORT_FULL_NAME,
            "is_active": False,
            "password": make_password(None),
        },
    )
    return user.pk


def _advance_sequences(
    contexts: Mapping[int, _AgencyContext], before: Mapping[int, dict[int, int]]
) -> None:
    """Bring each agency's CaseNumberSequence up to the last number given out."""
    new: list[CaseNumberSequence] = []
    for aid, ctx in contexts.items():
        for year, last in ctx.sequences.items():
            old = before.get(aid, {}).get(year)
            if old is None:
                new.append(CaseNumberSequence(agency_id=aid, year=year, last=last))
            elif last != old:
                CaseNumberSequence.objects.filter(agency_id=aid, year=year).update(last=last)
    CaseNumberSequence.objects.bulk_create(new, batch_size=BATCH_SIZE)


def already_loaded(seed: int, scope: str) -> bool:
    """Whether a load with this seed and scope is on the ledger."""
    for entry in LedgerEntry.objects.filter(action=LEDGER_ACTION).iterator():
        data = ledger.entry_data(entry)
        if data.get("seed") == seed and data.get("scope") == scope:
            return True
    return False


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_cases(
    *,
    seed: int,
    cases: int,
    scope: str = "seed",
    agency_ids: Sequence[int] | None = None,
    focus: tuple[int, int] | None = None,
    preferred_officers: Mapping[int, int] | None = None,
    stdout: Writer | None = None,
    today: datetime.date | None = None,
) -> CaseSeedResult:
    """Seed ``cases`` cases over the eligible agencies (or those of ``agency_ids``);
    ``focus=(agency id, n)`` puts n of them in one agency; ``preferred_officers`` maps an
    agency to an officer who handles about half of its cases (the demo account)."""
    if seed < 0:
        raise ValueError("种子（seed）不能为负数。")
    if cases < 0:
        raise ValueError("案件数量不能为负数。")
    started = time.perf_counter()
    result = CaseSeedResult(seed=seed, scope=scope, requested=cases)
    today = today or timezone.localdate()
    with transaction.atomic():
        if cases == 0:
            return result
        if already_loaded(seed, scope):
            result.skipped = True
            if stdout is not None:
                for line in result.summary():
                    stdout.write(line + "\n")
            return result
        eligible = _eligible(today, agency_ids)
        counts: dict[int, int] = {}
        rest = cases
        if focus is not None and any(aid == focus[0] for aid, _ in eligible):
            counts[focus[0]] = min(focus[1], cases)
            rest -= counts[focus[0]]
            eligible = [(aid, n) for aid, n in eligible if aid != focus[0]]
        if eligible and rest > 0:
            rng = random.Random(f"{seed}/cases/allocation")
            weights = [n * rng.uniform(0.5, 1.5) for _, n in eligible]
            for (aid, _), n in zip(eligible, _allocate(rest, weights), strict=True):
                if n:
                    counts[aid] = n
        order = sorted(counts)
        run = _Ctx(
            seed=seed,
            today=today,
            now=timezone.now(),
            tz=timezone.get_current_timezone(),
            import_user=_import_user(),
        )
        writer = _Writer(result, run.now)
        preferred = preferred_officers or {}
        for chunk in _chunks(order, AGENCY_CHUNK):
            contexts = _load_contexts(chunk, today, preferred)
            before = {aid: dict(ctx.sequences) for aid, ctx in contexts.items()}
            for aid in chunk:
                ctx = contexts.get(aid)
                if ctx is None:
                    continue
                result.agencies += 1
                maker = _CaseMaker(run, ctx)
                for opened_on, closed in maker.dates(counts[aid]):
                    writer.add(maker.make(opened_on, closed))
            writer.flush()
            _advance_sequences(contexts, before)
        result.elapsed = time.perf_counter() - started
        ledger.record(
            LEDGER_ACTION,
            actor=None,
            label="合成执法案件导入（命令行）",
            seed=seed,
            scope=scope,
            cases=result.cases_created,
            closed=result.closed,
            agencies=result.agencies,
            rows_created=result.rows_created,
            on=today.isoformat(),
            note="批量导入的合成数据，逐行不另记台账",
        )
    result.elapsed = time.perf_counter() - started
    if stdout is not None:
        for line in result.summary():
            stdout.write(line + "\n")
    return result


__all__ = ["CaseSeedResult", "already_loaded", "cn", "routes", "seed_cases"]
