"""A database briefly out of reach (a restart, a fail-over) is told apart from a bug: pages answer 503
with Retry-After and say to try again; a bug still gets the 500 page with its incident id."""

import sqlite3

import psycopg
import psycopg.errors
import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.test import Client

from motcua.ops.outage import database_unavailable


def wrapped(django_error, cause):
    """What Django raises: its own error class, with the driver's error as the cause."""
    error = django_error(str(cause))
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "error, unavailable",
    [
        (wrapped(OperationalError, psycopg.OperationalError("connection failed: Connection refused")), True),
        (wrapped(OperationalError, psycopg.errors.AdminShutdown("terminating connection due to administrator command")), True),
        (wrapped(OperationalError, psycopg.errors.CannotConnectNow("the database system is shutting down")), True),
        (wrapped(OperationalError, psycopg.errors.TooManyConnections("sorry, too many clients already")), True),
        (wrapped(OperationalError, psycopg.errors.DeadlockDetected("deadlock detected")), True),
        (wrapped(OperationalError, psycopg.errors.SerializationFailure("could not serialize access")), True),
        (wrapped(InterfaceError, psycopg.InterfaceError("the connection is closed")), True),
        (wrapped(OperationalError, sqlite3.OperationalError("database is locked")), True),
        (wrapped(ProgrammingError, psycopg.errors.UndefinedTable('relation "x" does not exist')), False),
        (wrapped(OperationalError, sqlite3.OperationalError("no such table: x")), False),
        (wrapped(OperationalError, psycopg.errors.ConnectionTimeout("connection timeout expired")), True),
        (wrapped(OperationalError, psycopg.errors.QueryCanceled("canceling statement due to statement timeout")), False),
        (wrapped(OperationalError, psycopg.errors.DiskFull("could not extend file")), False),
        (ValueError("a bug"), False),
        (None, False),
    ],
    ids=["refused", "admin-shutdown", "shutting-down", "too-many-connections", "deadlock", "serialization",
         "closed", "sqlite-locked", "undefined-table", "sqlite-no-table", "connect-timeout", "statement-timeout",
         "disk-full", "bug", "none"],
)
def test_which_failures_mean_the_database_is_out_of_reach(error, unavailable):
    assert database_unavailable(error) is unavailable


def home_page_failing_with(error, monkeypatch):
    """GET / while the start page's first query raises `error`, as a browser would get it."""
    from motcua.web import views

    def failing():
        raise error

    monkeypatch.setattr(views, "fields_in_force", failing)
    return Client(raise_request_exception=False).get("/")


def test_a_page_answers_503_with_retry_after_while_the_database_restarts(db, monkeypatch):
    shutdown = psycopg.errors.AdminShutdown("terminating connection due to administrator command")
    response = home_page_failing_with(wrapped(OperationalError, shutdown), monkeypatch)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Hệ thống tạm gián đoạn" in page and "hãy thử lại sau 5 giây" in page
    assert response["X-Request-ID"] in page  # the id to quote, as on the 500 page


def test_a_bug_still_gets_the_500_page(db, monkeypatch):
    missing = psycopg.errors.UndefinedTable('relation "catalog_field" does not exist')
    response = home_page_failing_with(wrapped(ProgrammingError, missing), monkeypatch)
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Hệ thống đang gặp lỗi" in response.content.decode()
