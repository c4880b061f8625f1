"""Looking a citizen up in the population database from the 12-digit personal ID.

`get_registry()` gives the HTTP client when MOTCUA_POPULATION_URL is set, else the local registry. The
client has timeouts, a few quick retries and a circuit breaker: after repeated failures it stops calling
for a while and answers "unavailable" at once, so the officer is not kept waiting at the counter and can
type the data by hand (the dossier is then flagged as not verified against population data).
"""

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import date

from django.conf import settings

UNAVAILABLE_MESSAGE = (
    "Không tra cứu được Cơ sở dữ liệu quốc gia về dân cư lúc này. Hãy nhập thông tin theo giấy tờ người dân "
    "xuất trình; hồ sơ sẽ được đánh dấu “chưa đối chiếu dữ liệu dân cư”."
)


@dataclass(frozen=True)
class Person:
    personal_id: str
    full_name: str
    birth_date: date
    sex: str
    address: str

    def as_json(self) -> dict:
        return asdict(self) | {"birth_date": self.birth_date.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> "Person":
        return cls(
            personal_id=data["personal_id"], full_name=data["full_name"], birth_date=date.fromisoformat(data["birth_date"]),
            sex=data["sex"], address=data["address"],
        )


class RegistryUnavailable(Exception):
    pass


class LocalPopulationRegistry:
    """Reads the ResidentRecord table (demo and tests)."""

    def lookup(self, personal_id: str) -> Person | None:
        from .models import ResidentRecord

        r = ResidentRecord.objects.filter(personal_id=personal_id).first()
        if r is None:
            return None
        return Person(r.personal_id, r.full_name, r.birth_date, r.sex, r.address)


class CircuitBreaker:
    """Open after `threshold` consecutive failures; half-open again after `cooldown` seconds."""

    def __init__(self, threshold: int, cooldown: float):
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


class HttpPopulationRegistry:
    """GET {base}/persons/{personal_id} → 200 with the person, 404 when unknown."""

    def __init__(self, base_url: str, token: str = "", timeout: float = 3.0, attempts: int = 2, breaker=None):
        self.base_url, self.token, self.timeout, self.attempts = base_url.rstrip("/"), token, timeout, attempts
        self.breaker = breaker or CircuitBreaker(threshold=5, cooldown=60)

    def lookup(self, personal_id: str) -> Person | None:
        if not self.breaker.allow():
            raise RegistryUnavailable(UNAVAILABLE_MESSAGE)
        request = urllib.request.Request(
            f"{self.base_url}/persons/{personal_id}",
            headers={"Accept": "application/json"} | ({"Authorization": f"Bearer {self.token}"} if self.token else {}),
        )
        for attempt in range(self.attempts):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    person = Person.from_json(json.loads(response.read()))
                self.breaker.success()
                return person
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    self.breaker.success()
                    return None
                if exc.code < 500:  # our request is wrong: retrying cannot help
                    raise RegistryUnavailable(f"Dịch vụ dân cư từ chối yêu cầu ({exc.code}).") from exc
            except (urllib.error.URLError, OSError, ValueError, KeyError):
                pass
            if attempt + 1 < self.attempts:
                time.sleep(0.2 * (attempt + 1))
        self.breaker.failure()
        raise RegistryUnavailable(UNAVAILABLE_MESSAGE)


_http_registry = None


def get_registry():
    global _http_registry
    if not settings.MOTCUA_POPULATION_URL:
        return LocalPopulationRegistry()
    if _http_registry is None or _http_registry.base_url != settings.MOTCUA_POPULATION_URL.rstrip("/"):
        _http_registry = HttpPopulationRegistry(
            settings.MOTCUA_POPULATION_URL, settings.MOTCUA_POPULATION_TOKEN, timeout=settings.MOTCUA_HTTP_TIMEOUT
        )
    return _http_registry
