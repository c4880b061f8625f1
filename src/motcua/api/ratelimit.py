"""The API's rate limit: at most MOTCUA_API_REQUESTS_PER_MINUTE requests per fixed minute, per caller.

The caller is the API key (Authorization: Bearer), else the signed-in account (the Swagger UI), else the
client's address (the public catalog; an IPv6 address counts as its /64, see portal.identity).

Counted where every web process sees the same numbers, so that N gunicorn processes do not allow N times
the limit:

- in Django's cache when it is shared between processes (Redis when REDIS_URL is set): one counter per
  caller and minute, raised atomically with `incr`;
- otherwise in the database, in the portal's `Throttle` table (one row per counted request, the rows of
  earlier minutes deleted when a caller's new minute starts; housekeeping removes the rest). Counting and
  writing are two statements, so requests arriving at the same instant from several processes may pass
  the limit by at most one request per process: a limit against floods, not an exact quota.

A request over the limit is answered 429 with Retry-After (seconds to the next minute) and a Vietnamese
message; it is not counted.
"""

import logging
import math
import threading
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.throttling import BaseThrottle

from motcua.portal.identity import client_address
from motcua.portal.models import Throttle

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60

# Kinds in the Throttle table (its `kind` column; these are not among the portal's choices, which only
# label the portal's own rows in the admin).
KIND_TOKEN = "api_token"
KIND_USER = "api_user"
KIND_ADDRESS = "api_ip"

# Caches that live in one process: counting there would give each gunicorn process its own limit.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the caller's next window starts (0 when allowed)


def requests_per_minute() -> int:
    return settings.MOTCUA_API_REQUESTS_PER_MINUTE


def shared_cache() -> bool:
    return settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES


def _window(now: datetime) -> tuple[int, datetime, int]:
    """(index of the window, its start, whole seconds until the next one)."""
    seconds = now.timestamp()
    index = int(seconds // WINDOW_SECONDS)
    start = datetime.fromtimestamp(index * WINDOW_SECONDS, tz=now.tzinfo or timezone.get_current_timezone())
    left = max(1, math.ceil((index + 1) * WINDOW_SECONDS - seconds))
    return index, start, left


def _hit_cache(kind: str, key: str, limit: int, index: int) -> bool:
    name = f"motcua:ratelimit:{kind}:{key}:{index}"
    # add() creates the counter only if absent; incr() is atomic in Redis and memcached.
    cache.add(name, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count <= limit


def _hit_database(kind: str, key: str, limit: int, start: datetime, now: datetime) -> bool:
    rows = Throttle.objects.filter(kind=kind, key=key)
    count = rows.filter(at__gte=start).count()
    if count >= limit:
        return False
    if count == 0:  # a new window for this caller: its earlier rows count for nothing now
        rows.filter(at__lt=start).delete()
    Throttle.objects.create(kind=kind, key=key, at=now)
    return True


def hit(kind: str, key: str, *, limit: int | None = None, now: datetime | None = None) -> Decision:
    """Count one request of the caller (kind, key) and say whether it is within the limit."""
    limit = requests_per_minute() if limit is None else limit
    if limit <= 0:  # 0 turns the limit off
        return Decision(True, 0)
    now = now or timezone.now()
    index, start, left = _window(now)
    key = key[:64]
    allowed = None
    if shared_cache():
        try:
            allowed = _hit_cache(kind, key, limit, index)
        except Exception:  # the cache is down: count in the database rather than refuse or stop counting
            logger.warning("API rate limit: the cache is unavailable, counting in the database", exc_info=True)
    if allowed is None:
        allowed = _hit_database(kind, key, limit, start, now)
    return Decision(allowed, 0 if allowed else left)


def caller(request) -> tuple[str, str]:
    """(kind, key) the request is counted under."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return KIND_TOKEN, str(token.pk)
    user = getattr(request, "auth", None)
    if getattr(user, "is_authenticated", False):
        return KIND_USER, str(user.pk)
    return KIND_ADDRESS, client_address(request)


class ApiRateLimit(BaseThrottle):
    """django-ninja's throttle hook, run after authentication on every operation of the API. One instance
    serves every thread of a gthread worker, so the last decision is kept per thread for wait()."""

    def __init__(self):
        self._last = threading.local()

    def allow_request(self, request) -> bool:
        kind, key = caller(request)
        decision = hit(kind, key)
        request.rate_limit_retry_after = decision.retry_after
        self._last.retry_after = decision.retry_after
        return decision.allowed

    def wait(self) -> float | None:
        return getattr(self._last, "retry_after", None) or None


RATE_LIMITED_MESSAGE = (
    "Đã gửi quá {limit} yêu cầu trong một phút bằng khóa API (hoặc từ địa chỉ mạng) này. "
    "Hãy chờ {seconds} giây rồi gửi lại; nếu hệ thống của bạn cần nhiều hơn, liên hệ quản trị hệ thống."
)


def rate_limited_message(seconds: int) -> str:
    return RATE_LIMITED_MESSAGE.format(limit=requests_per_minute(), seconds=seconds)


def retry_after(request, wait: float | None = None) -> int:
    """Seconds the refused caller should wait (Retry-After)."""
    return getattr(request, "rate_limit_retry_after", 0) or math.ceil(wait or 0) or WINDOW_SECONDS
