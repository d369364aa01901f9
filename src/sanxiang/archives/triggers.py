"""The database side of "an archived case file is read-only" (000 全过程记录办法 第二十八条;
001 河南全过程记录办法 第二十四条), installed by migration archives 0002 on SQLite and
PostgreSQL, in the pattern of cases.triggers:

- ``archives_casefileassembly`` and ``archives_casefileitem`` are append-only
  (records.immutability.protect): every UPDATE and DELETE (and TRUNCATE) is refused.
- ``archives_casefile`` refuses DELETE (and TRUNCATE) always, and UPDATE of a row whose
  status is already ``archived``; a file still being assembled moves through its statuses.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

from sanxiang.records.immutability import TRIGGER_PREFIX, _literal, protect

ARCHIVED_MESSAGE = "已归档的案卷不可修改（000 全过程记录办法 第二十五条、第二十八条）"
DELETE_MESSAGE = "案卷登记不可删除（000 全过程记录办法 第二十八条）"
ASSEMBLY_MESSAGE = (
    "组卷记录及其内容不可修改或删除，重新组卷应生成新版本（000 全过程记录办法 第二十八条）"
)

_TABLE = "archives_casefile"

# For records.immutability.PROTECTED_TABLES (the triggers `sanxiang verify` should check).
ARCHIVES_PROTECTED_TABLES: dict[str, str] = {
    "archives_casefileassembly": ASSEMBLY_MESSAGE,
    "archives_casefileitem": ASSEMBLY_MESSAGE,
}


def _sqlite_create() -> list[str]:
    return [
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{_TABLE}_update" BEFORE UPDATE ON "{_TABLE}" '
        f"WHEN OLD.\"status\" = 'archived' "
        f"BEGIN SELECT RAISE(ABORT, {_literal(ARCHIVED_MESSAGE)}); END;",
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{_TABLE}_delete" BEFORE DELETE ON "{_TABLE}" '
        f"BEGIN SELECT RAISE(ABORT, {_literal(DELETE_MESSAGE)}); END;",
    ]


def _postgresql_create() -> list[str]:
    refuse = f"{TRIGGER_PREFIX}{_TABLE}_refuse"
    archived = f"{TRIGGER_PREFIX}{_TABLE}_refuse_archived"
    return [
        f'CREATE OR REPLACE FUNCTION "{refuse}"() RETURNS trigger LANGUAGE plpgsql AS $$\n'
        "BEGIN\n"
        "  RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];\n"
        "END;\n"
        "$$;",
        f'CREATE OR REPLACE FUNCTION "{archived}"() RETURNS trigger LANGUAGE plpgsql AS $$\n'
        "BEGIN\n"
        "  IF OLD.\"status\" = 'archived' THEN\n"
        "    RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];\n"
        "  END IF;\n"
        "  RETURN NEW;\n"
        "END;\n"
        "$$;",
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{_TABLE}_update" BEFORE UPDATE ON "{_TABLE}" '
        f'FOR EACH ROW EXECUTE FUNCTION "{archived}"({_literal(ARCHIVED_MESSAGE)});',
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{_TABLE}_delete" BEFORE DELETE ON "{_TABLE}" '
        f'FOR EACH ROW EXECUTE FUNCTION "{refuse}"({_literal(DELETE_MESSAGE)});',
        f'CREATE TRIGGER "{TRIGGER_PREFIX}{_TABLE}_truncate" BEFORE TRUNCATE ON "{_TABLE}" '
        f'FOR EACH STATEMENT EXECUTE FUNCTION "{refuse}"({_literal(DELETE_MESSAGE)});',
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
        f'DROP FUNCTION IF EXISTS "{TRIGGER_PREFIX}{_TABLE}_refuse_archived"();',
        f'DROP FUNCTION IF EXISTS "{TRIGGER_PREFIX}{_TABLE}_refuse"();',
    ]


def case_file_create_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_create()
    if vendor == "postgresql":
        return _postgresql_create()
    raise ImproperlyConfigured(f"不支持的数据库类型：{vendor}（仅支持 SQLite 与 PostgreSQL）。")


def protect_case_files() -> migrations.RunPython:
    def forward(apps: Any, schema_editor: Any) -> None:
        for statement in case_file_create_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def backward(apps: Any, schema_editor: Any) -> None:
        for statement in _drop(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    return migrations.RunPython(forward, backward, elidable=False)


def protect_assemblies() -> list[migrations.RunPython]:
    return [protect(table, message) for table, message in ARCHIVES_PROTECTED_TABLES.items()]
