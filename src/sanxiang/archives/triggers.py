"""The database side of "an archived case file is read-only" (000 全过程记录办法 第二十八条;
001 河南全过程记录办法 第二十四条), installed by migration archives 0002 on SQLite and
PostgreSQL, in the pattern of cases.triggers:

- ``archives_casefileassembly`` and ``archives_casefileitem`` are append-only
  (records.immutability.protect): every UPDATE and DELETE (and TRUNCATE) is refused.
- ``archives_casefile`` refuses DELETE (and TRUNCATE) always, and UPDATE of a row whose
  status is already ``archived``; a file still being assembled moves through its statuses.
"""

from __future__ import annotations

from django.db import migrations

from sanxiang.records.immutability import protect, protect_when

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


def protect_case_files() -> migrations.RunPython:
    return protect_when(
        _TABLE,
        when="OLD.\"status\" = 'archived'",
        name="archived",
        update_message=ARCHIVED_MESSAGE,
        delete_message=DELETE_MESSAGE,
    )


def protect_assemblies() -> list[migrations.RunPython]:
    return [protect(table, message) for table, message in ARCHIVES_PROTECTED_TABLES.items()]
