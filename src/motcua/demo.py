"""A realistic demo province: agencies, staff for every role, the catalog, and dossiers over a year.

Every dossier is made and moved through dossiers/services.py, with the time of each action in the past,
so the demo's history is exactly what real use would have written. Same seed and same end date, same data.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.calendar.services import get_calendar, to_aware, to_local_naive
from motcua.catalog import seed_data
from motcua.catalog.models import Case, OnlineLevel
from motcua.catalog.services import load_catalog
from motcua.dossiers import services
from motcua.dossiers.models import Channel, ReturnMethod, State
from motcua.feedback.answers import default_templates
from motcua.fields import PROVINCE_CODES
from motcua.integrations.models import ResidentRecord
from motcua.org.models import AdministrativeUnit, Agency, ApiToken, RoleAssignment, User
from motcua.org.roles import Role
from motcua.org.services import grant_role, load_administrative_units, province_code

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


def _agencies_for(p: Province, case: Case, rng) -> tuple[Agency, Agency]:
    procedure = case.version.procedure
    if procedure.level == "province":
        receiving = p.centre
        competent = p.police if procedure.agency_kind == Agency.Kind.VERTICAL_AGENCY else p.departments["finance"]
        return receiving, competent
    commune = rng.choice(p.communes)
    kind = procedure.agency_kind
    competent = commune["police"] if kind == Agency.Kind.VERTICAL_AGENCY else commune["committee"]
    # Reception regardless of boundary: a few commune dossiers are handed in at the provincial centre.
    receiving = p.centre if rng.random() < 0.1 else commune["centre"]
    return receiving, competent


def _personal_id(rng, today) -> tuple[str, date]:
    year = rng.randint(1950, today.year - 1)
    birth = date(year, rng.randint(1, 12), rng.randint(1, 28))
    century_sex = (year // 100 - 19) * 2 + rng.randint(0, 1)
    return f"{rng.choice(sorted(PROVINCE_CODES))}{century_sex}{year % 100:02d}{rng.randint(0, 999999):06d}", birth


def _holder(role, agency) -> User | None:
    ids = [agency.pk, *agency.ancestor_ids()]
    ra = RoleAssignment.objects.filter(role=role, agency_id__in=ids).select_related("user").order_by("pk").first()
    return ra.user if ra else None


class _Clock:
    """Moves a dossier's story forward in working time, never past the real present."""

    def __init__(self, start: datetime, end: datetime, calendar):
        self.now = start
        self.end = end
        self.calendar = calendar

    def advance(self, working_hours: float) -> bool:
        local = self.calendar.add_working_minutes(to_local_naive(self.now), max(1, int(working_hours * 60)))
        moment = to_aware(local)
        if moment >= self.end:
            return False
        self.now = moment
        return True


FATES = [  # (fate, weight): what happens to a dossier, chosen up front so every state appears
    ("normal", 62), ("completion", 6), ("refuse", 4), ("supplement", 8), ("verification", 4),
    ("payment", 4), ("late", 6), ("withdraw", 3), ("stop", 3),
]


def _live(dossier, p: Province, rng, clock: _Clock) -> None:
    """Walk one dossier through a plausible life until it ends or reaches the present."""
    d = dossier
    case = d.case
    steps = list(case.steps.order_by("order"))
    receiving_officer = _holder(Role.ONE_STOP_OFFICER, d.receiving_agency)
    specialist = _holder(Role.SPECIALIST, d.competent_agency)
    fate = rng.choices([f for f, _ in FATES], weights=[w for _, w in FATES])[0]

    def act(action, actor, **data):
        services.perform(d, action, actor=actor, data=data, now=clock.now)
        d.refresh_from_db()

    # Reception.
    if d.channel == Channel.ONLINE and not clock.advance(rng.uniform(0.5, 10)):
        return
    if fate == "refuse":
        act("refuse", receiving_officer, reason="Thủ tục không thuộc thẩm quyền giải quyết của đơn vị; đề nghị nộp tại cơ quan có thẩm quyền.")
        return
    if fate == "completion":
        first = case.components.order_by("order").first()
        act(
            "request_completion",
            receiving_officer,
            items=[{"name": first.name if first else "Tờ khai", "reason": "Tờ khai chưa ghi đủ thông tin và chưa có chữ ký của người yêu cầu."}],
        )
        if not clock.advance(rng.uniform(4, 40)):
            return
        if rng.random() < 0.2:
            act("withdraw", receiving_officer, reason="Người nộp không bổ sung và đề nghị rút hồ sơ.")
            return
        act("complete", receiving_officer)
    act("receive", receiving_officer)
    late_factor = rng.uniform(1.3, 1.8) if fate == "late" else rng.uniform(0.3, 0.9)
    ending_steps = 1 if steps and steps[-1].role in (Role.ONE_STOP_OFFICER, Role.POSTAL_AGENT) else 0
    last_processing = len(steps) - ending_steps

    while d.state in (State.RECEIVED, State.PROCESSING):
        step = steps[d.current_step - 1] if 0 < d.current_step <= len(steps) else None
        hours = float(step.budget_hours) * late_factor if step else 2
        if not clock.advance(max(hours, 0.05)):
            return
        actor = _holder(step.role, d.receiving_agency if step.role == Role.ONE_STOP_OFFICER else d.competent_agency) if step else None
        at_work = d.state == State.PROCESSING and d.current_step >= 2
        if at_work and fate == "supplement":
            fate = "normal"
            act("request_supplement", specialist, answer_days=7, items=[
                {"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "reason": "Bản chụp chưa rõ số thửa đất; cần bản chụp rõ nét hoặc mang bản chính để đối chiếu."},
            ])
            if not clock.advance(rng.uniform(4, 60)):
                return
            act("supply_supplement", receiving_officer, note="Công dân đã nộp bổ sung tại quầy.")
            continue
        if at_work and fate == "verification":
            fate = "normal"
            other = rng.choice([c["police"] for c in p.communes])
            act("request_verification", specialist, agency=other.identifier_code, question="Đề nghị xác minh nơi cư trú của người yêu cầu.", answer_days=5)
            if not clock.advance(rng.uniform(4, 50)):
                return
            act("answer_verification", specialist, answer="Đã xác minh, thông tin đúng.")
            continue
        if at_work and fate == "payment":
            fate = "normal"
            act("request_payment", specialist, amount=rng.choice([50000, 100000, 250000]), description="Lệ phí trước bạ")
            if not clock.advance(rng.uniform(2, 30)):
                return
            act("confirm_payment", receiving_officer, payment_channel="Nền tảng thanh toán DVCQG")
            continue
        if at_work and fate == "withdraw":
            act("withdraw", receiving_officer, reason="Công dân có đơn đề nghị rút hồ sơ.")
            return
        if at_work and fate == "stop":
            act("stop", _holder(Role.HEAD_OF_AGENCY, d.competent_agency), reason="Người yêu cầu không bổ sung hồ sơ trong thời hạn quy định.")
            return
        if (
            fate == "late"
            and d.apologised_at is None
            and d.due_at
            and clock.calendar.working_minutes_between(to_local_naive(clock.now), to_local_naive(d.due_at)) >= 8 * 60 + 30
            and d.current_step >= 3
        ):
            new_due = to_aware(clock.calendar.add_working_days(to_local_naive(d.due_at), 3))
            act("apologise", _holder(Role.HEAD_OF_AGENCY, d.competent_agency), reason="Hồ sơ cần thêm thời gian thẩm định do phải lấy ý kiến cơ quan liên quan.", new_due_at=new_due)
            continue
        if not steps or d.current_step >= last_processing:
            finisher = actor if step and step.role in (Role.CLERK, Role.HEAD_OF_AGENCY, Role.HEAD_OF_DIVISION) else _holder(Role.CLERK, d.competent_agency)
            act("finish", finisher, documents=list(case.result_documents)[:2])
            break
        act("forward", actor)

    if d.state != State.RESULT_READY or not clock.advance(rng.uniform(0.2, 16)):
        return
    if d.return_method == ReturnMethod.POST:
        act("return_result", _holder(Role.POSTAL_AGENT, d.receiving_agency) or receiving_officer, method="post", tracking_number=f"EMS{rng.randint(10**8, 10**9 - 1)}VN")
    else:
        act("return_result", receiving_officer, method=d.return_method, receiver_name=d.applicant_name)


def make_dossiers(p: Province, count: int, rng: random.Random, until: datetime, progress=None) -> int:
    cases = list(Case.objects.select_related("version__procedure").order_by("pk"))
    calendar = get_calendar()
    start = until - timedelta(days=365)
    made = 0
    while made < count:
        case = rng.choice(cases)
        channel = rng.choices([Channel.DIRECT, Channel.ONLINE, Channel.POSTAL], weights=[83, 9, 8])[0]
        if channel == Channel.ONLINE and case.online_level == OnlineLevel.NONE:
            channel = Channel.DIRECT
        receiving, competent = _agencies_for(p, case, rng)
        # 15 % arrive in the last two weeks, so the inboxes hold dossiers at every stage.
        window_start = until - timedelta(days=14) if rng.random() < 0.15 else start
        moment = window_start + timedelta(seconds=rng.randint(0, int((until - window_start).total_seconds())))
        local = to_local_naive(moment)
        if channel != Channel.ONLINE:  # counters are open only in office hours
            local = calendar.next_working_time(local)
        moment = to_aware(local)
        if moment >= until:
            continue
        pid, birth = _personal_id(rng, until.date())
        name, address = _name(rng), f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}"
        # The local population data knows the applicant, so counter look-ups work in the demo.
        ResidentRecord.objects.get_or_create(
            personal_id=pid,
            defaults={"full_name": name, "birth_date": birth, "sex": "nam" if int(pid[3]) % 2 == 0 else "nu", "address": address},
        )
        actor = None if channel == Channel.ONLINE else _holder(Role.POSTAL_AGENT if channel == Channel.POSTAL else Role.ONE_STOP_OFFICER, receiving)
        with transaction.atomic():
            outcome = services.create_dossier(
                actor=actor,
                case=case,
                channel=channel,
                receiving_agency=receiving,
                competent_agency=competent,
                applicant={
                    "kind": "citizen",
                    "name": name,
                    "personal_id": pid,
                    "birth_date": birth,
                    "phone": f"09{rng.randint(10**7, 10**8 - 1)}",
                    "address": address,
                },
                population_verified=True,
                return_method=ReturnMethod.POST if channel == Channel.POSTAL else rng.choice([ReturnMethod.COUNTER] * 4 + [ReturnMethod.ELECTRONIC]),
                address_unit=competent.area if competent.area.level == "commune" else None,
                identity_verified=channel == Channel.ONLINE,
                now=moment,
            )
            _live(outcome.dossier, p, rng, _Clock(moment, until, calendar))
        made += 1
        if progress:
            progress(1)
    return made


SHOWCASE = {  # one recent dossier left in each open state, so every inbox has something to show
    State.SUBMITTED: [],
    State.AWAITING_COMPLETION: ["request_completion"],
    State.RECEIVED: ["receive"],
    State.PROCESSING: ["receive", "forward"],
    State.AWAITING_SUPPLEMENT: ["receive", "forward", "request_supplement"],
    State.AWAITING_VERIFICATION: ["receive", "forward", "request_verification"],
    State.AWAITING_PAYMENT: ["receive", "forward", "request_payment"],
    State.RESULT_READY: ["receive", "forward", "forward", "forward", "finish"],
}


def make_showcase(p: Province, rng: random.Random, until: datetime) -> int:
    calendar = get_calendar()
    case = Case.objects.get(version__procedure__code="1.004222", code="TH1")  # permanent residence, 7 days
    commune = p.communes[0]
    officer = _holder(Role.ONE_STOP_OFFICER, commune["centre"])
    data = {
        "request_completion": {"items": [{"name": "Tờ khai thay đổi thông tin cư trú (CT01)", "reason": "Chưa có ý kiến đồng ý của chủ hộ."}]},
        "request_supplement": {"items": [{"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "reason": "Bản chụp mờ, không đọc được số thửa."}], "answer_days": 7},
        "request_verification": {"agency": p.communes[-1]["police"].identifier_code, "question": "Xác minh nơi cư trú trước đây.", "answer_days": 5},
        "request_payment": {"amount": 20000, "description": "Lệ phí đăng ký cư trú"},
    }
    start = to_aware(calendar.next_working_time(to_local_naive(until) - timedelta(days=4)))
    for path in SHOWCASE.values():
        clock = _Clock(start, until, calendar)
        pid, birth = _personal_id(rng, until.date())
        d = services.create_dossier(
            actor=officer, case=case, channel=Channel.DIRECT, receiving_agency=commune["centre"],
            competent_agency=commune["police"], now=clock.now,
            applicant={"name": _name(rng), "personal_id": pid, "birth_date": birth, "phone": f"09{rng.randint(10**7, 10**8 - 1)}"},
        ).dossier
        for action in path:
            clock.advance(0.5)
            step = d.steps.filter(ended_at__isnull=True).first()
            role = step.role if action in ("forward", "finish") and step else None
            if action == "finish" and role not in (Role.CLERK, Role.HEAD_OF_AGENCY):
                role = Role.CLERK
            agency = commune["centre"] if role in (None, Role.ONE_STOP_OFFICER) else commune["police"]
            actor = _holder(role, agency) if role else (_holder(Role.SPECIALIST, commune["police"]) if action.startswith("request_") and action != "request_completion" else officer)
            services.perform(d, action, actor=actor, data=data.get(action, {}), now=clock.now)
            d.refresh_from_db()
    return len(SHOWCASE)


def seed(dossiers: int = 300, seed_value: int = 2026, until: datetime | None = None, progress_factory=None) -> dict:
    """Build everything. Idempotent for the organisation, staff and catalog; adds `dossiers` new dossiers."""
    rng = random.Random(seed_value)
    until = until or timezone.now()
    provinces, communes = load_administrative_units()
    load_catalog(seed_data.FIELDS, seed_data.PROCEDURES)
    province = build_province()
    accounts = build_staff(province, rng)
    default_templates()  # plain-language answer templates, one per kind of feedback, if none yet
    progress = progress_factory(dossiers) if progress_factory else None
    made = make_dossiers(province, dossiers, rng, until, progress.update if progress else None)
    if dossiers:
        made += make_showcase(province, rng, until)
    if progress:
        progress.close()
    return {"provinces": provinces, "communes": communes, "dossiers": made, "accounts": accounts}



# ---------------------------------------------------------------- bulk (load tests)

# A year of a province in numbers: most dossiers closed, the rest spread over the open states.
BULK_MIX = [
    (State.RETURNED, 780), (State.PROCESSING, 80), (State.RECEIVED, 20), (State.AWAITING_SUPPLEMENT, 20),
    (State.AWAITING_VERIFICATION, 10), (State.AWAITING_PAYMENT, 10), (State.RESULT_READY, 20), (State.SUBMITTED, 20),
    (State.REFUSED, 15), (State.WITHDRAWN, 15), (State.STOPPED, 10),
]
OPEN_BULK = {State.PROCESSING, State.RECEIVED, State.AWAITING_SUPPLEMENT, State.AWAITING_VERIFICATION,
             State.AWAITING_PAYMENT, State.RESULT_READY, State.SUBMITTED}


def bulk_dossiers(p: Province, count: int, rng: random.Random, until: datetime, progress=None, batch: int = 5000) -> int:
    """Load-test volume: `count` dossiers written straight to the tables (bulk inserts, not the service
    layer), in the state mix of a year, with due times from the calendar and the open step of every dossier
    in processing (given to a named officer half of the time). No event history: use `seed` for a demo
    whose every dossier was lived through the services."""
    from motcua.dossiers import codes, deadlines
    from motcua.dossiers.models import DailyCounter, Dossier, StepRecord
    from motcua.dossiers.workflow import NATIONAL_STATUS, RECEPTION_ROLES

    cases = [c for c in Case.objects.select_related("version__procedure").prefetch_related("steps").order_by("pk")
             if c.time_limit_unit != "none"]
    holders: dict[tuple[str, int], list[int]] = {}
    for ra in RoleAssignment.objects.filter(user__is_system=False):
        holders.setdefault((ra.role, ra.agency_id), []).append(ra.user_id)
    calendar = get_calendar()
    states, weights = zip(*BULK_MIX, strict=True)
    numbers = {(c.agency_id, c.day): c.value for c in DailyCounter.objects.all()}
    start = until - timedelta(days=365)
    made = 0
    while made < count:
        rows, steps = [], []
        for _ in range(min(batch, count - made)):
            case = rng.choice(cases)
            state = rng.choices(states, weights)[0]
            receiving, competent = _agencies_for(p, case, rng)
            # Open dossiers arrived in the last four weeks; closed ones over the year.
            window = until - timedelta(days=28) if state in OPEN_BULK else start
            received = to_aware(calendar.next_working_time(to_local_naive(
                window + timedelta(seconds=rng.randint(0, int((until - window).total_seconds()) - 3600)))))
            day = timezone.localtime(received).date()
            numbers[receiving.pk, day] = number = numbers.get((receiving.pk, day), 0) + 1
            d = Dossier(
                code=codes.format_code(receiving.identifier_code, day, number), channel=rng.choices([1, 2, 3], [83, 9, 8])[0],
                state=state, national_status=NATIONAL_STATUS.get(state), procedure_version=case.version, case=case,
                applicant_kind="citizen", applicant_name=_name(rng), personal_id=_personal_id(rng, until.date())[0],
                phone=f"09{rng.randint(10**7, 10**8 - 1)}", address=f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}",
                population_verified=True, receiving_agency=receiving, competent_agency=competent,
                submitted_at=received, received_at=None if state in (State.SUBMITTED, State.REFUSED) else received,
                last_event_seq=0,
            )
            if d.received_at:
                d.due_at = deadlines.due_time(calendar, d, case, ())
            if state not in OPEN_BULK:
                d.closed_at = d.finished_at = min(until, received + timedelta(days=rng.randint(1, 20)))
                d.returned_at = d.closed_at if state == State.RETURNED else None
            elif state == State.RESULT_READY:
                d.finished_at = min(until, received + timedelta(days=rng.randint(1, 10)))
            rows.append(d)
            if state == State.PROCESSING:
                step = rng.choice([s for s in case.steps.all() if s.role not in RECEPTION_ROLES] or list(case.steps.all()))
                agency = receiving if step.role in RECEPTION_ROLES else competent
                who = holders.get((step.role, agency.pk), [])
                started = received + timedelta(hours=rng.randint(1, 48))
                steps.append((d, StepRecord(
                    order=step.order, name=step.name, role=step.role, agency=agency, budget_hours=step.budget_hours,
                    started_at=started, due_at=deadlines.step_due(calendar, started, step.budget_hours),
                    assignee_id=rng.choice(who) if who and rng.random() < 0.5 else None,
                )))
                d.current_step = step.order
        with transaction.atomic():
            Dossier.objects.bulk_create(rows, batch_size=batch)
            for d, step in steps:
                step.dossier_id = d.pk
            StepRecord.objects.bulk_create([s for _, s in steps], batch_size=batch)
        made += len(rows)
        if progress:
            progress(len(rows))
    # Later dossiers of those days continue after the bulk numbers, so codes stay unique.
    for (agency_id, day), value in numbers.items():
        counter, _ = DailyCounter.objects.get_or_create(agency_id=agency_id, day=day)
        if counter.value < value:
            DailyCounter.objects.filter(pk=counter.pk).update(value=value)
    return made
