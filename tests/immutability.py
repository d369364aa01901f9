"""Getting past the immutability triggers (records/immutability.py) — for tests only.

Two uses:

- ``allow_flush()`` (installed for the whole suite by tests/conftest.py): transactional
  tests (``django_db(transaction=True)``, the browser journeys) end with Django's ``flush``,
  which empties every table with DELETE (SQLite) or TRUNCATE (PostgreSQL) — exactly what the
  triggers refuse. The patched flush first suspends them inside its own transaction: on
  PostgreSQL ``SET LOCAL session_replication_role = replica`` (ordinary triggers do not fire;
  the test database role is a superuser), on SQLite it drops the triggers and recreates them
  from their stored SQL in the same transaction.
- ``triggers_suspended()``: a test that injects tampering (a changed payload, a deleted or
  swapped entry) does it inside this block, in the test's transaction; the triggers are
  back in force when it ends, and the test's rollback undoes the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection

from sanxiang.records.immutability import TRIGGER_PREFIX


def _sqlite_triggers(cursor: Any) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
        [TRIGGER_PREFIX + "%"],
    )
    return list(cursor.fetchall())


@contextmanager
def triggers_suspended(connection: Any = None) -> Iterator[None]:
    """Run the block with the immutability triggers off. Must be inside a transaction."""
    connection = connection or default_connection
    assert connection.in_atomic_block, "triggers_suspended() needs a transaction"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            try:
                yield
            finally:
                cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            triggers = _sqlite_triggers(cursor)
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            try:
                yield
            finally:
                for _name, sql in triggers:
                    cursor.execute(sql)


def allow_flush(monkeypatch: Any) -> None:
    """Patch DatabaseOperations.execute_sql_flush to suspend the triggers while it runs."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: Any, sql_list: list[str]) -> None:
        connection = self.connection
        if connection.vendor == "postgresql":
            sql_list = ["SET LOCAL session_replication_role = replica", *sql_list]
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                triggers = _sqlite_triggers(cursor)
            sql_list = [
                *(f'DROP TRIGGER "{name}"' for name, _ in triggers),
                *sql_list,
                *(sql for _, sql in triggers),
            ]
        original(self, sql_list)

    monkeypatch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
