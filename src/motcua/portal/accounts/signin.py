"""Sign-in and the forgotten password."""

from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CitizenAccount, Throttle
from .codes import _issue_code, _use_code
from .limits import SIGN_IN_PER_ID, SIGN_IN_PER_IP, _check_code_limits, _count, _limit_reached
from .rules import AccountError, Kind, Purpose, RateLimited, check_new_password, clean_personal_id

# --------------------------------------------------------------------------------------------------
# Sign-in
# --------------------------------------------------------------------------------------------------


def authenticate(*, personal_id: str, password: str, ip: str = "", now: datetime | None = None) -> CitizenAccount:
    """The account for this ID and password. A failure is counted against the ID and the address; a
    success clears the ID's failures.

    Refused: a malformed ID (not counted); a wrong ID or password, told apart for nobody (counted); an
    account whose phone is not confirmed yet (code "unconfirmed": confirm first); 5 failures for the ID
    or 20 for the address in 15 minutes (429, nothing counted while refused).
    """
    now = now or timezone.now()
    personal_id = clean_personal_id(personal_id)
    for kind, key, limit, text in (
        (Kind.SIGN_IN_ID, personal_id, SIGN_IN_PER_ID,
         _("Số định danh này đã đăng nhập sai %(count)s lần; hãy thử lại sau %(minutes)s phút, hoặc chọn "
           "“Quên mật khẩu” để đặt mật khẩu mới.")),
        (Kind.SIGN_IN_IP, ip, SIGN_IN_PER_IP,
         _("Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này (%(count)s lần); hãy thử lại sau %(minutes)s phút.")),
    ):
        minutes = _limit_reached(kind, key, limit, now)
        if minutes is not None:
            raise RateLimited(text % {"count": limit[0], "minutes": minutes})
    account = CitizenAccount.objects.filter(personal_id=personal_id, is_active=True).first()
    if account is None:
        make_password(password)  # as long as a real check, so the answer time does not tell who has an account
        right = False
    else:
        right = account.check_password(password)
    if not right:
        with transaction.atomic():
            _count(Kind.SIGN_IN_ID, personal_id, now)
            _count(Kind.SIGN_IN_IP, ip, now)
        left = SIGN_IN_PER_ID[0] - Throttle.objects.filter(
            kind=Kind.SIGN_IN_ID, key=personal_id, at__gt=now - SIGN_IN_PER_ID[1]
        ).count()
        message = _("Số định danh hoặc mật khẩu không đúng.")
        if left > 0:
            message += " " + _("Còn %(left)s lần thử trước khi bị tạm khóa %(minutes)s phút.") % {
                "left": left,
                "minutes": int(SIGN_IN_PER_ID[1].total_seconds() // 60),
            }
        raise AccountError(message, code="wrong")
    if account.phone_verified_at is None:
        raise AccountError(
            _("Tài khoản chưa xác nhận số điện thoại. Hãy nhập mã đã gửi tới số điện thoại, hoặc bấm “Gửi lại mã”."),
            code="unconfirmed",
        )
    Throttle.objects.filter(kind=Kind.SIGN_IN_ID, key=personal_id).delete()
    return account


# --------------------------------------------------------------------------------------------------
# Forgotten password
# --------------------------------------------------------------------------------------------------


def request_reset(*, personal_id: str, ip: str = "", now: datetime | None = None) -> bool:
    """Send a reset code to the account's confirmed phone. Returns whether one was sent, for logs and
    tests only: the page answers the same way for an ID without an account. Every request counts against
    the address, so the page cannot be used to probe many IDs.

    Refused: a malformed ID (400); over the limits for the address or the phone, or within a minute of
    the last code (429).
    """
    now = now or timezone.now()
    personal_id = clean_personal_id(personal_id)
    account = CitizenAccount.objects.filter(
        personal_id=personal_id, is_active=True, phone_verified_at__isnull=False
    ).first()
    with transaction.atomic():
        if account is None:
            _check_code_limits(phone="", ip=ip, now=now)
            _count(Kind.CODE_IP, ip, now)
            return False
        _issue_code(account, Purpose.RESET, ip=ip, now=now)
    return True


def reset_password(*, personal_id: str, code: str, password: str, now: datetime | None = None) -> CitizenAccount:
    """Set a new password with the reset code sent to the confirmed phone; lifts the sign-in lockout of
    the ID. Refused: a password the rules reject (no try used); a wrong, expired, used or replaced code
    (400, one try used), no tries left (429). An ID without an account is refused like a wrong code."""
    now = now or timezone.now()
    personal_id = clean_personal_id(personal_id)
    account = CitizenAccount.objects.filter(
        personal_id=personal_id, is_active=True, phone_verified_at__isnull=False
    ).first()
    check_new_password(password, personal_id=personal_id, phone=account.phone if account else "")
    if account is None:
        raise AccountError(_("Không có mã nào còn dùng được; hãy bấm “Gửi lại mã”."), field="code")

    def set_password():
        account.set_password(password)
        account.save(update_fields=["password"])
        Throttle.objects.filter(kind=Kind.SIGN_IN_ID, key=personal_id).delete()

    _use_code(account, Purpose.RESET, code, now=now, then=set_password)
    return account
