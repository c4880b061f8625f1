from datetime import date

import pytest

from motcua.fields import FieldError as IdentifierError
from motcua.fields import old_id as check_old_id
from motcua.fields import personal_id as check_personal_id
from motcua.fields import tax_code as check_tax_code

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("number", "birth"),
    [("038087042028", None), ("001300000001", date(2000, 5, 1)), ("079 2 25 123456", None), ("096123999999", None)],
)
def test_valid_personal_ids(number, birth):
    assert check_personal_id(number, birth_date=birth, today=TODAY) == number.replace(" ", "")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("03808704202", "đúng 12 chữ số"),
        ("0380870420281", "đúng 12 chữ số"),
        ("03808704202a", "đúng 12 chữ số"),
        ("", "đúng 12 chữ số"),
        ("003087042028", "không phải mã tỉnh"),  # 003 is not a province code
        ("999087042028", "không phải mã tỉnh"),
        ("038299042028", "năm chưa tới"),  # 2099
        ("038428042028", "năm chưa tới"),  # 2128
    ],
)
def test_malformed_personal_ids_say_what_is_wrong(number, message):
    with pytest.raises(IdentifierError) as err:
        check_personal_id(number, today=TODAY)
    assert message in str(err.value)


def test_birth_year_must_match_the_number():
    with pytest.raises(IdentifierError) as err:
        check_personal_id("038087042028", birth_date=date(1988, 1, 1), today=TODAY)
    assert "1987" in str(err.value) and "1988" in str(err.value)


def test_old_id_and_tax_code():
    assert check_old_id("123456789") == "123456789"
    assert check_tax_code("0101234567") == "0101234567"
    assert check_tax_code("0101234567-001") == "0101234567-001"
    for bad in ("12345678", "1234567890"):
        with pytest.raises(IdentifierError):
            check_old_id(bad)
    for bad in ("010123456", "0101234567-01", "ABCDEFGHIJ"):
        with pytest.raises(IdentifierError):
            check_tax_code(bad)
