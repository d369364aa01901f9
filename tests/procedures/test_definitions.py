"""The shipped procedure definitions and record kinds: valid, reachable, every rule cited."""

from __future__ import annotations

import os
import re
from collections import deque
from pathlib import Path

import pytest

from sanxiang.core.rules.citations import int_to_chinese, parse_citation
from sanxiang.procedures import (
    DEFINITIONS_DIR,
    KINDS_FILE,
    UnknownProcedure,
    all_procedures,
    get_kind,
    get_procedure,
    load_registry,
    procedures_for,
    registry,
)
from sanxiang.procedures.guards import GUARDS
from sanxiang.procedures.model import ACTION_TYPES, Procedure
from sanxiang.procedures.sources import STATUTE_RE, check_source, split_source

REGULATIONS_DIR = Path(
    os.environ.get(
        "SANXIANG_REGULATIONS", Path(__file__).resolve().parents[3] / "shared" / "regulations"
    )
)

CODES = [p.code for p in all_procedures()]


def reachable(procedure: Procedure, start: str) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for t in procedure.transitions_from(queue.popleft()):
            if t.to_stage not in seen:
                seen.add(t.to_stage)
                queue.append(t.to_stage)
    return seen


def test_every_action_type_has_a_procedure():
    assert {p.action_type for p in all_procedures()} == set(ACTION_TYPES)
    assert [p.code for p in procedures_for("penalty")] == ["penalty_general", "penalty_simple"]
    assert len(CODES) == 10


def test_shipped_definitions_load_afresh():
    fresh = load_registry(DEFINITIONS_DIR, KINDS_FILE)
    assert set(fresh.procedures) == set(CODES)


def test_unknown_procedure():
    with pytest.raises(UnknownProcedure, match="未知的执法程序“nope”"):
        get_procedure("nope")


@pytest.mark.parametrize("code", CODES)
def test_every_stage_and_final_reachable(code):
    procedure = get_procedure(code)
    from_initial = reachable(procedure, procedure.initial)
    assert {s.code for s in procedure.stages} <= from_initial
    for final in procedure.finals:
        assert final in from_initial
    for stage in procedure.stages:
        if stage.code not in procedure.finals:
            assert reachable(procedure, stage.code) & set(procedure.finals), stage.code


@pytest.mark.parametrize("code", CODES)
def test_every_rule_cites_a_source(code):
    procedure = get_procedure(code)
    sources = [*procedure.basis]
    sources += [s.source for s in procedure.stages]
    sources += [t.source for t in procedure.transitions]
    sources += [d.source for d in procedure.deadlines]
    for source in sources:
        assert check_source(source)


def test_every_guard_cites_a_source():
    for guard in GUARDS.values():
        assert guard.name
        for source in guard.all_sources():
            assert check_source(source), guard.code


def test_every_kind_cites_a_source_and_has_fields():
    reg = registry()
    assert check_source(reg.service_source)
    for kind in reg.kinds.values():
        assert check_source(kind.source), kind.code
        assert kind.fields, kind.code
        assert kind.name


def test_penalty_stages_follow_the_zhengzhou_measure():
    """000 全过程记录办法 第十条第（一）项, in order."""
    procedure = get_procedure("penalty_general")
    assert [s.name for s in procedure.stages] == [
        "立案",
        "调查取证",
        "告知",
        "陈述申辩",
        "听证",
        "审核决定",
        "送达",
        "执行",
        "结案",
    ]
    assert procedure.stage("hearing").optional
    assert "000 全过程记录办法 第十条" in procedure.basis


def test_other_stage_lists_follow_the_measure():
    names = {code: [s.name for s in get_procedure(code).stages] for code in CODES}
    assert names["coercion"][:6] == ["报告批准", "告知", "陈述申辩", "审核决定", "送达", "实施"]
    assert names["inspection"][:2] == ["检查过程", "检查结果"]
    assert names["expropriation"] == ["批准", "通知公告", "实施"]
    assert names["licensing"][:8] == [
        "申请",
        "受理",
        "审查",
        "听证",
        "审核决定",
        "送达",
        "变更与延续",
        "撤销与注销",
    ]
    for code in ("confirmation", "payment", "reward", "adjudication"):
        assert names[code][1:] == ["受理", "审查", "审核决定", "送达", "结案"]


def test_filing_approval_has_the_fields_of_zhoucun_article_28():
    kind = get_kind("filing_approval")
    assert [f.label for f in kind.fields] == [
        "启动原因",
        "当事人的基本情况",
        "掌握的事实情况",
        "行政执法人员的意见",
        "行政执法机构负责人的意见",
        "行政执法机关负责人的意见",
        "签名",
        "日期",
    ]
    assert kind.source == "002 第二十八条"


def test_the_six_service_methods_of_zhoucun_article_39():
    reg = registry()
    assert reg.service_source == "002 第三十九条"
    assert [m.name for m in reg.service_methods.values()] == [
        "直接送达",
        "邮寄送达",
        "留置送达",
        "委托、转交送达",
        "传真、电子邮件等方式送达",
        "公告送达",
    ]


def test_required_record_kinds_are_registered():
    names = {k.name for k in registry().kinds.values()}
    for name in (
        "案件来源登记表",
        "立案审批表",
        "申请书",
        "受理通知书",
        "不予受理通知书",
        "补正通知书",
        "询问笔录",
        "现场检查（勘验）笔录",
        "抽样取证记录",
        "先行登记保存证据通知书",
        "先行登记保存物品清单",
        "行政强制措施决定书（查封、扣押决定书）",
        "现场笔录",
        "权利告知书（回避、陈述申辩、听证）",
        "陈述申辩笔录",
        "放弃陈述申辩记录",
        "陈述申辩复核意见",
        "听证通知书",
        "听证笔录",
        "调查终结报告",
        "集体讨论记录",
        "法制审核意见",
        "行政处罚决定书",
        "送达回证",
        "履行记录",
        "改正情况记录",
        "催告书",
        "强制执行记录",
        "结案审批表",
        "检查记录",
        "检查结果",
        "征收征用批准文件",
        "征收征用通知（公告）",
        "行政许可决定书（准予或者不予）",
    ):
        assert name in names, name


def test_stage_codes_match_the_catalog():
    """The AV matter list (catalog) names stages by the same codes."""
    stages = pytest.importorskip("sanxiang.catalog.stages")
    known = {s.value for s in stages.Stage}
    for procedure in all_procedures():
        shared = {s.code for s in procedure.stages} & known
        for code in shared:
            expected = set(stages.stages_for(procedure.action_type))
            if expected and code in known:
                assert code in expected or code in {"closure", "release", "handover"}, (
                    procedure.code,
                    code,
                )
        for stage in procedure.stages:
            for activity in stage.activities:
                assert activity in known, (procedure.code, activity)


# ------------------------------------------------------------------ citations vs the texts

MEASURE_TITLES = {
    "000 公示办法": "郑州市行政执法公示办法",
    "000 全过程记录办法": "郑州市行政执法全过程记录办法",
    "000 法制审核办法": "郑州市重大行政执法决定法制审核办法",
    "001 河南公示办法": "河南省行政执法公示办法",
    "001 河南全过程记录办法": "河南省行政执法全过程记录办法",
    "001 河南法制审核办法": "河南省重大行政执法决定法制审核办法",
}
FILES = {"000": "000_", "001": "001_", "002": "002_", "004": "004_"}


def _measure_text(prefix: str) -> str:
    file = prefix[:3]
    path = next(REGULATIONS_DIR.glob(f"{FILES[file]}*.txt"))
    text = path.read_text(encoding="utf-8")
    if prefix not in MEASURE_TITLES:
        return text
    titles = [t for p, t in MEASURE_TITLES.items() if p.startswith(file)]
    # the body of a measure starts at its title on a line of its own
    starts = {t: m.start() for t in titles for m in re.finditer(rf"^{t}\s*$", text, re.M)}
    begin = starts[MEASURE_TITLES[prefix]]
    after = [s for s in starts.values() if s > begin]
    return text[begin : min(after) if after else len(text)]


def _all_sources() -> list[str]:
    sources: list[str] = []
    for p in all_procedures():
        sources += [*p.basis, *(s.source for s in p.stages), *(t.source for t in p.transitions)]
        sources += [d.source for d in p.deadlines]
    sources += [k.source for k in registry().kinds.values()]
    for guard in GUARDS.values():
        sources += guard.all_sources()
    return sources


@pytest.mark.skipif(not REGULATIONS_DIR.is_dir(), reason="regulation texts not available")
def test_cited_regulation_articles_exist():
    cited = set()
    for source in _all_sources():
        for part in split_source(source):
            if not STATUTE_RE.match(part):
                cited.add(part)
    assert cited
    for part in sorted(cited):
        citation = parse_citation(part)
        prefix = f"{citation.file} {citation.measure}".rstrip()
        text = _measure_text(prefix)
        article = f"第{int_to_chinese(citation.article)}条"
        assert re.search(rf"(^|\n)\s*{article}", text), part
