"""Looking a citizen up in the population database from the 12-digit personal ID.

`get_registry()` gives the HTTP client when MOTCUA_POPULATION_URL is set, else the local registry. The
client has timeouts, a few quick retries and a circuit breaker: after repeated failures it stops calling
for a while and answers "unavailable" at once, so the officer is not kept waiting at the counter and can
type the data by hand (the dossier is then flagged as not verified against population data).
"""

from dataclasses import asdict, dataclass
from datetime import date

from django.conf import settings

from motcua.connectors import DeliveryError, Kind, PermanentDeliveryError, Plugin, Setting, http, registry

from .models import ResidentRecord

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


class LocalPopulationRegistry(Plugin):
    """Reads the ResidentRecord table: the local stand-in (demo and tests), also served over HTTP under
    /lien-thong/dan-cu/ so the real client can be tried against it."""

    kind, name, label = Kind.POPULATION, "local", "CSDL dân cư nội bộ (ResidentRecord) / local population data"
    is_local_stand_in = True
    declared_settings = (Setting("MOTCUA_LOCAL_RECEIVERS", "Phục vụ bản thay thế qua /lien-thong/ / serve the stand-in over HTTP"),)

    def lookup(self, personal_id: str) -> Person | None:
        r = ResidentRecord.objects.filter(personal_id=personal_id).first()
        if r is None:
            return None
        return Person(r.personal_id, r.full_name, r.birth_date, r.sex, r.address)


class HttpPopulationRegistry:
    """GET {base}/persons/{personal_id} → 200 with the person, 404 when unknown."""

    def __init__(self, base_url: str, token: str = "", timeout: float = 3.0, attempts: int = 2, breaker=None):
        self.base_url, self.token, self.timeout, self.attempts = base_url.rstrip("/"), token, timeout, attempts
        self.breaker = breaker or http.breaker_for(self.base_url, threshold=5, cooldown=60)

    def lookup(self, personal_id: str) -> Person | None:
        try:
            return http.get_json(
                f"{self.base_url}/persons/{personal_id}", token=self.token, parse=Person.from_json,
                attempts=self.attempts, breaker=self.breaker, seconds=self.timeout,
            )
        except PermanentDeliveryError as exc:  # our request is wrong: retrying cannot help
            raise RegistryUnavailable(f"Dịch vụ dân cư từ chối yêu cầu ({exc.status}).") from exc
        except DeliveryError as exc:
            raise RegistryUnavailable(UNAVAILABLE_MESSAGE) from exc


class NationalPopulation(Plugin):
    """The national population database's HTTP service (CSDL quốc gia về dân cư)."""

    kind, name, label = Kind.POPULATION, "national", "CSDL quốc gia về dân cư / national population database"
    fallback = "dữ liệu dân cư nội bộ / the local population data"
    declared_settings = (
        Setting("MOTCUA_POPULATION_URL", "Địa chỉ dịch vụ dân cư; để trống: dữ liệu nội bộ / service URL, empty: local data",
                required=True),
        Setting("MOTCUA_POPULATION_TOKEN", "Khóa truy cập (Bearer) / bearer token", secret=True),
        Setting("MOTCUA_HTTP_TIMEOUT", "Thời gian chờ mỗi lần gọi (giây) / timeout per call (seconds)"),
    )

    def __init__(self):
        self._client = None

    def client(self) -> HttpPopulationRegistry:
        base = settings.MOTCUA_POPULATION_URL.rstrip("/")
        if self._client is None or self._client.base_url != base:
            self._client = HttpPopulationRegistry(
                settings.MOTCUA_POPULATION_URL, settings.MOTCUA_POPULATION_TOKEN, timeout=settings.MOTCUA_HTTP_TIMEOUT
            )
        return self._client

    def lookup(self, personal_id: str) -> Person | None:
        return self.client().lookup(personal_id)

    def health(self):
        health = super().health()
        if health.ok and http.breaker_for(settings.MOTCUA_POPULATION_URL).is_open:
            return type(health)(False, "Tạm ngừng gọi sau nhiều lần lỗi / circuit open after repeated failures")
        return health


def get_registry() -> Plugin:
    """The national service's client when MOTCUA_POPULATION_URL is set, else the local registry."""
    national = registry.get(Kind.POPULATION, "national")
    return national if national.configured() else registry.get(Kind.POPULATION, "local")


def register() -> None:
    """IntegrationsConfig.ready(): the national service's client and the local registry."""
    registry.register(NationalPopulation())
    registry.register(LocalPopulationRegistry())
