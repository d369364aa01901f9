"""``sanxiang procedures``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args: str) -> str:
    out = StringIO()
    call_command("procedures", *args, stdout=out)
    return out.getvalue()


def test_lists_the_procedures():
    out = run()
    assert "penalty_general" in out and "行政处罚一般程序" in out
    assert "立案 → 调查取证 → 告知 → 陈述申辩 → 听证 → 审核决定 → 送达 → 执行 → 结案" in out
    assert "adjudication" in out


def test_shows_one_procedure_and_writes_its_flowchart(tmp_path):
    target = tmp_path / "penalty.svg"
    out = run("penalty_general", "--svg", str(target))
    assert "执法程序：行政处罚一般程序（penalty_general）" in out
    assert "立案审批表［签名：执法人员、承办机构负责人、机关负责人］" in out
    assert "two_certified_officers" in out
    assert "《中华人民共和国行政处罚法》第四十二条" in out
    assert "decision_within_90_days" in out and "90日" in out
    assert "规则配置 recording.archive_deadline" in out
    assert f"执法流程图已写入 {target}" in out
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "行政处罚一般程序流程图" in svg


def test_lists_the_guards():
    out = run("--guards")
    assert "simple_procedure_limits" in out
    assert "《中华人民共和国行政处罚法》第五十一条" in out


def test_unknown_procedure():
    with pytest.raises(CommandError, match="未知的执法程序“nope”"):
        run("nope")
    with pytest.raises(CommandError, match="须指定程序代码"):
        run("--svg", "x.svg")
