from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "motcua.ops"
    label = "ops"
    verbose_name = _("Vận hành")

    def ready(self):
        from . import secrets  # noqa: F401  registers the start-up check of the secrets
