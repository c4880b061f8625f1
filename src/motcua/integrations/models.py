from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidentRecord(models.Model):
    """The local stand-in for the national population database (CSDL quốc gia về dân cư): demos and tests
    look people up here, through the same protocol as the real service."""

    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    birth_date = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=10, choices=[("nam", _("Nam")), ("nu", _("Nữ"))])
    address = models.CharField(_("nơi thường trú"), max_length=300)

    class Meta:
        verbose_name = _("công dân (dữ liệu dân cư mẫu)")
        verbose_name_plural = _("dữ liệu dân cư mẫu")

    def __str__(self):
        return f"{self.personal_id} · {self.full_name}"


class ReceivedDossier(models.Model):
    """What the local DVCQG-compatible receiver holds (demos and tests): one row per dossier code."""

    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True)
    payload = models.JSONField(_("dữ liệu"))
    updates = models.PositiveIntegerField(_("số lần cập nhật"), default=0)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ nhận (DVCQG mẫu)")
        verbose_name_plural = _("hồ sơ nhận (DVCQG mẫu)")

    def __str__(self):
        return self.code


class ReceivedProgress(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=60)
    seq = models.PositiveIntegerField(_("thứ tự"))
    payload = models.JSONField(_("dữ liệu"))

    class Meta:
        verbose_name = _("tiến trình nhận (DVCQG mẫu)")
        verbose_name_plural = _("tiến trình nhận (DVCQG mẫu)")
        constraints = [models.UniqueConstraint(fields=["code", "seq"], name="unique_received_progress")]

    def __str__(self):
        return f"{self.code} #{self.seq}"
