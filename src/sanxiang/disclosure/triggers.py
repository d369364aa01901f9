"""The database side of "a published version is never edited" (000 公示办法 第二十一条: a
correction is a new version, the history stays visible): ``disclosure_publicationversion``
is append-only, refusing UPDATE and DELETE (and TRUNCATE on PostgreSQL) through
records.immutability.protect (migration disclosure 0002)."""

from __future__ import annotations

VERSION_TABLE = "disclosure_publicationversion"
VERSION_MESSAGE = (
    "已公开的公示版本不可修改或删除，更正应当形成新版本（000 公示办法 第二十一条；"
    "000 全过程记录办法 第二十八条）"
)

# For records.immutability.PROTECTED_TABLES (the triggers `sanxiang verify` checks).
DISCLOSURE_PROTECTED_TABLES: dict[str, str] = {VERSION_TABLE: VERSION_MESSAGE}
