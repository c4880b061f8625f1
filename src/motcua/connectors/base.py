"""What every outside-system plugin declares: its kind and name, the settings it reads, whether they are
set, whether it is a local stand-in, and a cheap health check."""

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings as django_settings


class Kind(StrEnum):
    """The kinds of outside system. A kind may have several plugins (the real client and its stand-in)."""

    OUTBOX_LOG = "outbox-log"  # the outbox log a message channel writes to when its provider has no settings
    SMS = "sms"
    EMAIL = "email"
    ZALO = "zalo"
    DVCQG = "dvcqg"  # Cổng Dịch vụ công quốc gia
    PAYMENT = "payment"  # Nền tảng thanh toán tập trung
    POPULATION = "population"  # CSDL quốc gia về dân cư
    SIGNING = "signing"  # ký số
    CIVIL_REGISTRY = "civil-registry"  # hộ tịch
    NATIONAL_CATALOGUE = "national-catalogue"  # CSDL TTHC quốc gia


@dataclass(frozen=True)
class Setting:
    """A setting a plugin reads, with a one-line doc (Vietnamese / English). `required` settings must be
    non-empty for the plugin to count as configured; `secret` ones are never shown, only "set" or not."""

    name: str
    doc: str
    required: bool = False
    secret: bool = False

    def value(self):
        return getattr(django_settings, self.name, None)

    def is_set(self) -> bool:
        """Non-empty: not missing, not "", not off (a switch that is False)."""
        value = self.value()
        return not (value is None or value is False or value == "")


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str = ""


class Plugin:
    """One outside system (or its local stand-in). Subclasses set the class attributes and add what their
    kind needs (`send` for a message channel, `init`/`check`/... for a payment provider, `lookup` for
    population data)."""

    kind: Kind
    name: str = ""
    label: str = ""  # what a person reads on a status page
    declared_settings: tuple[Setting, ...] = ()
    # A local implementation speaking the outside system's protocol (demos and tests), never a mock.
    is_local_stand_in: bool = False
    # What happens instead while it is not configured (shown on a status page), e.g. "the outbox log".
    fallback: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return str(self.kind), self.name

    def configured(self) -> bool:
        """Whether the settings it needs are set (a plugin that needs none is always configured)."""
        return all(s.is_set() for s in self.declared_settings if s.required)

    def health(self) -> Health:
        """A cheap check (no call to the outside system): configured or not, which settings are missing.
        Plugins override it to add what they can see cheaply."""
        missing = [s.name for s in self.declared_settings if s.required and not s.is_set()]
        if missing:
            instead = f"; thay bằng / instead: {self.fallback}" if self.fallback else ""
            return Health(False, "Chưa cấu hình / not configured: " + ", ".join(missing) + instead)
        return Health(True, "Dịch vụ thay thế nội bộ / local stand-in" if self.is_local_stand_in else "")

    def status(self) -> dict:
        """One row of a status page; secrets show only whether they are set."""
        health = self.health()
        return {
            "kind": str(self.kind), "name": self.name, "label": self.label, "configured": self.configured(),
            "local_stand_in": self.is_local_stand_in, "ok": health.ok, "detail": health.detail,
            "settings": [
                {"name": s.name, "doc": s.doc, "required": s.required, "set": s.is_set(),
                 "value": None if s.secret else s.value()}
                for s in self.declared_settings
            ],
        }

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.kind}:{self.name}>"
