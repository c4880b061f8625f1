"""The API's rate limit: per key, per signed-in account, per address for public calls; 429 with Retry-After
and a Vietnamese message; counted where every web process sees it (the database here, Django's cache when
it is shared)."""

import pytest
from django.test import Client

from motcua.api import ratelimit
from motcua.api.v1 import api as ninja_api
from motcua.org.models import ApiToken
from motcua.portal.models import Throttle

from .conftest import Api, assert_refused


@pytest.fixture
def limit_3(settings):
    settings.MOTCUA_API_REQUESTS_PER_MINUTE = 3
    return 3


def test_the_fourth_request_in_a_minute_is_refused_with_retry_after(world, api, clock, limit_3):
    clock.set("2026-11-16 08:00")
    for _ in range(3):
        assert api.get("/me").status_code == 200
    clock.now = clock.now.replace(second=15)
    refused = api.get("/me")
    body = assert_refused(refused, 429, "rate_limited", "3 yêu cầu trong một phút", "45 giây")
    assert body["field"] is None
    assert refused["Retry-After"] == "45"
    # A write is refused the same way, before anything is written.
    assert api.post("/dossiers", {}).status_code == 429


def test_another_key_is_not_affected(world, api, api_as, clock, limit_3):
    for _ in range(3):
        api.get("/dossiers")
    assert api.get("/dossiers").status_code == 429
    other = api_as("specialist")
    assert other.get("/dossiers").status_code == 200


def test_the_limit_starts_again_with_the_next_minute(world, api, clock, limit_3):
    clock.set("2026-11-16 08:00")
    for _ in range(3):
        assert api.get("/me").status_code == 200
    clock.now = clock.now.replace(second=59)
    assert api.get("/me").status_code == 429
    clock.set("2026-11-16 08:01")
    assert api.get("/me").status_code == 200
    # Rows of the minute before are dropped when the caller's new minute starts.
    token = ApiToken.objects.get(key_hash=ApiToken.hash(world.token))
    assert list(Throttle.objects.filter(kind=ratelimit.KIND_TOKEN).values_list("key", flat=True)) == [str(token.pk)]


def test_refused_requests_are_not_counted(world, api, clock, limit_3):
    for _ in range(10):
        api.get("/me")
    assert Throttle.objects.filter(kind=ratelimit.KIND_TOKEN).count() == 3


def test_public_calls_count_per_address(db, clock, limit_3):
    first, second = Client(REMOTE_ADDR="203.0.113.5"), Client(REMOTE_ADDR="203.0.113.6")
    for _ in range(3):
        assert first.get("/api/v1/workflow").status_code == 200
    assert_refused(first.get("/api/v1/workflow"), 429, "rate_limited")
    assert second.get("/api/v1/workflow").status_code == 200
    # One IPv6 subscriber's /64 is one caller.
    a, b = Client(REMOTE_ADDR="2001:db8:1:2::10"), Client(REMOTE_ADDR="2001:db8:1:2::99")
    for _ in range(3):
        a.get("/api/v1/workflow")
    assert b.get("/api/v1/workflow").status_code == 429


def test_the_count_lives_in_the_database_not_in_the_process(db, clock, limit_3):
    """What another gunicorn process would see: a fresh throttle object (no state of its own) refuses
    once the shared count is full."""
    for _ in range(3):
        assert ratelimit.hit(ratelimit.KIND_TOKEN, "42").allowed
    again = ratelimit.ApiRateLimit()

    class Request:
        api_token = ApiToken(pk=42)

    assert not again.allow_request(Request())
    assert 0 < again.wait() <= 60


def test_zero_turns_the_limit_off(world, api, clock, settings):
    settings.MOTCUA_API_REQUESTS_PER_MINUTE = 0
    for _ in range(5):
        assert api.get("/me").status_code == 200
    assert not Throttle.objects.filter(kind=ratelimit.KIND_TOKEN).exists()


def test_a_shared_cache_is_used_and_an_unreachable_one_falls_back_to_the_database(world, api, clock, limit_3, settings):
    # Redis at a port nobody listens on: the limit still holds, counted in the database.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    assert ratelimit.shared_cache()
    for _ in range(3):
        assert api.get("/me").status_code == 200
    assert api.get("/me").status_code == 429
    assert Throttle.objects.filter(kind=ratelimit.KIND_TOKEN).count() == 3


def test_the_cache_counter_limits_and_resets(db, clock, settings, monkeypatch):
    """The shared-cache path (Redis in production) with Django's local memory cache standing in: the
    same add/incr calls, one counter per caller and minute."""
    monkeypatch.setattr(ratelimit, "shared_cache", lambda: True)
    clock.set("2026-11-16 08:00")
    results = [ratelimit.hit(ratelimit.KIND_TOKEN, "7", limit=2) for _ in range(3)]
    assert [r.allowed for r in results] == [True, True, False]
    assert results[-1].retry_after == 60
    assert ratelimit.hit(ratelimit.KIND_TOKEN, "8", limit=2).allowed
    clock.set("2026-11-16 08:01")
    assert ratelimit.hit(ratelimit.KIND_TOKEN, "7", limit=2).allowed
    assert not Throttle.objects.exists()


def test_every_operation_declares_429():
    paths = ninja_api.get_openapi_schema()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert "429" in {str(status) for status in operation["responses"]}, (method, path)


def test_signed_in_staff_count_per_account(world, clock, limit_3):
    client = Client()
    client.force_login(world.user("specialist"))
    for _ in range(3):
        assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me").status_code == 429
    assert Throttle.objects.filter(kind=ratelimit.KIND_USER).count() == 3
    assert Api(world.token).get("/me").status_code == 200
