"""The error shape for the cases the other tests do not reach."""

import pytest
from django.core.exceptions import ValidationError

from sanxiang.api.errors import django_validation_fields
from sanxiang.org import selectors as org_selectors

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_unexpected_errors_are_500_without_a_traceback(client, world, monkeypatch):
    def boom(number):
        raise RuntimeError("secret internals: /srv/sanxiang/db.py line 42")

    monkeypatch.setattr(org_selectors, "certificate_by_number", boom)
    response = client.get("/api/public/certificates/豫A10000001")
    error = assert_error(response, 500, "internal_error")
    assert "错误编号" in error["message"]
    text = response.content.decode()
    assert "secret internals" not in text and "Traceback" not in text


def test_django_validation_error_forms():
    message, fields = django_validation_fields(
        ValidationError({"name": ["请填写名称。"], "__all__": ["期限重叠"]})
    )
    assert fields == {"name": ["请填写名称。"]}
    assert message == "期限重叠。请填写名称。"
    message, fields = django_validation_fields(ValidationError(["第一条", "第二条。"]))
    assert (message, fields) == ("第一条。第二条。", {})
