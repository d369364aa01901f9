import pytest

from tests.archives.helpers import custodian_of, use_fast_documents
from tests.cases.factories import World, make_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def custodian(world):
    return custodian_of(world)


@pytest.fixture
def fast_documents(monkeypatch):
    use_fast_documents(monkeypatch)
