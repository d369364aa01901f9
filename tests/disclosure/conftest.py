import pytest

from tests.cases.factories import World, make_world
from tests.review.helpers import Reviewers, make_reviewers


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def reviewers(world) -> Reviewers:
    return make_reviewers(world)
