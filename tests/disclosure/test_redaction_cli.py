"""``sanxiang redact``: plain text and JSON lines, names from the profile rule
``disclosure.natural_person_name``, bad lines refused with the line number."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanxiang.core.rules import Rule, RuleProfile, get_profile

ID = "410105199001011233"


def run(stdin: str, *args: str) -> str:
    out = io.StringIO()
    call_command("redact", *args, stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def test_plain_text_in_redacted_text_out() -> None:
    text = f"证人身份证号码{ID}，\n电话13800138000。咨询电话0371-67188888。\n"
    assert run(text, "--keep", "0371-67188888") == (
        "证人身份证号码[身份证号码已隐去]，\n电话[联系电话已隐去]。咨询电话0371-67188888。\n"
    )


def test_keep_is_repeatable() -> None:
    text = "电话0371-67188888，0371-67188889，0371-67188890"
    out = run(text, "--keep", "0371-67188888", "--keep", "0371-67188889")
    assert out == "电话0371-67188888，0371-67188889，[联系电话已隐去]"


def lines(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_jsonl_keeps_the_order_and_reports_spans_in_input_offsets() -> None:
    records = [
        {
            "text": f"当事人张三，身份证号码{ID}。",
            "party": {"kind": "natural_person", "name": "张三"},
        },
        {"text": "无个人信息。"},
        {"text": "李四电话138 0013 8000", "party": {"name": "李四", "phone": "13800138000"}},
    ]
    out = run(lines(*records), "--jsonl").splitlines()
    results = [json.loads(line) for line in out]
    assert [r["text"] for r in results] == [
        "当事人张某，身份证号码[身份证号码已隐去]。",
        "无个人信息。",
        "李某电话[联系电话已隐去]",
    ]
    assert results[0]["spans"] == [
        {"start": 3, "end": 5, "type": "name"},
        {"start": 11, "end": 29, "type": "id_number"},
    ]
    assert records[0]["text"][11:29] == ID  # type: ignore[index]
    assert results[1]["spans"] == []


def test_names_follow_the_profile_unless_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    record = lines({"text": "当事人张三", "party": {"kind": "natural_person", "name": "张三"}})
    assert get_profile("zhengzhou").rule("disclosure.natural_person_name").value == "masked"
    assert json.loads(run(record, "--jsonl"))["text"] == "当事人张某"
    assert json.loads(run(record, "--jsonl", "--names", "full"))["text"] == "当事人张三"

    # The choice is the profile's data: a profile saying "full" publishes full names.
    original = RuleProfile.rule

    def full_names(self: RuleProfile, key: str) -> Rule:
        found = original(self, key)
        if self.code == "zhoucun" and key == "disclosure.natural_person_name":
            return replace(found, value="full")
        return found

    monkeypatch.setattr(RuleProfile, "rule", full_names)
    assert json.loads(run(record, "--jsonl", "-j", "zhoucun"))["text"] == "当事人张三"
    assert json.loads(run(record, "--jsonl", "-j", "zhengzhou"))["text"] == "当事人张某"


def test_an_unknown_jurisdiction_is_refused() -> None:
    with pytest.raises(CommandError, match="未知的规则配置“nowhere”") as caught:
        run("x", "--jurisdiction", "nowhere")
    assert caught.value.returncode == 2


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("not json", "不是有效的 JSON"),
        ("[1, 2]", "应为 JSON 对象"),
        ('{"txt": "x"}', "未知字段 txt"),
        ('{"text": 5}', "缺少“text”"),
        ('{"text": "x", "party": {"idnumber": "1"}}', "未知字段 idnumber"),
        ('{"text": "x", "party": {"phone": 138}}', "应为字符串"),
        ("", "空行"),
    ],
)
def test_a_bad_line_stops_the_run_naming_its_number(bad_line: str, message: str) -> None:
    stdin = (
        lines({"text": "电话13800138000"}) + bad_line + "\n" + lines({"text": "电话13900139000"})
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match=f"第 2 行：.*{message}") as caught:
        call_command("redact", "--jsonl", stdin=io.StringIO(stdin), stdout=out)
    assert caught.value.returncode == 2
    assert out.getvalue().splitlines() == [
        '{"text": "电话[联系电话已隐去]", "spans": [{"start": 2, "end": 13, "type": "phone"}]}'
    ]
    assert "13900139000" not in out.getvalue()


def test_the_installed_command_streams_utf8_and_exits_2_on_a_bad_line(tmp_path: Path) -> None:
    sanxiang = Path(sys.executable).with_name("sanxiang")
    stdin = lines({"text": f"身份证号码{ID}"}) + "{bad\n"
    done = subprocess.run(
        [str(sanxiang), "redact", "--jsonl"],
        input=stdin.encode("utf-8"),
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C", "LC_ALL": "C", "HOME": str(tmp_path)},
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    first = json.loads(done.stdout.decode("utf-8").splitlines()[0])
    assert first["text"] == "身份证号码[身份证号码已隐去]"
    assert "第 2 行" in done.stderr.decode("utf-8")
