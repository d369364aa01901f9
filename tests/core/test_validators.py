import pytest
from django.core.exceptions import ValidationError

from sanxiang.core.validators import (
    normalize_id_number,
    normalize_landline,
    normalize_mobile,
    normalize_phone,
    normalize_uscc,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("360426199101010071", "360426199101010071"),  # python-stdnum's own example
        ("11010519491231002X", "11010519491231002X"),  # GB 11643 annex example, X check digit
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("110105491231002", "110105491231002"),  # first-generation 15-digit card
    ],
)
def test_valid_id_numbers(raw, expected):
    assert normalize_id_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("360426199101010072", "id_checksum", "校验码错误"),
        ("36042619910101007", "id_length", "应为18位"),
        ("3604261991010100711", "id_length", "应为18位"),
        ("36042619910101007A", "id_format", "只能由数字和末位X组成"),
        ("990426199101010078", "id_region", "省级行政区划代码"),
        ("360426199113010078", "id_birth", "出生日期无效"),
        ("360426209901010071", "id_birth", "出生日期无效"),  # not born yet
        ("110105493231002", "id_birth", "出生日期无效"),  # 15-digit with month 32
        ("", "id_length", "应为18位"),
    ],
)
def test_invalid_id_numbers(raw, code, fragment):
    if code in {"id_region", "id_birth"} and len(raw) == 18:
        # Give the vector a correct check digit so that only the named defect remains.
        from stdnum.cn import ric

        raw = raw[:-1] + ric.calc_check_digit(raw)
    with pytest.raises(ValidationError) as exc:
        normalize_id_number(raw)
    assert exc.value.code == code
    assert fragment in exc.value.messages[0]
    assert "GB" in exc.value.messages[0]


@pytest.mark.parametrize(
    "raw",
    ["91350100M000100Y43", "91110000600037341L", "91 350100 M000100Y43"],
)
def test_valid_uscc(raw):
    assert len(normalize_uscc(raw)) == 18


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("91350100M000100Y44", "uscc_checksum"),
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M00010OY43", "uscc_format"),  # the letter O is never used
        ("9135010OM000100Y4I", "uscc_format"),
    ],
)
def test_invalid_uscc(raw, code):
    with pytest.raises(ValidationError) as exc:
        normalize_uscc(raw)
    assert exc.value.code in {code, "uscc_checksum", "uscc_format"}
    assert "GB 32100" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("+86 139 0371 1234", "13903711234"),
        ("199-3711-2345", "19937112345"),
    ],
)
def test_valid_mobile(raw, expected):
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw", ["12345678901", "1380013800", "138001380001", "0371-67180000", "abc"]
)
def test_invalid_mobile(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_mobile(raw)
    assert "手机号码" in exc.value.messages[0] or "电话号码" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0371-67180000", "0371-67180000"),
        ("(0533)6181234", "0533-6181234"),
        ("010 12345678", "010-12345678"),
        ("0371-67180000转801", "0371-67180000-801"),
    ],
)
def test_valid_landline(raw, expected):
    assert normalize_landline(raw) == expected


@pytest.mark.parametrize("raw", ["67180000", "13800138000", "0371-1234", "09999-1234567"])
def test_invalid_landline(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_landline(raw)
    assert "固定电话" in exc.value.messages[0]


def test_phone_accepts_either_and_names_both_in_error():
    assert normalize_phone("13800138000") == "13800138000"
    assert normalize_phone("0371-67180000") == "0371-67180000"
    with pytest.raises(ValidationError) as exc:
        normalize_phone("12345")
    assert "手机号码" in exc.value.messages[0]
    assert "固定电话" in exc.value.messages[0]
