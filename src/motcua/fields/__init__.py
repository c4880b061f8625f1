"""The field types every door validates with (DESIGN rule 11): personal ID, old ID, tax code, phone,
money, bounded whole numbers, names, addresses and free text.

One module, so that the API, the forms, the imports and the services cannot disagree or forget a check:
- digits are ASCII digits only, after removing spaces ("０３８…" fullwidth, "³" superscript and Arabic-Indic
  digits are refused: `str.isdigit()` and `\\d` accept them, PostgreSQL and the national systems do not);
- numbers are bounded by what the database holds and the law allows;
- text has no control characters and no bidirectional overrides (a name that displays differently from
  what it stores), and is NFC-normalised;
- every refusal is a FieldError with a Vietnamese message that says what to fix, never an exception that
  becomes a 500.

Only the format is checked. The province prefix of a personal ID is where the birth was registered
(old 63-province codes), never where the person lives today, so nothing is inferred from it.
"""

import re
import unicodedata
from datetime import date

# Province codes of the personal identification number (NĐ 137/2015, TT 07/2016/TT-BCA), pre-2025 list.
PROVINCE_CODES = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037
    038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080
    082 083 084 086 087 089 091 092 093 094 095 096""".split()
)
TAX_CODE_RE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")
# Mobile numbers: 10 digits, 03/05/07/08/09 (after the 2018 renumbering). Landlines: 11 digits, 02x.
MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
# The largest amount of money (đồng) accepted anywhere: a thousand trillion, far above any fee, tax or land
# levy, and far below PostgreSQL's bigint (9.2 × 10^18), so no sum of a few amounts overflows either.
MAX_MONEY = 10**15
# PostgreSQL's integer (offsets, ids, counts typed by people): anything larger cannot be a row.
MAX_INT = 2**31 - 1
# Bidirectional embeddings, overrides and isolates, and the invisible direction marks.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
LINE_BREAKS = frozenset("\n\r\t")


class FieldError(ValueError):
    """A value a person typed or a system sent that cannot be accepted; the message says what to fix."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# ---- text ------------------------------------------------------------------------------------------------


def _forbidden_character(text: str, *, multiline: bool) -> str | None:
    for ch in text:
        if ch in BIDI_CONTROLS:
            return "ký tự điều khiển hướng chữ (ẩn)"
        if ch in LINE_BREAKS and multiline:
            continue
        category = unicodedata.category(ch)
        if category == "Cc" or ch in ("\u2028", "\u2029"):
            return "ký tự xuống dòng hoặc ký tự điều khiển" if not multiline else "ký tự điều khiển"
    return None


def text(value, label: str, *, max_length: int, required: bool = False, multiline: bool = False,
         field: str | None = None) -> str:
    """Free text as stored: NFC, trimmed, within `max_length`, without control or bidi characters (line
    breaks allowed only when `multiline`). "" when empty and not required."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise FieldError(f"{label.capitalize()} phải là chữ.", field=field)
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        if required:
            raise FieldError(f"Cần nhập {label}.", field=field)
        return ""
    bad = _forbidden_character(value, multiline=multiline)
    if bad:
        raise FieldError(f"{label.capitalize()} có {bad}; hãy xoá ký tự đó rồi gõ lại.", field=field)
    if len(value) > max_length:
        raise FieldError(f"{label.capitalize()} dài {len(value)} ký tự, vượt quá {max_length} ký tự cho phép.",
                         field=field)
    return value


def person_name(value, label: str = "họ và tên", *, required: bool = True, max_length: int = 200,
                field: str | None = None) -> str:
    """A person's name as on the ID card: one line, spaces folded, no digits."""
    name = " ".join(text(value, label, max_length=max_length, required=required, field=field).split())
    if any(ch.isdigit() for ch in name):
        raise FieldError(f"{label.capitalize()} không được có chữ số; hãy ghi như trên thẻ căn cước.", field=field)
    return name


def address(value, label: str = "địa chỉ", *, required: bool = False, max_length: int = 300,
            field: str | None = None) -> str:
    return " ".join(text(value, label, max_length=max_length, required=required, field=field).split())


# ---- digits ----------------------------------------------------------------------------------------------


def ascii_digits(value, label: str, *, remove: str = " ", field: str | None = None) -> str:
    """The value with the characters in `remove` taken out, if what is left is ASCII digits 0-9 only."""
    if value is None:
        value = ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise FieldError(f"{label.capitalize()} phải là một dãy chữ số.", field=field)
    digits = value.strip().translate({ord(ch): None for ch in remove})
    if not digits or not all("0" <= ch <= "9" for ch in digits):
        raise FieldError(f"{label.capitalize()} chỉ được gồm các chữ số 0-9 (bàn phím thường).", field=field)
    return digits


def birth_year_from_personal_id(number: str) -> int:
    century_sex = int(number[3])
    return 1900 + (century_sex // 2) * 100 + int(number[4:6])


def personal_id(value, *, birth_date: date | None = None, today: date | None = None,
                field: str | None = None) -> str:
    """The 12-digit personal identification number (số định danh cá nhân) without spaces."""
    message = "Số định danh cá nhân phải gồm đúng 12 chữ số (ví dụ 038087042028)."
    try:
        number = ascii_digits(value, "số định danh cá nhân", field=field)
    except FieldError:
        raise FieldError(message, field=field) from None
    if len(number) != 12:
        raise FieldError(message, field=field)
    if number[:3] not in PROVINCE_CODES:
        raise FieldError(f"Ba số đầu '{number[:3]}' không phải mã tỉnh nơi đăng ký khai sinh hợp lệ.", field=field)
    year = birth_year_from_personal_id(number)
    today = today or date.today()
    if year > today.year:
        raise FieldError(
            f"Số định danh cho thấy năm sinh {year}, là năm chưa tới; kiểm tra lại chữ số thứ 4 đến thứ 6.",
            field=field)
    if birth_date is not None and birth_date.year != year:
        raise FieldError(
            f"Số định danh cho năm sinh {year}, khác năm sinh đã khai ({birth_date.year}); kiểm tra lại.",
            field=field)
    return number


def old_id(value, *, field: str | None = None) -> str:
    """The 9-digit identity card number of old dossiers (chứng minh nhân dân)."""
    message = "Số chứng minh nhân dân cũ phải gồm đúng 9 chữ số."
    try:
        number = ascii_digits(value, "số chứng minh nhân dân", field=field)
    except FieldError:
        raise FieldError(message, field=field) from None
    if len(number) != 9:
        raise FieldError(message, field=field)
    return number


def tax_code(value, *, field: str | None = None) -> str:
    code = (value if isinstance(value, str) else "").strip().replace(" ", "")
    if not TAX_CODE_RE.match(code):
        raise FieldError("Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch và 3 chữ số cho chi nhánh.",
                         field=field)
    return code


def phone(value, *, mobile_only: bool = False, field: str | None = None) -> str:
    """'+84 912.345.678' → '0912345678'. A mobile number (10 digits, 03/05/07/08/09) or, unless
    `mobile_only` (SMS, sign-up codes), a landline (11 digits, 02x)."""
    mobile = "Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 (ví dụ 0912345678)."
    message = mobile if mobile_only else (
        "Số điện thoại phải là số di động 10 chữ số (03, 05, 07, 08, 09) hoặc số cố định 11 chữ số bắt đầu "
        "bằng 02 (ví dụ 0912345678, 02373852555).")
    raw = value.strip() if isinstance(value, str) else value
    if isinstance(raw, str):
        for prefix in ("+84", "0084"):  # the country code, written either way, perhaps with "(0)" after it
            if raw.startswith(prefix):
                raw = "0" + raw[len(prefix):].lstrip().removeprefix("(0)")
    try:
        digits = ascii_digits(raw, "số điện thoại", remove=" .-()", field=field)
    except FieldError:
        raise FieldError(message, field=field) from None
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits.startswith(MOBILE_PREFIXES):
        return digits
    if not mobile_only and len(digits) == 11 and digits.startswith("02"):
        return digits
    raise FieldError(message, field=field)


# ---- numbers ---------------------------------------------------------------------------------------------


# Thousands grouped by dots, as Vietnamese write amounts: 1.500.000
_GROUPED = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+$")


def whole_number(value, label: str, *, minimum: int = 0, maximum: int = MAX_INT, field: str | None = None) -> int:
    """A whole number from an int or a string of ASCII digits, within [minimum, maximum]."""
    if isinstance(value, bool):
        raise FieldError(f"{label.capitalize()} phải là số nguyên.", field=field)
    if isinstance(value, str):
        text_value = value.strip().replace(" ", "")
        if _GROUPED.match(text_value):  # "1.500.000" as written in đồng; "150.5" is no whole number
            text_value = text_value.replace(".", "")
        sign = -1 if text_value.startswith("-") else 1
        digits = ascii_digits(text_value.lstrip("-"), label, field=field)
        if len(digits) > 19:
            raise FieldError(f"{label.capitalize()} quá lớn: tối đa {maximum:,}.".replace(",", "."), field=field)
        value = sign * int(digits)
    if not isinstance(value, int):
        raise FieldError(f"{label.capitalize()} phải là số nguyên.", field=field)
    if value < minimum or value > maximum:
        raise FieldError(f"{label.capitalize()} phải từ {minimum:,} đến {maximum:,}.".replace(",", "."), field=field)
    return value


def money(value, label: str = "số tiền", *, minimum: int = 1, field: str | None = None) -> int:
    """An amount in đồng: a whole number from `minimum` to MAX_MONEY."""
    try:
        return whole_number(value, label, minimum=minimum, maximum=MAX_MONEY, field=field)
    except FieldError:
        kind = "số nguyên dương" if minimum > 0 else "số nguyên không âm"
        raise FieldError(f"{label.capitalize()} phải là {kind}, tính bằng đồng, ví dụ 150000, và không quá "
                         f"{MAX_MONEY:,} đồng.".replace(",", "."), field=field) from None
