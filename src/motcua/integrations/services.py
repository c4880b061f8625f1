from dataclasses import dataclass

from motcua import fields

from .population import Person, RegistryUnavailable, get_registry


@dataclass(frozen=True)
class Lookup:
    status: str  # "found", "not_found", "unavailable"
    person: Person | None
    message: str


def lookup_applicant(personal_id: str) -> Lookup:
    """Pre-fill data for the counter from the population database. Raises fields.FieldError for a malformed
    number; never raises for a service outage (the officer continues by hand)."""
    number = fields.personal_id(personal_id)
    try:
        person = get_registry().lookup(number)
    except RegistryUnavailable as exc:
        return Lookup("unavailable", None, str(exc))
    if person is None:
        return Lookup("not_found", None, "Không tìm thấy số định danh này trong dữ liệu dân cư; hãy kiểm tra lại số với giấy tờ của người dân.")
    return Lookup("found", person, "Đã lấy thông tin từ Cơ sở dữ liệu quốc gia về dân cư.")


__all__ = ["Lookup", "lookup_applicant"]
