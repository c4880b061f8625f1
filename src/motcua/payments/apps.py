from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Thanh toán")

    def ready(self):
        # Payment providers are connectors of kind "payment".
        from . import providers

        providers.register()
