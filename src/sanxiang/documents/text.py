"""Chinese formatting used in 文书: dates, times, small numbers, amounts in words."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

_DIGITS = "零一二三四五六七八九"
_UPPER = "零壹贰叁肆伍陆柒捌玖"
_UPPER_UNITS = ("", "拾", "佰", "仟")
_UPPER_GROUPS = ("", "万", "亿", "万亿")


def cn_date(d: datetime.date) -> str:
    """2026年11月24日 (Arabic numerals, no leading zeros: GB/T 9704-2012 7.3.5.1)."""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_datetime(dt: datetime.datetime) -> str:
    """2026年11月24日10时05分."""
    return f"{cn_date(dt.date())}{dt.hour}时{dt.minute:02d}分"


def cn_time_range(start: datetime.datetime, end: datetime.datetime) -> str:
    """2026年11月24日10时00分至11时30分 (the date is repeated only if it changes)."""
    if start.date() == end.date():
        return f"{cn_datetime(start)}至{end.hour}时{end.minute:02d}分"
    return f"{cn_datetime(start)}至{cn_datetime(end)}"


def cn_number(n: int) -> str:
    """Small whole numbers in Chinese: 15 → 十五, 60 → 六十, 6 → 六 (0 ≤ n < 10000)."""
    if not 0 <= n < 10000:
        raise ValueError(f"cn_number supports 0..9999, got {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n % 10 else "")
    out = ""
    zero = False
    for unit, value in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += _DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def money(amount: Decimal | int) -> str:
    """5000 → 5,000.00."""
    q = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{q:,.2f}"


def _group_upper(n: int) -> str:
    """0 < n < 10000 in financial capitals, without leading zero."""
    out = ""
    zero = False
    for pos in (3, 2, 1, 0):
        digit = n // 10**pos % 10
        if digit:
            if zero:
                out += "零"
            out += _UPPER[digit] + _UPPER_UNITS[pos]
            zero = False
        elif out:
            zero = True
    return out


def rmb_upper(amount: Decimal | int) -> str:
    """Amount in financial capitals (大写): 5000 → 伍仟元整, 10500.5 → 壹万零伍佰元伍角,
    100000 → 壹拾万元整, 0.05 → 伍分."""
    q = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if q < 0:
        raise ValueError("amount must not be negative")
    cents = int(q * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if yuan >= 10**16:
        raise ValueError("amount too large")
    parts: list[str] = []
    groups = []
    n = yuan
    while n:
        groups.append(n % 10000)
        n //= 10000
    need_zero = False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            need_zero = bool(parts)
            continue
        if parts and (need_zero or g < 1000):
            parts.append("零")
        parts.append(_group_upper(g) + _UPPER_GROUPS[idx])
        need_zero = False
    text = "".join(parts)
    if text:
        text += "元"
    if jiao == 0 and fen == 0:
        return (text or "零元") + "整"
    if jiao:
        text += _UPPER[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _UPPER[fen] + "分"
    return text


def rmb(amount: Decimal | int) -> str:
    """人民币伍仟元整（¥5,000.00）."""
    return f"人民币{rmb_upper(amount)}（¥{money(amount)}）"
