"""The shipped fonts, their licence and coverage; Chinese number/date/amount formatting."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sanxiang.documents import fonts
from sanxiang.documents.fontbuild import gb2312_characters
from sanxiang.documents.text import (
    cn_date,
    cn_datetime,
    cn_number,
    cn_time_range,
    money,
    rmb,
    rmb_upper,
)


def test_font_files_and_licence_are_in_the_repository():
    for path in (fonts.REGULAR_FONT_PATH, fonts.BOLD_FONT_PATH):
        assert path.is_file()
        assert path.stat().st_size < 25 * 1024 * 1024
        assert path.read_bytes()[:4] == b"OTTO"  # CFF-flavoured OpenType, one face
    licence = fonts.LICENSE_PATH.read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Reserved Font Name 'Source'" in licence


def test_regular_face_covers_gb2312_and_rare_name_characters():
    cov = fonts.regular_coverage()
    missing = [chr(c) for c in gb2312_characters() if c not in cov]
    assert missing == []
    # characters seen in personal and company names outside GB 2312, incl. Ext A and Ext B
    assert fonts.missing_characters("堃昇喆䶮𠮷犇骉垚燚赟玥珺〔〕（）■□①") == []
    assert fonts.missing_characters("한글 ok") == ["한", "글"]


def test_bold_face_covers_gb2312_titles():
    cov = fonts.bold_coverage()
    assert all(c in cov for c in gb2312_characters())
    assert all(ord(c) in cov for c in "行政处罚决定书〔〕（）0123456789ABC")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (5000, "伍仟元整"),
        (Decimal("10500.50"), "壹万零伍佰元伍角"),
        (100000, "壹拾万元整"),
        (100010, "壹拾万零壹拾元整"),
        (10010000, "壹仟零壹万元整"),
        (200000000, "贰亿元整"),
        (Decimal("1.01"), "壹元零壹分"),
        (Decimal("0.05"), "伍分"),
        (0, "零元整"),
        (Decimal("123456789.12"), "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
    ],
)
def test_rmb_upper(amount, words):
    assert rmb_upper(amount) == words


def test_money_and_rmb():
    assert money(Decimal("50000")) == "50,000.00"
    assert rmb(3200) == "人民币叁仟贰佰元整（¥3,200.00）"
    with pytest.raises(ValueError):
        rmb_upper(Decimal("-1"))


@pytest.mark.parametrize(
    ("n", "text"), [(0, "零"), (6, "六"), (10, "十"), (15, "十五"), (60, "六十"), (105, "一百零五")]
)
def test_cn_number(n, text):
    assert cn_number(n) == text


def test_dates():
    assert cn_date(datetime.date(2026, 1, 5)) == "2026年1月5日"
    start = datetime.datetime(2026, 11, 6, 9, 5)
    assert cn_datetime(start) == "2026年11月6日9时05分"
    assert (
        cn_time_range(start, start.replace(hour=10, minute=45)) == "2026年11月6日9时05分至10时45分"
    )
    assert (
        cn_time_range(start, datetime.datetime(2026, 11, 7, 1, 0))
        == "2026年11月6日9时05分至2026年11月7日1时00分"
    )
