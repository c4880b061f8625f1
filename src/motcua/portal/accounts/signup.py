"""Sign-up and phone confirmation."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.integrations.services import lookup_applicant

from ..models import CitizenAccount, OneTimeCode
from .codes import _issue_code, _use_code
from .limits import SIGN_UPS_PER_IP, _check_code_limits, _count, _limit_reached
from .rules import (
    AccountError,
    Kind,
    Purpose,
    RateLimited,
    _same_name,
    check_new_password,
    clean_full_name,
    clean_personal_id,
    normalise_phone,
)

# --------------------------------------------------------------------------------------------------
# Sign-up and phone confirmation
# --------------------------------------------------------------------------------------------------


def sign_up(
    *, personal_id: str, full_name: str, phone: str, password: str, ip: str = "", now: datetime | None = None
) -> CitizenAccount:
    """Open an account waiting for its phone to be confirmed, and send the 6-digit code there by SMS.

    Writes: the account (phone not yet confirmed; it cannot sign in until it is), a one-time code, an
    outbox SMS, two rate-limit counts. An unconfirmed account for the same ID is taken over (its earlier
    codes stop working), so nobody can hold an ID hostage by signing up with it and a phone of theirs.

    Refused (nothing written): a malformed ID, name, phone or password; an ID that already has a
    confirmed account (sign in, or reset the password); a name that differs from the population data for
    that ID, when the data can be read (when it cannot, the name is taken as typed: such accounts are not
    identity-verified); too many codes for the phone or the address (429).
    """
    now = now or timezone.now()
    personal_id = clean_personal_id(personal_id)
    full_name = clean_full_name(full_name)
    phone = normalise_phone(phone)
    check_new_password(password, personal_id=personal_id, phone=phone)
    # Counted first, whatever the outcome: otherwise the answers ("already has an account", "the name
    # does not match") could be used to probe IDs and names without end.
    minutes = _limit_reached(Kind.SIGN_UP_IP, ip, SIGN_UPS_PER_IP, now)
    if minutes is not None:
        raise RateLimited(
            _("Có quá nhiều lượt đăng ký từ địa chỉ mạng này; hãy thử lại sau %(minutes)s phút.") % {"minutes": minutes}
        )
    _count(Kind.SIGN_UP_IP, ip, now)
    existing = CitizenAccount.objects.filter(personal_id=personal_id).first()
    if existing is not None and _is_established(existing):
        raise AccountError(
            _("Số định danh này đã có tài khoản. Hãy đăng nhập, hoặc chọn “Quên mật khẩu” nếu không nhớ mật khẩu."),
            field="personal_id",
            code="exists",
        )
    # Limits before the population look-up, so the page cannot be used to test many IDs against it.
    _check_code_limits(phone=phone, ip=ip, now=now)
    found = lookup_applicant(personal_id)
    if found.status == "found" and not _same_name(found.person.full_name, full_name):
        # The right name is not shown: this page is public.
        raise AccountError(
            _(
                "Họ và tên không khớp với dữ liệu dân cư của số định danh này. Hãy ghi đúng như trên thẻ căn "
                "cước, có dấu."
            ),
            field="full_name",
        )
    try:
        with transaction.atomic():
            account = CitizenAccount.objects.select_for_update().filter(personal_id=personal_id).first()
            if account is None:
                account = CitizenAccount(personal_id=personal_id, created_at=now)
            elif _is_established(account):  # confirmed by someone else meanwhile
                raise AccountError(
                    _("Số định danh này đã có tài khoản. Hãy đăng nhập, hoặc chọn “Quên mật khẩu”."),
                    field="personal_id",
                    code="exists",
                )
            account.full_name = full_name
            account.phone = phone
            account.phone_verified_at = None
            account.is_active = True
            account.set_password(password)
            account.save()
            _issue_code(account, Purpose.SIGN_UP, ip=ip, now=now)
    except IntegrityError as exc:  # two sign-ups for one new ID at the same instant
        raise AccountError(
            _("Số định danh này vừa được đăng ký; hãy đợi một phút rồi thử lại."), field="personal_id"
        ) from exc
    return account


def _is_established(account: CitizenAccount) -> bool:
    """Confirmed by its phone or by the national identity provider: no longer open to a new sign-up."""
    return account.phone_verified_at is not None or account.identity_verified


def send_code(*, account: CitizenAccount, purpose: str, ip: str = "", now: datetime | None = None) -> OneTimeCode:
    """Send a new code (the "Gửi lại mã" button). Writes a code, an outbox SMS and two counts; earlier
    codes for the same purpose stop working. Refused: a sign-up code for a phone already confirmed, a
    reset code for an account without a confirmed phone (400); within a minute of the last code, or over
    the limits for the phone or the address (429)."""
    now = now or timezone.now()
    if purpose == Purpose.SIGN_UP and account.phone_verified_at is not None:
        raise AccountError(_("Số điện thoại này đã được xác nhận; hãy đăng nhập."), code="confirmed")
    if purpose == Purpose.RESET and account.phone_verified_at is None:
        raise AccountError(_("Tài khoản chưa có số điện thoại đã xác nhận nên không gửi được mã."))
    with transaction.atomic():
        return _issue_code(account, purpose, ip=ip, now=now)


def confirm_phone(*, account: CitizenAccount, code: str, now: datetime | None = None) -> CitizenAccount:
    """Confirm the phone with the sign-up code: the account can sign in from now on. Refused: a code that
    is malformed, wrong (one try used), expired, already used or replaced (400), or whose tries are used
    up (429)."""
    now = now or timezone.now()
    if account.phone_verified_at is not None:
        # Never a success: a stale sign-up page must not sign anyone in to an account its owner confirmed.
        raise AccountError(_("Số điện thoại này đã được xác nhận; hãy đăng nhập."), code="confirmed")

    def confirm():
        CitizenAccount.objects.filter(pk=account.pk).update(phone_verified_at=now)

    _use_code(account, Purpose.SIGN_UP, code, now=now, then=confirm)
    account.phone_verified_at = now
    return account
