"""Citations of regulation articles: ``FILE [MEASURE ]第N条``.

``FILE`` is the three-digit number of the regulation file (000, 001, 002, 004 …);
``MEASURE`` names the measure where one file holds several, each numbering its articles
afresh (``000 公示办法 第二十条``, ``001 河南法制审核办法 第五条``); the article number is
written in Chinese numerals, as in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CITATION_RE = re.compile(
    r"^(?P<file>\d{3}) (?:(?P<measure>\S+) )?第(?P<article>[一二三四五六七八九十百零]+)条$"
)

_DIGITS = "零一二三四五六七八九"


def int_to_chinese(number: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (1–999, as articles are numbered)."""
    if not 1 <= number <= 999:
        raise ValueError(f"条文序号应在1至999之间，而不是{number}。")
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    text = ""
    if hundreds:
        text += _DIGITS[hundreds] + "百"
        if tens == 0 and ones:
            return text + "零" + _DIGITS[ones]
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        text += _DIGITS[ones]
    return text


def chinese_to_int(text: str) -> int:
    """The inverse of int_to_chinese; ValueError unless text is in that canonical form."""
    if text in _FROM_CHINESE:
        return _FROM_CHINESE[text]
    raise ValueError(f"“{text}”不是规范的中文条文序号（如“二十一”）。")


_FROM_CHINESE: dict[str, int] = {int_to_chinese(n): n for n in range(1, 1000)}


@dataclass(frozen=True)
class Citation:
    file: str
    measure: str
    article: int

    @property
    def article_text(self) -> str:
        """第二十一条"""
        return f"第{int_to_chinese(self.article)}条"

    def __str__(self) -> str:
        prefix = f"{self.file} {self.measure}".rstrip()
        return f"{prefix} {self.article_text}"


def parse_citation(source: str) -> Citation:
    """Parse ``000 公示办法 第二十一条``; ValueError with a Chinese message if malformed."""
    match = CITATION_RE.match(source)
    if not match:
        raise ValueError(
            f"引用“{source}”格式不符，应为“文件号 [办法简称 ]第N条”，如“000 公示办法 第二十一条”。"
        )
    return Citation(
        file=match["file"],
        measure=match["measure"] or "",
        article=chinese_to_int(match["article"]),
    )
