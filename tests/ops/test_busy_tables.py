"""Busy tables are vacuumed after 1 % of their rows are dead, not PostgreSQL's default 20 %."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage settings"),
]


@pytest.mark.parametrize("table", ["dossiers_dossier", "notify_outboxmessage"])
def test_busy_tables_are_vacuumed_after_one_percent_of_dead_rows(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        options = set(cursor.fetchone()[0] or [])
    assert {"autovacuum_vacuum_scale_factor=0.01", "autovacuum_vacuum_threshold=1000",
            "autovacuum_analyze_scale_factor=0.02"} <= options
