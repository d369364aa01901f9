"""Every article the review app cites exists in the measure it names (the regulation texts
beside the checkout), and the per-jurisdiction pick follows the rule profiles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sanxiang.core.rules import get_profile
from sanxiang.review import citations
from tests.core.test_rules import PROFILES, _article, _normal

SOURCE_DIR = Path(citations.__file__).resolve().parent
CITED = re.compile(r"(\d{3}) (?:([^\s；，、（）“”]+?) )?(第[一二三四五六七八九十百零]+条)")


def titles() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for code in PROFILES:
        for doc in get_profile(code).all_documents():
            found[(doc.file, doc.measure)] = doc.title
    return found


def cited_articles() -> set[tuple[str, str, str]]:
    found = set()
    for path in SOURCE_DIR.rglob("*"):
        if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
            for match in CITED.finditer(path.read_text(encoding="utf-8")):
                found.add((match[1], match[2] or "", match[3]))
    return found


def test_every_cited_article_exists():
    known = titles()
    cited = cited_articles()
    assert len(cited) > 20
    for file, measure, article in sorted(cited):
        if file not in {"000", "001", "002"}:
            continue
        title = known[(file, measure)]
        assert _article(file, title, article), (file, measure, article)


@pytest.mark.parametrize(
    ("profile", "concept", "expected"),
    [
        ("zhengzhou", "checklist", "000 法制审核办法 第十六条；001 河南法制审核办法 第九条"),
        ("henan", "checklist", "001 河南法制审核办法 第九条"),
        ("zhoucun", "checklist", "002 第五十四条"),
        ("zhengzhou", "criteria", "001 河南法制审核办法 第六条"),
        ("zhoucun", "criteria", "002 第五十一条"),
        ("zhengzhou", "recusal", "002 第四十九条"),
        ("zhoucun", "dispute", "000 法制审核办法 第十八条；001 河南法制审核办法 第十四条"),
    ],
)
def test_cite_picks_the_jurisdictions_measures(profile, concept, expected):
    assert citations.cite(profile, concept) == expected


def test_checklist_items_quote_the_articles():
    from sanxiang.review.models import ChecklistItem

    text = _article("000", "郑州市重大行政执法决定法制审核办法", "第十六条")
    for value, label in ChecklistItem.Item.choices:
        assert _normal(str(label)) in text, value
