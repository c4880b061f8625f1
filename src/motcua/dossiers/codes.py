"""Dossier codes per TT 01/2018/TT-VPCP Art 19: <agency identifier>-YYMMDD-NNNN.

The daily number lives in a counter row incremented inside the caller's transaction, so two receptions
never get the same number on either database; it simply grows past 9,999 (the 2025 rules allow more
digits).
"""

import re
from datetime import date

from django.db.models import F

from .models import DailyCounter

CODE_RE = re.compile(r"^[A-Z0-9.]+-\d{6}-\d{4,}$")


def next_number(agency, day: date) -> int:
    # Insert-if-missing then increment: correct under concurrency on SQLite and PostgreSQL alike.
    DailyCounter.objects.bulk_create([DailyCounter(agency=agency, day=day, value=0)], ignore_conflicts=True)
    DailyCounter.objects.filter(agency=agency, day=day).update(value=F("value") + 1)
    return DailyCounter.objects.filter(agency=agency, day=day).values_list("value", flat=True).get()


def format_code(identifier_code: str, day: date, number: int) -> str:
    return f"{identifier_code}-{day:%y%m%d}-{number:04d}"


def new_code(agency, day: date) -> str:
    return format_code(agency.identifier_code, day, next_number(agency, day))


def looks_like_code(text: str) -> bool:
    return bool(CODE_RE.match(text or ""))
