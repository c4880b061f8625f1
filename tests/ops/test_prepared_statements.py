"""Prepared statements on PostgreSQL (settings: server-side binding, psycopg's prepare threshold): a
query a connection runs again is no longer parsed and planned by the server each time."""

import pytest
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.portal import tracking

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"),
    pytest.mark.django_db,
]


def _prepared(marker: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
                       [f"%{marker}%"])
        return [row[0] for row in cursor.fetchall()]


def test_a_query_run_again_is_prepared_on_the_server():
    code = "000.00.00.H00-000000-0000"  # no such dossier: the look-up's query still runs
    assert _prepared("failedlookup") == []
    for _ in range(3):
        with connection.cursor() as cursor:
            cursor.execute(tracking._row_sql(), ["tra-cuu", "127.0.0.1", "2026-01-01T00:00:00Z", code, "draft"])
            cursor.fetchone()
    (statement,) = _prepared("failedlookup")
    assert "$4" in statement  # parameters bound by the server, not pasted into the text


def test_orm_queries_are_prepared_too():
    for _ in range(3):
        list(Dossier.objects.filter(code="000.00.00.H00-000000-0001").values_list("id"))
    assert _prepared('"dossiers_dossier"."code" = $1')

