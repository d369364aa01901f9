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

from django.db import migrations

from sanxiang.records.immutability import protect, protect_when

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


def protect_records() -> migrations.RunPython:
    return protect_when(
        "cases_record",
        when='EXISTS (SELECT 1 FROM "cases_signature" WHERE "record_id" = OLD."id")',
        name="signed",
        update_message=RECORD_SIGNED_MESSAGE,
        delete_message=RECORD_DELETE_MESSAGE,
    )


def protect_signatures() -> migrations.RunPython:
    return protect("cases_signature", SIGNATURE_MESSAGE)
