"""Delivery channels. Each `send` either returns (delivered) or raises DeliveryError (try again later)
or PermanentDeliveryError (retrying cannot help: a refused address, a malformed recipient)."""

import json
import smtplib
import threading
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection


class DeliveryError(Exception):
    pass


class PermanentDeliveryError(DeliveryError):
    pass


class ConsoleChannel:
    """Development channel: one JSON line per message in var/outbox.log."""

    def send(self, message) -> None:
        path = Path(settings.MOTCUA_OUTBOX_LOG)
        line = {
            "key": message.idempotency_key,
            "channel": message.channel,
            "to": message.recipient,
            "subject": message.subject,
            "body": message.body,
        }
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


class EmailChannel:
    """E-mail through the configured SMTP server (EMAIL_HOST, EMAIL_PORT, ...).

    One SMTP connection per worker thread serves a whole batch (opening one per message halves the rate);
    it is dropped after any error, so the next message starts on a fresh connection."""

    def __init__(self):
        self._local = threading.local()

    def _connection(self):
        if getattr(self._local, "connection", None) is None:
            self._local.connection = get_connection(timeout=settings.MOTCUA_SMTP_TIMEOUT)
            self._local.connection.open()
        return self._local.connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):
                pass  # closing a broken connection: nothing more to do

    def send(self, message) -> None:
        try:
            email = EmailMessage(
                subject=message.subject,
                body=message.body,
                to=[message.recipient],
                headers={"X-Motcua-Idempotency-Key": message.idempotency_key},
                connection=self._connection(),
            )
            if email.send() != 1:
                raise DeliveryError("Máy chủ thư không nhận thư.")
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            raise PermanentDeliveryError(f"Máy chủ thư từ chối địa chỉ nhận: {exc.recipients}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(f"Không gửi được thư: {exc}") from exc


def post_json(url: str, body, *, key: str, token: str = "", headers: dict | None = None) -> dict:
    """POST JSON to a provider and return its JSON answer ({} when empty); 5xx, 429, timeouts and network
    errors are retried, other refusals are not."""
    return _post(
        url, json.dumps(body, ensure_ascii=False).encode(),
        {"Content-Type": "application/json", "Idempotency-Key": key}
        | ({"Authorization": f"Bearer {token}"} if token else {}) | (headers or {}),
    )


def post_form(url: str, fields: dict, *, headers: dict | None = None) -> dict:
    """POST a form (application/x-www-form-urlencoded) and return the JSON answer, like post_json."""
    import urllib.parse

    return _post(url, urllib.parse.urlencode(fields).encode(),
                 {"Content-Type": "application/x-www-form-urlencoded"} | (headers or {}))


def _post(url: str, data: bytes, headers: dict) -> dict:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.MOTCUA_HTTP_TIMEOUT) as response:
            raw = response.read()
        answer = json.loads(raw) if raw.strip() else {}
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode(errors="replace")
        if exc.code >= 500 or exc.code == 429:
            raise DeliveryError(f"Nhà cung cấp tạm lỗi {exc.code}: {detail}") from exc
        raise PermanentDeliveryError(f"Nhà cung cấp từ chối ({exc.code}): {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"Không kết nối được nhà cung cấp: {exc}") from exc
    except ValueError as exc:
        raise DeliveryError(f"Nhà cung cấp trả lời không phải JSON: {exc}") from exc
    if not isinstance(answer, dict):
        raise DeliveryError(f"Nhà cung cấp trả lời không đúng dạng (cần một đối tượng JSON): {raw[:200]!r}")
    return answer


class SmsChannel:
    """A brandname SMS gateway over HTTP: plain text (diacritics already removed), 160-character parts,
    each part with its own idempotency key so the gateway can drop a resent part."""

    def send(self, message) -> None:
        from .text import segments

        parts = segments(message.body)
        for i, part in enumerate(parts, start=1):
            key = message.idempotency_key if len(parts) == 1 else f"{message.idempotency_key}#{i}"
            post_json(
                settings.MOTCUA_SMS_URL,
                {"brandname": settings.MOTCUA_SMS_BRANDNAME, "phone": message.recipient, "message": part,
                 "part": i, "parts": len(parts)},
                key=key,
                token=settings.MOTCUA_SMS_TOKEN,
            )


class ZaloChannel:
    """Zalo Official Account template messages (ZNS) over HTTP, with the OA access token kept fresh
    (notify/zalo.py)."""

    def send(self, message) -> None:
        from . import zalo

        zalo.send_template(
            phone=message.recipient,
            template_id=message.payload.get("zalo_template_id", ""),
            data=message.payload.get("params") or {"code": message.payload.get("code", ""), "text": message.body},
            tracking_id=message.idempotency_key,
        )


CHANNELS = {"console": ConsoleChannel(), "email": EmailChannel(), "sms": SmsChannel(), "zalo": ZaloChannel()}


def configured(name: str) -> bool:
    """A provider channel without its settings goes to the console log instead (development, demo)."""
    return {
        "sms": bool(settings.MOTCUA_SMS_URL),
        "zalo": bool(settings.MOTCUA_ZALO_URL),
        "email": bool(settings.EMAIL_HOST),
        "dvcqg": bool(settings.MOTCUA_DVCQG_URL),
    }.get(name, True)


def get(name: str):
    if name not in CHANNELS:
        raise PermanentDeliveryError(f"Không có kênh gửi '{name}'.")
    return CHANNELS[name] if configured(name) else CHANNELS["console"]
