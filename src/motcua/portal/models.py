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
