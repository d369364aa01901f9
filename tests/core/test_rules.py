"""Jurisdiction rule profiles: values and citations per profile, inheritance, validation,
and the ``rules`` management command."""

import json
import os
import re
import unicodedata
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanxiang.core.rules import (
    PROFILES_DIR,
    Period,
    ProfileFileError,
    RuleProfile,
    UnknownProfile,
    UnknownRule,
    all_profiles,
    get_profile,
    load_profiles,
    parse_citation,
    profile_choices,
)
from sanxiang.core.rules.citations import chinese_to_int, int_to_chinese

CITATION = re.compile(r"^\d{3} .*第[一二三四五六七八九十百零]+条")
# The regulation texts live in ../shared beside the checkout (as in CI).
REGULATIONS_DIR = Path(
    os.environ.get(
        "SANXIANG_REGULATIONS", Path(__file__).resolve().parents[3] / "shared" / "regulations"
    )
)
PROFILES = ("henan", "zhengzhou", "zhoucun")

# (profile, key, value, source, defined_in)
EXPECTED = [
    # Henan
    (
        "henan",
        "disclosure.decision_deadline.licensing_penalty",
        Period(7, "workdays"),
        "001 河南公示办法 第二十一条",
        "henan",
    ),
    (
        "henan",
        "disclosure.decision_deadline.other",
        Period(20, "workdays"),
        "001 河南公示办法 第二十一条",
        "henan",
    ),
    (
        "henan",
        "disclosure.update_deadline",
        Period(20, "workdays"),
        "001 河南公示办法 第二十二条",
        "henan",
    ),
    (
        "henan",
        "disclosure.withdraw_deadline",
        Period(20, "workdays"),
        "001 河南公示办法 第二十二条",
        "henan",
    ),
    (
        "henan",
        "disclosure.correct_deadline",
        Period(20, "workdays"),
        "001 河南公示办法 第二十二条",
        "henan",
    ),
    ("henan", "disclosure.annual_report_due", "01-31", "001 河南公示办法 第二十三条", "henan"),
    ("henan", "disclosure.natural_person_name", "masked", "001 河南公示办法 第十八条", "henan"),
    (
        "henan",
        "recording.archive_deadline",
        Period(20, "workdays"),
        "001 河南全过程记录办法 第二十一条",
        "henan",
    ),
    ("henan", "recording.av_storage.same_day", True, "001 河南全过程记录办法 第二十二条", "henan"),
    (
        "henan",
        "recording.av_storage.remote_hours",
        Period(24, "hours"),
        "001 河南全过程记录办法 第二十二条",
        "henan",
    ),
    ("henan", "review.deadline", Period(5, "workdays"), "001 河南法制审核办法 第十三条", "henan"),
    ("henan", "review.extension", Period(5, "workdays"), "001 河南法制审核办法 第十三条", "henan"),
    ("henan", "review.max_extensions", 1, "001 河南法制审核办法 第十三条", "henan"),
    ("henan", "review.reviewer_min_ratio", Decimal("0.05"), "001 河南法制审核办法 第五条", "henan"),
    ("henan", "review.reviewer_min_count", 1, "001 河南法制审核办法 第五条", "henan"),
    # Zhengzhou: its own measures, over Henan
    (
        "zhengzhou",
        "disclosure.decision_deadline.licensing_penalty",
        Period(7, "workdays"),
        "000 公示办法 第二十条",
        "zhengzhou",
    ),
    (
        "zhengzhou",
        "disclosure.decision_deadline.other",
        Period(20, "workdays"),
        "000 公示办法 第二十条",
        "zhengzhou",
    ),
    (
        "zhengzhou",
        "disclosure.update_deadline",
        Period(7, "workdays"),
        "000 公示办法 第二十一条",
        "zhengzhou",
    ),
    (
        "zhengzhou",
        "disclosure.withdraw_deadline",
        Period(7, "workdays"),
        "000 公示办法 第二十一条",
        "zhengzhou",
    ),
    (
        "zhengzhou",
        "disclosure.correct_deadline",
        Period(7, "workdays"),
        "000 公示办法 第二十一条",
        "zhengzhou",
    ),
    ("zhengzhou", "disclosure.annual_report_due", "01-31", "000 公示办法 第二十二条", "zhengzhou"),
    ("zhengzhou", "disclosure.natural_person_name", "masked", "000 公示办法 第十七条", "zhengzhou"),
    (
        "zhengzhou",
        "recording.archive_deadline",
        Period(20, "workdays"),
        "000 全过程记录办法 第二十五条",
        "zhengzhou",
    ),
    (
        "zhengzhou",
        "recording.av_storage.same_day",
        True,
        "000 全过程记录办法 第二十六条",
        "zhengzhou",
    ),
    (
        "zhengzhou",
        "recording.av_storage.remote_hours",
        Period(24, "hours"),
        "000 全过程记录办法 第二十六条",
        "zhengzhou",
    ),
    (
        "zhengzhou",
        "review.deadline",
        Period(5, "workdays"),
        "000 法制审核办法 第十九条",
        "zhengzhou",
    ),
    (
        "zhengzhou",
        "review.extension",
        Period(5, "workdays"),
        "000 法制审核办法 第十九条",
        "zhengzhou",
    ),
    ("zhengzhou", "review.max_extensions", 1, "000 法制审核办法 第十九条", "zhengzhou"),
    (
        "zhengzhou",
        "review.reviewer_min_ratio",
        Decimal("0.05"),
        "000 法制审核办法 第五条",
        "zhengzhou",
    ),
    ("zhengzhou", "review.reviewer_min_count", 2, "000 法制审核办法 第五条", "zhengzhou"),
    # …and what only Henan fixes
    (
        "zhengzhou",
        "recording.access_approval",
        "agency_head",
        "001 河南全过程记录办法 第二十四条",
        "henan",
    ),
    ("zhengzhou", "review.fail_on_suspected_crime", True, "001 河南法制审核办法 第十一条", "henan"),
    # Zhoucun: one measure, no numbers where it says 及时 / 规定期限
    (
        "zhoucun",
        "recording.archive_deadline",
        Period(30, "calendar_days"),
        "002 第四十三条",
        "zhoucun",
    ),
    ("zhoucun", "disclosure.update_deadline", None, "002 第二十条", "zhoucun"),
    ("zhoucun", "disclosure.withdraw_deadline", None, "002 第二十条", "zhoucun"),
    ("zhoucun", "disclosure.correct_deadline", None, "002 第二十条", "zhoucun"),
    ("zhoucun", "disclosure.decision_deadline.licensing_penalty", None, "002 第十八条", "zhoucun"),
    ("zhoucun", "disclosure.natural_person_name", "masked", "002 第十九条", "zhoucun"),
    ("zhoucun", "review.deadline", None, "002 第五十五条", "zhoucun"),
    ("zhoucun", "review.reviewer_min_count", None, "002 第四十九条", "zhoucun"),
    ("zhoucun", "review.reviewer_min_ratio", None, "002 第四十九条", "zhoucun"),
    ("zhoucun", "review.collective_discussion", "after_pass", "002 第五十五条", "zhoucun"),
    ("zhoucun", "review.general_procedure_penalties", "optional", "002 第五十一条", "zhoucun"),
]


@pytest.mark.parametrize(("code", "key", "value", "source", "defined_in"), EXPECTED)
def test_profile_values(code, key, value, source, defined_in):
    rule = get_profile(code).rule(key)
    assert rule.value == value
    assert type(rule.value) is type(value)
    assert rule.source == source
    assert rule.defined_in == defined_in
    assert rule.label


def test_period_rendering():
    assert str(Period(7, "workdays")) == "7个工作日"
    assert str(Period(30, "calendar_days")) == "30日"
    assert str(Period(24, "hours")) == "24小时"
    assert Period(30, "calendar_days").as_timedelta().days == 30
    with pytest.raises(ValueError, match="工作日"):
        Period(5, "workdays").as_timedelta()
    with pytest.raises(ValueError):
        Period(5, "weeks")  # type: ignore[arg-type]


def test_display_values():
    zhengzhou = get_profile("zhengzhou")
    assert zhengzhou.rule("review.reviewer_min_ratio").display_value() == "5%"
    assert zhengzhou.rule("review.reviewer_min_count").display_value() == "2人"
    assert zhengzhou.rule("disclosure.annual_report_due").display_value() == "每年1月31日前"
    assert "张某" in zhengzhou.rule("disclosure.natural_person_name").display_value()
    assert get_profile("zhoucun").rule("review.deadline").display_value() == "未规定"


@pytest.mark.parametrize("code", PROFILES)
def test_every_rule_cites_an_article(code):
    for rule in get_profile(code).rules():
        assert CITATION.match(rule.source), (code, rule.key, rule.source)
        citation = parse_citation(rule.source)
        assert str(citation) == rule.source
        assert rule.label, rule.key
        if rule.value is None:
            assert rule.note, f"{code} {rule.key}: an open value must say why"


def _normal(text: str) -> str:
    """Whitespace removed, full-width punctuation folded (the texts mix "，" and ",")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _article(file: str, title: str, article: str) -> str:
    """The text of one article of one measure, normalised."""
    [path] = REGULATIONS_DIR.glob(f"{file}_*.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    # The measure runs to the title line of the next measure in the file, if any.
    text = "\n".join(lines[start + 1 :])
    heads = list(re.finditer(r"^第([一二三四五六七八九十百零]+)条", text, re.M))
    # Articles restart at 第一条 in each measure: stop at the second 第一条.
    firsts = [m for m in heads if m[1] == "一"]
    if len(firsts) > 1:
        heads = [m for m in heads if m.start() < firsts[1].start()]
    for index, head in enumerate(heads):
        if f"第{head[1]}条" == article:
            end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
            return _normal(text[head.start() : end])
    raise AssertionError(f"{file}《{title}》中没有{article}")


@pytest.mark.parametrize("code", PROFILES)
def test_citations_match_the_regulation_text(code):
    """Each own rule's quote is in the cited article, and so is its number."""
    profile = get_profile(code)
    titles = {doc.citation_prefix: doc.title for doc in profile.documents}
    for rule in profile.own_rules.values():
        citation = parse_citation(rule.source)
        title = titles[f"{citation.file} {citation.measure}".rstrip()]
        text = _article(citation.file, title, citation.article_text)
        assert rule.quote, f"{code} {rule.key}: no quote"
        assert _normal(rule.quote) in text, (code, rule.key, rule.source)
        if isinstance(rule.value, Period):
            assert f"{rule.value.amount}" in text, (code, rule.key)
        if isinstance(rule.value, Decimal):
            assert f"{rule.value * 100:f}".rstrip("0").rstrip(".") + "%" in text, rule.key


def test_zhengzhou_inherits_henan():
    henan, zhengzhou = get_profile("henan"), get_profile("zhengzhou")
    assert zhengzhou.parent is henan
    assert get_profile("zhoucun").parent is None
    assert henan.parent is None
    henan_keys = {rule.key for rule in henan.rules()}
    assert henan_keys <= {rule.key for rule in zhengzhou.rules()}
    # Zhengzhou's own measure restates the review deadline: its own article, not Henan's.
    deadline = zhengzhou.rule("review.deadline")
    assert (deadline.defined_in, deadline.source) == ("zhengzhou", "000 法制审核办法 第十九条")
    # A key only Zhengzhou defines.
    assert zhengzhou.rule("disclosure.statistics_quarterly_filing").value is True
    assert "disclosure.statistics_quarterly_filing" not in henan
    inherited = [r.key for r in zhengzhou.rules() if r.defined_in == "henan"]
    assert inherited == ["recording.access_approval", "review.fail_on_suspected_crime"]
    assert zhengzhou.rules() == sorted(zhengzhou.rules(), key=lambda r: r.key)


def test_zhoucun_fixes_no_numbers_where_the_measure_says_promptly():
    zhoucun = get_profile("zhoucun")
    for key in ("disclosure.update_deadline", "disclosure.correct_deadline"):
        rule = zhoucun.rule(key)
        assert rule.value is None and not rule.is_fixed
        assert "及时" in rule.note
    assert "规定期限" in zhoucun.rule("review.deadline").note
    archive = zhoucun.period("recording.archive_deadline")
    assert archive == Period(30, "calendar_days") and not archive.is_workdays


def test_typed_accessors():
    zhengzhou = get_profile("zhengzhou")
    assert zhengzhou.period("disclosure.update_deadline") == Period(7, "workdays")
    assert zhengzhou.integer("review.reviewer_min_count") == 2
    assert zhengzhou.decimal("review.reviewer_min_ratio") == Decimal("0.05")
    assert zhengzhou.text("disclosure.natural_person_name") == "masked"
    assert zhengzhou.flag("recording.av_storage.same_day") is True
    assert get_profile("zhoucun").period("review.deadline") is None
    with pytest.raises(TypeError, match="不是期限"):
        zhengzhou.period("review.reviewer_min_count")
    with pytest.raises(TypeError):
        zhengzhou.integer("recording.av_storage.same_day")


def test_unknown_profile():
    with pytest.raises(UnknownProfile) as excinfo:
        get_profile("beijing")
    assert isinstance(excinfo.value, ValueError)
    message = str(excinfo.value)
    assert "未知的规则配置" in message and "beijing" in message
    for code in PROFILES:
        assert code in message


def test_unknown_rule():
    with pytest.raises(UnknownRule) as excinfo:
        get_profile("henan").rule("disclosure.no_such_rule")
    assert isinstance(excinfo.value, KeyError)
    assert isinstance(excinfo.value, ValueError)
    assert "未定义规则“disclosure.no_such_rule”" in str(excinfo.value)
    assert "disclosure.no_such_rule" not in get_profile("henan")


def test_profile_choices():
    assert profile_choices() == [
        ("henan", "河南省"),
        ("zhengzhou", "郑州市"),
        ("zhoucun", "淄博市周村区"),
    ]
    assert [p.code for p in all_profiles()] == list(PROFILES)
    assert isinstance(get_profile("henan"), RuleProfile)
    assert get_profile("henan") is get_profile("henan")  # cached


def test_profiles_ship_as_package_data():
    assert sorted(p.name for p in PROFILES_DIR.glob("*.toml")) == [
        "henan.toml",
        "zhengzhou.toml",
        "zhoucun.toml",
    ]


def test_chinese_numerals():
    samples = {
        1: "一",
        10: "十",
        11: "十一",
        20: "二十",
        21: "二十一",
        55: "五十五",
        100: "一百",
        105: "一百零五",
        110: "一百一十",
    }
    for number, text in samples.items():
        assert int_to_chinese(number) == text
        assert chinese_to_int(text) == number
    with pytest.raises(ValueError):
        chinese_to_int("二二")


# ---------------------------------------------------------------- validation

PARENT = """
code = "parent"
name = "上级"

[[documents]]
file = "001"
measure = "甲办法"
title = "甲办法"

[rules."review.deadline"]
label = "审核时限"
value = 5
unit = "workdays"
source = "001 甲办法 第十三条"

[rules."review.reviewer_min_ratio"]
label = "比例"
value = 0.05
unit = "ratio"
source = "001 甲办法 第五条"
"""

CHILD_HEAD = """
code = "child"
name = "下级"
inherits = "parent"

[[documents]]
file = "000"
title = "乙办法"
"""


def _write(directory: Path, **files: str) -> Path:
    for code, text in files.items():
        (directory / f"{code}.toml").write_text(text, encoding="utf-8")
    return directory


def test_loader_accepts_a_directory(tmp_path):
    child = (
        CHILD_HEAD
        + """
[rules."review.deadline"]
override = true
label = "审核时限"
value = 3
unit = "calendar_days"
source = "000 第十九条"

[rules."review.extra"]
label = "新增规则"
value = "x"
source = "000 第二十条"
"""
    )
    profiles = load_profiles(_write(tmp_path, parent=PARENT, child=child))
    assert profiles["child"].rule("review.deadline").value == Period(3, "calendar_days")
    assert profiles["child"].rule("review.reviewer_min_ratio").defined_in == "parent"
    assert profiles["parent"].rule("review.reviewer_min_ratio").value == Decimal("0.05")


BAD_RULE = (
    CHILD_HEAD
    + """
[rules."review.other"]
label = "其他"
{body}
"""
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('value = 5\nunit = "workdays"\nsource = "000 第19条"', "格式不符"),
        ('value = 5\nunit = "workdays"\nsource = "000 第二二条"', "规范的中文条文序号"),
        ('value = 5\nunit = "workdays"', "缺少“source”"),
        ('value = 5\nunit = "weeks"\nsource = "000 第十九条"', "未知单位“weeks”"),
        ('value = 5.5\nunit = "workdays"\nsource = "000 第十九条"', "非负整数"),
        ('value = 2\nunit = "ratio"\nsource = "000 第五条"', "0与1之间"),
        ('value = "1-31"\nunit = "month_day"\nsource = "000 第五条"', "01-31"),
        ('unit = "workdays"\nsource = "000 第十九条"', "note 中说明"),
        ('value = 5\nunit = "workdays"\nsource = "002 第十九条"', "不在本配置的 documents"),
        ('value = 5\nunit = "workdays"\nsource = "000 某办法 第十九条"', "不在本配置的 documents"),
        ('value = 5\nsorce = "000 第十九条"', "未知字段 sorce"),
        ('value = "x"\nchoices = { a = "甲", b = "乙" }\nsource = "000 第五条"', "不在可选值"),
        ('value = 1\nsource = "000 第五条"\noverride = true', "并未定义该规则"),
    ],
)
def test_bad_rule_is_refused(tmp_path, body, message):
    _write(tmp_path, parent=PARENT, child=BAD_RULE.format(body=body))
    with pytest.raises(ProfileFileError, match=message) as excinfo:
        load_profiles(tmp_path)
    assert "child.toml" in str(excinfo.value)
    assert "review.other" in str(excinfo.value)


def test_redefining_a_parent_rule_needs_override(tmp_path):
    child = (
        CHILD_HEAD
        + """
[rules."review.deadline"]
label = "审核时限"
value = 3
unit = "workdays"
source = "000 第十九条"
"""
    )
    _write(tmp_path, parent=PARENT, child=child)
    with pytest.raises(ProfileFileError, match=r"child\.toml.*review\.deadline.*override = true"):
        load_profiles(tmp_path)


def test_override_must_keep_the_kind(tmp_path):
    child = (
        CHILD_HEAD
        + """
[rules."review.deadline"]
override = true
label = "审核时限"
value = "五日"
source = "000 第十九条"
"""
    )
    _write(tmp_path, parent=PARENT, child=child)
    with pytest.raises(ProfileFileError, match=r"review\.deadline.*类型（文本）.*（期限）不一致"):
        load_profiles(tmp_path)


def test_inheritance_cycle_is_refused(tmp_path):
    def profile(code: str, parent: str) -> str:
        return PARENT.replace('code = "parent"', f'code = "{code}"\ninherits = "{parent}"')

    _write(tmp_path, a=profile("a", "b"), b=profile("b", "a"))
    with pytest.raises(ProfileFileError, match="继承关系成环：a → b → a"):
        load_profiles(tmp_path)


def test_unknown_parent_and_bad_files(tmp_path):
    _write(
        tmp_path,
        child=CHILD_HEAD + '[rules."review.x"]\nlabel = "x"\nvalue = 1\nsource = "000 第一条"\n',
    )
    with pytest.raises(ProfileFileError, match=r"child\.toml.*继承的配置“parent”不存在"):
        load_profiles(tmp_path)
    (tmp_path / "child.toml").write_text("code = [", encoding="utf-8")
    with pytest.raises(ProfileFileError, match=r"child\.toml 不是有效的 TOML"):
        load_profiles(tmp_path)
    (tmp_path / "child.toml").write_text(PARENT, encoding="utf-8")
    with pytest.raises(ProfileFileError, match="应与文件名“child”一致"):
        load_profiles(tmp_path)
    with pytest.raises(ProfileFileError, match="没有规则配置文件"):
        load_profiles(tmp_path / "missing")


def test_shipped_profiles_load_from_their_directory():
    profiles = load_profiles(PROFILES_DIR)
    assert list(profiles) == list(PROFILES)


# ---------------------------------------------------------------- the command


def _run(*args: str) -> str:
    out = StringIO()
    call_command("rules", *args, stdout=out)
    return out.getvalue()


def test_command_lists_profiles():
    output = _run()
    for code, name in profile_choices():
        assert code in output and name in output


def test_command_shows_zhengzhou():
    output = _run("--jurisdiction", "zhengzhou")
    assert "规则配置：郑州市（zhengzhou），继承自 河南省（henan）" in output
    line = next(ln for ln in output.splitlines() if ln.startswith("disclosure.update_deadline "))
    assert "7个工作日" in line and "000 公示办法 第二十一条" in line and "本级" in line
    line = next(ln for ln in output.splitlines() if ln.startswith("recording.access_approval "))
    assert "001 河南全过程记录办法 第二十四条" in line and "继承自 河南省" in line


def test_command_shows_zhoucun_with_notes():
    output = _run("--jurisdiction", "zhoucun", "--verbosity", "2")
    line = next(ln for ln in output.splitlines() if ln.startswith("recording.archive_deadline "))
    assert "30日" in line and "002 第四十三条" in line
    assert "未规定" in output and "说明：本办法只要求“及时”更新" in output


def test_command_accepts_a_profile_name():
    assert "规则配置：河南省（henan）" in _run("--jurisdiction", "河南省")


def test_command_json():
    data = json.loads(_run("--jurisdiction", "zhengzhou", "--json"))
    rules = {rule["key"]: rule for rule in data["rules"]}
    assert data["code"] == "zhengzhou" and data["inherits"] == "henan"
    assert rules["disclosure.update_deadline"]["value"] == {"amount": 7, "unit": "workdays"}
    assert rules["review.reviewer_min_ratio"]["value"] == "0.05"
    assert rules["recording.access_approval"]["inherited_from"] == "河南省"
    listing = json.loads(_run("--json"))
    assert [p["code"] for p in listing] == list(PROFILES)


@pytest.mark.django_db
def test_command_unknown_jurisdiction():
    with pytest.raises(CommandError, match="未知的辖区“beijing”"):
        _run("--jurisdiction", "beijing")
    with pytest.raises(CommandError, match="未知的辖区“110000”"):
        _run("--jurisdiction", "110000")


@pytest.mark.django_db
def test_command_by_region_code_and_name():
    from tests.factories import jinshui, zhoucun

    jinshui()
    zhoucun()
    output = _run("--jurisdiction", "410105")
    assert "规则配置：郑州市（zhengzhou）" in output
    assert "辖区：金水区（410105）适用此配置" in output
    assert "规则配置：淄博市周村区（zhoucun）" in _run("--jurisdiction", "周村区")
    data = json.loads(_run("--jurisdiction", "410105", "--json"))
    assert data["jurisdiction"] == {"code": "410105", "name": "金水区"}
