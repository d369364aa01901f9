"""Text normalisation for matching, one code point for one, so that offsets in the normalised
text are offsets in the original.

Full-width digits and letters (０-９, Ａ-Ｚ) and ＋－．＠＿ become ASCII, and the dashes people
type in numbers (‐ ‑ ‒ – — −) a hyphen. Chinese punctuation (（）：，〔〕《》) stays as it is;
the patterns accept it.
"""

from __future__ import annotations

import re

# Full-width digits and letters, ＋ － ． ＠ ＿, and the dashes typed in numbers. Full-width
# brackets, colons and commas are ordinary Chinese punctuation: the patterns accept them as
# they are, so that most texts need no translation at all.
_TABLE: dict[int, int] = {
    code: code - 0xFEE0
    for code in (
        *range(0xFF10, 0xFF1A),
        *range(0xFF21, 0xFF3B),
        *range(0xFF41, 0xFF5B),
        0xFF0B,
        0xFF0D,
        0xFF0E,
        0xFF20,
        0xFF3F,
    )
}
for _dash in "\u2010\u2011\u2012\u2013\u2014\u2212":
    _TABLE[ord(_dash)] = 0x2D
_NEEDS = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_TABLE)) + "]")


def normalize(text: str) -> str:
    """The text for matching; ``len(normalize(t)) == len(t)`` and offsets agree.

    (A text with nothing to translate, the usual case, is returned after one scan.)"""
    if _NEEDS.search(text) is None:
        return text
    return text.translate(_TABLE)
