"""Logging for production: one JSON object per line, the request's id on every record, and personal data
(ID numbers, phone numbers, e-mail addresses) masked in every message before it is written.

The request middleware (middleware.py) puts the request in `current` (a context variable), so a record
logged anywhere during a request carries its id, method and path without the caller passing them.

Masking never changes an identifier, by construction:
- the request id is a field of the record, outside the message, and is never masked;
- an id put in a message as an `Identifier` argument (the incident id a user is told to quote) is added
  after the message is masked;
- inside a message, digits are masked only as a number of their own: a run of digits that touches a
  letter, or is joined by "." or "-" to a word that does (a hex id, a UUID, a dossier code such as
  000.00.06.H56-261116-0001, a signed token), is part of an identifier and left whole.
"""

import json
import logging
import re
import unicodedata
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils.functional import empty

# {"request_id", "method", "path", "request"} while a request is being handled, else None.
current: ContextVar[dict | None] = ContextVar("motcua_request", default=None)

# Digits as a person may type them: any decimal digit (ASCII, fullwidth, Arabic-Indic, … : regex \d)
# and the other characters str.isdigit() accepts (superscripts, subscripts, circled digits).
_OTHER_DIGITS = "".join(
    c for c in map(chr, [*range(0x2800), *range(0x1F100, 0x1F10B)]) if c.isdigit() and not c.isdecimal()
)
_D = rf"[\d{_OTHER_DIGITS}]"
# A number of its own: a run of digits, or groups of 1 to 6 digits joined by one kind of separator (a
# space, "." or "-", as people write "0912 345 678" or "038.090.001.234"), optionally after "+" (or "%2B"
# in a query string). It neither touches a word character nor is joined by "." or "-" to one: digits
# inside an identifier are not a number of their own.
_NUMBER = re.compile(
    rf"(?<!\w)(?<!\w[.\-])(?P<plus>\+|%2[Bb])?"
    rf"(?:{_D}{{1,6}}(?P<sep>[ .\-]){_D}{{1,6}}(?:(?P=sep){_D}{{1,6}})*|{_D}+)"
    r"(?!\w)(?![.\-]\w)"
)
# A character written as an escape ("\uff10", "\xb2"): Django escapes the path in its own error lines
# ("Internal Server Error: /…"), which would hide a fullwidth or superscript ID from the patterns above.
_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")
# The shortest personal number is the 9-digit old ID: shorter numbers (dates, amounts, counts, 8-character
# error ids) are never masked. Every longer one is, whatever its shape: a mistyped ID of 11 or 13 digits,
# with spaces or dots, in fullwidth or superscript digits is still someone's ID.
_SHORTEST = 9
# A UUID written with its hyphens is an identifier even in the (unlikely) case that it has no letter.
_UUID = re.compile(rf"{_D}{{8}}-{_D}{{4}}-{_D}{{4}}-{_D}{{4}}-{_D}{{12}}")
# An e-mail address ("@" or "%40" in a query string): the local part goes, the domain stays.
# It starts where a run of such characters starts (no rescanning the same run from each of its characters)
# and its domain is not the start of another address ("an@x.vn@y.vn" is masked once and for all).
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+(@|%40)((?>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+))"
                    r"(?![\w.-]*(?:@|%40))")
# What every match above contains: an "@", or 9 digits with at most one separator between two of them.
# Most lines (the access line of every request) have neither and are left as they are after this one scan.
_MAY_HOLD_PERSONAL_DATA = re.compile(rf"@|%40|{_D}(?:[ .\-]?{_D}){{{_SHORTEST - 1}}}")


def _digit(c: str) -> str:
    return str(unicodedata.digit(c))


def _mask_number(match: re.Match) -> str:
    """A number of 9 digits or more, by its shape: a phone number keeps its last 3 digits (and +84),
    anything else (personal ID, old ID, a number that may be either, mistyped) its first 3."""
    text = match.group(0)
    plus = match.group("plus") or ""
    digits = [c for c in text[len(plus):] if c not in " .-"]
    n = len(digits)
    if n < _SHORTEST or _UUID.fullmatch(text):
        return text
    plain = "".join(map(_digit, digits))
    if plain.startswith("84") and (n - 2 in (9, 10) if plus else n == 11):
        return "+84" + "*" * (n - 5) + "".join(digits[-3:])
    if plain.startswith("0") and n in (10, 11) and not plus:
        return "*" * (n - 3) + "".join(digits[-3:])
    return plus + "".join(digits[:3]) + "*" * (n - 3)


def _unescape_digit(match: re.Match) -> str:
    code = int(next(g for g in match.groups() if g), 16)
    return chr(code) if code <= 0x10FFFF and chr(code).isdigit() else match.group(0)


def mask(text: str) -> str:
    """The text with personal ID numbers, phone numbers and e-mail local parts replaced by stars.
    Masking masked text changes nothing."""
    if not text or ("\\" not in text and not _MAY_HOLD_PERSONAL_DATA.search(text)):
        return text
    return _mask_all(text)


def _mask_all(text: str) -> str:
    if "\\" in text:
        text = _ESCAPE.sub(_unescape_digit, text)
    text = _EMAIL.sub(r"***\1\2", text)
    return _NUMBER.sub(_mask_number, text)


class Identifier(str):
    """An argument of a log message that is an identifier (an incident id, a reference): written as it
    is, never masked, so that what a user quotes is what the log holds."""


# Where an Identifier stands while the rest of the message is masked: a private-use character, which is
# not a word character, so the masking around it reads it as a separator.
_SLOT = "\ue000"


def masked_message(record: logging.LogRecord) -> str:
    """The record's message (with its arguments merged in) with personal data masked and the
    Identifier arguments as they are."""
    args = record.args
    if isinstance(record.msg, str) and isinstance(args, tuple) and any(isinstance(a, Identifier) for a in args):
        kept = [str(a) for a in args if isinstance(a, Identifier)]
        try:
            parts = mask(record.msg % tuple(_SLOT if isinstance(a, Identifier) else a for a in args)).split(_SLOT)
        except Exception:
            parts = []
        if len(parts) == len(kept) + 1:
            return parts[0] + "".join(k + p for k, p in zip(kept, parts[1:], strict=True))
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: log what there is rather than lose the record
        message = f"{record.msg} {record.args}"
    return mask(message)


# Set on a record once its message is masked (and its Identifier arguments merged in): masking it again
# could change an identifier.
_MASKED = "motcua_masked"


class MaskPersonalData(logging.Filter):
    """Put on a handler: every record that reaches it has its message (with its arguments merged in) and
    its exception text masked. Records are changed in place, so the other handlers see masked text too."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, _MASKED, False):
            record.msg, record.args = masked_message(record), None
            setattr(record, _MASKED, True)
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
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage() if getattr(record, _MASKED, False) else masked_message(record),
        }
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is None and name in ("request_id", "method", "path"):
                value = ctx.get(name)
            if value is None and name == "user_id":
                value = _user_id(ctx.get("request"))
            # The request id is an identifier (safe by middleware.SAFE_REQUEST_ID): never masked, so
            # that it joins the proxy's log; the path may carry what a user typed.
            entry[name] = mask(value) if isinstance(value, str) and name != "request_id" else value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = mask(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)
