import pytest

from tests.inspections.helpers import DrawWorld, make_draw_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def dw(db) -> DrawWorld:
    return make_draw_world()
