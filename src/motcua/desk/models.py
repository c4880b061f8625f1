"""Plain-language reasons the officer picks from when asking for missing papers (Mẫu 02)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReasonTemplate(models.Model):
    """A reason in words a citizen understands; editable by unit admins, per procedure or for all."""

    procedure_code = models.CharField(
        _("mã thủ tục"), max_length=30, blank=True, db_index=True,
        help_text=_("Để trống: dùng cho mọi thủ tục."),
    )
    title = models.CharField(_("tên ngắn"), max_length=100)
    text = models.TextField(_("lý do gửi người dân"), max_length=1000)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=10)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("mẫu lý do bổ sung")
        verbose_name_plural = _("mẫu lý do bổ sung")
        ordering = ["procedure_code", "order", "pk"]

    def __str__(self):
        return self.title
