from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    verbose_name = _("Đánh giá, phản ánh, kiến nghị")

    def ready(self):
        from motcua.workflow.events import audited

        from . import audit

        audited("phản ánh, kiến nghị", audit.verify)
