"""The API while the database restarts: 503 with Retry-After and a Vietnamese message that says to send
again with the same Idempotency-Key; a bug is still a 500 with an incident id."""

import psycopg.errors
from django.db import OperationalError, ProgrammingError

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.api.conftest import VIETNAMESE, dossier_body


def _raise(django_error, cause):
    def fail(**kwargs):
        error = django_error(str(cause))
        error.__cause__ = cause
        raise error

    return fail


def test_a_submission_during_a_database_restart_is_answered_503_and_can_be_sent_again(world, api, monkeypatch):
    before = Dossier.objects.count()
    shutting_down = psycopg.errors.CannotConnectNow("the database system is shutting down")
    monkeypatch.setattr(services, "create_dossier", _raise(OperationalError, shutting_down))
    api.client.raise_request_exception = False
    response = api.post("/dossiers", dossier_body(), key="k-outage")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert VIETNAMESE.search(body["detail"]) and "Idempotency-Key" in body["detail"]
    assert Dossier.objects.count() == before
    monkeypatch.undo()  # the database is back: the same key now creates the dossier
    again = api.post("/dossiers", dossier_body(), key="k-outage")
    assert again.status_code == 201
    assert Dossier.objects.count() == before + 1


def test_a_database_error_that_is_a_bug_stays_a_500(world, api, monkeypatch):
    missing = psycopg.errors.UndefinedColumn('column "x" does not exist')
    monkeypatch.setattr(services, "create_dossier", _raise(ProgrammingError, missing))
    api.client.raise_request_exception = False
    response = api.post("/dossiers", dossier_body(), key="k-bug")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error" and "mã sự cố" in response.json()["detail"]
    assert "Retry-After" not in response
