"""Delivery channels. Each `send` either returns (delivered) or raises DeliveryError (try again later)
or PermanentDeliveryError (retrying cannot help: a refused address, a malformed recipient)."""

import json
import smtplib
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
    """E-mail through the configured SMTP server (EMAIL_HOST, EMAIL_PORT, ...)."""

    def send(self, message) -> None:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.recipient],
            headers={"X-Motcua-Idempotency-Key": message.idempotency_key},
            connection=get_connection(timeout=settings.MOTCUA_SMTP_TIMEOUT),
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentDeliveryError(f"Máy chủ thư từ chối địa chỉ nhận: {exc.recipients}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"Không gửi được thư: {exc}") from exc


CHANNELS = {"console": ConsoleChannel(), "email": EmailChannel()}


def get(name: str):
    try:
        return CHANNELS[name]
    except KeyError:
        raise PermanentDeliveryError(f"Không có kênh gửi '{name}'.") from None
