from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "motcua.notify"
    label = "notify"
    verbose_name = _("Gửi thông báo và kết nối ra ngoài")

    def ready(self):
        # The message channels are connectors: SMS, e-mail, Zalo and the outbox log they fall back to.
        from . import channels

        channels.register()
        # Every move of a dossier queues the messages it causes, in the move's transaction.
        from motcua.workflow import events

        from .services import on_dossier_event

        events.subscribe("dossier", events.MOVED, on_dossier_event)
