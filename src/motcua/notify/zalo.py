"""Zalo Official Account: the access token and ZNS template messages.

The OA's access token lives about 25 hours; a refresh token (three months, usable once) buys a new pair.
Workers share one stored pair: the row is locked while refreshing so two workers never spend the same
refresh token (the second would be refused and the OA cut off until an administrator pastes a new one).
A token that Zalo rejects before its expiry is refreshed once and the message sent again.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.connectors import DeliveryError, PermanentDeliveryError
from motcua.connectors.http import post_form, post_json

from .models import ZaloToken

# Refresh this long before the stored expiry, so a message never leaves with a token about to lapse.
MARGIN = timedelta(minutes=30)
# ZNS answers with these when the access token is invalid or expired.
TOKEN_REJECTED = {-124, -216}


def _row() -> ZaloToken:
    row = ZaloToken.objects.select_for_update().order_by("pk").first()
    if row is None:
        row = ZaloToken.objects.create(refresh_token=settings.MOTCUA_ZALO_REFRESH_TOKEN)
    return row


def access_token(*, now=None, force: bool = False) -> str:
    """A usable access token: the stored one, or a fresh one when it expires within MARGIN (or `force`,
    after Zalo rejected it). Raises DeliveryError (the message waits and is retried) when Zalo refuses
    the refresh; the reason is kept on the row for the administrator."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _row()
        if not force and row.access_token and row.expires_at and row.expires_at - MARGIN > now:
            return row.access_token
        if not row.refresh_token:
            problem = "Chưa có refresh token Zalo OA: quản trị viên cần nhập trong trang quản trị."
        else:
            answer = post_form(
                settings.MOTCUA_ZALO_OAUTH_URL,
                {"refresh_token": row.refresh_token, "app_id": settings.MOTCUA_ZALO_APP_ID,
                 "grant_type": "refresh_token"},
                headers={"secret_key": settings.MOTCUA_ZALO_SECRET_KEY},
            )
            if answer.get("access_token") and answer.get("refresh_token"):
                row.access_token = answer["access_token"]
                row.refresh_token = answer["refresh_token"]  # the old one is spent
                row.expires_at = now + timedelta(seconds=int(answer.get("expires_in") or 0))
                row.refreshed_at = now
                row.last_error = ""
                row.save()
                return row.access_token
            problem = f"Zalo không cấp token mới: {answer}"[:1000]
        row.last_error = problem  # kept for the administrator, and on every waiting message
        row.save(update_fields=["last_error"])
    raise DeliveryError(problem)


def international(phone: str) -> str:
    """ZNS wants 84xxxxxxxxx, not 0xxxxxxxxx."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "84" + digits[1:] if digits.startswith("0") else digits


def send_template(*, phone: str, template_id: str, data: dict, tracking_id: str) -> dict:
    """Send one ZNS template message. A refused recipient or template is permanent; an invalid token is
    refreshed once; anything else is retried by the outbox."""
    if not template_id:
        raise PermanentDeliveryError("Mẫu thông báo Zalo chưa có mã mẫu ZNS.")
    body = {"phone": international(phone), "template_id": template_id, "template_data": data, "tracking_id": tracking_id}
    answer = {}
    for attempt in range(2):
        token = access_token(force=attempt > 0)
        answer = post_json(settings.MOTCUA_ZALO_URL, body, key=tracking_id, headers={"access_token": token})
        code = int(answer.get("error", 0) or 0)
        if code == 0:
            return answer
        if code not in TOKEN_REJECTED:
            raise PermanentDeliveryError(f"Zalo từ chối tin ({code}): {answer.get('message', '')}")
    raise DeliveryError(f"Zalo vẫn từ chối token sau khi làm mới: {answer.get('message', '')}")
