"""Outside systems (SMS, e-mail, Zalo, the national portal, the payment platform, population data, ...)
as plugins in one registry, and the one HTTP helper they share.

A foundation: it imports no app. Each app defines its plugins (subclasses of `Plugin`) and registers
them in its `AppConfig.ready()`; the outbox, the payment services and the counter look them up here.
"""

from .base import Health, Kind, Plugin, Setting
from .errors import DeliveryError, PermanentDeliveryError
from .registry import AlreadyRegistered, NotRegistered, Registry, registry

__all__ = [
    "AlreadyRegistered", "DeliveryError", "Health", "Kind", "NotRegistered", "PermanentDeliveryError", "Plugin",
    "Registry", "Setting", "registry",
]
