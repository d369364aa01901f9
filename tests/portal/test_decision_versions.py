"""A corrected decision keeps its history readable: each earlier version (which passed its own
confidentiality review) opens from the history, marked as corrected (000 公示办法 第二十一条)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from sanxiang.disclosure import services
from sanxiang.disclosure.models import Publication
from tests.portal.decisions_seed import person, personal_values, portal_world, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def test_earlier_versions_open_from_the_history(client) -> None:
    portal = portal_world()
    publish(portal, party=person(0), facts="当事人销售超过保质期的奶粉", made_ago=30)
    publication = portal.publications[0]
    first = publication.current_version
    assert first is not None
    review = services.start_correction(
        actor=portal.publisher,
        publication=publication,
        reason="违法事实表述有误",
        found_on=timezone.localdate(),
        text=first.review.original_text.replace("奶粉", "婴幼儿配方奶粉"),
    )
    services.approve_review(
        actor=portal.publisher, review=review, seen_digest=services.review_digest(review)
    )
    services.publish_publication(actor=portal.publisher, publication=publication)
    publication = Publication.objects.get(pk=publication.pk)
    assert publication.current_version is not None and publication.current_version.number == 2

    current = client.get(f"/decisions/{publication.pk}/").content.decode()
    assert "第2版" in current and "（现行）" in current and "违法事实表述有误" in current
    assert f'href="/decisions/{publication.pk}/?version=1"' in current
    assert 'data-testid="old-version"' not in current

    old = client.get(f"/decisions/{publication.pk}/", {"version": 1}).content.decode()
    assert 'data-testid="old-version"' in old and "该版本已被更正" in old
    assert "婴幼儿配方奶粉" not in old and "当事人销售超过保质期的奶粉" in old
    for value in personal_values():
        assert value not in old
    for bad in ("9", "x", "-1"):
        response = client.get(f"/decisions/{publication.pk}/", {"version": bad})
        assert response.status_code == 404
