from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Payment(models.Model):
    """One attempt to pay online for a dossier (một giao dịch thanh toán trực tuyến), identified towards the
    payment platform by its reference (MaThamChieu)."""

    class Status(models.TextChoices):
        INITIATED = "khoi-tao", _("Đang chờ thanh toán")
        PAID = "thanh-cong", _("Đã thanh toán")
        FAILED = "that-bai", _("Thanh toán không thành công")

    class Purpose(models.TextChoices):
        OBLIGATION = "obligation", _("Nghĩa vụ tài chính")
        FEES = "fees", _("Phí, lệ phí khi nộp hồ sơ")

    dossier = models.ForeignKey("dossiers.Dossier", models.CASCADE, related_name="payments", verbose_name=_("hồ sơ"))
    purpose = models.CharField(_("khoản thanh toán"), max_length=12, choices=Purpose.choices)
    reference = models.CharField(_("mã tham chiếu"), max_length=60, unique=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung"), max_length=300)
    provider = models.CharField(_("nền tảng thanh toán"), max_length=30)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.INITIATED)
    transaction_time = models.CharField(_("thời gian giao dịch (ThoiGianGD)"), max_length=14)
    pay_url = models.URLField(_("địa chỉ thanh toán"), max_length=500, blank=True)
    provider_transaction = models.CharField(_("mã giao dịch của nền tảng"), max_length=60, blank=True)
    bank_code = models.CharField(_("mã kết quả ngân hàng"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    # The financial-obligation request this payment answers: a late result of an older request never
    # settles a newer one.
    pause = models.ForeignKey("dossiers.Pause", models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("yêu cầu nghĩa vụ tài chính"))
    # Paid, but not applied to the dossier (the request changed, the fees were settled meanwhile...):
    # staff reconcile.
    problem = models.CharField(_("cần đối soát"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("đối soát lần cuối"), null=True, blank=True)
    checks = models.PositiveSmallIntegerField(_("số lần đối soát"), default=0)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="payment_unconfirmed")]

    def __str__(self):
        return f"{self.reference} · {self.amount:,} đồng".replace(",", ".")


class PaymentNotice(models.Model):
    """Every result that reached us (the citizen's return from the platform, or our own re-check),
    accepted or refused, kept as it came so a forged or altered one can be looked into."""

    class Source(models.TextChoices):
        RETURN = "return", _("Kết quả gửi về")
        CHECK = "check", _("Đối soát")

    payment = models.ForeignKey(Payment, models.SET_NULL, null=True, blank=True, related_name="notices")
    reference = models.CharField(_("mã tham chiếu"), max_length=100, blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    body = models.JSONField(_("nội dung nhận được"))
    accepted = models.BooleanField(_("được chấp nhận"))
    problem = models.CharField(_("lý do từ chối"), max_length=300, blank=True)
    remote_addr = models.GenericIPAddressField(_("địa chỉ gửi"), null=True, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("kết quả thanh toán nhận được")
        verbose_name_plural = _("kết quả thanh toán nhận được")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.reference} · {self.get_source_display()}"


class SandboxTransaction(models.Model):
    """The sandbox gateway's own record of a transaction (it plays the payment platform in demos and
    tests; a real installation points MOTCUA_PAYMENT_URL at the national platform instead)."""

    reference = models.CharField(max_length=60, unique=True)
    amount = models.PositiveBigIntegerField()
    description = models.CharField(max_length=300)
    return_url = models.URLField(max_length=500)
    transaction_time = models.CharField(max_length=14)
    state = models.CharField(max_length=12, default="khoi-tao")
    transaction_id = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("giao dịch cổng thanh toán thử nghiệm")
        verbose_name_plural = _("giao dịch cổng thanh toán thử nghiệm")

    def __str__(self):
        return self.reference
