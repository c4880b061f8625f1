from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    label = "integrations"
    verbose_name = _("Kết nối hệ thống khác")

    def ready(self):
        # The national-portal sync is an outbox channel like SMS or e-mail; population data has the
        # national service's client and the local registry. All are connectors.
        from . import dvcqg, population

        dvcqg.register()
        population.register()
