"""Bulk inserts for imports and the audit trail: COPY on PostgreSQL, executemany elsewhere.

A city import writes millions of rows; row-by-row INSERTs cost PostgreSQL a round of parsing
and planning each, COPY streams them in one statement. Both run in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import orjson
from django.db import connection


def bulk_insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the driver's own cursor: its errors become Django's, as on every other path
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


def bulk_update(
    table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """UPDATE rows by `key`; each row holds the new `columns` values, then the key."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(table)} SET {sets} WHERE {quote(key)} = %s", rows)


class Adapt:
    """Record values as plain query parameters (text, numbers, None) for one backend.

    Plain values can wait in the batch's staging file as JSON, so writing a row costs one
    `json.loads`; PostgreSQL casts the text to timestamptz, date and jsonb itself.
    """

    def __init__(self, vendor: str) -> None:
        self.sqlite = vendor == "sqlite"

    def time(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        if self.sqlite:  # naive UTC text, as Django's SQLite backend stores it
            return str(value.astimezone(UTC).replace(tzinfo=None))
        return value.isoformat()

    def bool(self, value: bool) -> int | str:
        # staging keeps values in SQLite, which turns booleans into 0/1; PostgreSQL will not
        # cast an integer to boolean, but it does cast the text 'true'/'false'
        if self.sqlite:
            return int(value)
        return "true" if value else "false"

    @staticmethod
    def date(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    @staticmethod
    def json(value: Any) -> str | None:
        return None if value is None else orjson.dumps(value).decode()
