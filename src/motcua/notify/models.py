from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One effect on the outside world (a message, a sync call), written in the same transaction as the
    change that causes it and delivered by the worker after commit, until it arrives or is given up."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        DELIVERED = "delivered", _("Đã gửi")
        DEAD = "dead", _("Không gửi được")

    channel = models.CharField(_("kênh"), max_length=20)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    payload = models.JSONField(_("dữ liệu kèm theo"), default=dict, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", models.CASCADE, null=True, blank=True, related_name="outbox", verbose_name=_("hồ sơ")
    )
    # Sent with every delivery so a receiver can drop a duplicate (a retry after a lost acknowledgement).
    idempotency_key = models.CharField(_("khóa chống trùng"), max_length=150, unique=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), default=timezone.now)
    locked_until = models.DateTimeField(_("đang giữ đến"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    delivered_at = models.DateTimeField(_("gửi được lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông điệp gửi đi")
        verbose_name_plural = _("hộp thư đi")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.channel} → {self.recipient} ({self.get_status_display()})"
