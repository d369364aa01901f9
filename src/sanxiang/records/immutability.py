"""Database triggers that refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) on tables
whose rows must never change once written (000 全过程记录办法 第二十八条, 001 河南全过程记录办法
第二十四条, 002 第四十五条).

A migration protects a table with one operation::

    from sanxiang.records.immutability import protect

    operations = [protect("cases_signedrecord", "已签署的文书不可修改或删除（000 全过程记录办法 第二十八条）")]

and the table is added to PROTECTED_TABLES below, so that `sanxiang verify` checks that its
triggers are still in place (a SQLite table rebuild by a later AlterField drops them).

Both databases raise an integrity error (SQLite: RAISE(ABORT) -> SQLITE_CONSTRAINT;
PostgreSQL: SQLSTATE 23001 restrict_violation), which Django reports as
django.db.IntegrityError, carrying the Chinese message.

The triggers bind every role that does not own the tables: in production the application
should connect as a role that is not the owner (the owner can drop or disable triggers).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

TRIGGER_PREFIX = "sanxiang_immutable_"

LEDGER_MESSAGE = "台账记录不可修改或删除（000 全过程记录办法 第二十八条）"
CHECKPOINT_MESSAGE = "签名检查点不可修改或删除（000 全过程记录办法 第二十八条）"
STORED_FILE_MESSAGE = "存储文件登记信息不可修改或删除（000 全过程记录办法 第二十八条）"

# Every protected table and its message; `sanxiang verify` checks their triggers exist.
PROTECTED_TABLES: dict[str, str] = {
    "records_ledgerentry": LEDGER_MESSAGE,
    "records_checkpoint": CHECKPOINT_MESSAGE,
    "records_storedfile": STORED_FILE_MESSAGE,
}

SQLITE_EVENTS = ("update", "delete")
POSTGRESQL_EVENTS = ("update", "delete", "truncate")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _check_table(table: str) -> None:
    if not table.replace("_", "").isalnum() or not table.isascii():
        raise ValueError(f"unexpected table name {table!r}")


def trigger_names(table: str, vendor: str) -> list[str]:
    events = POSTGRESQL_EVENTS if vendor == "postgresql" else SQLITE_EVENTS
    return [f"{TRIGGER_PREFIX}{table}_{event}" for event in events]


def function_name(table: str) -> str:
    return f"{TRIGGER_PREFIX}{table}_refuse"


def sqlite_create(table: str, message: str) -> list[str]:
    _check_table(table)
    return [
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{table}_{event}" BEFORE {event.upper()} ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, {_literal(message)}); END;"
        for event in SQLITE_EVENTS
    ]


def sqlite_drop(table: str) -> list[str]:
    return [f'DROP TRIGGER IF EXISTS "{name}";' for name in trigger_names(table, "sqlite")]


def postgresql_create(table: str, message: str) -> list[str]:
    _check_table(table)
    function = function_name(table)
    statements = [
        f'CREATE OR REPLACE FUNCTION "{function}"() RETURNS trigger LANGUAGE plpgsql AS $$\n'
        "BEGIN\n"
        "  RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];\n"
        "END;\n"
        "$$;"
    ]
    for event in POSTGRESQL_EVENTS:
        level = "STATEMENT" if event == "truncate" else "ROW"
        statements.append(
            f'CREATE TRIGGER "{TRIGGER_PREFIX}{table}_{event}" BEFORE {event.upper()} ON "{table}" '
            f'FOR EACH {level} EXECUTE FUNCTION "{function}"({_literal(message)});'
        )
    return statements


def postgresql_drop(table: str) -> list[str]:
    statements = [
        f'DROP TRIGGER IF EXISTS "{name}" ON "{table}";'
        for name in trigger_names(table, "postgresql")
    ]
    statements.append(f'DROP FUNCTION IF EXISTS "{function_name(table)}"();')
    return statements


def create_sql(vendor: str, table: str, message: str) -> list[str]:
    if vendor == "sqlite":
        return sqlite_create(table, message)
    if vendor == "postgresql":
        return postgresql_create(table, message)
    raise ImproperlyConfigured(f"不支持的数据库类型：{vendor}（仅支持 SQLite 与 PostgreSQL）。")


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return sqlite_drop(table)
    if vendor == "postgresql":
        return postgresql_drop(table)
    raise ImproperlyConfigured(f"不支持的数据库类型：{vendor}（仅支持 SQLite 与 PostgreSQL）。")


def protect(table: str, message: str) -> migrations.RunPython:
    """A migration operation installing the triggers on `table` (and removing them on reverse)."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for statement in create_sql(schema_editor.connection.vendor, table, message):
            schema_editor.execute(statement)

    def backward(apps: Any, schema_editor: Any) -> None:
        for statement in drop_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)

    return migrations.RunPython(forward, backward, elidable=False)


def guarded_create_sql(
    vendor: str, table: str, *, when: str, name: str, update_message: str, delete_message: str
) -> list[str]:
    """Triggers refusing DELETE (and TRUNCATE) always and UPDATE of a row for which the SQL
    condition ``when`` on ``OLD`` holds (e.g. a signed record, an archived case file). The
    condition is written once: SQLite's ``WHEN`` and plpgsql's ``IF`` read it alike."""
    _check_table(table)
    update, delete = _literal(update_message), _literal(delete_message)
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER "{TRIGGER_PREFIX}{table}_update" BEFORE UPDATE ON "{table}" '
            f"WHEN {when} BEGIN SELECT RAISE(ABORT, {update}); END;",
            f'CREATE TRIGGER "{TRIGGER_PREFIX}{table}_delete" BEFORE DELETE ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, {delete}); END;",
        ]
    if vendor != "postgresql":
        raise ImproperlyConfigured(f"不支持的数据库类型：{vendor}（仅支持 SQLite 与 PostgreSQL）。")
    refuse = function_name(table)
    guarded = f"{TRIGGER_PREFIX}{table}_refuse_{name}"
    return [
        f'CREATE OR REPLACE FUNCTION "{refuse}"() RETURNS trigger LANGUAGE plpgsql AS $$\n'
        "BEGIN\n"
        "  RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];\n"
        "END;\n"
        "$$;",
        f'CREATE OR REPLACE FUNCTION "{guarded}"() RETURNS trigger LANGUAGE plpgsql AS $$\n'
        "BEGIN\n"
        f"  IF {when} THEN\n"
        "    RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];\n"
        "  END IF;\n"
        "  RETURN NEW;\n"
        "END;\n"
        "$$;",
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{table}_update" BEFORE UPDATE ON "{table}" '
        f'FOR EACH ROW EXECUTE FUNCTION "{guarded}"({update});',
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{table}_delete" BEFORE DELETE ON "{table}" '
        f'FOR EACH ROW EXECUTE FUNCTION "{refuse}"({delete});',
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{table}_truncate" BEFORE TRUNCATE ON "{table}" '
        f'FOR EACH STATEMENT EXECUTE FUNCTION "{refuse}"({delete});',
    ]


def guarded_drop_sql(vendor: str, table: str, *, name: str) -> list[str]:
    statements = drop_sql(vendor, table)
    if vendor == "postgresql":
        statements.append(f'DROP FUNCTION IF EXISTS "{TRIGGER_PREFIX}{table}_refuse_{name}"();')
    return statements


def protect_when(
    table: str, *, when: str, name: str, update_message: str, delete_message: str
) -> migrations.RunPython:
    """A migration operation installing guarded_create_sql's triggers (removed on reverse)."""

    def forward(apps: Any, schema_editor: Any) -> None:
        statements = guarded_create_sql(
            schema_editor.connection.vendor,
            table,
            when=when,
            name=name,
            update_message=update_message,
            delete_message=delete_message,
        )
        for statement in statements:
            schema_editor.execute(statement)

    def backward(apps: Any, schema_editor: Any) -> None:
        for statement in guarded_drop_sql(schema_editor.connection.vendor, table, name=name):
            schema_editor.execute(statement)

    return migrations.RunPython(forward, backward, elidable=False)


def missing_triggers(connection: Any) -> list[str]:
    """Names of the expected triggers on PROTECTED_TABLES that are absent or disabled."""
    vendor = connection.vendor
    expected = [name for table in PROTECTED_TABLES for name in trigger_names(table, vendor)]
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [TRIGGER_PREFIX + "%"],
            )
        elif vendor == "postgresql":
            # tgenabled 'D' = disabled; 'O' (origin), 'A' (always) and 'R' (replica) fire.
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE %s AND tgenabled <> 'D'",
                [TRIGGER_PREFIX + "%"],
            )
        else:
            return expected
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]
