"""The database itself refuses UPDATE and DELETE on the ledger, its checkpoints and the
stored-file metadata — through the ORM, raw SQL and the admin — on whichever database the
suite runs (SQLite by default; PostgreSQL with DATABASE_URL=postgres://…)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from sanxiang.records import immutability, ledger
from sanxiang.records.models import Checkpoint, LedgerEntry, StoredFile

pytestmark = pytest.mark.django_db

LEDGER = "台账记录不可修改或删除"
CHECKPOINT = "签名检查点不可修改或删除"
STORED = "存储文件登记信息不可修改或删除"


@pytest.fixture
def rows():
    entry = ledger.append(actor=None, action="test.a", payload={"x": 1})
    ledger.append(actor=None, action="test.b", payload={"x": 2})
    checkpoint = Checkpoint.objects.create(
        tree_size=2,
        root_hash="ab" * 32,
        signed_at=timezone.now(),
        key_id="cd" * 32,
        signature="c2lnbmF0dXJl",
    )
    stored = StoredFile.objects.create(
        sha256="ef" * 32,
        size=3,
        media_type="application/pdf",
        stored_at=timezone.now(),
        backend="local",
    )
    return {"entry": entry, "checkpoint": checkpoint, "stored": stored}


def assert_refused(message, fn):
    with pytest.raises(IntegrityError, match=message), transaction.atomic():
        fn()


@pytest.mark.parametrize(
    ("key", "model", "message", "field", "value"),
    [
        ("entry", LedgerEntry, LEDGER, "action", "test.rewritten"),
        ("checkpoint", Checkpoint, CHECKPOINT, "root_hash", "00" * 32),
        ("stored", StoredFile, STORED, "size", 4),
    ],
)
def test_orm_update_and_delete_are_refused(rows, key, model, message, field, value):
    obj = rows[key]
    setattr(obj, field, value)
    assert_refused(message, obj.save)
    assert_refused(message, lambda: model.objects.filter(pk=obj.pk).update(**{field: value}))
    assert_refused(message, lambda: model.objects.filter(pk=obj.pk).delete())
    assert_refused(message, lambda: model.objects.all().delete())
    assert_refused(message, lambda: model.objects.bulk_update([obj], [field]))
    obj.refresh_from_db()
    assert getattr(obj, field) != value
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    ("table", "message", "column", "value"),
    [
        ("records_ledgerentry", LEDGER, "payload", "'{}'"),
        ("records_checkpoint", CHECKPOINT, "signature", "'forged'"),
        ("records_storedfile", STORED, "sha256", "'" + "00" * 32 + "'"),
    ],
)
def test_raw_sql_update_and_delete_are_refused(rows, table, message, column, value):
    def run(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    assert_refused(message, lambda: run(f"UPDATE {table} SET {column} = {value}"))
    assert_refused(message, lambda: run(f"DELETE FROM {table}"))
    assert_refused(
        message, lambda: run(f"DELETE FROM {table} WHERE id = (SELECT MIN(id) FROM {table})")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] >= 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists only on PostgreSQL")
@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("records_ledgerentry", LEDGER),
        ("records_checkpoint", CHECKPOINT),
        ("records_storedfile", STORED),
    ],
)
def test_truncate_is_refused_on_postgresql(rows, table, message):
    def run():
        with connection.cursor() as cursor:
            # Settle the deferred foreign-key checks of the fixture's inserts first, or
            # PostgreSQL refuses TRUNCATE for "pending trigger events" before our trigger runs.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {table} CASCADE")

    assert_refused(message, run)


def test_inserts_still_work(rows):
    # Appending is what the ledger is for.
    assert ledger.append(actor=None, action="test.c", payload={}).seq == 3


def test_all_expected_triggers_are_installed():
    assert immutability.missing_triggers(connection) == []


def test_missing_triggers_are_noticed():
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for statement in immutability.drop_sql(vendor, "records_checkpoint"):
            cursor.execute(statement)
    try:
        missing = immutability.missing_triggers(connection)
        assert missing == immutability.trigger_names("records_checkpoint", vendor)
    finally:
        with connection.cursor() as cursor:
            for statement in immutability.create_sql(
                vendor, "records_checkpoint", immutability.CHECKPOINT_MESSAGE
            ):
                cursor.execute(statement)
    assert immutability.missing_triggers(connection) == []


def test_migration_messages_match_the_registry():
    import importlib

    migration = importlib.import_module(
        "sanxiang.records.migrations.0002_immutability_triggers"
    ).Migration
    own = [t for t in immutability.PROTECTED_TABLES if t.startswith("records_")]
    assert len(migration.operations) == len(own)
    with connection.cursor() as cursor:
        for table, message in immutability.PROTECTED_TABLES.items():
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                    [f"{immutability.TRIGGER_PREFIX}{table}_update"],
                )
            else:
                cursor.execute(
                    "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = %s",
                    [f"{immutability.TRIGGER_PREFIX}{table}_update"],
                )
            assert message in cursor.fetchone()[0]


def test_unknown_vendor_is_refused():
    with pytest.raises(ImproperlyConfigured):
        immutability.create_sql("mysql", "records_ledgerentry", "x")
    with pytest.raises(ValueError):
        immutability.create_sql("sqlite", "records; DROP TABLE x", "x")


# --- the admin: look, never touch ---------------------------------------------------------


def test_admin_shows_but_never_changes_or_deletes(client, platform_admin, rows):
    client.force_login(platform_admin)
    for model, obj in [(LedgerEntry, rows["entry"]), (Checkpoint, rows["checkpoint"])]:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(changelist)
        assert response.status_code == 200
        assert "delete_selected" not in response.content.decode()
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        page = client.get(change)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert client.post(change, {"action": "x"}).status_code == 403
        delete = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
        assert client.get(delete).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert client.get(add).status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()
    rows["entry"].refresh_from_db()
    assert rows["entry"].action == "test.a"
