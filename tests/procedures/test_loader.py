"""The loader refuses every malformed definition with a message naming the file and the key."""

from __future__ import annotations

import re
import shutil

import pytest

from sanxiang.procedures import KINDS_FILE, DefinitionError, load_registry

BASE = """\
code = "demo"
action_type = "inspection"
name = "演示程序"
basis = ["000 全过程记录办法 第十条"]
initial = "site_inspection"
finals = ["inspection_result"]

[[stages]]
code = "site_inspection"
name = "检查过程"
source = "000 全过程记录办法 第十条"

  [[stages.records]]
  kind = "inspection_record"

[[stages]]
code = "inspection_result"
name = "检查结果"
source = "000 全过程记录办法 第十条"

  [[stages.records]]
  kind = "inspection_result"

[[transitions]]
code = "conclude"
label = "形成检查结果"
from = "site_inspection"
to = "inspection_result"
roles = ["officer"]
guards = ["certified_officers"]
source = "000 全过程记录办法 第十条"

[[deadlines]]
code = "archive"
label = "立卷归档"
start = "record:inspection_result"
end = ["archived"]
period = "profile:recording.archive_deadline"
source = "000 全过程记录办法 第二十五条"
"""

EXTRA_STAGE = """
[[stages]]
code = "handover"
name = "移交立案"
source = "000 全过程记录办法 第十一条"

  [[stages.records]]
  kind = "handover_record"
"""


def load(tmp_path, text: str, name: str = "demo.toml", kinds: str | None = None):
    definitions = tmp_path / "definitions"
    definitions.mkdir(exist_ok=True)
    (definitions / name).write_text(text, encoding="utf-8")
    kinds_file = tmp_path / "kinds.toml"
    if kinds is None:
        shutil.copy(KINDS_FILE, kinds_file)
    else:
        kinds_file.write_text(kinds, encoding="utf-8")
    return load_registry(definitions, kinds_file)


def test_base_definition_loads(tmp_path):
    reg = load(tmp_path, BASE)
    procedure = reg.procedures["demo"]
    assert [s.code for s in procedure.stages] == ["site_inspection", "inspection_result"]
    assert procedure.deadline("archive").profile_key == "recording.archive_deadline"


# (what is changed, replaced by what, the key the message names, the message)
BAD = [
    ('name = "演示程序"', 'name = "演示程序"\ncolour = "red"', "顶层", "未知字段 colour"),
    ('action_type = "inspection"', 'action_type = "patrol"', "action_type", "patrol"),
    ('code = "demo"', 'code = "other"', "code", "应与文件名“demo”一致"),
    (
        'name = "检查过程"',
        'name = "检查过程"\ncolour = 1',
        "stages[0]（site_inspection）",
        "未知字段 colour",
    ),
    ('to = "inspection_result"', 'to = "nowhere"', "transitions[0]（conclude）", "nowhere"),
    (
        'guards = ["certified_officers"]',
        'guards = ["magic"]',
        "transitions[0]（conclude）",
        "未知的守卫条件“magic”",
    ),
    (
        'guards = ["certified_officers"]',
        'guards = ["stage_records_complete"]',
        "transitions[0]（conclude）",
        "自动适用",
    ),
    (
        'roles = ["officer"]',
        'roles = ["janitor"]',
        "transitions[0]（conclude）",
        "未知的操作角色“janitor”",
    ),
    (
        'kind = "inspection_record"',
        'kind = "secret_memo"',
        "stages[0]（site_inspection） records[0]",
        "未登记的文书种类“secret_memo”",
    ),
    (
        'kind = "inspection_record"',
        'kind = "penalty_decision"',
        "stages[0]（site_inspection） records[0]",
        "不含“site_inspection”",
    ),
    (
        'kind = "inspection_record"',
        'kind = "inspection_record"\n  signatures = ["ghost"]',
        "stages[0]（site_inspection） records[0]",
        "未知的签名角色“ghost”",
    ),
    (
        'kind = "inspection_record"',
        'kind = "inspection_record"\n  min = 0',
        "records[0]",
        "min 应为正整数",
    ),
    (
        'basis = ["000 全过程记录办法 第十条"]',
        'basis = ["000 第十条"]',
        "basis",
        "不是已知的规范性文件",
    ),
    (
        'source = "000 全过程记录办法 第十条"\n\n[[deadlines]]',
        'source = "第十条"\n\n[[deadlines]]',
        "transitions[0]（conclude）",
        "格式不符",
    ),
    (
        'source = "000 全过程记录办法 第二十五条"',
        'source = "《中华人民共和国刑法》第一条"',
        "deadlines[0]（archive）",
        "不在已知法律之列",
    ),
    (
        'source = "000 全过程记录办法 第二十五条"',
        'source = "《中华人民共和国行政处罚法》第九十九条"',
        "deadlines[0]（archive）",
        "只有86条",
    ),
    (
        'source = "000 全过程记录办法 第二十五条"',
        'source = "000 全过程记录办法 第二十五条；"',
        "deadlines[0]（archive）",
        "空引用",
    ),
    (
        'start = "record:inspection_result"',
        'start = "record:nothing"',
        "deadlines[0]（archive）",
        "未登记",
    ),
    (
        'start = "record:inspection_result"',
        'start = "whenever"',
        "deadlines[0]（archive）",
        "无法识别",
    ),
    (
        'start = "record:inspection_result"',
        'start = "entered:limbo"',
        "deadlines[0]（archive）",
        "“limbo”未定义",
    ),
    (
        'start = "record:inspection_result"',
        'start = "record:penalty_decision"',
        "deadlines[0]（archive）",
        "不在本程序任何环节中",
    ),
    (
        'period = "profile:recording.archive_deadline"',
        'amount = 5\nunit = "fortnights"',
        "deadlines[0]（archive）",
        "未知的期限单位“fortnights”",
    ),
    (
        'period = "profile:recording.archive_deadline"',
        'period = "profile:recording.nonexistent"',
        "deadlines[0]（archive）",
        "未定义规则“recording.nonexistent”",
    ),
    (
        'period = "profile:recording.archive_deadline"',
        'period = "profile:review.required_before_major_decision"',
        "deadlines[0]（archive）",
        "不是以工作日或日计的期限",
    ),
    (
        'end = ["archived"]',
        'end = ["archived"]\ncondition = "full_moon"',
        "deadlines[0]（archive）",
        "未知的条件“full_moon”",
    ),
    (
        'finals = ["inspection_result"]',
        'finals = ["inspection_result", "limbo"]',
        "finals",
        "“limbo”不是本程序的环节",
    ),
    ('initial = "site_inspection"', 'initial = "limbo"', "initial", "“limbo”不是本程序的环节"),
    (
        'code = "inspection_result"\nname = "检查结果"',
        'code = "site_inspection"\nname = "检查结果"',
        "stages[1]（site_inspection）",
        "重复定义",
    ),
    (
        'guards = ["certified_officers"]',
        'guards = ["hearing_period_passed"]',
        "transitions（conclude）",
        "需要本程序定义固定期限“hearing_request”",
    ),
    (
        'name = "检查过程"\n',
        'name = "检查过程"\nclosing_guards = ["certified_officers"]\n',
        "stages（site_inspection）",
        "只有终结环节可以规定结案条件（closing_guards）",
    ),
    (
        'name = "检查结果"\n',
        'name = "检查结果"\nclosing_guards = ["nope"]\n',
        "stages[1]（inspection_result）",
        "未知的守卫条件“nope”",
    ),
    (
        'name = "检查结果"\n',
        'name = "检查结果"\nclosing_guards = ["stage_records_complete"]\n',
        "stages[1]（inspection_result）",
        "不必列为结案条件",
    ),
    (
        'name = "检查结果"\n',
        'name = "检查结果"\nclosing_guards = ["source_notified_if_required"]\n',
        "stages（inspection_result）",
        "读取的文书种类（source_notification）不属于本环节",
    ),
]


@pytest.mark.parametrize(("old", "new", "where", "message"), BAD)
def test_bad_definition_is_refused(tmp_path, old, new, where, message):
    assert old in BASE
    with pytest.raises(DefinitionError) as excinfo:
        load(tmp_path, BASE.replace(old, new, 1))
    text = str(excinfo.value)
    assert "demo.toml" in text
    assert where in text
    assert message in text


def test_unreachable_stage(tmp_path):
    with pytest.raises(DefinitionError, match=re.escape("demo.toml：环节“handover”：没有任何流转")):
        load(tmp_path, BASE + EXTRA_STAGE)


def test_unreachable_final_stage(tmp_path):
    text = (BASE + EXTRA_STAGE).replace(
        'finals = ["inspection_result"]', 'finals = ["inspection_result", "handover"]'
    )
    with pytest.raises(
        DefinitionError, match=re.escape("demo.toml：finals：终结环节“handover”无法从初始环节")
    ):
        load(tmp_path, text)


def test_dead_end_stage(tmp_path):
    text = (
        BASE
        + EXTRA_STAGE
        + """
[[transitions]]
code = "hand_over"
label = "移交"
from = "inspection_result"
to = "handover"
roles = ["unit_head"]
source = "000 全过程记录办法 第十一条"
"""
    ).replace('finals = ["inspection_result"]', 'finals = ["site_inspection"]')
    with pytest.raises(
        DefinitionError, match="环节“inspection_result”：从该环节无法到达任何终结环节"
    ):
        load(tmp_path, text)


def test_optional_stage_that_cannot_be_skipped(tmp_path):
    text = BASE.replace('name = "检查结果"', 'name = "检查结果"\noptional = true')
    with pytest.raises(DefinitionError, match="标记为可选环节，但不经过该环节无法到达终结环节"):
        load(tmp_path, text)


def test_invalid_toml(tmp_path):
    with pytest.raises(DefinitionError, match=re.escape("demo.toml 不是有效的 TOML")):
        load(tmp_path, BASE + "\n[[stages]\n")


def test_kinds_file_errors(tmp_path):
    kinds = KINDS_FILE.read_text(encoding="utf-8")
    bad_field = kinds.replace('name = "检查记录"', 'name = "检查记录"\ncolour = "red"', 1)
    with pytest.raises(
        DefinitionError, match=re.escape("kinds.toml：文书种类“inspection_record”：未知字段 colour")
    ):
        load(tmp_path, BASE, kinds=bad_field)
    bad_data = kinds.replace(
        'data = ["statement_waived"]', 'data = ["statement_waived", "mood"]', 1
    )
    with pytest.raises(DefinitionError, match="文书种类“statement_waiver”：未知的关键数据“mood”"):
        load(tmp_path, BASE, kinds=bad_data)
    bad_source = kinds.replace('source = "002 第二十八条"', 'source = "002 第二十八"', 1)
    with pytest.raises(
        DefinitionError, match="文书种类“filing_approval”：引用“002 第二十八”格式不符"
    ):
        load(tmp_path, BASE, kinds=bad_source)
    start = kinds.index("[kinds.handover_record]")
    end = kinds.index("[kinds.", start + 1)
    section = re.sub(r"fields = \[.*?\n\]", "fields = []", kinds[start:end], flags=re.S)
    no_fields = kinds[:start] + section + kinds[end:]
    with pytest.raises(DefinitionError, match="文书种类“handover_record”：应列出文书须载明的事项"):
        load(tmp_path, BASE, kinds=no_fields)


def test_empty_directory(tmp_path):
    (tmp_path / "definitions").mkdir()
    with pytest.raises(DefinitionError, match="没有执法程序定义文件"):
        load_registry(tmp_path / "definitions", KINDS_FILE)
