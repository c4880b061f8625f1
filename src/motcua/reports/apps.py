from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self):
        # The fact table follows every dossier event, in the event's transaction (reports/facts).
        from motcua.workflow import events

        from . import facts

        events.subscribe("dossier", events.RECORDED, record_dossier_event)
        events.subscribe("dossier", events.RECORDED_IN_BULK, facts.record_events)


def record_dossier_event(dossier, event):
    from . import facts

    facts.record_event(dossier)
