"""Two-step sign-in with a TOTP app: enrolment, confirmation, verification, removal."""

import hmac
from datetime import datetime

import pyotp
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import TotpDevice, User
from .errors import OrgError, OrgForbidden

# --------------------------------------------------------------------------------------------------
# Two-step sign-in (TOTP)
# --------------------------------------------------------------------------------------------------

TOTP_ISSUER = "motcua"


def _normalise_code(code: str) -> str:
    code = "".join((code or "").split())
    if len(code) != 6 or not code.isdigit():
        raise OrgError(_("Mã xác thực gồm đúng 6 chữ số, lấy từ ứng dụng xác thực trên điện thoại."), field="code")
    return code


def _matching_step(device: TotpDevice, code: str, now: datetime | None) -> int | None:
    """The time step whose code equals `code` (the current one or a neighbour, for clock drift), never
    one already used."""
    totp = pyotp.TOTP(device.secret)
    current = totp.timecode(now or timezone.now())
    for step in (current, current - 1, current + 1):
        if step > device.last_used_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def provisioning_uri(device: TotpDevice) -> str:
    """The otpauth:// address the authenticator app reads from the QR code."""
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=TOTP_ISSUER)


@transaction.atomic
def start_totp_enrolment(user: User) -> TotpDevice:
    """Create (or keep, so a reloaded page shows the same QR code) an unconfirmed device with a new
    random secret. Refused: a user who is neither a head, a unit admin nor a superuser (OrgForbidden);
    a user already enrolled (OrgError)."""
    if not selectors.may_use_totp(user):
        raise OrgForbidden(
            _("Xác thực hai bước dành cho lãnh đạo phòng, lãnh đạo đơn vị và quản trị đơn vị.")
        )
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device and device.confirmed_at:
        raise OrgError(_("Tài khoản đã bật xác thực hai bước."))
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32(32))
    return device


@transaction.atomic
def confirm_totp(user: User, code: str, now: datetime | None = None) -> TotpDevice:
    """Turn two-step sign-in on with the first code the app shows. Refused (OrgError, nothing changes):
    no enrolment started, already on, a malformed or wrong code."""
    code = _normalise_code(code)
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise OrgError(_("Chưa bắt đầu đăng ký; hãy tải lại trang để lấy mã QR."))
    if device.confirmed_at:
        raise OrgError(_("Tài khoản đã bật xác thực hai bước."))
    step = _matching_step(device, code, now)
    if step is None:
        raise OrgError(
            _("Mã xác thực không đúng. Hãy kiểm tra đồng hồ điện thoại và nhập mã đang hiển thị."), field="code"
        )
    device.last_used_step = step
    device.confirmed_at = timezone.now()
    device.save(update_fields=["last_used_step", "confirmed_at"])
    return device


@transaction.atomic
def verify_totp(user: User, code: str, now: datetime | None = None) -> bool:
    """The second sign-in step: True when `code` is right and not used before (it is then spent).
    Raises OrgError for a code that is not 6 digits; False for a wrong or reused one."""
    code = _normalise_code(code)
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = _matching_step(device, code, now)
    if step is None:
        return False
    device.last_used_step = step
    device.save(update_fields=["last_used_step"])
    return True


@transaction.atomic
def disable_totp(user: User, code: str, now: datetime | None = None) -> None:
    """Turn two-step sign-in off; the current code proves the phone is at hand. Refused (OrgError,
    nothing changes): not enrolled, a malformed or wrong code."""
    code = _normalise_code(code)
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise OrgError(_("Tài khoản chưa bật xác thực hai bước."))
    if _matching_step(device, code, now) is None:
        raise OrgError(_("Mã xác thực không đúng; xác thực hai bước vẫn đang bật."), field="code")
    device.delete()
