from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CitizenAccount(models.Model):
    """A citizen's portal account (tài khoản công dân): the 12-digit personal ID, a phone confirmed by a
    one-time code, a password (argon2, like staff). Separate from staff users, so a citizen can never hold
    a staff role or reach a staff page."""

    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("số điện thoại"), max_length=20)
    email = models.EmailField(_("thư điện tử"), blank=True)
    password = models.CharField(max_length=200, blank=True)
    phone_verified_at = models.DateTimeField(_("xác nhận số điện thoại lúc"), null=True, blank=True)
    # Signed in through the national identity provider (OpenID Connect): dossiers are identity-verified.
    identity_verified = models.BooleanField(_("đã xác thực định danh điện tử"), default=False)
    created_at = models.DateTimeField(_("đăng ký lúc"), default=timezone.now)
    last_login_at = models.DateTimeField(_("đăng nhập lần cuối"), null=True, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("tài khoản công dân")
        verbose_name_plural = _("tài khoản công dân")

    def __str__(self):
        return f"{self.full_name} ({self.personal_id})"

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return bool(self.password) and check_password(raw, self.password)


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS to confirm a phone at sign-up or to reset a forgotten password. Only a
    keyed hash is stored; the code works once, for a few minutes, for a few tries. Sending a new code for
    the same account and purpose retires the previous one."""

    class Purpose(models.TextChoices):
        SIGN_UP = "sign_up", _("xác nhận số điện thoại khi đăng ký")
        RESET = "reset", _("đặt lại mật khẩu")

    account = models.ForeignKey(CitizenAccount, models.CASCADE, related_name="codes", verbose_name=_("tài khoản"))
    purpose = models.CharField(_("mục đích"), max_length=10, choices=Purpose.choices)
    phone = models.CharField(_("gửi tới số"), max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)
    used_at = models.DateTimeField(_("đã dùng hoặc thay thế lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác nhận một lần")
        verbose_name_plural = _("mã xác nhận một lần")
        indexes = [models.Index(fields=["account", "purpose", "used_at"], name="portal_code_live")]

    def __str__(self):
        return f"{self.get_purpose_display()} → {self.phone}"


class Throttle(models.Model):
    """One counted event for a rate limit: a failed sign-in (per personal ID, per address) or a code sent
    (per phone, per address). A limit is "at most N rows of this kind and key in the last window".

    Kept in the database rather than Django's cache: the default cache is local memory, one per process,
    so with several web processes (or machines) each would count on its own and the real limit would be
    N × processes; a restart would also wipe it. Rows are small, indexed, and old ones are deleted as new
    ones are written."""

    class Kind(models.TextChoices):
        SIGN_IN_ID = "signin_id", _("đăng nhập sai theo số định danh")
        SIGN_IN_IP = "signin_ip", _("đăng nhập sai theo địa chỉ mạng")
        CODE_PHONE = "code_phone", _("gửi mã theo số điện thoại")
        CODE_IP = "code_ip", _("gửi mã theo địa chỉ mạng")
        SIGN_UP_IP = "signup_ip", _("đăng ký theo địa chỉ mạng")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lượt bị giới hạn")
        verbose_name_plural = _("lượt bị giới hạn")
        indexes = [
            models.Index(fields=["kind", "key", "at"], name="portal_throttle_window"),
            models.Index(fields=["at"], name="portal_throttle_at"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key}"
