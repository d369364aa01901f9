"""The local demo: sample data from the same seed code as `sanxiang seed`, plus one account
per role, ready to sign in.

    result = run_demo(stdout=sys.stdout)

The data is ``seed(seed=DEMO_SEED, agencies=40, officers=400)`` (the `demo` command adds the
published lists and, once the accounts exist, 200 sample cases); the accounts sit in
郑州市市场监督管理局 (the supervisor in 郑州市司法局, which oversees all of Zhengzhou).
That agency gets as many legal reviewers as the Zhengzhou staffing rule asks for
(000 法制审核办法 第五条: at least 5% of the enforcement staff and at least 2), while the city's
urban-management bureau is deliberately left without any, so the staffing warning shows.

Running it again is safe: accounts are matched by username and brought back to the state
printed (roles, agency, officer link, password, no lock-out); nothing is duplicated.
All accounts share one demo password, which is public: the command refuses to run outside
development (DEBUG) unless forced.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from faker import Faker

from . import selectors, services
from .models import Agency, Officer, Role, RoleGrant, Unit, User
from .seed import SeedResult, Writer, seed

DEMO_SEED = 2019  # the year the three systems' measures took effect in Henan and Zhengzhou
DEMO_AGENCIES = 40
DEMO_OFFICERS = 400
# Public by design (printed, documented): for a local demo only. Long, not a common
# password, not numeric, unlike every username — it passes AUTH_PASSWORD_VALIDATORS.
DEMO_PASSWORD = "Sanxiang-Demo-2026"

DEMO_AGENCY = ("410100", "郑州市市场监督管理局")
SUPERVISOR_AGENCY = ("410100", "郑州市司法局")
UNDERSTAFFED_AGENCY = ("410100", "郑州市城市管理局")

HEAD_GROUP = "机关负责人"
SUPERVISOR_GROUP = "执法监督人员"
_MASTER_MODELS = ("agency", "unit", "officer", "certificate", "entrustment", "user", "rolegrant")
_LIST_MODELS = (
    "poweritem",
    "discretionstandard",
    "discretiontier",
    "randominspectionitem",
    "serviceguide",
    "remedychannel",
    "supervisionchannel",
    "avmatter",
)
_GROUP_PERMS: dict[str, list[str]] = {
    # An agency head keeps the master data of their own agency (the admin scopes every list
    # to the agencies the user may see).
    HEAD_GROUP: [
        f"{a}_{m}" for m in _MASTER_MODELS + _LIST_MODELS for a in ("view", "add", "change")
    ],
    # The supervisor sees and corrects the agencies of the whole jurisdiction.
    # and enters each new year's State Council holiday notice into the working-day calendar.
    SUPERVISOR_GROUP: [
        f"{a}_{m}" for m in _MASTER_MODELS + _LIST_MODELS for a in ("view", "change")
    ]
    + ["view_jurisdiction"]
    + [f"{a}_{m}" for m in ("calendaryear", "specialday") for a in ("view", "add", "change")],
}

PORTAL_URL = "http://127.0.0.1:8000/"
URLS: tuple[tuple[str, str], ...] = (
    ("门户网站", PORTAL_URL),
    ("工作台", PORTAL_URL + "staff/"),
    ("管理后台", PORTAL_URL + "admin/"),
    ("接口文档", PORTAL_URL + "api/docs"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str  # in Chinese, as printed
    agency: str
    full_name: str
    note: str = ""


@dataclass
class DemoResult:
    seed: SeedResult
    logins: list[DemoLogin] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Rows the after-account seeders wrote (the sample cases).
    extra_rows: int = 0

    def lines(self) -> list[str]:
        """The logins table, the URLs and the staffing notes, as printed."""
        rows = [("用户名", "口令", "角色", "所属执法主体", "姓名", "说明")]
        rows += [
            (x.username, x.password, x.role, x.agency, x.full_name, x.note) for x in self.logins
        ]
        widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
        out = ["演示账号（口令公开，仅供本机演示，切勿用于生产环境）："]
        for i, row in enumerate(rows):
            cells = [_pad(c, w) for c, w in zip(row, widths, strict=True)]
            out.append("  " + "  ".join(cells).rstrip())
            if i == 0:
                out.append("  " + "  ".join("-" * w for w in widths))
        out.append("")
        out += [f"  {label}：{url}" for label, url in URLS]
        if self.notes:
            out.append("")
            out += [f"  {note}" for note in self.notes]
        return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _demo_name(username: str) -> str:
    """A person's name for an account without an officer, the same on every run."""
    fake = Faker("zh_CN")
    fake.seed_instance(f"{DEMO_SEED}/{username}")
    return str(fake.name())


def _agency(code: str, name: str) -> Agency:
    return Agency.objects.select_related("jurisdiction").get(jurisdiction__code=code, name=name)


def _group(name: str) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    perms = Permission.objects.filter(
        content_type__app_label__in=("org", "core", "catalog"), codename__in=_GROUP_PERMS[name]
    )
    group.permissions.set(perms)
    return group


def _free_officers(agency: Agency, exclude_user: str) -> Sequence[Officer]:
    """Officers of the agency with a certificate valid today, not linked to another account,
    in a stable order."""
    today = timezone.localdate()
    linked_elsewhere = User.objects.filter(officer=OuterRef("pk")).exclude(username=exclude_user)
    return list(
        selectors.certified_officers(today)
        .filter(agency=agency)
        .exclude(Exists(linked_elsewhere))
        .select_related("unit")
        .order_by("unit__name", "id_number")
    )


def _pick_officer(
    agency: Agency,
    username: str,
    *,
    unit_kind: str,
    post: Sequence[str] = (),
    unit: Unit | None = None,
    exclude: Officer | None = None,
) -> Officer | None:
    current = User.objects.filter(username=username).values_list("officer_id", flat=True).first()
    candidates = [
        o
        for o in _free_officers(agency, username)
        if o.unit is not None
        and o.unit.kind == unit_kind
        and (unit is None or o.unit_id == unit.pk)
        and (not post or o.post in post)
        and (exclude is None or o.pk != exclude.pk)
    ]
    for o in candidates:  # keep the officer the account already has, if still suitable
        if o.pk == current:
            return o
    return candidates[0] if candidates else None


def _ensure_account(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    agency: Agency | None,
    roles: list[str],
    officer: Officer | None = None,
    staff: bool = False,
    superuser: bool = False,
    groups: Sequence[Group] = (),
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None and actor is not None and agency is not None:
        user = services.create_account(
            actor=actor,
            agency=agency,
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            roles=roles,
            officer=officer,
        )
    else:
        if user is None:
            user = User(username=username)
        user.full_name = full_name
        user.agency = agency
        user.officer = officer
        validate_password(DEMO_PASSWORD, user)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        RoleGrant.objects.filter(user=user).exclude(role__in=roles).delete()
        have = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=user, role=r) for r in roles if r not in have]
        )
    user.is_active = True
    user.is_staff = staff or superuser
    user.is_superuser = superuser
    user.save(update_fields=["is_active", "is_staff", "is_superuser"])
    user.groups.set(groups)
    return user


def _reset_lockouts(usernames: Sequence[str]) -> None:
    from axes.utils import reset

    for username in usernames:
        reset(username=username)


@transaction.atomic
def run_demo(
    *,
    stdout: Writer | None = None,
    seeders: Sequence[Callable[[Writer | None], None]] = (),
    after_accounts: Sequence[Callable[[Writer | None], int]] = (),
) -> DemoResult:
    """`seeders` are the higher areas' sample data, run once the organisations exist (they
    are passed in so that org never imports a higher layer); `after_accounts` run once the
    demo accounts exist (the sample cases, some handled by the demo officer) and return the
    rows they wrote. Both run before the logins are printed, which stay the last lines."""
    seeded = seed(seed=DEMO_SEED, agencies=DEMO_AGENCIES, officers=DEMO_OFFICERS, stdout=stdout)
    for seeder in seeders:
        seeder(stdout)
    result = DemoResult(seed=seeded)

    agency = _agency(*DEMO_AGENCY)
    justice = _agency(*SUPERVISOR_AGENCY)
    head_group, supervisor_group = _group(HEAD_GROUP), _group(SUPERVISOR_GROUP)

    today = timezone.localdate()

    def add(user: User, role: str, note: str = "") -> None:
        if user.officer is not None:
            cert = selectors.valid_certificates(today).filter(officer=user.officer).first()
            unit_name = user.officer.unit.name if user.officer.unit else ""
            parts = [f"执法证{cert.number}" if cert else "", unit_name + user.officer.post, note]
            note = "，".join(p for p in parts if p)
        result.logins.append(
            DemoLogin(
                user.username,
                DEMO_PASSWORD,
                role,
                user.agency.name if user.agency else "—",
                user.full_name,
                note,
            )
        )

    admin = _ensure_account(
        actor=None,
        username="admin",
        full_name="平台管理员",
        agency=None,
        roles=[],
        superuser=True,
    )
    add(admin, "平台管理员", "超级用户，管理全部数据")

    officer = _pick_officer(
        agency, "officer", unit_kind=Unit.Kind.HANDLING, post=("科员", "一级科员", "队员")
    ) or _pick_officer(agency, "officer", unit_kind=Unit.Kind.HANDLING)
    unit = officer.unit if officer else None
    unit_head = (
        _pick_officer(
            agency,
            "unithead",
            unit_kind=Unit.Kind.HANDLING,
            unit=unit,
            post=("科长", "支队长"),
            exclude=officer,
        )
        if unit
        else None
    )
    accounts: list[tuple[str, list[str], Officer | None, str]] = [
        ("head", [Role.AGENCY_HEAD], None, Role.AGENCY_HEAD.label),
        ("unithead", [Role.UNIT_HEAD], unit_head, Role.UNIT_HEAD.label),
        ("officer", [Role.OFFICER], officer, Role.OFFICER.label),
    ]
    for username, roles, linked, label in accounts:
        user = _ensure_account(
            actor=admin,
            username=username,
            full_name=linked.name if linked else _demo_name(username),
            agency=agency,
            roles=roles,
            officer=linked,
            staff=username == "head",
            groups=[head_group] if username == "head" else [],
        )
        add(user, label, "可在管理后台维护本机关主数据" if username == "head" else "")

    # Legal reviewers: as many as the jurisdiction's staffing rule requires; extra ones left
    # by an earlier run (when more officers held valid certificates) are switched off.
    required = selectors.reviewer_staffing(agency).required
    User.objects.filter(username__regex=r"^reviewer[0-9]+$", agency=agency).exclude(
        username__in=[f"reviewer{n}" for n in range(2, required + 1)]
    ).update(is_active=False)
    for n in range(1, required + 1):
        username = "reviewer" if n == 1 else f"reviewer{n}"
        linked = _pick_officer(agency, username, unit_kind=Unit.Kind.LEGAL)
        user = _ensure_account(
            actor=admin,
            username=username,
            full_name=linked.name if linked else _demo_name(username),
            agency=agency,
            roles=[Role.LEGAL_REVIEWER],
            officer=linked,
        )
        add(user, Role.LEGAL_REVIEWER.label)

    for username, role in (("custodian", Role.RECORDS_CUSTODIAN), ("publisher", Role.PUBLISHER)):
        user = _ensure_account(
            actor=admin,
            username=username,
            full_name=_demo_name(username),
            agency=agency,
            roles=[role],
        )
        add(user, role.label)

    supervisor = _ensure_account(
        actor=admin,
        username="supervisor",
        full_name=_demo_name("supervisor"),
        agency=justice,
        roles=[Role.SUPERVISOR],
        staff=True,
        groups=[supervisor_group],
    )
    add(supervisor, Role.SUPERVISOR.label, "查看郑州市全辖区执法主体；可用管理后台")

    _reset_lockouts([x.username for x in result.logins])
    for seeder_after in after_accounts:
        result.extra_rows += seeder_after(stdout)

    result.notes.append(f"{agency.name}：{selectors.reviewer_staffing(agency).message}")
    understaffed = Agency.objects.filter(
        jurisdiction__code=UNDERSTAFFED_AGENCY[0], name=UNDERSTAFFED_AGENCY[1]
    ).first()
    if understaffed is not None:
        staffing = selectors.reviewer_staffing(understaffed)
        if not staffing.adequate:
            result.notes.append(f"提示（演示监督预警）：{understaffed.name}：{staffing.message}")
    if stdout is not None:
        stdout.write("\n" + "\n".join(result.lines()) + "\n")
    return result
