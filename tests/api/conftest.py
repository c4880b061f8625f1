"""Helpers for the API tests: a JSON client with a bearer token, tokens per role, a settable clock."""

import json
import re
from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent, IdempotencyRecord
from motcua.org.models import ApiToken
from tests.factories import VALID_PID, at

CENTRE = "001.00.06.H56"
COMMITTEE = "001.00.00.H56"
POLICE = "001.00.30.H56"

# Letters only Vietnamese uses: a message carrying none of them was not written in Vietnamese.
VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)


class Api:
    """Django's test client, sending and reading JSON as the holder of `token`."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.token = token

    def _headers(self, key=None):
        headers = {}
        if self.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        if key:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return headers

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self._headers())

    def post(self, path, body=None, *, key=None, raw=None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(f"/api/v1{path}", data, content_type="application/json", **self._headers(key))

    def act(self, code, action, body=None, *, key=None):
        return self.post(f"/dossiers/{code}/actions/{action}", body, key=key)


def dossier_body(**changes) -> dict:
    """A valid POST /dossiers body for permanent residence at the commune centre; `applicant` merges."""
    body = {
        "procedure": "1.004222",
        "channel": 1,
        "receiving_agency": CENTRE,
        "competent_agency": COMMITTEE,
        "applicant": {"name": "Nguyễn Văn An", "personal_id": VALID_PID, "birth_date": "15/03/1987", "phone": "0912345678"},
        "summary": "Đăng ký thường trú vào hộ gia đình của bố mẹ",
    }
    body["applicant"] |= changes.pop("applicant", {})
    return body | changes


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def set(self, text: str) -> datetime:
        self.now = at(text)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """The time the API and the services see: they read django.utils.timezone.now at each call."""
    c = Clock(at("2026-11-16 08:00"))
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


@pytest.fixture
def api(world):
    """The world's API token: a system user holding one_stop_officer at the province committee."""
    return Api(world.token)


@pytest.fixture
def api_as(world):
    """api_as(role) → an Api acting as the world's user holding `role`, with a fresh token."""

    def make(role: str, other: bool = False) -> Api:
        _, raw = ApiToken.issue(world.user(role, other), f"test {role}")
        return Api(raw)

    return make


def counts() -> tuple[int, int, int]:
    """(dossiers, events, idempotency records): what a refused request must leave as it was."""
    return Dossier.objects.count(), DossierEvent.objects.count(), IdempotencyRecord.objects.count()


def assert_refused(response, status: int, code: str, *fragments: str) -> dict:
    """A 4xx in the documented shape, with a Vietnamese message that contains each fragment."""
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert body["code"] == code, body
    assert VIETNAMESE.search(body["detail"]), body["detail"]
    for fragment in fragments:
        assert fragment in body["detail"], (fragment, body["detail"])
    return body
