"""One-time codes: issued by SMS, stored hashed, used once, a few tries."""

import hmac
import secrets
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.notify.outbox import enqueue
from motcua.notify.text import without_diacritics

from ..models import CitizenAccount, OneTimeCode
from .limits import CODE_DIGITS, CODE_LIFETIME, CODE_TRIES, RESEND_GAP, _check_code_limits, _count
from .rules import AccountError, Kind, Purpose, RateLimited

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
