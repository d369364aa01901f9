"""The portal's decision search: bigram index, exact terms, filters, paging, withdrawal."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from sanxiang.disclosure import search
from sanxiang.disclosure.models import PublicationSearch
from tests.factories import AgencyFactory
from tests.portal.decisions_seed import company, person, portal_world, publish, withdraw

pytestmark = pytest.mark.django_db


def test_lexemes_are_bigrams_last_characters_and_words() -> None:
    assert search.text_lexemes("行政处罚，罚款ＡＢ12号") == {
        "行政",
        "政处",
        "处罚",
        "罚",
        "罚款",
        "款",
        "ab12",
        "号",
    }


def test_query_terms_are_checked() -> None:
    assert search.parse_query("  食品  ＡＢＣ 食品 ") == ["食品", "abc"]
    with pytest.raises(search.SearchInputError, match="不能超过50个字"):
        search.parse_query("食" * 51)
    with pytest.raises(search.SearchInputError, match="最多8个"):
        search.parse_query(" ".join("一二三四五六七八九"))
    with pytest.raises(search.SearchInputError, match="汉字、字母或者数字"):
        search.parse_query("《》 ——")


@pytest.fixture
def portal():
    portal = portal_world()
    publish(portal, party=person(0), facts="当事人销售超过保质期的奶粉", made_ago=30)
    publish(
        portal, party=company(1), facts="当事人在工厂内雇用面粉工人按产品工艺加工奶粉", made_ago=20
    )
    publish(portal, party=person(2), facts="当事人发布虚假广告，宣传减肥功效", made_ago=10)
    return portal


def ids(results: search.SearchResults) -> list[int]:
    return [entry.publication_id for entry in results.items]


def test_chinese_terms_find_only_the_decisions_that_contain_them(portal) -> None:
    old, factory, advert = portal.publications
    assert ids(search.search_decisions(q="保质期")) == [old.pk]
    assert ids(search.search_decisions(q="虚假广告")) == [advert.pk]
    assert ids(search.search_decisions(q="广")) == [advert.pk]  # one character
    assert ids(search.search_decisions(q="奶粉")) == [factory.pk, old.pk]  # newest first
    assert ids(search.search_decisions(q="奶粉 工艺")) == [factory.pk]  # every term
    # 奶粉、粉工、工厂 are all in the factory decision, but not "奶粉工厂" as written
    assert ids(search.search_decisions(q="奶粉工厂")) == []
    assert ids(search.search_decisions(q="减肥 保质期")) == []
    assert search.search_decisions(q="保质期").count == 1


def test_only_the_published_redacted_text_is_searched(portal) -> None:
    # the ID number and phone are in the decision document, not in what was published
    assert ids(search.search_decisions(q="410105198003071235")) == []
    assert ids(search.search_decisions(q="13912345678")) == []
    assert ids(search.search_decisions(q="赵建华")) == []  # names masked in Zhengzhou
    entry = PublicationSearch.objects.get(publication=portal.publications[0])
    assert "410105198003071235" not in entry.search_text
    if connection.vendor == "postgresql":
        assert entry.search_vector is not None


def test_filters_by_agency_action_type_and_date(portal) -> None:
    old, factory, advert = portal.publications
    other = AgencyFactory()
    assert ids(search.search_decisions(agency_id=portal.world.agency.pk)) == [
        advert.pk,
        factory.pk,
        old.pk,
    ]
    assert ids(search.search_decisions(agency_id=other.pk)) == []
    assert ids(search.search_decisions(q="奶粉", action_type="licensing")) == []
    assert ids(search.search_decisions(q="奶粉", action_type="penalty")) == [factory.pk, old.pk]
    day = factory.decided_on
    assert ids(search.search_decisions(date_from=day, date_to=day)) == [factory.pk]
    assert ids(search.search_decisions(date_from=day + datetime.timedelta(days=1))) == [advert.pk]
    with pytest.raises(search.SearchInputError, match="起始日期不能晚于截止日期"):
        search.search_decisions(date_from=day, date_to=day - datetime.timedelta(days=1))
    with pytest.raises(search.SearchInputError, match="执法行为类别不正确"):
        search.search_decisions(action_type="nonsense")


def test_pages_and_the_capped_count(portal, monkeypatch) -> None:
    old, factory, advert = portal.publications
    first = search.search_decisions(per_page=2)
    assert ids(first) == [advert.pk, factory.pk]
    assert first.has_next and not first.has_previous and first.count == 3
    second = search.search_decisions(per_page=2, page=2)
    assert ids(second) == [old.pk] and not second.has_next and second.has_previous
    assert ids(search.search_decisions(per_page=1, offset=1)) == [factory.pk]
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    capped = search.search_decisions(per_page=1)
    assert capped.count == 2 and capped.count_capped
    with pytest.raises(search.SearchInputError, match="只能查看前"):
        search.search_decisions(offset=search.MAX_OFFSET)


def test_sql_and_html_in_a_query_are_only_text(portal) -> None:
    for q in ("'; DROP TABLE disclosure_publicationsearch;--", "<script>alert(1)</script>"):
        assert ids(search.search_decisions(q=q)) == []
    assert PublicationSearch.objects.count() == 3


def test_a_withdrawn_decision_leaves_the_index(portal) -> None:
    old, factory, advert = portal.publications
    withdraw(portal, old)
    assert not PublicationSearch.objects.filter(publication=old).exists()
    assert ids(search.search_decisions(q="保质期")) == []
    assert ids(search.search_decisions()) == [advert.pk, factory.pk]
    assert [e.publication_id for e in search.latest_decisions()] == [advert.pk, factory.pk]


def test_reindex_rebuilds_from_the_published_versions(portal) -> None:
    old, factory, _advert = portal.publications
    withdraw(portal, old)
    PublicationSearch.objects.all().delete()
    assert search.reindex(batch_size=2) == 2
    assert ids(search.search_decisions(q="奶粉")) == [factory.pk]


def test_reindex_command(portal) -> None:
    from io import StringIO

    from django.core.management import call_command

    PublicationSearch.objects.all().delete()
    out = StringIO()
    call_command("reindex_decisions", "--batch", "2", stdout=out)
    assert "3 件" in out.getvalue()
    assert PublicationSearch.objects.count() == 3


@pytest.mark.parametrize("dense_rows", [-1, 10**9])
def test_both_plans_give_the_same_results(portal, monkeypatch, dense_rows) -> None:
    """On PostgreSQL a term expected in many rows walks the date index, another is counted
    and sorted through the GIN index: the same answers either way."""
    old, factory, advert = portal.publications
    monkeypatch.setattr(search, "DENSE_ROWS", dense_rows)
    assert ids(search.search_decisions(q="奶粉")) == [factory.pk, old.pk]
    assert ids(search.search_decisions(q="奶粉工厂")) == []
    assert ids(search.search_decisions(q="当事人", per_page=1, page=2)) == [factory.pk]
    assert search.search_decisions(q="广告").count == 1
    assert ids(search.search_decisions()) == [advert.pk, factory.pk, old.pk]
