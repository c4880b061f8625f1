"""Checks on applicant identifiers: the 12-digit personal identification number and the tax code.

Only the format is checked. The province prefix is where the birth was registered (old 63-province codes),
never where the person lives today, so nothing is inferred from it.
"""

import re
from datetime import date

# Province codes of the personal identification number (NĐ 137/2015, TT 07/2016/TT-BCA), pre-2025 list.
PROVINCE_CODES = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037
    038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080
    082 083 084 086 087 089 091 092 093 094 095 096""".split()
)
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


class IdentifierError(ValueError):
    pass


def birth_year_from_personal_id(number: str) -> int:
    century_sex = int(number[3])
    return 1900 + (century_sex // 2) * 100 + int(number[4:6])


def check_personal_id(number: str, *, birth_date: date | None = None, today: date | None = None) -> str:
    """Return the number stripped of spaces, or raise IdentifierError saying what is wrong."""
    number = (number or "").replace(" ", "")
    if not number.isdigit() or len(number) != 12:
        raise IdentifierError("Số định danh cá nhân phải gồm đúng 12 chữ số (ví dụ 038087042028).")
    if number[:3] not in PROVINCE_CODES:
        raise IdentifierError(f"Ba số đầu '{number[:3]}' không phải mã tỉnh nơi đăng ký khai sinh hợp lệ.")
    year = birth_year_from_personal_id(number)
    today = today or date.today()
    if year > today.year:
        raise IdentifierError(
            f"Số định danh cho thấy năm sinh {year}, là năm chưa tới; kiểm tra lại chữ số thứ 4 đến thứ 6."
        )
    if birth_date is not None and birth_date.year != year:
        raise IdentifierError(
            f"Số định danh cho năm sinh {year}, khác năm sinh đã khai ({birth_date.year}); kiểm tra lại."
        )
    return number


def check_old_id(number: str) -> str:
    number = (number or "").replace(" ", "")
    if not number.isdigit() or len(number) != 9:
        raise IdentifierError("Số chứng minh nhân dân cũ phải gồm đúng 9 chữ số.")
    return number


def check_tax_code(code: str) -> str:
    code = (code or "").strip()
    if not TAX_CODE_RE.match(code):
        raise IdentifierError("Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch và 3 chữ số cho chi nhánh.")
    return code
