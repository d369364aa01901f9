"""Build the embedded fonts shipped in ``documents/fonts/`` (a developer tool, not run at runtime).

The fonts are derived from Noto Serif CJK SC (SIL OFL 1.1, see ``fonts/OFL.txt``) as
packaged by Debian's ``fonts-noto-cjk`` (a TrueType/OpenType *collection*, ``.ttc``).
fpdf2 cannot embed one face of a collection, so the Simplified-Chinese face is extracted
into a standalone CFF-flavoured OpenType file and trimmed:

* Regular: every code point of the SC face's cmap except Hangul (≈33,000 characters:
  ASCII, Latin, Greek, Cyrillic, all of GB 2312, GBK and most of GB 18030, the CJK
  extensions the face carries, CJK punctuation and full-width forms). Rare characters in
  names therefore still render.
* Bold (titles only): GB 2312 + ASCII + Latin-1 + general and CJK punctuation + full-width
  forms. The renderer falls back to the Regular face, character by character, for anything
  the Bold subset lacks.

OpenType layout tables (GSUB/GPOS/GDEF/BASE) and the vertical-writing tables are dropped:
the renderer sets horizontal text without shaping, and fpdf2 drops them when embedding
anyway. Each PDF then embeds only the glyphs it uses (fpdf2 subsets per document).

Usage::

    python -m sanxiang.documents.fontbuild [--source-dir /usr/share/fonts/opentype/noto]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from sanxiang.documents.fonts import BOLD_FONT_PATH, REGULAR_FONT_PATH

SC_FACE_INDEX = 2  # JP, KR, SC, TC, HK in NotoSerifCJK-*.ttc


def _is_hangul(cp: int) -> bool:
    return (
        0xAC00 <= cp <= 0xD7A3  # syllables
        or 0x1100 <= cp <= 0x11FF  # jamo
        or 0x3130 <= cp <= 0x318F  # compatibility jamo
        or 0xA960 <= cp <= 0xA97F
        or 0xD7B0 <= cp <= 0xD7FF
    )


def gb2312_characters() -> set[int]:
    """Code points of the GB 2312 character set (decoded with Python's codec)."""
    chars: set[int] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                text = bytes((hi, lo)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            chars.update(ord(c) for c in text)
    return chars


def _bold_wanted(cp: int, gb2312: set[int]) -> bool:
    return (
        cp in gb2312
        or 0x20 <= cp <= 0x7E
        or 0xA0 <= cp <= 0xFF
        or 0x2000 <= cp <= 0x206F  # general punctuation
        or 0x3000 <= cp <= 0x303F  # CJK symbols and punctuation
        or 0xFF00 <= cp <= 0xFFEF  # half-width and full-width forms
    )


def _subset_face(
    ttc: Path, out: Path, wanted: Callable[[int], bool], *, keep: Iterable[int] = ()
) -> None:
    font = TTFont(str(ttc), fontNumber=SC_FACE_INDEX)
    cmap = font.getBestCmap()
    unicodes = sorted({cp for cp in cmap if wanted(cp)} | set(keep))
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "JSTF"]
    options.name_IDs = ["*"]  # keep copyright, licence and licence URL records
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    print(f"{out}: {len(unicodes)} characters, {out.stat().st_size:,} bytes")


def build(source_dir: Path) -> None:
    gb2312 = gb2312_characters()
    _subset_face(
        source_dir / "NotoSerifCJK-Regular.ttc", REGULAR_FONT_PATH, lambda cp: not _is_hangul(cp)
    )
    _subset_face(
        source_dir / "NotoSerifCJK-Bold.ttc", BOLD_FONT_PATH, lambda cp: _bold_wanted(cp, gb2312)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source-dir", type=Path, default=Path("/usr/share/fonts/opentype/noto"))
    args = parser.parse_args(argv)
    build(args.source_dir)


if __name__ == "__main__":
    main()
