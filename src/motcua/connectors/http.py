"""The one HTTP helper for outside systems: timeouts from MOTCUA_HTTP_TIMEOUT, bounded retries, a circuit
breaker per host, JSON posts with an idempotency key and a bearer token.

Errors follow the outbox's rule: DeliveryError when trying later may help (5xx, 429, a timeout, a network
error, an answer that is not a JSON object), PermanentDeliveryError when it cannot (any other 4xx). Each
carries the HTTP `status` when there was one.

Retries: a call is repeated in place only when the caller says so (`attempts`), for idempotent calls a
person waits on (a GET, a POST with an idempotency key); outbox deliveries use one attempt, since the
outbox itself retries with a long back-off. The circuit breaker likewise guards interactive calls: after
repeated failures it answers CircuitOpen at once, so an officer at the counter is not kept waiting.
"""

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from django.conf import settings

from .errors import CircuitOpen, DeliveryError, PermanentDeliveryError

RETRY_PAUSE = 0.2  # seconds, times the attempt number


def timeout() -> float:
    return settings.MOTCUA_HTTP_TIMEOUT


class CircuitBreaker:
    """Open after `threshold` consecutive failures; half-open again after `cooldown` seconds."""

    def __init__(self, threshold: int = 5, cooldown: float = 60):
        self.threshold, self.cooldown = threshold, cooldown
        self.failures, self.opened_at = 0, None
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            return self.opened_at is None or time.monotonic() - self.opened_at >= self.cooldown

    def success(self) -> None:
        with self._lock:
            self.failures, self.opened_at = 0, None

    def failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self.failures >= self.threshold:
                self.opened_at = time.monotonic()

    @property
    def is_open(self) -> bool:
        return not self.allow()


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc.lower()


def breaker_for(url: str, *, threshold: int = 5, cooldown: float = 60) -> CircuitBreaker:
    """The circuit breaker shared by every call to the URL's host (scheme and path aside)."""
    with _breakers_lock:
        return _breakers.setdefault(host(url), CircuitBreaker(threshold, cooldown))


def _error(cls, message: str, status: int | None = None, cause: Exception | None = None):
    exc = cls(message)
    exc.status = status
    exc.__cause__ = cause
    return exc


def _open(url: str, data: bytes | None, headers: dict, method: str, seconds: float | None) -> bytes:
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=seconds or timeout()) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode(errors="replace")
        if exc.code >= 500 or exc.code == 429:
            raise _error(DeliveryError, f"Nhà cung cấp tạm lỗi {exc.code}: {detail}", exc.code, exc) from exc
        raise _error(PermanentDeliveryError, f"Nhà cung cấp từ chối ({exc.code}): {detail}", exc.code, exc) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise _error(DeliveryError, f"Không kết nối được nhà cung cấp: {exc}", None, exc) from exc


def json_object(raw: bytes) -> dict:
    """The JSON object an answer holds ({} when empty); anything else is a DeliveryError."""
    try:
        answer = json.loads(raw) if raw.strip() else {}
    except ValueError as exc:
        raise _error(DeliveryError, f"Nhà cung cấp trả lời không phải JSON: {exc}", None, exc) from exc
    if not isinstance(answer, dict):
        raise DeliveryError(f"Nhà cung cấp trả lời không đúng dạng (cần một đối tượng JSON): {raw[:200]!r}")
    return answer


def request(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict | None = None,
            parse: Callable[[bytes], object] | None = None, attempts: int = 1, breaker: CircuitBreaker | None = None,
            missing_is_none: bool = False, seconds: float | None = None):
    """One call, repeated up to `attempts` times while the failure is temporary; returns `parse(body)`
    (the raw bytes without `parse`), or None for a 404 when `missing_is_none`. A `parse` that raises
    ValueError, KeyError or TypeError counts as a temporary failure (an odd answer)."""
    if breaker is not None and not breaker.allow():
        raise CircuitOpen(f"Tạm ngừng gọi {host(url)} sau nhiều lần lỗi liên tiếp.")
    last = None
    for attempt in range(max(1, attempts)):
        try:
            body = _open(url, data, headers or {}, method, seconds)
            result = parse(body) if parse else body
        except PermanentDeliveryError as exc:
            if missing_is_none and exc.status == 404:
                if breaker is not None:
                    breaker.success()
                return None
            raise
        except DeliveryError as exc:
            last = exc
        except (ValueError, KeyError, TypeError) as exc:
            last = _error(DeliveryError, f"Nhà cung cấp trả lời không đúng dạng: {exc!r}", None, exc)
        else:
            if breaker is not None:
                breaker.success()
            return result
        if attempt + 1 < attempts:
            time.sleep(RETRY_PAUSE * (attempt + 1))
    if breaker is not None:
        breaker.failure()
    raise last


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"} if token else {}


def post_json(url: str, body, *, key: str, token: str = "", headers: dict | None = None, attempts: int = 1,
              breaker: CircuitBreaker | None = None) -> dict:
    """POST JSON with an idempotency key (and a bearer token when given); the answer's JSON object ({} when
    empty). 5xx, 429, timeouts and network errors raise DeliveryError, other refusals PermanentDeliveryError."""
    return request(
        url, method="POST", data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", "Idempotency-Key": key} | bearer(token) | (headers or {}),
        parse=json_object, attempts=attempts, breaker=breaker,
    )


def post_form(url: str, fields: dict, *, headers: dict | None = None) -> dict:
    """POST a form (application/x-www-form-urlencoded) and return the JSON answer, like post_json
    (one attempt: a form post carries no idempotency key)."""
    return request(
        url, method="POST", data=urllib.parse.urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"} | (headers or {}), parse=json_object,
    )


def get_json(url: str, *, token: str = "", parse: Callable[[dict], object] | None = None, attempts: int = 2,
             breaker: CircuitBreaker | None = None, seconds: float | None = None):
    """GET a JSON object (retried: a GET is idempotent); None when the resource does not exist (404).
    `parse` turns the object into what the caller wants, inside the retry loop."""
    def decode(raw: bytes):
        answer = json.loads(raw)
        if not isinstance(answer, dict):
            raise TypeError("not a JSON object")
        return parse(answer) if parse else answer

    return request(url, headers={"Accept": "application/json"} | bearer(token), parse=decode, attempts=attempts,
                   breaker=breaker, missing_is_none=True, seconds=seconds)
