"""The 检查对象名录库: single entries and CSV import (all-or-nothing, line-numbered errors)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from faker import Faker

from sanxiang.inspections import services
from sanxiang.inspections.models import InspectionTarget
from sanxiang.records.models import LedgerEntry
from tests.factories import make_uscc

HEADER = "类型,名称,统一社会信用代码,身份证号码,法定代表人,地址,行业类别\n"
fake = Faker("zh_CN")


def csv_text(*rows: str) -> io.StringIO:
    return io.StringIO(HEADER + "".join(r + "\n" for r in rows))


def test_import_creates_every_row_and_one_ledger_entry(dw):
    person_id = fake.ssn()
    stream = csv_text(
        f"法人,郑州甲超市有限公司,{make_uscc()},,张某,金水区1号,食品销售",
        f"个体工商户,乙便利店,{make_uscc()},,,,食品销售",
        f"自然人,赵某某,,{person_id},,,食品销售",
    )
    summary = services.import_targets(actor=dw.world.head, agency=dw.world.agency, stream=stream)
    assert summary.created == 3
    assert InspectionTarget.objects.filter(agency=dw.world.agency).count() == 3
    entry = LedgerEntry.objects.get(action="inspections.import_targets")
    assert summary.sha256 in entry.payload
    person = InspectionTarget.objects.get(kind="natural_person")
    assert person.public_name == "赵某"
    assert person_id not in entry.payload


def test_import_errors_name_the_lines_and_nothing_is_written(dw):
    good = make_uscc()
    stream = csv_text(
        f"法人,郑州甲超市有限公司,{good},,张某,金水区1号,食品销售",
        "法人,郑州乙超市有限公司,91410100MA00000000,,张某,,食品销售",
        f"公司,丙,{make_uscc()},,,,食品销售",
        f"其他组织,丁,{good},,,,食品销售",
        f"法人,戊有限公司,{make_uscc()},,,,",
    )
    with pytest.raises(ValidationError) as exc:
        services.import_targets(actor=dw.world.head, agency=dw.world.agency, stream=stream)
    messages = exc.value.messages
    assert any(m.startswith("第3行：统一社会信用代码") and "校验码错误" in m for m in messages)
    assert any(m.startswith("第4行：对象类型“公司”无效") for m in messages)
    assert any(m.startswith("第5行：") and "与第2行重复" in m for m in messages)
    assert "第6行：检查对象为法人的，应当登记法定代表人" in messages
    assert "第6行：行业类别不能为空" in messages
    assert messages[-1] == "整个文件均未导入。"
    assert not InspectionTarget.objects.exists()
    assert not LedgerEntry.objects.filter(action="inspections.import_targets").exists()


def test_import_refuses_a_target_already_registered(dw):
    uscc = make_uscc()
    services.import_targets(
        actor=dw.world.head,
        agency=dw.world.agency,
        stream=csv_text(f"其他组织,甲,{uscc},,,,食品销售"),
    )
    with pytest.raises(ValidationError, match=f"第3行：统一社会信用代码{uscc}已在名录库中"):
        services.import_targets(
            actor=dw.world.head,
            agency=dw.world.agency,
            stream=csv_text(
                f"其他组织,乙,{make_uscc()},,,,食品销售", f"其他组织,甲,{uscc},,,,食品销售"
            ),
        )
    assert InspectionTarget.objects.count() == 1


def test_import_refuses_a_bad_header(dw):
    with pytest.raises(ValidationError, match="第1行：表头缺少“行业类别”列"):
        services.import_targets(
            actor=dw.world.head,
            agency=dw.world.agency,
            stream=io.StringIO("类型,名称,统一社会信用代码,身份证号码,法定代表人,地址\n"),
        )


def test_command_imports_a_file(dw, tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text(HEADER + f"其他组织,甲,{make_uscc()},,,,食品销售\n", encoding="utf-8-sig")
    out = io.StringIO()
    call_command(
        "inspection_targets", "import", str(path), agency=str(dw.world.agency.pk), stdout=out
    )
    assert "已导入 1 个检查对象" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "其他组织,乙,123,,,,食品销售\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第2行：统一社会信用代码"):
        call_command("inspection_targets", "import", str(bad), agency=str(dw.world.agency.pk))
    assert InspectionTarget.objects.count() == 1


def test_single_target_validation(dw):
    with pytest.raises(ValidationError, match="应当登记身份证号码"):
        services.create_target(
            actor=dw.world.head,
            agency=dw.world.agency,
            data=services.TargetInput(kind="natural_person", name="赵某", category="食品销售"),
        )
