"""``sanxiang rules``: show a jurisdiction's rule profile, each value with its article.

sanxiang rules                           # the profiles
sanxiang rules --jurisdiction zhengzhou  # by profile code
sanxiang rules -j 410105                 # by 6-digit 行政区划代码 (org.Jurisdiction)
sanxiang rules -j 金水区 --json           # by jurisdiction name, as JSON
sanxiang rules -j zhoucun -v 2           # with each rule's note
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.core.rules import (
    Period,
    Rule,
    RuleProfile,
    UnknownProfile,
    all_profiles,
    get_profile,
)

REGION_CODE_RE = re.compile(r"^\d{6}$")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def render_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    notes: Sequence[str] | None = None,
) -> str:
    """A plain-text table whose columns line up with Chinese (double-width) characters;
    ``notes[i]``, when given and not empty, is printed on its own line under row i."""
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(header)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for index, row in enumerate(rows):
        lines.append("  ".join(_pad(c, widths[i]) for i, c in enumerate(row)).rstrip())
        if notes and notes[index]:
            lines.append(" " * (widths[0] + 2) + notes[index])
    return "\n".join(lines)


def _origin(profile: RuleProfile, rule: Rule) -> str:
    if rule.defined_in == profile.code:
        return "本级"
    return f"继承自 {profile.profile_name(rule.defined_in)}"


def _json_value(value: Any) -> Any:
    if isinstance(value, Period):
        return {"amount": value.amount, "unit": value.unit}
    if isinstance(value, Decimal):
        return str(value)
    return value


def profile_as_dict(profile: RuleProfile) -> dict[str, Any]:
    return {
        "code": profile.code,
        "name": profile.name,
        "inherits": profile.parent.code if profile.parent else None,
        "documents": [
            {"file": d.file, "measure": d.measure or None, "title": d.title}
            for d in profile.documents
        ],
        "rules": [
            {
                "key": rule.key,
                "label": rule.label,
                "value": _json_value(rule.value),
                "unit": rule.unit or None,
                "display": rule.display_value(),
                "source": rule.source,
                "note": rule.note,
                "quote": rule.quote,
                "defined_in": rule.defined_in,
                "inherited_from": (
                    None
                    if rule.defined_in == profile.code
                    else profile.profile_name(rule.defined_in)
                ),
            }
            for rule in profile.rules()
        ],
    }


class Command(BaseCommand):
    help = "显示辖区执法规则配置：各项期限、比例和选择及其条文依据。不带参数时列出全部规则配置。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jurisdiction",
            "-j",
            metavar="辖区",
            help="规则配置代码（如 zhengzhou）、6位行政区划代码或辖区名称",
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 格式输出")

    def handle(self, *args: Any, **options: Any) -> None:
        term: str | None = options.get("jurisdiction")
        as_json: bool = options.get("json", False)
        verbose = int(options.get("verbosity", 1)) >= 2
        if not term:
            self._list_profiles(as_json)
            return
        profile, via = self._resolve(term.strip())
        if as_json:
            data = profile_as_dict(profile)
            data["jurisdiction"] = via
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._print_profile(profile, via, verbose)

    # -------------------------------------------------------------- resolving

    def _resolve(self, term: str) -> tuple[RuleProfile, dict[str, str] | None]:
        """The profile for a profile code or name, or for an org.Jurisdiction's code or name."""
        profiles = all_profiles()
        for profile in profiles:
            if term == profile.code:
                return profile, None
        by_name = [p for p in profiles if p.name == term]
        if len(by_name) == 1 and not REGION_CODE_RE.match(term):
            return by_name[0], None
        code, via = self._lookup_jurisdiction(term, profiles)
        try:
            return get_profile(code), via
        except UnknownProfile as exc:
            raise CommandError(f"辖区“{via['name']}”（{via['code']}）的{exc}") from None

    def _lookup_jurisdiction(
        self, term: str, profiles: list[RuleProfile]
    ) -> tuple[str, dict[str, str]]:
        known = "、".join(f"{p.code}（{p.name}）" for p in profiles)
        unknown = (
            f"未知的辖区“{term}”：既不是规则配置代码（{known}），"
            "也找不到这个行政区划代码或名称的辖区。"
        )
        try:
            from django.core.exceptions import ValidationError
            from django.db import DatabaseError

            from sanxiang.org.models import Jurisdiction
        except ImportError:
            raise CommandError(
                f"{unknown}（按行政区划代码或名称查询需要辖区模型 org.Jurisdiction，目前不可用。）"
            ) from None
        field = "code" if REGION_CODE_RE.match(term) else "name"
        try:
            matches = list(Jurisdiction.objects.filter(**{field: term}).order_by("code")[:20])
        except DatabaseError as exc:
            raise CommandError(
                f"{unknown}（无法按辖区查询：数据库不可用或尚未迁移——{exc}；"
                "可先执行 sanxiang migrate。）"
            ) from None
        if not matches:
            raise CommandError(unknown)
        if len(matches) > 1:
            listed = "、".join(f"{j.code} {j.name}" for j in matches)
            raise CommandError(f"名称为“{term}”的辖区不止一个（{listed}），请改用6位行政区划代码。")
        jurisdiction = matches[0]
        try:
            code = jurisdiction.effective_profile_code()
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        return code, {"code": jurisdiction.code, "name": jurisdiction.name}

    # -------------------------------------------------------------- output

    def _list_profiles(self, as_json: bool) -> None:
        profiles = all_profiles()
        if as_json:
            data = [
                {
                    "code": p.code,
                    "name": p.name,
                    "inherits": p.parent.code if p.parent else None,
                    "rules": len(p.rules()),
                }
                for p in profiles
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        rows = [
            [
                p.code,
                p.name,
                p.parent.name if p.parent else "—",
                str(len(p.rules())),
                "、".join(sorted({d.file for d in p.all_documents()})),
            ]
            for p in profiles
        ]
        self.stdout.write("辖区规则配置：")
        self.stdout.write(render_table(["代码", "名称", "继承", "规则数", "依据文件"], rows))
        self.stdout.write("用 --jurisdiction 代码（或行政区划代码、辖区名称）查看某一配置的规则。")

    def _print_profile(
        self, profile: RuleProfile, via: dict[str, str] | None, verbose: bool
    ) -> None:
        title = f"规则配置：{profile.name}（{profile.code}）"
        if profile.parent is not None:
            title += f"，继承自 {profile.parent.name}（{profile.parent.code}）"
        self.stdout.write(title)
        if via is not None:
            self.stdout.write(f"辖区：{via['name']}（{via['code']}）适用此配置")
        for node in profile.lineage():
            for doc in node.documents:
                self.stdout.write(f"依据：{doc.citation_prefix}《{doc.title}》")
        rules = profile.rules()
        rows = [
            [rule.key, rule.label, rule.display_value(), rule.source, _origin(profile, rule)]
            for rule in rules
        ]
        notes = [f"说明：{rule.note}" if verbose and rule.note else "" for rule in rules]
        self.stdout.write("")
        self.stdout.write(render_table(["规则", "名称", "取值", "依据", "来源"], rows, notes))
        open_rules = [r for r in rules if r.value is None]
        if open_rules:
            self.stdout.write("")
            self.stdout.write(
                f"“未规定”：所依据的办法未规定固定的期限或数值（共{len(open_rules)}项，"
                "详见各项说明，可加 -v 2 显示）。"
            )
