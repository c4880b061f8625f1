"""Citizen accounts: the rules. Sign-up with the 12-digit personal ID, a phone confirmed by a one-time
code sent by SMS through the outbox, a password; sign-in with rate limits; a forgotten password reset by a
code to the confirmed phone; sign-in through the national identity provider (OpenID Connect, see oidc.py).

Every function here either does all it says or nothing: a refusal raises AccountError (a Vietnamese
message that says what to do, the form field it is about, and the HTTP status: 400, or 429 for a rate
limit) before anything is written. The only writes that survive a refusal are the ones the refusal is
about: a failed sign-in is counted, a wrong code uses up one of its tries.

Rate limits are counted in the database (`Throttle`), not in Django's cache: see the model for why.
The address used is REMOTE_ADDR; behind a reverse proxy the proxy must pass the client's address there.
"""

import hmac
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua import fields
from motcua.integrations.services import lookup_applicant
from motcua.notify.outbox import enqueue
from motcua.notify.text import without_diacritics

from .models import CitizenAccount, OneTimeCode, Throttle

Purpose = OneTimeCode.Purpose
Kind = Throttle.Kind

# One-time codes: 6 digits, valid 5 minutes, 5 tries; a new one no sooner than a minute after the last.
CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=5)
CODE_TRIES = 5
RESEND_GAP = timedelta(seconds=60)

# Rate limits, as (how many, in what window).
# Per personal ID: 5 failed sign-ins in 15 minutes, then the ID waits for the window to pass (or resets
# its password, which lifts the count: whoever holds the confirmed phone owns the account).
SIGN_IN_PER_ID = (5, timedelta(minutes=15))
# Per address the limits are looser than per ID or phone: Vietnamese mobile networks put many
# subscribers behind one carrier address (CGNAT), and a commune centre's public kiosk is one address for
# everybody who walks in. Tight enough to stop one machine trying many IDs or phones.
SIGN_IN_PER_IP = (20, timedelta(minutes=15))
CODES_PER_PHONE = (3, timedelta(hours=1))
CODES_PER_IP = (10, timedelta(hours=1))
# Sign-up attempts per address, counted before the page says anything about the ID or the name.
SIGN_UPS_PER_IP = (10, timedelta(hours=1))
# Counted events older than this are deleted as new ones are written (longer than every window).
THROTTLE_KEEP = timedelta(days=1)


class AccountError(Exception):
    """A request the rules refuse; `message` is Vietnamese and says what to do instead."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class RateLimited(AccountError):
    """Too many tries or too many codes: wait (HTTP 429)."""

    status = 429


# --------------------------------------------------------------------------------------------------
# Input rules (also used by the forms, so a page shows every problem at once)
# --------------------------------------------------------------------------------------------------


def _as_account_error(check, value, field: str, **options):
    try:
        return check(value, **options)
    except fields.FieldError as exc:
        raise AccountError(exc.message, field=field) from exc


def clean_personal_id(value: str) -> str:
    return _as_account_error(fields.personal_id, value, "personal_id")


def clean_full_name(value: str) -> str:
    return _as_account_error(fields.person_name, value, "full_name")


def normalise_phone(value: str) -> str:
    """'+84 912.345.678' → '0912345678': a mobile number, where the sign-in codes go."""
    return _as_account_error(fields.phone, value, "phone", mobile_only=True)


# Django's Vietnamese catalogue misses some validator messages; ours, by validator code.
PASSWORD_MESSAGES = {
    "password_too_short": gettext_lazy("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."),
    "password_too_common": gettext_lazy("Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."),
    "password_entirely_numeric": gettext_lazy("Mật khẩu không được chỉ gồm chữ số."),
    "password_too_similar": gettext_lazy("Mật khẩu quá giống thông tin của tài khoản; hãy chọn mật khẩu khác."),
}


def password_problems(password: str, *, personal_id: str = "", phone: str = "") -> list[str]:
    """Everything wrong with a new password, in Vietnamese: the project's AUTH_PASSWORD_VALIDATORS, and
    it must not contain the personal ID or the phone number (both are printed on papers others see)."""
    problems = []
    try:
        password_validation.validate_password(password)
    except ValidationError as errors:
        for error in errors.error_list:
            template = PASSWORD_MESSAGES.get(error.code)
            problems.append(template % (error.params or {}) if template else " ".join(error.messages))
    for secret in (personal_id, phone):
        if secret and secret in password:
            problems.append(_("Mật khẩu không được chứa số định danh hay số điện thoại của bạn."))
            break
    return problems


def check_new_password(password: str, *, personal_id: str = "", phone: str = "") -> None:
    problems = password_problems(password, personal_id=personal_id, phone=phone)
    if problems:
        raise AccountError(" ".join(problems), field="password")


def _same_name(a: str, b: str) -> bool:
    def norm(s):
        return " ".join(unicodedata.normalize("NFC", s).casefold().split())

    return norm(a) == norm(b)


# --------------------------------------------------------------------------------------------------
# Rate limits
# --------------------------------------------------------------------------------------------------


def _minutes_until(oldest: datetime, window: timedelta, now: datetime) -> int:
    seconds = (oldest + window - now).total_seconds()
    return max(1, -(-int(seconds) // 60))


def _limit_reached(kind: str, key: str, limit: tuple[int, timedelta], now: datetime) -> int | None:
    """Minutes until one more is allowed, or None when under the limit."""
    count, window = limit
    if not key:
        return None
    recent = Throttle.objects.filter(kind=kind, key=key, at__gt=now - window).order_by("-at")
    times = list(recent.values_list("at", flat=True)[:count])
    if len(times) < count:
        return None
    return _minutes_until(times[-1], window, now)


def _count(kind: str, key: str, now: datetime) -> None:
    if not key:
        return
    Throttle.objects.filter(at__lt=now - THROTTLE_KEEP).delete()
    Throttle.objects.create(kind=kind, key=key, at=now)


def _check_code_limits(*, phone: str, ip: str, now: datetime) -> None:
    minutes = _limit_reached(Kind.CODE_IP, ip, CODES_PER_IP, now)
    if minutes is not None:
        raise RateLimited(
            _("Có quá nhiều yêu cầu gửi mã từ địa chỉ mạng này; hãy thử lại sau %(minutes)s phút.")
            % {"minutes": minutes}
        )
    minutes = _limit_reached(Kind.CODE_PHONE, phone, CODES_PER_PHONE, now)
    if minutes is not None:
        raise RateLimited(
            _("Đã gửi %(count)s mã tới số điện thoại này trong một giờ; hãy thử lại sau %(minutes)s phút.")
            % {"count": CODES_PER_PHONE[0], "minutes": minutes}
        )


# --------------------------------------------------------------------------------------------------
# One-time codes
# --------------------------------------------------------------------------------------------------


def _hash_code(account_id: int, purpose: str, code: str) -> str:
    """Keyed with SECRET_KEY and bound to the account and purpose: the table alone does not give the
    codes away (6 digits would fall to any unkeyed hash in a second)."""
    return salted_hmac("motcua.portal.one-time-code", f"{account_id}:{purpose}:{code}", algorithm="sha256").hexdigest()


SMS_TEXT = {
    Purpose.SIGN_UP: gettext_lazy(
        "Mã xác nhận đăng ký tài khoản Cổng dịch vụ công: %(code)s. Mã có hiệu lực %(minutes)s phút. "
        "Không đưa mã này cho bất kỳ ai."
    ),
    Purpose.RESET: gettext_lazy(
        "Mã đặt lại mật khẩu tài khoản Cổng dịch vụ công: %(code)s. Mã có hiệu lực %(minutes)s phút. "
        "Nếu bạn không yêu cầu, hãy bỏ qua tin này."
    ),
}


def _issue_code(account: CitizenAccount, purpose: str, *, ip: str, now: datetime) -> OneTimeCode:
    """Inside the caller's transaction: check the limits, retire earlier codes, store the new code's hash,
    queue the SMS in the outbox and count the send. The one-minute gap is per phone: a citizen who typed
    a wrong number and signs up again with the right one is not kept waiting."""
    last = (
        OneTimeCode.objects.filter(account=account, purpose=purpose, phone=account.phone, created_at__gt=now - RESEND_GAP)
        .order_by("-created_at")
        .first()
    )
    if last is not None:
        seconds = max(1, int((last.created_at + RESEND_GAP - now).total_seconds()))
        raise RateLimited(
            _("Mã vừa được gửi; hãy đợi %(seconds)s giây trước khi yêu cầu gửi lại.") % {"seconds": seconds},
            code="too_soon",
        )
    _check_code_limits(phone=account.phone, ip=ip, now=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    OneTimeCode.objects.filter(account=account, purpose=purpose, used_at__isnull=True).update(used_at=now)
    row = OneTimeCode.objects.create(
        account=account,
        purpose=purpose,
        phone=account.phone,
        code_hash=_hash_code(account.pk, purpose, code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    enqueue(
        channel="sms",
        recipient=account.phone,
        key=f"portal-code:{row.pk}",
        body=without_diacritics(str(SMS_TEXT[purpose]) % {"code": code, "minutes": minutes}),
    )
    _count(Kind.CODE_PHONE, account.phone, now)
    _count(Kind.CODE_IP, ip, now)
    return row


def _use_code(
    account: CitizenAccount, purpose: str, entered: str, *, now: datetime, then: Callable[[], None]
) -> None:
    """Check `entered` against the account's live code. Right: mark it used and run `then()` in the same
    transaction. Wrong: use up one try (kept, whatever the caller does next) and raise."""
    entered = "".join((entered or "").split())
    if not (entered.isdigit() and len(entered) == CODE_DIGITS):
        raise AccountError(_("Mã xác nhận gồm đúng 6 chữ số, trong tin nhắn SMS vừa gửi."), field="code")
    problem = None
    with transaction.atomic():
        live = (
            OneTimeCode.objects.select_for_update()
            .filter(account=account, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if live is None:
            problem = AccountError(_("Không có mã nào còn dùng được; hãy bấm “Gửi lại mã”."), field="code")
        elif live.attempts >= CODE_TRIES:
            problem = RateLimited(
                _("Đã nhập sai mã %(tries)s lần nên mã này không dùng được nữa; hãy bấm “Gửi lại mã”.")
                % {"tries": CODE_TRIES},
                field="code",
            )
        elif live.expires_at <= now:
            problem = AccountError(
                _("Mã đã hết hạn (mỗi mã chỉ dùng được trong %(minutes)s phút); hãy bấm “Gửi lại mã”.")
                % {"minutes": int(CODE_LIFETIME.total_seconds() // 60)},
                field="code",
            )
        elif not hmac.compare_digest(live.code_hash, _hash_code(account.pk, purpose, entered)):
            live.attempts += 1
            live.save(update_fields=["attempts"])
            left = CODE_TRIES - live.attempts
            if left:
                problem = AccountError(
                    _("Mã không đúng; còn %(left)s lần thử.") % {"left": left}, field="code"
                )
            else:
                problem = RateLimited(
                    _("Đã nhập sai mã %(tries)s lần nên mã này không dùng được nữa; hãy bấm “Gửi lại mã”.")
                    % {"tries": CODE_TRIES},
                    field="code",
                )
        else:
            live.used_at = now
            live.save(update_fields=["used_at"])
            then()
    if problem is not None:
        raise problem


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


# --------------------------------------------------------------------------------------------------
# National identity provider (OpenID Connect)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedIdentity:
    """What the provider vouches for, from a validated ID token."""

    personal_id: str
    full_name: str
    phone: str


def oidc_sign_in(identity: VerifiedIdentity, *, now: datetime | None = None) -> CitizenAccount:
    """Find or create the account for the personal ID the national identity provider vouches for, and
    mark it identity-verified (its dossiers submitted from now on carry the flag). The provider's name
    replaces the one typed at sign-up. A phone the provider has verified (`identity.phone`, given only
    then) becomes the account's confirmed phone, so a password can later be set by "Quên mật khẩu". An
    account still waiting for its phone code is taken over: its typed phone and password were never
    proven to belong to this person, so they are replaced (or cleared) and its codes retired. Refused: a
    malformed personal ID in the token, a locked account (400, nothing written)."""
    now = now or timezone.now()
    try:
        personal_id = fields.personal_id(identity.personal_id)
    except fields.FieldError as exc:
        raise AccountError(
            _("Nhà cung cấp định danh điện tử không trả về số định danh cá nhân hợp lệ; hãy đăng nhập bằng "
              "số định danh và mật khẩu.")
        ) from exc
    try:
        phone = normalise_phone(identity.phone) if identity.phone else ""
    except AccountError:
        phone = ""  # not a Vietnamese mobile number: not one we can send codes to
    with transaction.atomic():
        account = CitizenAccount.objects.select_for_update().filter(personal_id=personal_id).first()
        if account is None:
            account = CitizenAccount(personal_id=personal_id, created_at=now, full_name=identity.full_name or "")
        if account.phone_verified_at is None:
            account.password = ""
            account.phone = phone
            account.phone_verified_at = now if phone else None
            if account.pk:
                OneTimeCode.objects.filter(account=account, used_at__isnull=True).update(used_at=now)
        if identity.full_name:
            account.full_name = identity.full_name
        if not account.is_active:
            raise AccountError(_("Tài khoản này đã bị khóa; hãy liên hệ bộ phận một cửa."))
        account.identity_verified = True
        account.save()
    return account


# --------------------------------------------------------------------------------------------------
# "Hồ sơ của tôi"
# --------------------------------------------------------------------------------------------------

# What each state means for the citizen, in plain words.
PLAIN_STATE = {
    "submitted": gettext_lazy("Đã gửi, đang chờ cán bộ một cửa kiểm tra và tiếp nhận."),
    "awaiting_completion": gettext_lazy("Cần bổ sung, hoàn thiện trước khi được tiếp nhận; xem hướng dẫn ở trang tra cứu."),
    "refused": gettext_lazy("Không được tiếp nhận; lý do ở trang tra cứu."),
    "received": gettext_lazy("Đã được tiếp nhận; cơ quan sẽ giải quyết và trả kết quả theo ngày hẹn."),
    "processing": gettext_lazy("Cơ quan đang giải quyết."),
    "awaiting_supplement": gettext_lazy("Cơ quan cần bạn bổ sung giấy tờ; xem những gì cần bổ sung ở trang tra cứu."),
    "awaiting_verification": gettext_lazy("Đang chờ cơ quan khác xác minh."),
    "awaiting_payment": gettext_lazy("Đang chờ bạn nộp phí, lệ phí hoặc nghĩa vụ tài chính."),
    "withdrawn": gettext_lazy("Bạn đã rút hồ sơ."),
    "stopped": gettext_lazy("Cơ quan đã dừng giải quyết; lý do ở trang tra cứu."),
    "result_ready": gettext_lazy("Đã có kết quả; mời bạn nhận kết quả."),
    "returned": gettext_lazy("Đã trả kết quả."),
}


def owned_dossiers(account: CitizenAccount):
    """The dossiers an account may open without a look-up. Anyone can type someone else's ID at sign-up,
    so the ID alone is not enough: those it submitted online, and those carrying its ID when the account
    was verified by the national identity provider or the dossier carries its confirmed phone."""
    from django.db.models import Q

    from motcua.dossiers.models import Dossier, State

    mine = Q(application__citizen=account)
    if account.identity_verified:
        mine |= Q(personal_id=account.personal_id) | Q(representative_id=account.personal_id)
    elif account.phone_verified_at is not None and account.phone:
        mine |= Q(personal_id=account.personal_id, phone=account.phone)
    return Dossier.objects.filter(mine).exclude(state=State.DRAFT)


def dossiers_of(account: CitizenAccount):
    """The citizen's dossiers (owned_dossiers), newest first, drafts left out (they live in the online
    application's own drafts). One query per page, whatever its size.
    """
    return (
        owned_dossiers(account)
        .select_related("procedure_version__procedure", "competent_agency")
        .order_by("-pk")
    )
