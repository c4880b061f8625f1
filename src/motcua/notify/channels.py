"""Delivery channels: the plugins (connectors) the outbox sends through. Each `send` either returns
(delivered) or raises DeliveryError (try again later) or PermanentDeliveryError (retrying cannot help: a
refused address, a malformed recipient). They are registered in NotifyConfig.ready(); the national-portal
sync (integrations) registers its channel the same way."""

import json
import smtplib
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from motcua.connectors import DeliveryError, Kind, PermanentDeliveryError, Plugin, Setting, registry
from motcua.connectors.http import post_json

from . import zalo
from .text import segments


class Channel(Plugin):
    """A plugin the outbox delivers through; `channel` is the name outbox messages carry. A channel may
    also define `group_key`/`send_group` (several messages sent as one) and `close` (end of a batch)."""

    channel = ""

    def send(self, message) -> None:
        raise NotImplementedError


class ConsoleChannel(Channel):
    """Development channel: one JSON line per message in var/outbox.log. The local stand-in of every
    provider channel left without its settings."""

    kind, name, channel = Kind.OUTBOX_LOG, "console", "console"
    label = "Nhật ký gửi (thay cho SMS, thư, Zalo, DVCQG chưa cấu hình) / outbox log"
    is_local_stand_in = True
    declared_settings = (Setting("MOTCUA_OUTBOX_LOG", "Tệp ghi tin thay cho nhà cung cấp / file the messages go to",
                                 required=True),)

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


class EmailChannel(Channel):
    """E-mail through the configured SMTP server (EMAIL_HOST, EMAIL_PORT, ...).

    One SMTP connection per worker thread serves a whole batch (opening one per message halves the rate);
    it is dropped after any error, so the next message starts on a fresh connection."""

    kind, name, channel = Kind.EMAIL, "smtp", "email"
    label = "Thư điện tử (SMTP) / e-mail"
    fallback = "nhật ký gửi (MOTCUA_OUTBOX_LOG) / the outbox log"
    declared_settings = (
        Setting("EMAIL_HOST", "Máy chủ SMTP; để trống: ghi vào nhật ký / SMTP server, empty: the outbox log", required=True),
        Setting("EMAIL_PORT", "Cổng SMTP / SMTP port"),
        Setting("DEFAULT_FROM_EMAIL", "Địa chỉ gửi / sender address"),
        Setting("MOTCUA_SMTP_TIMEOUT", "Thời gian chờ máy chủ thư (giây) / SMTP timeout (seconds)"),
    )

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


class SmsChannel(Channel):
    """A brandname SMS gateway over HTTP: plain text (diacritics already removed), 160-character parts,
    each part with its own idempotency key so the gateway can drop a resent part."""

    kind, name, channel = Kind.SMS, "gateway", "sms"
    label = "Tin nhắn SMS thương hiệu / brandname SMS gateway"
    fallback = "nhật ký gửi (MOTCUA_OUTBOX_LOG) / the outbox log"
    declared_settings = (
        Setting("MOTCUA_SMS_URL", "Địa chỉ cổng SMS; để trống: ghi vào nhật ký / gateway URL, empty: the outbox log",
                required=True),
        Setting("MOTCUA_SMS_BRANDNAME", "Tên thương hiệu gửi tin / brandname"),
        Setting("MOTCUA_SMS_TOKEN", "Khóa truy cập (Bearer) / bearer token", secret=True),
        Setting("MOTCUA_HTTP_TIMEOUT", "Thời gian chờ mỗi lần gọi (giây) / timeout per call (seconds)"),
    )

    def send(self, message) -> None:
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


class ZaloChannel(Channel):
    """Zalo Official Account template messages (ZNS) over HTTP, with the OA access token kept fresh
    (notify/zalo.py)."""

    kind, name, channel = Kind.ZALO, "zns", "zalo"
    label = "Zalo OA (tin ZNS) / Zalo Official Account"
    fallback = "nhật ký gửi (MOTCUA_OUTBOX_LOG) / the outbox log"
    declared_settings = (
        Setting("MOTCUA_ZALO_URL", "Địa chỉ gửi tin ZNS; để trống: ghi vào nhật ký / ZNS URL, empty: the outbox log",
                required=True),
        Setting("MOTCUA_ZALO_OAUTH_URL", "Địa chỉ làm mới token / OAuth refresh URL"),
        Setting("MOTCUA_ZALO_APP_ID", "Mã ứng dụng Zalo / app id"),
        Setting("MOTCUA_ZALO_SECRET_KEY", "Khóa bí mật ứng dụng / app secret key", secret=True),
        Setting("MOTCUA_ZALO_REFRESH_TOKEN", "Refresh token đầu tiên / first refresh token", secret=True),
        Setting("MOTCUA_HTTP_TIMEOUT", "Thời gian chờ mỗi lần gọi (giây) / timeout per call (seconds)"),
    )

    def send(self, message) -> None:
        zalo.send_template(
            phone=message.recipient,
            template_id=message.payload.get("zalo_template_id", ""),
            data=message.payload.get("params") or {"code": message.payload.get("code", ""), "text": message.body},
            tracking_id=message.idempotency_key,
        )


def register() -> None:
    """NotifyConfig.ready(): the message channels and the outbox log."""
    for channel in (ConsoleChannel(), EmailChannel(), SmsChannel(), ZaloChannel()):
        registry.register(channel)


def channels() -> dict[str, Channel]:
    """Every registered channel by the name outbox messages carry."""
    return {p.channel: p for p in registry if isinstance(p, Channel) and p.channel}


def get(name: str) -> Channel:
    """The channel for outbox messages named `name`; a provider channel without its settings goes to the
    outbox log instead (development, demo)."""
    found = channels()
    if name not in found:
        raise PermanentDeliveryError(f"Không có kênh gửi '{name}'.")
    return found[name] if found[name].configured() else found["console"]
