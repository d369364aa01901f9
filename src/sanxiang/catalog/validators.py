"""Validators for the basis (依据) every catalog entry must cite.

Every rule the system enforces names its source: a list item's basis names at least one
article of a statute, regulation or rule (《中华人民共和国食品安全法》第一百二十四条), and an
AV matter's basis names the article of the jurisdiction's measure that requires it, in the
platform's citation form (``000 全过程记录办法 第十八条``, see sanxiang.core.rules.citations).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from sanxiang.core.rules.citations import Citation, parse_citation

_NUMERAL = "[一二三四五六七八九十百零]+"
STATUTE_ARTICLE_RE = re.compile(
    rf"《(?P<title>[^《》\s]+)》(?:[^《》；;]*?)第(?P<article>{_NUMERAL})条"
)
_PARTS_RE = re.compile(r"[；;]")


def statute_articles(text: str) -> list[tuple[str, str]]:
    """(title, article numeral) of every statute article cited in `text`."""
    return [(m["title"], m["article"]) for m in STATUTE_ARTICLE_RE.finditer(text or "")]


def validate_statute_basis(value: str) -> None:
    if not statute_articles(value):
        raise ValidationError(
            "依据应写明法律、法规或规章的名称及具体条款，"
            "如“《中华人民共和国食品安全法》第一百二十四条”。",
            code="basis_without_article",
        )


def regulation_citations(value: str) -> list[Citation]:
    """The citations of the regulation files (``000 公示办法 第九条``) in `value`."""
    found: list[Citation] = []
    for part in _PARTS_RE.split(value or ""):
        part = part.strip()
        if not part or "《" in part:
            continue
        try:
            found.append(parse_citation(part))
        except ValueError:
            continue
    return found


def validate_citation_basis(value: str) -> None:
    """Each part (separated by “；”) is a regulation citation or names a statute article."""
    parts = [p.strip() for p in _PARTS_RE.split(value or "") if p.strip()]
    if not parts:
        raise ValidationError("请填写依据。", code="basis_missing")
    for part in parts:
        if statute_articles(part):
            continue
        try:
            parse_citation(part)
        except ValueError:
            raise ValidationError(
                "依据“%(part)s”格式不符：应为制度文件条款（如“000 全过程记录办法 第十八条”）"
                "或法律法规条款（如“《中华人民共和国行政强制法》第十八条”），多项以“；”分隔。",
                code="basis_malformed",
                params={"part": part},
            ) from None
