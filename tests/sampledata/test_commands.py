from io import StringIO

import pytest
from django.core.management import call_command

from sanxiang.catalog.models import DiscretionStandard, PowerItem
from sanxiang.org.models import User
from sanxiang.records.models import Checkpoint, LedgerEntry

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_lists_and_lets_the_head_keep_them():
    call_command("demo", "--force", stdout=StringIO())
    head = User.objects.get(username="head")
    assert PowerItem.objects.filter(agency=head.agency).exists()
    assert DiscretionStandard.objects.exists()
    assert head.has_perm("catalog.change_poweritem")
    assert head.has_perm("catalog.add_discretiontier")
    supervisor = User.objects.get(username="supervisor")
    assert supervisor.has_perm("core.add_calendaryear")
    assert not supervisor.has_perm("catalog.delete_poweritem")
    # The load is on the ledger and signed, so /transparency/ shows a checkpoint.
    assert LedgerEntry.objects.filter(action="sampledata.load_demo").exists()
    assert Checkpoint.objects.filter(tree_size=LedgerEntry.objects.count()).exists()


def test_seed_command_adds_the_lists_once():
    call_command("seed", "--seed", "3", "--agencies", "60", "--officers", "120", stdout=StringIO())
    first = PowerItem.objects.count()
    assert first > 0
    call_command("seed", "--seed", "3", "--agencies", "60", "--officers", "120", stdout=StringIO())
    assert PowerItem.objects.count() == first
