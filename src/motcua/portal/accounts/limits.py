"""One-time code lifetimes and the rate limits, counted in the Throttle table."""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from ..models import Throttle
from .rules import Kind, RateLimited

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
