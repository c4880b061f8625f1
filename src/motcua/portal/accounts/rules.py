"""The errors of the account rules and the input rules (also used by the forms, so a page shows every
problem at once)."""

import unicodedata

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua import fields

from ..models import OneTimeCode, Throttle

Purpose = OneTimeCode.Purpose
Kind = Throttle.Kind


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
