"""The persistent-connection health check without a round trip (ops/postgresql), on PostgreSQL only:
an idle connection is reused without asking the server, and one the server ended is found unusable,
so the request gets a new connection instead of an error."""

import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def asked(monkeypatch):
    """How many times the server was asked (Django's own check: SELECT 1)."""
    calls = []
    original = DjangoWrapper.is_usable

    def counting(self):
        calls.append(1)
        return original(self)

    monkeypatch.setattr(DjangoWrapper, "is_usable", counting)
    return calls


def _other_connection():
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    return wrapper


def test_the_settings_select_this_backend():
    assert connection.settings_dict["ENGINE"] == "motcua.ops.postgresql"
    assert type(connections["default"]).__module__ == "motcua.ops.postgresql.base"


def test_an_idle_connection_is_usable_without_asking_the_server(asked):
    connection.ensure_connection()
    assert connection.is_usable() is True
    assert asked == []


def test_a_connection_the_server_ended_is_unusable_and_replaced(asked):
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    for _ in range(50):  # the server's goodbye reaches the socket
        if not connection.is_usable():
            break
        time.sleep(0.02)
    assert connection.is_usable() is False
    assert asked  # something arrived: the server was asked, as Django does
    # What Django does before a request's first query with CONN_HEALTH_CHECKS: close, then reconnect.
    connection.health_check_done = False
    connection.health_check_enabled = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection.info.backend_pid != pid


def test_a_closed_connection_is_unusable():
    connection.ensure_connection()
    connection.connection.close()
    assert connection.is_usable() is False
    connection.close()
