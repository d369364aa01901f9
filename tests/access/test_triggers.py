"""The mark table refuses UPDATE and DELETE through the ORM and raw SQL (both databases)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from sanxiang.access import services
from sanxiang.access.models import ConfidentialityMark, Level
from sanxiang.records.immutability import missing_triggers

pytestmark = pytest.mark.django_db


def test_marks_cannot_be_edited_or_deleted(s):
    mark = services.set_mark(
        actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="身份证号"
    )
    with pytest.raises(IntegrityError, match="保密标识不可修改或删除"), transaction.atomic():
        ConfidentialityMark.objects.filter(pk=mark.pk).update(level=Level.LIFTED)
    with pytest.raises(IntegrityError, match="保密标识不可修改或删除"), transaction.atomic():
        mark.delete()
    with (
        pytest.raises(IntegrityError, match="保密标识不可修改或删除"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM access_confidentialitymark")
    mark.refresh_from_db()
    assert mark.level == Level.PRIVACY
    # `sanxiang verify` knows the table (access.apps) and finds its triggers in place
    assert not [name for name in missing_triggers(connection) if "access_" in name]


def test_admin_is_read_only(s, client):
    from sanxiang.access.models import AccessRequest
    from tests.factories import UserFactory

    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    mark = services.set_mark(actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="隐私")
    base = "/admin/access/confidentialitymark/"
    assert client.get(base).status_code == 200
    assert client.post(f"{base}{mark.pk}/change/", {"level": "lifted"}).status_code == 403
    assert client.post(f"{base}{mark.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/access/accessrequest/add/").status_code == 403
    mark.refresh_from_db()
    assert mark.level == Level.PRIVACY and not AccessRequest.objects.exists()
