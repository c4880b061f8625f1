"""The demo province: its units, agencies and staff for every role (demo accounts)."""

import random
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from motcua.org.models import AdministrativeUnit, Agency, ApiToken, User
from motcua.org.roles import Role
from motcua.org.services import grant_role, province_code

DEMO_PASSWORD = "motcua-demo-2026"
DEMO_API_TOKEN = "demo-token-motcua-2026"
COMMUNES = 3

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Mai", "Trịnh"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quốc", "Ngọc", "Thanh", "Hữu", "Kim", "Xuân", "Hải"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Ngọc", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]
STREETS = ["Lê Lợi", "Trần Phú", "Quang Trung", "Nguyễn Trãi", "Hàm Nghi", "Bà Triệu", "Lê Hoàn", "Phan Chu Trinh"]


@dataclass
class Province:
    unit: AdministrativeUnit
    suffix: str
    committee: Agency = None
    centre: Agency = None
    police: Agency = None
    departments: dict[str, Agency] = field(default_factory=dict)
    communes: list[dict[str, Agency]] = field(default_factory=list)


def _agency(name, kind, area, code, parent=None, **extra) -> Agency:
    agency = Agency.objects.filter(identifier_code=code).first()
    if agency is None:
        agency = Agency(identifier_code=code)
    agency.name, agency.kind, agency.area, agency.parent = name, kind, area, parent
    for k, v in extra.items():
        setattr(agency, k, v)
    agency.full_clean()
    agency.save()
    return agency


def build_province() -> Province:
    """The agency tree of the configured province (idempotent)."""
    unit = AdministrativeUnit.objects.get(code=province_code(settings.MOTCUA_PROVINCE_CODE))
    # Demo identifiers only: real ones are assigned by the province (Thanh Hóa's centre is 000.00.06.H56).
    suffix = f"H{settings.MOTCUA_PROVINCE_CODE + 18:02d}"
    short = unit.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    kind_word = "thành phố" if unit.division_type.startswith("thành phố") else "tỉnh"
    p = Province(unit=unit, suffix=suffix)
    K = Agency.Kind
    p.committee = _agency(f"UBND {kind_word} {short}", K.PROVINCE_COMMITTEE, unit, f"000.00.00.{suffix}")
    p.centre = _agency(f"Trung tâm Phục vụ hành chính công {kind_word} {short}", K.PROVINCIAL_CENTRE, unit, f"000.00.06.{suffix}", p.committee)
    for key, name, num in [("justice", "Sở Tư pháp", 20), ("finance", "Sở Tài chính", 15), ("construction", "Sở Xây dựng", 12)]:
        p.departments[key] = _agency(name, K.DEPARTMENT, unit, f"000.00.{num}.{suffix}", p.committee)
    _agency("Phòng Hành chính tư pháp", K.DIVISION, unit, f"000.01.20.{suffix}", p.departments["justice"])
    _agency("Phòng Đăng ký kinh doanh", K.DIVISION, unit, f"000.01.15.{suffix}", p.departments["finance"])
    p.police = _agency(f"Công an {kind_word} {short}", K.VERTICAL_AGENCY, unit, f"000.00.30.{suffix}")
    wards = list(AdministrativeUnit.objects.filter(parent=unit).order_by("code")[:COMMUNES])
    for i, ward in enumerate(wards, start=1):
        committee = _agency(f"UBND {ward.name}", K.COMMUNE_COMMITTEE, ward, f"{i:03d}.00.00.{suffix}", p.committee)
        p.communes.append(
            {
                "committee": committee,
                "centre": _agency(f"Trung tâm Phục vụ hành chính công {ward.name}", K.COMMUNE_CENTRE, ward, f"{i:03d}.00.06.{suffix}", committee),
                "division": _agency("Phòng Kinh tế", K.DIVISION, ward, f"{i:03d}.01.00.{suffix}", committee),
                "police": _agency(f"Công an {ward.name}", K.VERTICAL_AGENCY, ward, f"{i:03d}.00.30.{suffix}", p.police),
            }
        )
    # A district abolished on 1/7/2025, succeeded by the first commune: old dossiers keep pointing at it.
    _agency(
        "UBND huyện (cũ, đã giải thể)",
        K.PROVINCE_COMMITTEE,
        unit,
        f"000.50.00.{suffix}",
        valid_from=date(2010, 1, 1),
        valid_to=date(2025, 6, 30),
        succeeded_by=p.communes[0]["committee"],
    )
    return p


def _user(username, full_name, rng=None, **extra) -> User:
    family, *rest = full_name.split(" ")
    user, created = User.objects.get_or_create(
        username=username, defaults={"last_name": family, "first_name": " ".join(rest), "is_staff": True, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _name(rng) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def build_staff(p: Province, rng: random.Random) -> list[tuple[str, str, str]]:
    """Staff for every role where it is needed. Returns (username, name, role @ agency) for the start page."""
    listed = []

    def give(username, role, agency):
        user = _user(username, _name(rng))
        grant_role(user=user, role=role, agency=agency)
        listed.append((username, str(user), f"{Role(role).label} · {agency.name}"))

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", "admin@motcua.local", DEMO_PASSWORD, last_name="Quản trị", first_name="hệ thống")
    listed.append(("admin", str(admin), "Quản trị toàn hệ thống"))
    give("motcua.tinh", Role.ONE_STOP_OFFICER, p.centre)
    give("buudien", Role.POSTAL_AGENT, p.centre)
    postman = User.objects.get(username="buudien")
    give("giamsat", Role.SUPERVISOR, p.committee)
    for key, dept in [("tuphap", p.departments["justice"]), ("taichinh", p.departments["finance"]), ("xaydung", p.departments["construction"]), ("congan", p.police)]:
        for role, prefix in [(Role.SPECIALIST, "cv"), (Role.HEAD_OF_DIVISION, "tp"), (Role.HEAD_OF_AGENCY, "ld"), (Role.CLERK, "vt")]:
            give(f"{prefix}.{key}", role, dept)
    for i, c in enumerate(p.communes, start=1):
        give(f"motcua.xa{i}", Role.ONE_STOP_OFFICER, c["centre"])
        grant_role(user=postman, role=Role.POSTAL_AGENT, agency=c["centre"])
        give(f"quantri.xa{i}", Role.UNIT_ADMIN, c["committee"])
        for key in ("committee", "police"):
            tag = "ubnd" if key == "committee" else "ca"
            for role, prefix in [(Role.SPECIALIST, "cv"), (Role.HEAD_OF_DIVISION, "tp"), (Role.HEAD_OF_AGENCY, "ld"), (Role.CLERK, "vt")]:
                give(f"{prefix}.{tag}.xa{i}", role, c[key])
    system = _user("he-thong-dvcqg", "Kết nối DVCQG", is_system=True, is_staff=False)
    grant_role(user=system, role=Role.ONE_STOP_OFFICER, agency=p.committee)
    if not ApiToken.objects.filter(key_hash=ApiToken.hash(DEMO_API_TOKEN)).exists():
        ApiToken.issue(system, "Kết nối thử nghiệm (demo)", raw=DEMO_API_TOKEN)
    return listed


# ---------------------------------------------------------------- dossiers
