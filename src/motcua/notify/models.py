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


class Event(models.TextChoices):
    """What a citizen (or an agency) is told about."""

    SUBMITTED = "submitted", _("Đã nộp hồ sơ")
    RECEIVED = "received", _("Đã tiếp nhận, có ngày hẹn trả")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    APOLOGY = "apology", _("Xin lỗi và hẹn lại ngày trả")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    RETURNED_BY_POST = "returned_by_post", _("Trả kết quả qua bưu chính")
    PAYMENT_DUE = "payment_due", _("Cần thực hiện nghĩa vụ tài chính")
    PAYMENT_CONFIRMED = "payment_confirmed", _("Đã xác nhận thanh toán")
    VERIFICATION_REQUESTED = "verification_requested", _("Đề nghị cơ quan khác xác minh")


class Channel(models.TextChoices):
    SMS = "sms", _("Tin nhắn SMS")
    EMAIL = "email", _("Thư điện tử")
    ZALO = "zalo", _("Zalo OA")


class Template(models.Model):
    """The text of one event on one channel, in the Django template language; editable and switchable."""

    event = models.CharField(_("sự kiện"), max_length=30, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("tiêu đề (thư điện tử)"), max_length=200, blank=True)
    body = models.TextField(
        _("nội dung"),
        help_text=_("Biến dùng được: {{ code }}, {{ name }}, {{ procedure }}, {{ due }}, {{ tracking_url }}, "
                    "{{ items }}, {{ reason }}, {{ new_due }}, {{ tracking_number }}, {{ amount }}, {{ unit }}."),
    )
    enabled = models.BooleanField(_("đang bật"), default=True)
    zalo_template_id = models.CharField(
        _("mã mẫu ZNS"), max_length=30, blank=True,
        help_text=_("Mã mẫu tin Zalo (ZNS) đã được Zalo duyệt cho sự kiện này; chỉ dùng cho kênh Zalo OA."),
    )

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="unique_template")]
        ordering = ["event", "channel"]

    def __str__(self):
        return f"{self.get_event_display()} · {self.get_channel_display()}"


class ZaloToken(models.Model):
    """The Zalo Official Account's credentials (one row). The access token lasts about 25 hours; the
    refresh token lasts three months and can be used only once, so each refresh stores the new pair."""

    access_token = models.TextField(_("access token"), blank=True)
    refresh_token = models.TextField(
        _("refresh token"), blank=True,
        help_text=_("Dán refresh token mới (lấy từ trang Zalo for Developers) khi Zalo báo token đã hết hiệu lực."),
    )
    expires_at = models.DateTimeField(_("access token hết hạn lúc"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("làm mới lần cuối"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("khóa truy cập Zalo OA")
        verbose_name_plural = _("khóa truy cập Zalo OA")

    def __str__(self):
        return str(_("Khóa truy cập Zalo OA"))
