"""Files of a dossier: scans of its components (số hóa thành phần) and result documents (kết quả)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierComponent


def stored_path(instance, filename: str) -> str:
    # The name is ours (services.py makes it): never the uploader's, so nothing from outside reaches the path.
    return f"dossiers/{instance.dossier_id}/{filename}"


class Document(models.Model):
    class Kind(models.TextChoices):
        COMPONENT = "component", _("Bản quét thành phần hồ sơ")
        RESULT = "result", _("Kết quả giải quyết")

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="documents", verbose_name=_("hồ sơ"))
    component = models.ForeignKey(
        DossierComponent, models.CASCADE, null=True, blank=True, related_name="documents",
        verbose_name=_("thành phần hồ sơ"),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to=stored_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200)
    content_type = models.CharField(_("kiểu nội dung"), max_length=50)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("người tải lên")
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"))

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["dossier", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
