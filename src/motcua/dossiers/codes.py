"""Dossier codes per TT 01/2018/TT-VPCP Art 19: <agency identifier>-YYMMDD-NNNN.

The daily number lives in a counter row incremented inside the caller's transaction, so two receptions
never get the same number on either database; it simply grows past 9,999 (the 2025 rules allow more
digits).
"""

import re
from datetime import date
from functools import cache

from django.db import connection

from .models import DailyCounter

CODE_RE = re.compile(r"^[A-Z0-9.]+-\d{6}-\d{4,}$")


@cache
def _increment_sql() -> str:
    """One statement that starts the day at 1 or adds 1, and gives the new value back: the row stays
    locked until the caller's transaction ends, so two receptions never get the same number (PostgreSQL,
    and SQLite 3.35 or newer)."""
    q = connection.ops.quote_name
    meta = DailyCounter._meta
    table, agency, day, value = (q(meta.db_table), q(meta.get_field("agency").column), q(meta.get_field("day").column),
                                 q(meta.get_field("value").column))
    return (f"INSERT INTO {table} ({agency}, {day}, {value}) VALUES (%s, %s, 1) "
            f"ON CONFLICT ({agency}, {day}) DO UPDATE SET {value} = {table}.{value} + 1 RETURNING {value}")


def next_number(agency, day: date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_increment_sql(), [agency.pk, connection.ops.adapt_datefield_value(day)])
        return cursor.fetchone()[0]


def format_code(identifier_code: str, day: date, number: int) -> str:
    return f"{identifier_code}-{day:%y%m%d}-{number:04d}"


def new_code(agency, day: date) -> str:
    return format_code(agency.identifier_code, day, next_number(agency, day))


def looks_like_code(text: str) -> bool:
    return bool(CODE_RE.match(text or ""))
