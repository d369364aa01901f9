"""The 执法流程图 of a procedure, drawn from its definition as SVG (000 公示办法 第十一条;
002 第十四条): stages as boxes top to bottom, optional stages dashed and set beside the main
line, arrows labelled with the transitions, and the time limits with their articles below.

Pure string building — no drawing library, no system package. Text is escaped; the fonts
are the usual Chinese serif faces with a generic fallback.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .model import DEADLINE_UNITS, Procedure, TransitionDef

FONT_FAMILY = '"Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif'

BOX_W = 196
BOX_H = 50
COL_W = 250
ROW_GAP = 70
TOP = 118  # below the title and the start marker
LANE_STEP = 16
LABEL_SIZE = 13
NAME_SIZE = 17
FOOT_SIZE = 13

INK = "#1f2937"
MUTED = "#4b5563"
ACCENT = "#9f1239"
FILL = "#fffdf7"
OPTIONAL_FILL = "#ffffff"


def _attr(value: object) -> str:
    return escape(str(value), {'"': "&quot;"})


def text_width(text: str, size: float) -> float:
    """Estimated advance of ``text``: full-width characters one em, others about half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.56 for ch in text)


def wrap(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and text_width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    if line:
        lines.append(line)
    return lines


@dataclass
class _Box:
    x: float  # left
    y: float  # top
    w: float
    h: float

    def overlaps(self, other: _Box, pad: float = 2) -> bool:
        return not (
            self.x + self.w + pad <= other.x
            or other.x + other.w + pad <= self.x
            or self.y + self.h + pad <= other.y
            or other.y + other.h + pad <= self.y
        )


# ------------------------------------------------------------------ layout


def _rows(procedure: Procedure) -> dict[str, int]:
    """Longest-path layering from the initial stage; edges that close a cycle are ignored."""
    order: list[str] = []
    state: dict[str, int] = {}
    back: set[str] = set()

    def visit(stage: str) -> None:
        state[stage] = 1
        for t in procedure.transitions_from(stage):
            if state.get(t.to_stage) == 1:
                back.add(t.code)
            elif t.to_stage not in state:
                visit(t.to_stage)
        state[stage] = 2
        order.append(stage)

    visit(procedure.initial)
    for stage_def in procedure.stages:
        if stage_def.code not in state:
            visit(stage_def.code)
    rows = {code: 0 for code in order}
    for code in reversed(order):
        for t in procedure.transitions_from(code):
            if t.code not in back:
                rows[t.to_stage] = max(rows[t.to_stage], rows[code] + 1)
    return rows


def _columns(procedure: Procedure, rows: dict[str, int]) -> dict[str, int]:
    """Main-line stages in column 0; optional ones (and any crowding) to the right."""
    by_row: dict[int, list[str]] = defaultdict(list)
    for stage in procedure.stages:
        by_row[rows[stage.code]].append(stage.code)
    cols: dict[str, int] = {}
    for codes in by_row.values():
        ordered = sorted(codes, key=lambda c: procedure.stage(c).optional)
        first = 0 if not procedure.stage(ordered[0]).optional else 1
        for index, code in enumerate(ordered):
            cols[code] = first + index
    return cols


# ------------------------------------------------------------------ rendering


class _Canvas:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.occupied: list[_Box] = []

    def add(self, svg: str) -> None:
        self.parts.append(svg)

    def label(
        self,
        text: str,
        x: float,
        y: float,
        *,
        anchor: str = "start",
        size: float = LABEL_SIZE,
        fill: str = MUTED,
        step: float = 15,
    ) -> None:
        """A label with its baseline at y, moved down (then up) until it overlaps nothing."""
        width = text_width(text, size)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        candidates = [y + step * k for k in range(0, 6)] + [y - step * k for k in range(1, 6)]
        chosen = candidates[0]
        for candidate in candidates:
            box = _Box(left - 2, candidate - size, width + 4, size + 4)
            if not any(box.overlaps(other) for other in self.occupied):
                chosen = candidate
                break
        self.occupied.append(_Box(left - 2, chosen - size, width + 4, size + 4))
        self.add(
            f'<text x="{x:.1f}" y="{chosen:.1f}" font-size="{size}" fill="{fill}" '
            f'text-anchor="{anchor}" class="label">{escape(text)}</text>'
        )


def render_svg(procedure: Procedure) -> str:
    """The flowchart of ``procedure`` as a standalone SVG document."""
    rows = _rows(procedure)
    cols = _columns(procedure, rows)
    n_rows = max(rows.values()) + 1
    n_cols = max(cols.values()) + 1

    def is_long(t: TransitionDef) -> bool:
        dr = rows[t.to_stage] - rows[t.from_stage]
        if dr <= 0:
            return True
        if cols[t.from_stage] == cols[t.to_stage]:
            between = [
                s.code
                for s in procedure.stages
                if cols[s.code] == cols[t.from_stage]
                and rows[t.from_stage] < rows[s.code] < rows[t.to_stage]
            ]
            return bool(between)
        return dr > 1

    long_edges = [t for t in procedure.transitions if is_long(t)]
    long_labels = max((text_width(t.label, LABEL_SIZE) for t in long_edges), default=0)
    lanes_w = LANE_STEP * (len(long_edges) + 1)
    margin_left = 24 + (long_labels + 10 if long_edges else 0) + lanes_w
    col0_center = margin_left + BOX_W / 2
    width = margin_left + n_cols * COL_W + 150
    width = max(width, 640)

    def center_x(code: str) -> float:
        return col0_center + cols[code] * COL_W

    subtitle_lines = wrap(
        f"{procedure.action_type_label}｜依据：{procedure.basis_text}", 14, width - 80
    )
    top = TOP + 20 * (len(subtitle_lines) - 1)

    def top_y(code: str) -> float:
        return top + rows[code] * (BOX_H + ROW_GAP)

    canvas = _Canvas()
    # title
    canvas.add(
        f'<text x="{width / 2:.1f}" y="40" font-size="24" font-weight="bold" fill="{INK}" '
        f'text-anchor="middle">{escape(procedure.name)}流程图</text>'
    )
    for index, line in enumerate(subtitle_lines):
        canvas.add(
            f'<text x="{width / 2:.1f}" y="{64 + 20 * index}" font-size="14" fill="{MUTED}" '
            f'text-anchor="middle">{escape(line)}</text>'
        )
    # boxes
    for stage in procedure.stages:
        cx, y = center_x(stage.code), top_y(stage.code)
        x = cx - BOX_W / 2
        canvas.occupied.append(_Box(x, y, BOX_W, BOX_H))
        dash = ' stroke-dasharray="7 5"' if stage.optional else ""
        fill = OPTIONAL_FILL if stage.optional else FILL
        final = stage.code in procedure.finals
        stroke_w = 2.4 if final else 1.6
        canvas.add(
            f'<g class="stage{" optional" if stage.optional else ""}{" final" if final else ""}" '
            f'data-stage="{_attr(stage.code)}">'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="8" '
            f'fill="{fill}" stroke="{INK}" stroke-width="{stroke_w}"{dash}/>'
        )
        if final:
            canvas.add(
                f'<rect x="{x + 4:.1f}" y="{y + 4:.1f}" width="{BOX_W - 8}" height="{BOX_H - 8}" '
                f'rx="6" fill="none" stroke="{INK}" stroke-width="0.8"/>'
            )
        subtitle = "可选环节" if stage.optional else ("终结" if final else "")
        name_y = y + (BOX_H / 2 + 6 if not subtitle else 23)
        canvas.add(
            f'<text x="{cx:.1f}" y="{name_y:.1f}" font-size="{NAME_SIZE}" font-weight="bold" '
            f'fill="{INK}" text-anchor="middle">{escape(stage.name)}</text>'
        )
        if subtitle:
            canvas.add(
                f'<text x="{cx:.1f}" y="{y + 41:.1f}" font-size="11" fill="{MUTED}" '
                f'text-anchor="middle">{subtitle}</text>'
            )
        canvas.add("</g>")
    # start marker
    start_cx, start_top = center_x(procedure.initial), top_y(procedure.initial)
    canvas.add(
        f'<rect x="{start_cx - 30:.1f}" y="{start_top - 44:.1f}" width="60" height="22" rx="11" '
        f'fill="{ACCENT}"/><text x="{start_cx:.1f}" y="{start_top - 28:.1f}" font-size="13" '
        f'fill="#ffffff" text-anchor="middle">开始</text>'
        f'<path d="M{start_cx:.1f},{start_top - 22:.1f} V{start_top - 2:.1f}" '
        f'class="edge" stroke="{INK}" stroke-width="1.4" fill="none" marker-end="url(#arrow)"/>'
    )
    canvas.occupied.append(_Box(start_cx - 30, start_top - 44, 60, 22))

    # edges
    lane_of = {t.code: i for i, t in enumerate(long_edges)}
    leftmost_lane = col0_center - BOX_W / 2 - 14 - LANE_STEP * max(len(long_edges) - 1, 0)
    right_in: dict[str, int] = defaultdict(int)
    exits: dict[str, int] = defaultdict(int)
    entries: dict[str, int] = defaultdict(int)
    for t in procedure.transitions:
        src, dst = t.from_stage, t.to_stage
        sx, sy = center_x(src), top_y(src)
        tx, ty = center_x(dst), top_y(dst)
        dashed = procedure.stage(src).optional or procedure.stage(dst).optional
        style = ' stroke-dasharray="6 4"' if dashed else ""
        if t.code in lane_of:
            lane_x = col0_center - BOX_W / 2 - 14 - LANE_STEP * lane_of[t.code]
            k_out, k_in = exits[src], entries[dst]
            exits[src] += 1
            entries[dst] += 1
            if cols[src] == 0:
                y0 = sy + 16 + 9 * k_out
                points = [(sx - BOX_W / 2, y0), (lane_x, y0)]
            else:
                y0 = sy + BOX_H + 12 + 6 * k_out
                points = [(sx, sy + BOX_H), (sx, y0), (lane_x, y0)]
            if cols[dst] == 0:
                y1 = ty + 16 + 9 * k_in
                points += [(lane_x, y1), (tx - BOX_W / 2, y1)]
            else:
                y1 = ty - 14 - 6 * k_in
                points += [(lane_x, y1), (tx, y1), (tx, ty)]
            label_y = (y0 + y1) / 2 + 4
            canvas.label(t.label, leftmost_lane - 6, label_y, anchor="end")
        elif cols[src] == cols[dst]:
            points = [(sx, sy + BOX_H), (tx, ty)]
            mid = (sy + BOX_H + ty) / 2 + 5
            canvas.label(t.label, sx + 9, mid)
        elif cols[dst] > cols[src]:
            # out of the source's right side, across, then down into the target
            y0 = sy + 18 + 8 * exits[src]
            exits[src] += 1
            points = [(sx + BOX_W / 2, y0), (tx, y0), (tx, ty)]
            canvas.label(t.label, tx + 9, (y0 + ty) / 2 + 5)
        else:
            # out of the source's bottom, down, then into the target's right side
            y1 = ty + 18 + 8 * right_in[dst]
            right_in[dst] += 1
            points = [(sx, sy + BOX_H), (sx, y1), (tx + BOX_W / 2, y1)]
            canvas.label(t.label, sx + 9, (sy + BOX_H + y1) / 2 + 5)
        path = "M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in points)
        canvas.add(
            f'<path d="{path}" class="edge" data-transition="{_attr(t.code)}" fill="none" '
            f'stroke="{INK}" stroke-width="1.4"{style} marker-end="url(#arrow)">'
            f"<title>{escape(t.label)}（{escape(t.source)}）</title></path>"
        )

    # footer: the time limits and the legend
    foot_top = top + n_rows * (BOX_H + ROW_GAP) + 6
    lines: list[tuple[str, str]] = []
    for d in procedure.deadlines:
        if d.amount is not None and d.unit is not None:
            limit = f"{d.amount}{DEADLINE_UNITS[d.unit]}"
        else:
            limit = "按本地规则配置"
        lines.append((f"· {d.label}：{limit}（{d.source}）", MUTED))
    footer: list[str] = []
    y = foot_top
    if lines:
        footer.append(
            f'<text x="24" y="{y:.1f}" font-size="15" font-weight="bold" fill="{INK}">办理时限</text>'
        )
        y += 22
        for text, color in lines:
            for part in wrap(text, FOOT_SIZE, width - 60):
                footer.append(
                    f'<text x="32" y="{y:.1f}" font-size="{FOOT_SIZE}" fill="{color}">'
                    f"{escape(part)}</text>"
                )
                y += 19
        y += 8
    footer.append(
        f'<rect x="24" y="{y - 12:.1f}" width="34" height="16" rx="3" fill="none" stroke="{INK}" '
        f'stroke-dasharray="5 3"/><text x="66" y="{y:.1f}" font-size="12" fill="{MUTED}">'
        "可选环节（依法或依申请适用）</text>"
        f'<rect x="270" y="{y - 12:.1f}" width="34" height="16" rx="3" fill="none" '
        f'stroke="{INK}" stroke-width="2.4"/><text x="312" y="{y:.1f}" font-size="12" '
        f'fill="{MUTED}">终结环节</text>'
    )
    height = y + 24

    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{_attr(procedure.name)}流程图" data-procedure="{_attr(procedure.code)}">'
        f"<title>{escape(procedure.name)}流程图</title>"
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{INK}"/>'
        "</marker>"
        f"<style>text {{ font-family: {FONT_FAMILY}; }}</style>"
        "</defs>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
    )
    return head + "".join(canvas.parts) + "".join(footer) + "</svg>\n"
