"""Loading the administrative units (34 provinces, 3,321 communes) and their codes."""


from django.db import transaction
from vietnam_provinces import Province, Ward

from ..models import AdministrativeUnit


def province_code(number: int) -> str:
    return f"{number:02d}"


def commune_code(number: int) -> str:
    return f"{number:05d}"


@transaction.atomic
def load_administrative_units() -> tuple[int, int]:
    """Create or update the 34 provinces and 3,321 communes from `vietnam-provinces`.

    Idempotent: running it again changes nothing unless the package's data changed.
    Returns (provinces, communes) now in the table.
    """
    existing = {u.code: u for u in AdministrativeUnit.objects.all()}
    new, changed = [], []

    def upsert(code, name, level, division_type, parent_id):
        unit = existing.get(code)
        values = {"name": name, "level": level, "division_type": division_type, "parent_id": parent_id}
        if unit is None:
            unit = AdministrativeUnit(code=code, **values)
            new.append(unit)
            existing[code] = unit
        elif any(getattr(unit, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(unit, k, v)
            changed.append(unit)

    for p in Province.iter_all():
        upsert(province_code(p.code.value), p.name, "province", p.division_type.value, None)
    AdministrativeUnit.objects.bulk_create(new)
    fields = ["name", "level", "division_type", "parent_id"]
    AdministrativeUnit.objects.bulk_update(changed, fields)
    province_ids = dict(AdministrativeUnit.objects.filter(level="province").values_list("code", "id"))

    new, changed = [], []
    for w in Ward.iter_all():
        upsert(
            commune_code(w.code.value),
            w.name,
            "commune",
            w.division_type.value,
            province_ids[province_code(w.province_code.value)],
        )
    AdministrativeUnit.objects.bulk_create(new, batch_size=1000)
    AdministrativeUnit.objects.bulk_update(changed, fields, batch_size=1000)
    return (
        AdministrativeUnit.objects.filter(level="province").count(),
        AdministrativeUnit.objects.filter(level="commune").count(),
    )
