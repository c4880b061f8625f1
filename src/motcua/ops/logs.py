"""Logging for production: one JSON object per line, the request's id on every record, and personal data
(ID numbers, phone numbers, e-mail addresses) masked in every message before it is written.

The request middleware (middleware.py) puts the request in `current` (a context variable), so a record
logged anywhere during a request carries its id, method and path without the caller passing them.
"""

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils.functional import empty

# {"request_id", "method", "path", "request"} while a request is being handled, else None.
current: ContextVar[dict | None] = ContextVar("motcua_request", default=None)

# A 12-digit personal ID number (số định danh cá nhân / CCCD): the first 3 digits (the province) stay.
_PERSONAL_ID = re.compile(r"(?<!\d)(\d{3})\d{9}(?!\d)")
# A Vietnamese phone number: 0 + 9 or 10 digits, or +84 / 84 + 9 or 10 digits, optionally grouped by
# single spaces, dots or dashes ("0912 345 678"). Only the last 3 digits stay.
_PHONE = re.compile(r"(?<![\w+])(\+84|84|0)((?:[ .-]?\d){9,10})(?![\d])")
# A 9-digit old ID number (CMND): the first 3 digits stay.
_OLD_ID = re.compile(r"(?<!\d)(\d{3})\d{6}(?!\d)")
# An e-mail address: the local part goes, the domain stays.
_EMAIL = re.compile(r"[A-Za-z0-9!#$%&'+/=?^_`{|}~.-]+@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+)")
# What every match above contains: an "@", or 9 digits with at most one separator between two of them.
# Most lines (the access line of every request) have neither and are left as they are after this one scan.
_MAY_HOLD_PERSONAL_DATA = re.compile(r"@|\d(?:[ .-]?\d){8}")


def _mask_phone(match: re.Match) -> str:
    prefix, rest = match.group(1), match.group(2)
    digits = re.sub(r"\D", "", rest)
    if prefix == "0" and len(digits) not in (9, 10):
        return match.group(0)
    shown = "+84" if prefix != "0" else ""
    return shown + "*" * (len(digits) - 3 + (prefix == "0")) + digits[-3:]


def mask(text: str) -> str:
    """The text with personal ID numbers, phone numbers and e-mail local parts replaced by stars.
    Masking masked text changes nothing."""
    if not text or not _MAY_HOLD_PERSONAL_DATA.search(text):
        return text
    return _mask_all(text)


def _mask_all(text: str) -> str:
    text = _EMAIL.sub(r"***@\1", text)
    text = _PERSONAL_ID.sub(r"\1*********", text)
    text = _PHONE.sub(_mask_phone, text)
    return _OLD_ID.sub(r"\1******", text)


class MaskPersonalData(logging.Filter):
    """Put on a handler: every record that reaches it has its message (with its arguments merged in) and
    its exception text masked. Records are changed in place, so the other handlers see masked text too."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: log what there is rather than lose the record
            message = f"{record.msg} {record.args}"
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def _user_id(request):
    """The signed-in user's id, read only when something already loaded the user (never a query here)."""
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestContext(logging.Filter):
    """Put on a handler: adds request_id, method, path and user_id (None outside a request) to each
    record, for the JSON formatter and for text formats such as "%(request_id)s"."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = current.get() or {}
        for name in ("request_id", "method", "path"):
            if not hasattr(record, name):
                setattr(record, name, ctx.get(name))
        if not hasattr(record, "user_id"):
            record.user_id = _user_id(ctx.get("request"))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, method, path,
    status, duration_ms, user_id, and the exception when there is one. Nothing else from the record is
    written, so names, phones and ID numbers passed as extra fields never reach the log."""

    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")

    def format(self, record: logging.LogRecord) -> str:
        ctx = current.get() or {}
        try:
            message = record.getMessage()
        except Exception:
            message = f"{record.msg} {record.args}"
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(message),
        }
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is None and name in ("request_id", "method", "path"):
                value = ctx.get(name)
            if value is None and name == "user_id":
                value = _user_id(ctx.get("request"))
            entry[name] = mask(value) if isinstance(value, str) else value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = mask(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)
