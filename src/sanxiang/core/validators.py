"""Identifier validators: 居民身份证号码 (GB 11643), 统一社会信用代码 (GB 32100), phone numbers.

Each `normalize_*` returns the canonical form or raises django's ValidationError with a
Chinese message that says what is wrong; the `validate_*` wrappers are for model fields.
"""

import datetime
import re

import phonenumbers
from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric, uscc

_ID15 = re.compile(r"^\d{15}$")
# GB/T 2260 province-level codes, plus 81/82/83 used on residence permits for Hong Kong,
# Macao and Taiwan residents.
_PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)


def normalize_id_number(value: str) -> str:
    """A 居民身份证号码: 18 digits with the GB 11643 check digit, or the old 15-digit form."""
    number = ric.compact(re.sub(r"\s", "", value or ""))
    if _ID15.match(number):
        # The first-generation card (before 1999): 6-digit area, YYMMDD in the 1900s, 3-digit
        # sequence, no check digit.
        try:
            datetime.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
            if number[:2] not in _PROVINCE_CODES:
                raise ValueError
        except ValueError:
            raise ValidationError(
                "身份证号码“%(v)s”中的地址码或出生日期无效（GB 11643）。",
                code="id_birth",
                params={"v": value},
            ) from None
        return number
    if len(number) != 18:
        raise ValidationError(
            "身份证号码应为18位（或旧版15位），“%(v)s”长度不符（GB 11643）。",
            code="id_length",
            params={"v": value},
        )
    if not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
        raise ValidationError(
            "身份证号码“%(v)s”只能由数字和末位X组成（GB 11643）。",
            code="id_format",
            params={"v": value},
        )
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(
            "身份证号码“%(v)s”校验码错误（GB 11643）。", code="id_checksum", params={"v": value}
        )
    # Only the province part of the area code is checked: counties are renamed and merged,
    # and a card issued under an old code stays valid for life.
    if number[:2] not in _PROVINCE_CODES:
        raise ValidationError(
            "身份证号码“%(v)s”的地址码不是有效的省级行政区划代码（GB/T 2260）。",
            code="id_region",
            params={"v": value},
        )
    try:
        birth = ric.get_birth_date(number)
    except stdnum_exc.ValidationError:
        birth = None
    if birth is None or birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(
            "身份证号码“%(v)s”中的出生日期无效（GB 11643）。", code="id_birth", params={"v": value}
        )
    return number


def normalize_uscc(value: str) -> str:
    """A 统一社会信用代码: 18 characters with the GB 32100 check character."""
    code = uscc.compact(re.sub(r"\s", "", value or ""))
    try:
        return str(uscc.validate(code))
    except stdnum_exc.InvalidLength:
        raise ValidationError(
            "统一社会信用代码应为18位，“%(v)s”长度不符（GB 32100）。",
            code="uscc_length",
            params={"v": value},
        ) from None
    except stdnum_exc.InvalidChecksum:
        raise ValidationError(
            "统一社会信用代码“%(v)s”校验码错误（GB 32100）。",
            code="uscc_checksum",
            params={"v": value},
        ) from None
    except stdnum_exc.ValidationError:
        raise ValidationError(
            "统一社会信用代码“%(v)s”含有不允许的字符（GB 32100：不使用 I、O、Z、S、V）。",
            code="uscc_format",
            params={"v": value},
        ) from None


def _parse_cn(value: str) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            "“%(v)s”不是有效的电话号码。", code="phone_format", params={"v": value}
        ) from None


def normalize_mobile(value: str) -> str:
    """A mainland mobile number, returned as 11 digits."""
    digits = re.sub(r"[\s-]", "", value or "")
    number = _parse_cn(digits)
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(
            "“%(v)s”不是有效的手机号码（应为11位，以1开头的在用号段）。",
            code="mobile_invalid",
            params={"v": value},
        )
    return str(number.national_number)


def normalize_landline(value: str) -> str:
    """A mainland fixed-line number with area code, returned as 0AAA-NNNNNNNN[-EXT]."""
    raw = (value or "").strip()
    ext = ""
    m = re.match(r"^(.*?)(?:转|-|#|ext\.?)\s*(\d{1,6})$", raw)
    if m and len(re.sub(r"\D", "", m.group(1))) >= 10:
        raw, ext = m.group(1), m.group(2)
    digits = re.sub(r"[\s()（）-]", "", raw)
    number = _parse_cn(digits)
    if (
        number.country_code != 86
        or not digits.startswith("0")
        # Area code (3-4 digits with the 0) plus a 7-8 digit local number.
        or not 10 <= len(digits) <= 12
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number)
        not in (
            phonenumbers.PhoneNumberType.FIXED_LINE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
    ):
        raise ValidationError(
            "“%(v)s”不是有效的固定电话号码（应含区号，如 0371-67180000）。",
            code="landline_invalid",
            params={"v": value},
        )
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    area, _, local = national.partition(" ")
    formatted = f"{area}-{local.replace(' ', '')}"
    return f"{formatted}-{ext}" if ext else formatted


def normalize_phone(value: str) -> str:
    """A mobile or a fixed-line number."""
    try:
        return normalize_mobile(value)
    except ValidationError:
        pass
    try:
        return normalize_landline(value)
    except ValidationError:
        raise ValidationError(
            "“%(v)s”既不是有效的手机号码，也不是带区号的固定电话号码。",
            code="phone_invalid",
            params={"v": value},
        ) from None


def validate_id_number(value: str) -> None:
    normalize_id_number(value)


def validate_uscc(value: str) -> None:
    normalize_uscc(value)


def validate_mobile(value: str) -> None:
    normalize_mobile(value)


def validate_phone(value: str) -> None:
    normalize_phone(value)


def mask_identifier(value: str, keep_start: int = 4, keep_end: int = 4) -> str:
    """4101**********1234: enough to tell records apart, not enough to identify a person."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
