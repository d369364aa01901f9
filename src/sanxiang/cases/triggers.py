"""The database side of "a signed record is never edited" (000 全过程记录办法 第二十八条;
004 第十三条; 002 第四十五条), installed by migration cases 0002, on SQLite and PostgreSQL:

- ``cases_signature`` is append-only: records.immutability.protect refuses every UPDATE and
  DELETE (and TRUNCATE on PostgreSQL).
- ``cases_record`` refuses DELETE (and TRUNCATE) always, and UPDATE of a row that has a
  signature or a recorded refusal: ``BEFORE UPDATE … WHEN EXISTS (SELECT 1 FROM
  cases_signature WHERE record_id = OLD.id)`` on SQLite; a plpgsql function doing the same
  test on PostgreSQL. Unsigned rows stay updatable at the database level (the services never
  update records anyway).

The trigger names use records.immutability.TRIGGER_PREFIX and its ``<table>_<event>``
pattern, so the test suite's flush helper (tests/immutability.py) suspends them like the
others and ``immutability.missing_triggers`` would find them once the tables are listed in
PROTECTED_TABLES (see CASES_PROTECTED_TABLES).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

from sanxiang.records.immutability import TRIGGER_PREFIX, _literal, protect

SIGNATURE_MESSAGE = "签名及拒签记录不可修改或删除（004 第十三条；000 全过程记录办法 第二十八条）"
RECORD_SIGNED_MESSAGE = (
    "已签名的文书不可修改，如有错误应制作更正记录（004 第十三条；000 全过程记录办法 第二十八条）"
)
RECORD_DELETE_MESSAGE = "文书记录不可删除（000 全过程记录办法 第二十八条）"

# For records.immutability.PROTECTED_TABLES (the triggers `sanxiang verify` should check).
CASES_PROTECTED_TABLES: dict[str, str] = {
    "cases_signature": SIGNATURE_MESSAGE,
    "cases_record": RECORD_SIGNED_MESSAGE,
}

_TABLE = "cases_record"


def _sqlite_create() -> list[str]:
    signed = _literal(RECORD_SIGNED_MESSAGE)
    delete = _literal(RECORD_DELETE_MESSAGE)
    return [
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{_TABLE}_update" BEFORE UPDATE ON "{_TABLE}" '
        f'WHEN EXISTS (SELECT 1 FROM "cases_signature" WHERE "record_id" = OLD."id") '
        f"BEGIN SELECT RAISE(ABORT, {signed}); END;",
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{_TABLE}_delete" BEFORE DELETE ON "{_TABLE}" '
        f"BEGIN SELECT RAISE(ABORT, {delete}); END;",
    ]


def _postgresql_create() -> list[str]:
    refuse = f"{TRIGGER_PREFIX}{_TABLE}_refuse"
    signed = f"{TRIGGER_PREFIX}{_TABLE}_refuse_signed"
    return [
        f'CREATE OR REPLACE FUNCTION "{refuse}"() RETURNS trigger LANGUAGE plpgsql AS $$\n'
        "BEGIN\n"
        "  RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];\n"
        "END;\n"
        "$$;",
        f'CREATE OR REPLACE FUNCTION "{signed}"() RETURNS trigger LANGUAGE plpgsql AS $$\n'
        "BEGIN\n"
        '  IF EXISTS (SELECT 1 FROM "cases_signature" WHERE "record_id" = OLD."id") THEN\n'
        "    RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];\n"
        "  END IF;\n"
        "  RETURN NEW;\n"
        "END;\n"
        "$$;",
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{_TABLE}_update" BEFORE UPDATE ON "{_TABLE}" '
        f'FOR EACH ROW EXECUTE FUNCTION "{signed}"({_literal(RECORD_SIGNED_MESSAGE)});',
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{_TABLE}_delete" BEFORE DELETE ON "{_TABLE}" '
        f'FOR EACH ROW EXECUTE FUNCTION "{refuse}"({_literal(RECORD_DELETE_MESSAGE)});',
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{_TABLE}_truncate" BEFORE TRUNCATE ON "{_TABLE}" '
        f'FOR EACH STATEMENT EXECUTE FUNCTION "{refuse}"({_literal(RECORD_DELETE_MESSAGE)});',
    ]


def _drop(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f'DROP TRIGGER IF EXISTS "{TRIGGER_PREFIX}{_TABLE}_{event}";'
            for event in ("update", "delete")
        ]
    return [
        *(
            f'DROP TRIGGER IF EXISTS "{TRIGGER_PREFIX}{_TABLE}_{event}" ON "{_TABLE}";'
            for event in ("update", "delete", "truncate")
        ),
        f'DROP FUNCTION IF EXISTS "{TRIGGER_PREFIX}{_TABLE}_refuse_signed"();',
        f'DROP FUNCTION IF EXISTS "{TRIGGER_PREFIX}{_TABLE}_refuse"();',
    ]


def record_create_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_create()
    if vendor == "postgresql":
        return _postgresql_create()
    raise ImproperlyConfigured(f"不支持的数据库类型：{vendor}（仅支持 SQLite 与 PostgreSQL）。")


def protect_records() -> migrations.RunPython:
    def forward(apps: Any, schema_editor: Any) -> None:
        for statement in record_create_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def backward(apps: Any, schema_editor: Any) -> None:
        for statement in _drop(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    return migrations.RunPython(forward, backward, elidable=False)


def protect_signatures() -> migrations.RunPython:
    return protect("cases_signature", SIGNATURE_MESSAGE)
