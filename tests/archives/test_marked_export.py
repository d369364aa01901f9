"""A volume holds every record of the case: someone who may not read one of its marked items
cannot export it (the refusal is on the ledger); the custodian exports whole volumes and the
export names the marked items it carried."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied

from sanxiang.access import services as access_services
from sanxiang.archives import services
from sanxiang.records.models import LedgerEntry
from tests.archives.helpers import registered
from tests.factories import Role, UserFactory

pytestmark = pytest.mark.django_db


def test_a_volume_with_a_marked_item_is_refused_to_who_may_not_read_it(
    world, custodian, fast_documents
):
    made, cf = registered(world, custodian)
    access_services.set_mark(
        actor=world.user_a, item=made.evidence, level="commercial_secret", reason="含配方工艺"
    )
    assembly = services.assemble(actor=custodian, case_file=cf, retention="永久")
    reviewer = UserFactory(agency=world.agency, roles=[Role.LEGAL_REVIEWER])

    with pytest.raises(PermissionDenied, match="保密标识"):
        services.log_export(
            actor=reviewer, case_file=cf, assembly=assembly, what="pdf", purpose="consult"
        )
    denied = LedgerEntry.objects.filter(action="access.denied").get()
    assert json.loads(denied.payload)["data"]["how"] == "export"
    assert not LedgerEntry.objects.filter(action="archives.export").exists()

    # The case's own officer reads it; the custodian exports it, naming the marked item.
    services.log_export(
        actor=world.user_a, case_file=cf, assembly=assembly, what="pdf", purpose="consult"
    )
    services.log_export(
        actor=custodian, case_file=cf, assembly=assembly, what="package", purpose="archive"
    )
    exports = LedgerEntry.objects.filter(action="archives.export").order_by("seq")
    assert exports.count() == 2
    carried = json.loads(exports.last().payload)["data"]["marked_items"]
    assert carried and carried[0]["level"] == "商业秘密"
