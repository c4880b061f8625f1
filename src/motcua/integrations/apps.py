from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    label = "integrations"
    verbose_name = _("Kết nối hệ thống khác")

    def ready(self):
        # The national-portal sync is an outbox channel like SMS or e-mail.
        from motcua.notify import channels

        from .dvcqg import DvcqgChannel

        channels.CHANNELS["dvcqg"] = DvcqgChannel()
