"""The publisher's pages: the queue (due/overdue, soonest first), the review page with
every detection highlighted and the original only for publishers, and the actions through
the forms; refusals shown on the page, nothing written."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sanxiang.disclosure import services
from sanxiang.disclosure.models import ConfidentialityReview, Publication
from tests.disclosure.publication_helpers import PARTY_ADDRESS, issue_penalty, publisher
from tests.review.helpers import make_reviewers


@pytest.fixture
def publication(world):
    _case, decision = issue_penalty(world, make_reviewers(world))
    return Publication.objects.get(source_record=decision)


def test_queue_lists_open_publications_soonest_first(client, world, publication):
    p = publisher(world)
    client.force_login(p)
    page = client.get(reverse("workbench:publications"))
    assert page.status_code == 200
    html = page.content.decode()
    assert publication.document_number in html
    assert 'data-testid="nav-publications"' in html
    home = client.get(reverse("workbench:home")).content.decode()
    assert 'data-testid="publication-counts"' in home
    # an officer has no queue
    client.force_login(world.user_a)
    assert client.get(reverse("workbench:publications")).status_code == 403


def test_review_page_highlights_each_detection_and_shows_the_original_only_to_publishers(
    client, world, publication
):
    review = publication.reviews.get()
    p = publisher(world)
    client.force_login(p)
    html = client.get(reverse("workbench:publication", args=[publication.pk])).content.decode()
    redacted = re.search(r'data-testid="redacted-text">(.*?)</pre>', html, re.S)
    assert redacted is not None
    assert redacted.group(1).count("<mark") == len(review.spans) > 0
    assert PARTY_ADDRESS not in redacted.group(1)
    assert 'data-testid="original-text"' in html and PARTY_ADDRESS in html
    # the agency head sees the draft, not the original
    client.force_login(world.head)
    html = client.get(reverse("workbench:publication", args=[publication.pk])).content.decode()
    assert 'data-testid="redacted-text"' in html
    assert 'data-testid="original-text"' not in html and PARTY_ADDRESS not in html


def test_add_approve_publish_through_the_pages(client, world, publication):
    review = publication.reviews.get()
    p = publisher(world)
    client.force_login(p)
    url = reverse("workbench:publication_redact", args=[publication.pk, review.pk])
    response = client.post(url, {"text": "现场照片", "type": "other"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert "现场照片" not in review.final_text
    # approving with the digest of an earlier view is refused, shown on the page
    approve = reverse("workbench:publication_approve", args=[publication.pk, review.pk])
    response = client.post(approve, {"digest": "0" * 64, "confirm": "on"})
    assert response.status_code == 422 and "已有变化" in response.content.decode()
    response = client.post(approve, {"digest": services.review_digest(review), "confirm": "on"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ConfidentialityReview.Status.APPROVED
    response = client.post(reverse("workbench:publication_publish", args=[publication.pk]))
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHED
    html = client.get(reverse("workbench:publication", args=[publication.pk])).content.decode()
    assert "第1版" in html and "disclosure.publish" in html


def test_reinstating_a_party_value_is_refused_on_the_page(client, world, publication):
    review = publication.reviews.get()
    index = next(i for i, s in enumerate(review.spans) if s["source"] == "party")
    client.force_login(publisher(world))
    url = reverse("workbench:publication_reinstate", args=[publication.pk, review.pk])
    response = client.post(url, {"index": index, "reason": "无需隐去"})
    assert response.status_code == 422
    assert "000 公示办法 第十七条" in response.content.decode()
    review.refresh_from_db()
    assert len(review.spans) == len(review.detected_spans)


def test_publishing_without_review_is_refused_on_the_page(client, world, publication):
    client.force_login(publisher(world))
    response = client.post(
        reverse("workbench:publication_publish", args=[publication.pk]), follow=True
    )
    assert "000 公示办法 第五条" in response.content.decode()
    publication.refresh_from_db()
    assert publication.status == Publication.Status.AWAITING_REVIEW
