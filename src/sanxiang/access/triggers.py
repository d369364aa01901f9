"""The database side of "a confidentiality mark is never edited or deleted; a change is a new
entry" (001 河南全过程记录办法 第二十五条; 000 全过程记录办法 第二十八条):
``access_confidentialitymark`` refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL) through
records.immutability.protect (migration access 0002), on SQLite and PostgreSQL alike."""

from __future__ import annotations

MARK_TABLE = "access_confidentialitymark"
MARK_MESSAGE = (
    "保密标识不可修改或删除，变更或解除应当另行登记（001 河南全过程记录办法 第二十五条；"
    "000 全过程记录办法 第二十八条）"
)

# For records.immutability.PROTECTED_TABLES (the triggers `sanxiang verify` checks).
ACCESS_PROTECTED_TABLES: dict[str, str] = {MARK_TABLE: MARK_MESSAGE}
