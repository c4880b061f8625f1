"""A small province for tests: two communes, their agencies, one user per role, the seed catalog."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from motcua.calendar.services import clear_cache
from motcua.catalog import seed_data
from motcua.catalog.models import Case
from motcua.catalog.services import load_catalog
from motcua.dossiers import services
from motcua.org.models import AdministrativeUnit, Agency, ApiToken, User
from motcua.org.roles import Role
from motcua.org.services import grant_role

VALID_PID = "038087042028"  # Thanh Hóa, male, born 1987


def at(text: str) -> datetime:
    """'2026-11-16 08:00' as an aware Vietnamese time."""
    return timezone.make_aware(datetime.fromisoformat(text))


@dataclass
class World:
    province: AdministrativeUnit
    commune: AdministrativeUnit
    other_commune: AdministrativeUnit
    province_committee: Agency
    provincial_centre: Agency
    committee: Agency  # UBND xã: the competent authority in most tests
    centre: Agency  # the commune's one-stop centre: the receiving unit
    police: Agency
    other_committee: Agency
    other_centre: Agency
    users: dict[str, User] = field(default_factory=dict)
    token: str = ""

    def user(self, role: str, other: bool = False) -> User:
        return self.users[f"{role}{':other' if other else ''}"]

    def case(self, procedure_code: str = "1.004222", case_code: str = "TH1") -> Case:
        return Case.objects.select_related("version__procedure").get(
            version__procedure__code=procedure_code, code=case_code
        )

    def applicant(self, **extra) -> dict:
        return {"kind": "citizen", "name": "Nguyễn Văn An", "personal_id": VALID_PID, "phone": "0912345678"} | extra

    def new_dossier(self, *, now=None, case=None, channel=1, **kwargs):
        kwargs.setdefault("receiving_agency", self.centre)
        kwargs.setdefault("competent_agency", self.committee)
        kwargs.setdefault("applicant", self.applicant())
        actor = kwargs.pop("actor", self.user(Role.ONE_STOP_OFFICER))
        return services.create_dossier(
            actor=actor, case=case or self.case(), channel=channel, now=now or at("2026-11-16 08:00"), **kwargs
        ).dossier


def build_world() -> World:
    clear_cache()
    province = AdministrativeUnit.objects.create(code="38", name="Thanh Hóa", level="province", division_type="tỉnh")
    commune = AdministrativeUnit.objects.create(
        code="14845", name="Phường Hạc Thành", level="commune", division_type="phường", parent=province
    )
    other = AdministrativeUnit.objects.create(
        code="14846", name="Phường Hàm Rồng", level="commune", division_type="phường", parent=province
    )
    K = Agency.Kind
    pc = Agency.objects.create(name="UBND tỉnh Thanh Hóa", kind=K.PROVINCE_COMMITTEE, area=province, identifier_code="000.00.00.H56")
    w = World(
        province=province,
        commune=commune,
        other_commune=other,
        province_committee=pc,
        provincial_centre=Agency.objects.create(
            name="Trung tâm PVHCC tỉnh", kind=K.PROVINCIAL_CENTRE, area=province, identifier_code="000.00.06.H56", parent=pc
        ),
        committee=(committee := Agency.objects.create(
            name="UBND phường Hạc Thành", kind=K.COMMUNE_COMMITTEE, area=commune, identifier_code="001.00.00.H56", parent=pc
        )),
        centre=Agency.objects.create(
            name="Trung tâm PVHCC phường Hạc Thành", kind=K.COMMUNE_CENTRE, area=commune, identifier_code="001.00.06.H56", parent=committee
        ),
        police=Agency.objects.create(
            name="Công an phường Hạc Thành", kind=K.VERTICAL_AGENCY, area=commune, identifier_code="001.00.30.H56"
        ),
        other_committee=(other_committee := Agency.objects.create(
            name="UBND phường Hàm Rồng", kind=K.COMMUNE_COMMITTEE, area=other, identifier_code="002.00.00.H56", parent=pc
        )),
        other_centre=Agency.objects.create(
            name="Trung tâm PVHCC phường Hàm Rồng", kind=K.COMMUNE_CENTRE, area=other, identifier_code="002.00.06.H56", parent=other_committee
        ),
    )
    placements = {
        Role.ONE_STOP_OFFICER: w.centre,
        Role.POSTAL_AGENT: w.centre,
        Role.SPECIALIST: w.committee,
        Role.HEAD_OF_DIVISION: w.committee,
        Role.HEAD_OF_AGENCY: w.committee,
        Role.CLERK: w.committee,
        Role.UNIT_ADMIN: w.committee,
        Role.SUPERVISOR: w.province_committee,
    }
    for role, agency in placements.items():
        user = User.objects.create_user(role, last_name="Cán bộ", first_name=role)
        grant_role(user=user, role=role, agency=agency)
        w.users[role] = user
        other_agency = w.other_centre if agency == w.centre else w.other_committee
        other_user = User.objects.create_user(f"{role}-other")
        grant_role(user=other_user, role=role, agency=other_agency)
        w.users[f"{role}:other"] = other_user
    system = User.objects.create_user("system", is_system=True)
    grant_role(user=system, role=Role.ONE_STOP_OFFICER, agency=pc)
    w.users["system"] = system
    _, w.token = ApiToken.issue(system, "test")
    load_catalog(seed_data.FIELDS, seed_data.PROCEDURES)
    return w


def restore_migration_rows(apps) -> None:
    """Write again what the data migrations wrote (after a test's flush emptied the tables)."""
    from importlib import import_module

    reasons = import_module("motcua.desk.migrations.0002_default_reasons")
    templates = import_module("motcua.notify.migrations.0003_default_templates")
    if not apps.get_model("desk", "ReasonTemplate").objects.exists():  # seed() adds, it does not check
        reasons.seed(apps, None)
    templates.create(apps, None)  # get_or_create: writes only what is missing


def run_at_once(count: int, work) -> list[Exception]:
    """Run `work()` in `count` threads released together; each thread closes its own connection.
    Returns the exceptions raised (a thread cannot fail the test itself)."""
    import threading

    from django.db import connection

    errors: list[Exception] = []
    barrier = threading.Barrier(count)

    def run():
        try:
            barrier.wait()
            work()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
