"""The case page names the case's publications and links them (staff and portal)."""

from __future__ import annotations

import pytest
from django.test import Client

from sanxiang.disclosure.models import Publication
from tests.cases.factories import make_world
from tests.disclosure.publication_helpers import issue_penalty, publish, publisher
from tests.review.helpers import make_reviewers

pytestmark = pytest.mark.django_db


def test_case_page_shows_the_publication(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = make_world()
    case, decision = issue_penalty(world, make_reviewers(world))
    publication = Publication.objects.get(source_record=decision)
    officer = Client()
    officer.force_login(world.user_a)
    page = officer.get(f"/staff/cases/{case.pk}/").content.decode()
    assert 'data-testid="publication-card"' in page and "待保密审查" in page
    assert f"/staff/publications/{publication.pk}/" not in page  # not the officer's task
    publish(publisher(world), publication)
    head = Client()
    head.force_login(world.head)
    page = head.get(f"/staff/cases/{case.pk}/").content.decode()
    assert f"/decisions/{publication.pk}/" in page
    assert f"/staff/publications/{publication.pk}/" in page
