from __future__ import annotations

import pytest

PASSWORD = "Sx-test-pass-2026"  # tests.factories.UserFactory's password


@pytest.fixture
def login(client):
    """Log a user in through the real form (so django-axes sees it)."""

    def _login(user, password: str = PASSWORD):
        return client.post("/staff/login/", {"username": user.username, "password": password})

    return _login
