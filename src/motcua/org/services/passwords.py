"""Password resets by e-mail, through the outbox."""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from motcua.notify.outbox import enqueue

from ..models import User

# --------------------------------------------------------------------------------------------------
# Password reset
# --------------------------------------------------------------------------------------------------

# One reset e-mail per account per window: asking again inside it queues nothing new (the outbox drops
# the repeated key), so nobody can flood a colleague's mailbox from the public page.
RESET_MAIL_WINDOW_SECONDS = 300


def request_password_reset(*, email: str, link_for: Callable[[str, str], str], now: datetime | None = None) -> int:
    """Queue, through the outbox, an e-mail with a one-time link to every active staff account with this
    address. `link_for(uidb64, token)` turns the pieces into an absolute URL.

    Returns how many accounts were mailed, for logs and tests only: the page must answer the same way
    whatever the address (an unknown one is not an error, so nobody can probe which addresses exist).
    The link stops working once the password is changed, after a sign-in, or after
    PASSWORD_RESET_TIMEOUT.
    """
    email = (email or "").strip()
    if not email:
        return 0
    now = now or timezone.now()
    window = int(now.timestamp()) // RESET_MAIL_WINDOW_SECONDS
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    users = User.objects.filter(email__iexact=email, is_active=True, is_system=False)
    sent = 0
    with transaction.atomic():
        for user in users:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            link = link_for(uid, default_token_generator.make_token(user))
            body = _(
                "Xin chào %(name)s,\n\n"
                "Có yêu cầu đặt lại mật khẩu cho tài khoản %(username)s trên phần mềm một cửa điện tử. "
                "Để đặt mật khẩu mới, hãy mở đường dẫn sau (dùng được một lần, trong %(hours)s giờ):\n\n"
                "%(link)s\n\n"
                "Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu hiện tại vẫn giữ nguyên."
            ) % {"name": user, "username": user.username, "hours": hours, "link": link}
            enqueue(
                channel="email",
                recipient=user.email,
                key=f"password-reset:{user.pk}:{window}",
                subject=_("Đặt lại mật khẩu tài khoản %(username)s") % {"username": user.username},
                body=body,
            )
            sent += 1
    return sent


def reset_password(*, user: User, password: str) -> None:
    """Set the new password chosen through a reset link (already validated by the form) and lift a
    sign-in lockout on that user name: whoever holds the mailbox is the account's owner. The reset
    token stops working because it is derived from the password hash."""
    from axes.utils import reset as reset_lockout

    user.set_password(password)
    user.save(update_fields=["password"])
    reset_lockout(username=user.username)
