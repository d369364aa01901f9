"""Text normalisation for matching, one code point for one, so that offsets in the normalised
text are offsets in the original.

Full-width ASCII (０-９, Ａ-Ｚ, （）－＋：…) becomes ASCII, the ideographic space a space, and
the dashes people type in numbers (‐ ‑ ‒ – — －) a hyphen. Chinese punctuation that has no
ASCII twin (〔〕《》，。) stays as it is.
"""

from __future__ import annotations

_TABLE: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TABLE[0x3000] = 0x20  # ideographic space
_TABLE[0x00A0] = 0x20  # no-break space
for _dash in "\u2010\u2011\u2012\u2013\u2014\u2212":
    _TABLE[ord(_dash)] = 0x2D


def normalize(text: str) -> str:
    """The text for matching; ``len(normalize(t)) == len(t)`` and offsets agree."""
    return text.translate(_TABLE)
