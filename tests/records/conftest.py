"""Fixtures for the ledger tests (none autouse: the file store's tests share this folder)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import AgencyFactory, UserFactory, zhengzhou


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clear_cache():
    # The public ledger endpoints are throttled through the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def platform_admin(db, fast_passwords):
    return UserFactory(
        username="platform-admin",
        full_name="平台管理员",
        agency=AgencyFactory(jurisdiction=zhengzhou()),
        is_superuser=True,
        is_staff=True,
    )
