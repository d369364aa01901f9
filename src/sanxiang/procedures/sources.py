"""Sources of the procedure rules: regulation articles and national statutes.

A source is one citation or several joined by "；":

* a regulation file's article, as ``core.rules.citations`` writes it — ``000 全过程记录办法
  第十条``, ``001 河南全过程记录办法 第九条``, ``002 第二十八条``, ``004 第十条``;
* a national statute's article — ``《中华人民共和国行政处罚法》第四十二条``.
"""

from __future__ import annotations

import re

from sanxiang.core.rules.citations import chinese_to_int, parse_citation

# The measures of the regulation files (see /shared/regulations/README.md); files holding
# several measures number each one's articles afresh, so the measure is part of the prefix.
REGULATION_PREFIXES: frozenset[str] = frozenset(
    {
        "000 公示办法",
        "000 全过程记录办法",
        "000 法制审核办法",
        "001 河南公示办法",
        "001 河南全过程记录办法",
        "001 河南法制审核办法",
        "002",
        "003",
        "004",
    }
)

# National statutes the definitions cite, with their number of articles (2021 行政处罚法,
# 2011 行政强制法, 2019 行政许可法), so that a mistyped article number fails to load.
STATUTES: dict[str, int] = {
    "中华人民共和国行政处罚法": 86,
    "中华人民共和国行政强制法": 71,
    "中华人民共和国行政许可法": 83,
}

STATUTE_RE = re.compile(r"^《(?P<law>[^《》]+)》第(?P<article>[一二三四五六七八九十百零]+)条$")

SEPARATOR = "；"


def split_source(source: str) -> list[str]:
    return [part.strip() for part in source.split(SEPARATOR)]


def check_citation(text: str) -> None:
    """ValueError (Chinese message) unless ``text`` is one well-formed, known citation."""
    statute = STATUTE_RE.match(text)
    if statute:
        law = statute["law"]
        if law not in STATUTES:
            raise ValueError(
                f"引用“{text}”所指法律《{law}》不在已知法律之列（{'、'.join(STATUTES)}）。"
            )
        article = chinese_to_int(statute["article"])
        if article > STATUTES[law]:
            raise ValueError(f"引用“{text}”：《{law}》只有{STATUTES[law]}条。")
        return
    if text.startswith("《"):
        raise ValueError(f"法律条文引用“{text}”格式不符，应为“《法律名称》第N条”。")
    citation = parse_citation(text)
    prefix = f"{citation.file} {citation.measure}".rstrip()
    if prefix not in REGULATION_PREFIXES:
        raise ValueError(
            f"引用“{text}”所指文件“{prefix}”不是已知的规范性文件"
            f"（{'、'.join(sorted(REGULATION_PREFIXES))}）。"
        )


def check_source(source: str) -> tuple[str, ...]:
    """The citations of ``source``; ValueError naming the first malformed one."""
    if not source.strip():
        raise ValueError("缺少依据（source）。")
    parts = split_source(source)
    for part in parts:
        if not part:
            raise ValueError(f"依据“{source}”中有空引用（多个引用以“；”分隔）。")
        check_citation(part)
    return tuple(parts)
