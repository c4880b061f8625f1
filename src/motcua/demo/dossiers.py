"""Demo dossiers over a year, each made through the service layer, and one recent dossier in each open state."""

import random
from datetime import date, datetime, timedelta

from django.db import transaction

from motcua.calendar.services import get_calendar, to_aware, to_local_naive
from motcua.catalog.models import Case, OnlineLevel
from motcua.dossiers import services
from motcua.dossiers.models import Channel, ReturnMethod, State
from motcua.fields import PROVINCE_CODES
from motcua.integrations.models import ResidentRecord
from motcua.org.models import Agency, RoleAssignment, User
from motcua.org.roles import Role

from .province import STREETS, Province, _name


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
