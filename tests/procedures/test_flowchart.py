"""The 执法流程图 is drawn from the definition: every stage and transition, optional stages
dashed, text escaped, Chinese fonts named."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from sanxiang.procedures import all_procedures, get_procedure
from sanxiang.procedures.flowchart import FONT_FAMILY, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize("code", [p.code for p in all_procedures()])
def test_every_stage_and_transition_is_drawn(code):
    procedure = get_procedure(code)
    svg = render_svg(procedure)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    stages = {g.get("data-stage"): g for g in root.iter(f"{SVG}g") if g.get("data-stage")}
    assert set(stages) == {s.code for s in procedure.stages}
    for stage in procedure.stages:
        texts = "".join(t.text or "" for t in stages[stage.code].iter(f"{SVG}text"))
        assert stage.name in texts
        rect = next(stages[stage.code].iter(f"{SVG}rect"))
        assert (rect.get("stroke-dasharray") is not None) is stage.optional
    edges = {p.get("data-transition") for p in root.iter(f"{SVG}path") if p.get("data-transition")}
    assert edges == {t.code for t in procedure.transitions}
    labels = {t.text for t in root.iter(f"{SVG}text")}
    for t in procedure.transitions:
        assert t.label in labels
    assert f"{procedure.name}流程图" in labels
    for d in procedure.deadlines:
        assert d.label in svg
    assert FONT_FAMILY in svg
    assert '"Noto Serif CJK SC"' in FONT_FAMILY and FONT_FAMILY.endswith("serif")


def test_hearing_is_drawn_beside_the_main_line():
    root = parse(render_svg(get_procedure("penalty_general")))
    x = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("data-stage"):
            rect = next(g.iter(f"{SVG}rect"))
            x[g.get("data-stage")] = float(rect.get("x"))
    assert x["hearing"] > x["statement"] == x["decision"] == x["filing"]


def test_text_is_escaped():
    procedure = get_procedure("inspection")
    stage = replace(procedure.stages[0], name='检查<过程> & "结果"')
    transition = replace(procedure.transitions[0], label="a < b & c")
    hostile = replace(
        procedure,
        stages=(stage, *procedure.stages[1:]),
        transitions=(transition, *procedure.transitions[1:]),
    )
    svg = render_svg(hostile)
    root = parse(svg)  # still well-formed
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert '检查<过程> & "结果"' in texts
    assert "a < b & c" in texts
    assert "<过程>" not in svg
