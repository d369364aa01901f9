"""Pagination: {"count", "items"}, default 50, at most 500, stable order by id."""

import pytest

from tests.factories import AgencyFactory, Role, UserFactory

from .conftest import assert_error, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world):
    AgencyFactory.create_batch(57)
    return UserFactory(agency=None, is_superuser=True)


def test_shape_and_default_page_size(client, many):
    login(client, many)
    body = client.get("/api/agencies").json()
    assert set(body) == {"count", "items"}
    assert body["count"] == 61
    assert len(body["items"]) == 50
    ids = [a["id"] for a in body["items"]]
    assert ids == sorted(ids)


def test_limit_and_offset_walk_the_whole_list_once(client, many):
    login(client, many)
    seen = []
    offset = 0
    while True:
        body = client.get(f"/api/agencies?limit=20&offset={offset}").json()
        if not body["items"]:
            break
        seen.extend(a["id"] for a in body["items"])
        offset += 20
    assert len(seen) == len(set(seen)) == 61
    assert seen == sorted(seen)


def test_limit_above_the_maximum_is_422(client, many):
    login(client, many)
    error = assert_error(client.get("/api/agencies?limit=501"), 422, "validation_error")
    assert error["fields"]["limit"] == ["不能大于500。"]
    assert len(client.get("/api/agencies?limit=500").json()["items"]) == 61
    error = assert_error(client.get("/api/agencies?offset=-1&limit=0"), 422)
    assert set(error["fields"]) == {"offset", "limit"}


def test_offset_past_the_end_is_an_empty_page(client, many):
    login(client, many)
    body = client.get("/api/agencies?offset=1000").json()
    assert body == {"count": 61, "items": []}


def test_a_page_is_two_queries_whatever_its_size(client, many, django_assert_num_queries):
    login(client, many)
    client.get("/api/agencies?limit=1")  # warm the session and user caches
    # session + user + COUNT + SELECT
    with django_assert_num_queries(4):
        client.get("/api/agencies?limit=500")


def test_account_without_agency_gets_an_empty_list(client, world):
    login(client, UserFactory(agency=None, roles=[Role.OFFICER]))
    assert client.get("/api/agencies").json() == {"count": 0, "items": []}
