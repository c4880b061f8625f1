"""/healthz answers without the database; /readyz says which dependency is missing, with a 503."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from motcua.ops import views


def test_healthz_answers_ok_without_touching_the_database(client):
    # No database fixture: any query would raise and turn the answer into a 500.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def fresh_migration_check(monkeypatch):
    monkeypatch.setattr(views, "_migrations_applied", False)


def test_readyz_is_ok_when_database_and_schema_are(client, db, fresh_migration_check):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_readyz_names_the_database_when_it_cannot_be_reached(client, db, fresh_migration_check):
    with mock.patch.object(views, "check_database", side_effect=OperationalError("connection refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["database"]
    assert body["checks"]["database"] == "failed: OperationalError"
    # Without a database the schema cannot be checked: said, not reported as a second failure.
    assert body["checks"]["migrations"] == "skipped"
    assert "connection refused" not in response.content.decode()


def test_readyz_names_migrations_not_applied(client, db, fresh_migration_check):
    MigrationRecorder(connection).record_unapplied("sessions", "0001_initial")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert response.json()["checks"]["database"] == "ok"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_readyz_names_the_broker_when_redis_is_configured_and_down(client, db, fresh_migration_check):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert body["checks"]["broker"].startswith("failed: ")
    assert body["checks"]["database"] == "ok"


def test_readyz_does_not_check_a_broker_without_redis(client, db, fresh_migration_check):
    assert "broker" not in client.get("/readyz").json()["checks"]


def test_probes_answer_head_requests(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.head("/readyz").status_code == 200
