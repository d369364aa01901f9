"""``sanxiang procedures``: the enforcement procedures, as defined in data.

sanxiang procedures                                  # the procedures
sanxiang procedures penalty_general                  # stages, transitions, deadlines
sanxiang procedures penalty_general --svg out.svg    # and its flowchart (执法流程图)
sanxiang procedures --guards                         # the guard library with its articles
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.core.management.commands.rules import render_table
from sanxiang.procedures import (
    DefinitionError,
    Procedure,
    UnknownProcedure,
    all_procedures,
    get_procedure,
    registry,
)
from sanxiang.procedures.flowchart import render_svg
from sanxiang.procedures.guards import GUARDS
from sanxiang.procedures.model import ACTOR_ROLES, DEADLINE_KINDS, DEADLINE_UNITS


class Command(BaseCommand):
    help = "显示执法程序定义：环节、必备记录与签名、流转及其守卫条件和依据、期限；可输出执法流程图（SVG）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", nargs="?", metavar="程序代码", help="如 penalty_general")
        parser.add_argument("--svg", metavar="文件", help="把该程序的执法流程图写入 SVG 文件")
        parser.add_argument("--guards", action="store_true", help="列出守卫条件及其依据")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            registry()
        except DefinitionError as exc:
            raise CommandError(str(exc)) from None
        if options.get("guards"):
            self._guards()
            return
        code: str | None = options.get("code")
        svg: str | None = options.get("svg")
        if not code:
            if svg:
                raise CommandError(
                    "输出流程图须指定程序代码，如 sanxiang procedures penalty_general --svg 流程图.svg。"
                )
            self._list()
            return
        try:
            procedure = get_procedure(code)
        except UnknownProcedure as exc:
            raise CommandError(str(exc)) from None
        self._show(procedure)
        if svg:
            path = Path(svg)
            try:
                path.write_text(render_svg(procedure), encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"无法写入 {path}：{exc}") from None
            self.stdout.write("")
            self.stdout.write(f"执法流程图已写入 {path}")

    def _list(self) -> None:
        rows = [
            [
                p.code,
                p.name,
                p.action_type_label,
                " → ".join(s.name for s in p.stages),
                str(len(p.transitions)),
                str(len(p.deadlines)),
            ]
            for p in all_procedures()
        ]
        self.stdout.write("执法程序：")
        self.stdout.write(render_table(["代码", "名称", "类别", "环节", "流转", "期限"], rows))
        self.stdout.write(
            "用 sanxiang procedures 代码 查看某一程序；加 --svg 文件 输出执法流程图。"
        )

    def _show(self, p: Procedure) -> None:
        reg = registry()
        self.stdout.write(f"执法程序：{p.name}（{p.code}），{p.action_type_label}")
        self.stdout.write(f"依据：{p.basis_text}")
        if p.description:
            self.stdout.write(p.description)
        self.stdout.write(
            f"初始环节：{p.stage_name(p.initial)}；终结环节：{'、'.join(p.stage_name(f) for f in p.finals)}"
        )
        self.stdout.write("")
        self.stdout.write("环节：")
        rows, notes = [], []
        for s in p.stages:
            required = []
            for req in s.required:
                names = "或".join(reg.kind_name(k) for k in req.kinds)
                specs = req.signatures
                if specs is None:
                    specs = reg.kinds[req.kinds[0]].signatures if len(req.kinds) == 1 else None
                signers = f"［签名：{'、'.join(x.label for x in specs)}］" if specs else ""
                count = f"×{req.min_count}" if req.min_count > 1 else ""
                required.append(f"{names}{count}{signers}")
            optional = "、".join(reg.kind_name(k) for k in s.optional_records)
            rows.append(
                [s.code, s.name + ("（可选）" if s.optional else ""), "；".join(required), s.source]
            )
            notes.append(f"可选记录：{optional}" if optional else "")
        self.stdout.write(render_table(["代码", "环节", "必备记录", "依据"], rows, notes))
        self.stdout.write("")
        self.stdout.write("流转：")
        rows = [
            [
                t.code,
                t.label,
                f"{p.stage_name(t.from_stage)} → {p.stage_name(t.to_stage)}",
                "、".join(t.guards) or "—",
                "、".join(ACTOR_ROLES[r] for r in t.roles),
                t.source,
            ]
            for t in p.transitions
        ]
        self.stdout.write(
            render_table(["代码", "名称", "环节", "守卫条件", "执行角色", "依据"], rows)
        )
        self.stdout.write("每个流转另自动检查：本环节记录齐全且签名完备、音像记录、记录日期。")
        if p.deadlines:
            self.stdout.write("")
            self.stdout.write("期限：")
            rows = []
            for d in p.deadlines:
                if d.profile_key:
                    period = f"规则配置 {d.profile_key}"
                else:
                    period = f"{d.amount}{DEADLINE_UNITS[d.unit or 'calendar_days']}"
                rows.append([d.code, d.label, DEADLINE_KINDS[d.kind], d.start, period, d.source])
            self.stdout.write(render_table(["代码", "名称", "类别", "起算", "期限", "依据"], rows))

    def _guards(self) -> None:
        rows = []
        for g in GUARDS.values():
            source = g.source
            if g.by_action_type:
                source += "".join(f"；〔{k}〕{v}" for k, v in g.by_action_type.items())
            rows.append([g.code, g.name, "自动" if g.implicit else "", source])
        self.stdout.write(render_table(["守卫条件", "名称", "适用", "依据"], rows))
