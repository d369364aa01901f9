"""The embedded CJK fonts and their coverage.

Both files are derived from Noto Serif CJK SC (SIL Open Font License 1.1, ``fonts/OFL.txt``);
``fontbuild.py`` rebuilds them. Official documents use 仿宋 for the body and 小标宋 for
titles; no openly licensed font of those designs covers GB 18030, so the serif (宋体-style)
Noto face is used for both, Bold for titles.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR_FONT_PATH = FONT_DIR / "NotoSerifCJKsc-Regular.otf"
BOLD_FONT_PATH = FONT_DIR / "NotoSerifCJKsc-Bold-GB2312.otf"
LICENSE_PATH = FONT_DIR / "OFL.txt"

#: fpdf2 family names the renderer registers.
REGULAR = "sanxiang-serif"
BOLD = "sanxiang-serif-bold"


@cache
def coverage(path: Path) -> frozenset[int]:
    """Code points the font at ``path`` maps to a glyph."""
    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def regular_coverage() -> frozenset[int]:
    return coverage(REGULAR_FONT_PATH)


def bold_coverage() -> frozenset[int]:
    return coverage(BOLD_FONT_PATH)


def missing_characters(text: str) -> list[str]:
    """Characters of ``text`` that the embedded Regular face cannot draw (shown as a box)."""
    cov = regular_coverage()
    seen: dict[str, None] = {}
    for ch in text:
        if ord(ch) not in cov and not ch.isspace() and ch not in seen:
            seen[ch] = None
    return list(seen)
