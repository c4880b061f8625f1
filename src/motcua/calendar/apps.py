from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "motcua.calendar"
    label = "workcalendar"  # "calendar" would shadow the standard library module name in app registries
    verbose_name = _("Lịch làm việc")

    def ready(self):
        from . import signals  # noqa: F401
