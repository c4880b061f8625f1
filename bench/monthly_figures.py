"""A province's published monthly figures, entered as dossiers through the service layer and read back.

    .venv/bin/python bench/monthly_figures.py            # the whole month (SQLite in var/)
    .venv/bin/python bench/monthly_figures.py --scale 0.02
    .venv/bin/python bench/monthly_figures.py --tiny        # scale 0.002 in its own database (the tests)
    .ci/with-postgres .venv/bin/python bench/monthly_figures.py   # the same on PostgreSQL

A provincial centre's published monthly report (the figures the project was given to reproduce, issue 6)
gives, for one month: 7,267 dossiers received (6,063 at the counter, 660 online, 544 by post) and 5,516
results returned, "251 a working day on average". No other real monthly counts were given (backlog, on
time, late, in progress, refused, withdrawn...), so the rest of the month is a plan of this script, written
below as literals and labelled "plan" in the table, never "published".

The month is October 2026 (22 working days, no holiday). Every dossier is made and moved only with
dossiers.services.create_dossier / perform, each action at its own time, all actions of all dossiers in
time order (September's first), in the demo province (demo.seed without dossiers: a provincial centre,
three communes, staff for every role). Then `reports.selectors.statistics(supervisor, 01/10, 31/10)` is
read and compared, figure by figure, with the literals; the script exits 1 if any differs.

The plan (full size; --scale multiplies every count, published or planned, rounding half up; a planned
category never drops to 0):

  Carried over from September (received 14-30/09; only the dossiers that reach into October are entered):
    SEPT_RUNNING   1,130  in processing on 30/09; finished and returned in October (45 of them late)
    SEPT_WAITING      20  waiting for the citizen's supplement since September, still waiting on 31/10
    SEPT_READY       170  finished in September, result collected in October
    -> backlog ("kỳ trước chuyển sang") = 1,130 + 20 = 1,150 (results waiting for collection are not
       backlog: their processing is over)
  Received in October (6,063 direct + 660 online + 544 postal = 7,267), spread over the 22 working days
  (Mondays busiest, Fridays quietest), at the counter or by the postal agent in office hours; online
  dossiers submitted at any hour, weekends included, and received by an officer in the next office hours:
    returned in October            5,516 - 1,130 - 170 = 4,216 (120 of them finished late)
    results ready, not collected     900
    waiting for a supplement         140
    in processing, overdue            38  (received early in the month, stuck at the specialist)
    withdrawn by the citizen          25
    stopped                            8
    in processing, not yet due      the rest: 7,267 - 4,216 - 900 - 140 - 38 - 25 - 8 = 1,940 (received
                                    in the last 7 working days, with limits that end in November)
  Never received: 12 online and 6 counter submissions refused (form 03); 15 online submissions made on
  Friday evening 30/10 or Saturday 31/10, waiting for reception on 31/10.

The month is plausible as a month of stock growth: 1,150 + 170 open or uncollected on 30/09 become 3,038 on
31/10 (received 7,267, returned 5,516, withdrawn 25, stopped 8).
"""

import argparse
import heapq
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

# ---------------------------------------------------------------- the published report (literals)

PUBLISHED = {  # the published monthly report (see the docstring)
    "received_direct": 6063,
    "received_online": 660,
    "received_postal": 544,
    "received": 7267,
    "returned": 5516,
}
PUBLISHED_PER_DAY = 251  # "251 a working day on average": a whole number on the report
WORKING_DAYS = 22  # October 2026: 22 weekdays, no public holiday

# ---------------------------------------------------------------- the plan for what was not published

PLAN = {
    "sept_running": 1130, "sept_running_late": 45, "sept_waiting": 20, "sept_ready": 170,
    "oct_late": 120, "ready": 900, "supplement": 140, "overdue": 38, "withdrawn": 25, "stopped": 8,
    "refused_online": 12, "refused_direct": 6, "waiting": 15,
}

MONTH = (date(2026, 10, 1), date(2026, 10, 31))
SEPT_FROM = date(2026, 9, 14)
DAY_WEIGHT = {0: 1.2, 1: 1.05, 2: 1.0, 3: 0.95, 4: 0.8}  # Monday .. Friday


def scaled(n: int, scale: float, at_least: int = 0) -> int:
    return max(at_least, int(n * scale + 0.5)) if n else 0


@dataclass
class Targets:
    """What the month must show: the published counts (scaled) and this plan's counts (scaled)."""

    received: dict  # channel -> count
    returned: int
    plan: dict

    @classmethod
    def at(cls, scale: float = 1.0) -> "Targets":
        received = {1: scaled(PUBLISHED["received_direct"], scale), 2: scaled(PUBLISHED["received_online"], scale),
                    3: scaled(PUBLISHED["received_postal"], scale)}
        plan = {k: scaled(v, scale, at_least=1 if scale < 1 else 0) for k, v in PLAN.items()}
        return cls(received, scaled(PUBLISHED["returned"], scale), plan)

    @property
    def oct_returned(self) -> int:
        return self.returned - self.plan["sept_running"] - self.plan["sept_ready"]

    @property
    def not_due(self) -> int:
        p = self.plan
        return (sum(self.received.values()) - self.oct_returned - p["ready"] - p["supplement"] - p["overdue"]
                - p["withdrawn"] - p["stopped"])


# ---------------------------------------------------------------- time


def october_working_days() -> list[date]:
    """The weekdays of October 2026 (the month has no public holiday): counted here, not by motcua."""
    return [d for d in (MONTH[0] + timedelta(days=i) for i in range(31)) if d.weekday() < 5]


def september_working_days() -> list[date]:
    return [d for d in (SEPT_FROM + timedelta(days=i) for i in range(17)) if d.weekday() < 5]


class Clock:
    """Working-time arithmetic in Viet Nam local time, to place actions inside office hours."""

    def __init__(self):
        from motcua.calendar.services import get_calendar, to_aware, to_local_naive

        self.cal, self.aware, self.local = get_calendar(), to_aware, to_local_naive

    def at(self, day: date, hour: float):
        return self.aware(datetime(day.year, day.month, day.day) + timedelta(minutes=round(hour * 60)))

    def add(self, moment, minutes: int):
        return self.aware(self.cal.add_working_minutes(self.local(moment), max(0, int(minutes))))

    def between(self, a, b) -> int:
        return self.cal.working_minutes_between(self.local(a), self.local(b)) if b > a else 0

    def pick(self, a, b, rng):
        """A working moment between a and b (a when there is no working time between them)."""
        return self.add(a, rng.randint(0, self.between(a, b))) if b > a else a

    def office_moment(self, day: date, rng, start=7.5, end=16.75):
        """A moment of counter work on `day` (07:30-11:15, 13:30-16:45 by default)."""
        while True:
            hour = rng.uniform(start, end)
            if not 11.25 <= hour < 13.5:
                return self.at(day, hour)


# ---------------------------------------------------------------- the dossiers' lives


@dataclass
class Slot:
    """One dossier of the plan: when and how it arrives, and what becomes of it."""

    fate: str
    channel: int
    when: datetime  # received (or refused, or submitted for "waiting")
    case: object = None
    timing: str = ""  # planned: early / on_time / late (finished dossiers)
    submitted: datetime | None = None
    receiving: object = None
    competent: object = None
    tags: set = field(default_factory=set)


class Province:
    """The demo province's agencies and people, looked up once."""

    def __init__(self, rng):
        from motcua import demo
        from motcua.catalog.models import Case
        from motcua.org.models import User
        from motcua.org.roles import Role
        from motcua.org.services import grant_role

        self.p = demo.build_province()
        self.demo, self.rng = demo, rng
        self.supervisor = User.objects.get(username="giamsat")
        # The police (a vertical agency) sit outside the provincial committee's tree; the province's
        # report covers the dossiers its centres take for them, so the supervisor watches them too.
        grant_role(user=self.supervisor, role=Role.SUPERVISOR, agency=self.p.police)
        self.cases = list(Case.objects.select_related("version__procedure").prefetch_related("steps").order_by("pk"))
        self.steps = {c.pk: list(c.steps.all()) for c in self.cases}
        self.holders: dict = {}
        self.Role = Role

    def holder(self, role, agency):
        key = (role, agency.pk)
        if key not in self.holders:
            self.holders[key] = self.demo._holder(role, agency)
        return self.holders[key]

    def place(self, slot: Slot) -> None:
        slot.receiving, slot.competent = self.demo._agencies_for(self.p, slot.case, self.rng)


def limit_days(case) -> float:
    """A case's limit in working days, roughly (calendar days at 5 working days a week)."""
    value = float(case.time_limit_value or 0)
    return {"working_day": value, "calendar_day": value * 5 / 7, "working_hour": value / 8}.get(case.time_limit_unit, 0)


def choose_case(cases, rng, low=0.0, high=99.0):
    fitting = [c for c in cases if low <= limit_days(c) <= high and c.time_limit_unit != "none"]
    return rng.choice(fitting)


class Month:
    """Builds the plan's slots and lives them through the services, in time order."""

    def __init__(self, targets: Targets, seed: int = 2610):
        from motcua.dossiers import services
        from motcua.dossiers.models import Channel, ReturnMethod

        self.t, self.rng = targets, random.Random(seed)
        self.services, self.Channel, self.ReturnMethod = services, Channel, ReturnMethod
        self.clock = Clock()
        self.prov = Province(self.rng)
        self.days = october_working_days()
        self.last = self.clock.at(self.days[-1], 16.9)  # nothing is finished or returned after 30/10 16:54
        self.slots: list[Slot] = []
        self.calls = 0
        self.planned = Counter()  # what this plan meant each dossier to count as

    # ---------------------------------------------------------------- the plan

    def plan(self) -> list[Slot]:
        rng, t, clock = self.rng, self.t, self.clock
        cases = self.prov.cases
        # October's receipts: each channel's total shared over the days by weight (largest remainder).
        weights = [DAY_WEIGHT[d.weekday()] for d in self.days]
        october = []
        for channel, total in t.received.items():
            exact = [total * w / sum(weights) for w in weights]
            counts = [int(x) for x in exact]
            for i in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[: total - sum(counts)]:
                counts[i] += 1
            for i, n in enumerate(counts):
                for _ in range(n):
                    october.append(Slot("", channel, clock.office_moment(self.days[i], rng)))
        october.sort(key=lambda s: s.when)
        day_of = {d: i for i, d in enumerate(self.days)}

        def index(s):
            return day_of[clock.local(s.when).date()]

        # Not yet due on 31/10: the latest receipts, 9 in 10 of them (all after 15:30 on the last day).
        need = t.not_due
        for s in reversed(october):
            if need == 0:
                break
            last_afternoon = index(s) == len(self.days) - 1 and clock.local(s.when).hour >= 15
            if last_afternoon or rng.random() < 0.9:
                if index(s) < len(self.days) - 7:
                    raise SystemExit("plan: not enough late receipts for the not-yet-due dossiers")
                remaining = len(self.days) - 1 - index(s)
                s.fate, s.case = "not_due", choose_case(cases, rng, low=remaining + 1)
                need -= 1
        free = [s for s in october if not s.fate]

        def take(n, fate, first_day=0, last_day=99, low=0.0, high=99.0, late_room=False):
            pool = [s for s in free if first_day <= index(s) <= last_day]
            chosen = rng.sample(pool, n)
            for s in chosen:
                room = len(self.days) - 2 - index(s) if late_room else high
                s.fate, s.case = fate, choose_case(cases, rng, low=max(low, 0.0), high=min(high, room))
                free.remove(s)
            return chosen

        take(t.plan["overdue"], "overdue", last_day=8, low=2, high=7)
        take(t.plan["supplement"], "supplement", last_day=19)
        take(t.plan["withdrawn"], "withdrawn", last_day=19)
        take(t.plan["stopped"], "stopped", last_day=19)
        for s in take(t.plan["oct_late"], "returned", last_day=10, low=1, high=5):
            s.timing = "late"
        take(t.plan["ready"], "ready", first_day=6, last_day=20, late_room=True)
        if len(free) != t.oct_returned - t.plan["oct_late"]:
            raise SystemExit("plan: the October counts do not add up")
        for s in free:
            room = len(self.days) - 1 - index(s)  # working days left after the day of receipt
            s.fate, s.case = "returned", choose_case(cases, rng, high=min(7, max(room - 0.5, 0)))
        self.slots = october

        # September: what reaches into October.
        sept = september_working_days()
        for n, fate in ((t.plan["sept_running"], "sept_running"), (t.plan["sept_waiting"], "sept_waiting"),
                        (t.plan["sept_ready"], "sept_ready")):
            for k in range(n):
                channel = rng.choices([1, 2, 3], [83, 9, 8])[0]
                if fate == "sept_running" and k < t.plan["sept_running_late"]:
                    case = choose_case(cases, rng, low=2, high=7)
                    day = rng.choice(sept[:6])
                    s = Slot("sept_running", channel, clock.office_moment(day, rng), case, timing="late")
                elif fate == "sept_running":  # still within its limit on 01/10, so it can end early or on time
                    case = choose_case(cases, rng, low=3, high=9)
                    day = rng.choice(sept[-int(limit_days(case)) + 1:])
                    s = Slot(fate, channel, clock.office_moment(day, rng), case)
                elif fate == "sept_waiting":
                    s = Slot(fate, channel, clock.office_moment(rng.choice(sept[:8]), rng), choose_case(cases, rng, low=3))
                else:
                    day = rng.choice(sept[-5:])
                    s = Slot(fate, channel, clock.office_moment(day, rng, end=11), choose_case(cases, rng, high=0))
                self.slots.append(s)

        # Never received: refusals spread over the month, and online submissions of the last weekend.
        for n, channel in ((t.plan["refused_online"], 2), (t.plan["refused_direct"], 1)):
            for _ in range(n):
                self.slots.append(Slot("refused", channel, clock.office_moment(rng.choice(self.days), rng),
                                       choose_case(cases, rng)))
        for _ in range(t.plan["waiting"]):
            moment = clock.at(date(2026, 10, 30), rng.uniform(17.5, 23.9)) if rng.random() < 0.5 else \
                clock.at(date(2026, 10, 31), rng.uniform(6, 23.9))
            self.slots.append(Slot("waiting", 2, moment, choose_case(cases, rng)))

        for s in self.slots:
            if s.channel == 2 and s.fate not in ("waiting",):
                # Submitted online 20 minutes to 2.5 days before the officer received it, at any hour.
                s.submitted = s.when - timedelta(minutes=rng.randint(20, 3600))
            self.prov.place(s)
        return self.slots

    # ---------------------------------------------------------------- living it

    def act(self, d, action, actor, when, **data):
        self.services.perform(d, action, actor=actor, data=data, now=when)
        self.calls += 1
        d.refresh_from_db()

    def life(self, s: Slot):
        """One dossier: yields the moment of its next action, performs it when resumed."""
        prov, clock, rng, R, Ch = self.prov, self.clock, self.rng, self.prov.Role, self.Channel
        officer = prov.holder(R.ONE_STOP_OFFICER, s.receiving)
        postman = prov.holder(R.POSTAL_AGENT, s.receiving)
        case, steps = s.case, prov.steps[s.case.pk]
        if s.channel == Ch.ONLINE:
            creator, method = None, self.ReturnMethod.ELECTRONIC
            created = s.submitted or s.when
        else:
            creator = postman if s.channel == Ch.POSTAL else officer
            method = self.ReturnMethod.POST if s.channel == Ch.POSTAL else self.ReturnMethod.COUNTER
            created = s.when - timedelta(minutes=rng.randint(3, 12))
        yield created
        pid, birth = prov.demo._personal_id(rng, date(2026, 10, 1))
        d = self.services.create_dossier(
            actor=creator, case=case, channel=s.channel, receiving_agency=s.receiving, competent_agency=s.competent,
            applicant={"kind": "citizen", "name": prov.demo._name(rng), "personal_id": pid, "birth_date": birth,
                       "phone": f"09{rng.randint(10**7, 10**8 - 1)}"},
            return_method=method, population_verified=True, identity_verified=s.channel == Ch.ONLINE,
            now=created,
        ).dossier
        self.calls += 1
        if s.fate == "waiting":
            return
        yield s.when
        if s.fate == "refused":
            self.act(d, "refuse", officer, s.when, reason="Thủ tục không thuộc thẩm quyền giải quyết của đơn vị.")
            return
        self.act(d, "receive", postman if s.channel == Ch.POSTAL else officer, s.when)
        due = d.due_at
        last_step = len(steps) - (1 if steps and steps[-1].role in (R.ONE_STOP_OFFICER, R.POSTAL_AGENT) else 0)

        def step_actor():
            step = steps[d.current_step - 1]
            agency = s.receiving if step.role in (R.ONE_STOP_OFFICER, R.POSTAL_AGENT) else s.competent
            return prov.holder(step.role, agency), step.role

        start = s.when
        if s.fate == "withdrawn":
            yield (moment := clock.pick(start, min(clock.add(start, 16 * 60), self.last), rng))
            self.act(d, "withdraw", officer, moment, reason="Công dân có đơn đề nghị rút hồ sơ.")
            return
        # To the specialist, up to two hours after reception (sooner late on the month's last day).
        yield (moment := clock.add(start, min(rng.randint(20, 120), max(5, clock.between(start, self.last) // 4))))
        self.act(d, "forward", step_actor()[0], moment)
        if s.fate in ("overdue", "not_due"):
            if s.fate == "overdue" and clock.local(due).date() > MONTH[1]:
                raise SystemExit(f"plan: {d.code} should be due in October, is due {due}")
            if s.fate == "not_due" and due is not None and clock.local(due).date() <= MONTH[1]:
                raise SystemExit(f"plan: {d.code} should be due after October, is due {due}")
            return
        if s.fate in ("supplement", "sept_waiting"):
            cap = self.last if s.fate == "supplement" else clock.at(date(2026, 9, 30), 16.5)
            yield (moment := clock.pick(clock.add(moment, 30), min(clock.add(moment, 16 * 60), cap), rng))
            self.act(d, "request_supplement", prov.holder(R.SPECIALIST, s.competent), moment, answer_days=7,
                     items=[{"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "reason": "Bản chụp mờ, không đọc được số thửa."}])
            return
        if s.fate == "stopped":
            yield (moment := clock.pick(clock.add(moment, 30), min(clock.add(moment, 16 * 60), self.last), rng))
            self.act(d, "stop", prov.holder(R.HEAD_OF_AGENCY, s.competent), moment,
                     reason="Người yêu cầu không bổ sung hồ sơ trong thời hạn quy định.")
            return
        finish_at, s.timing = self.finish_time(s, moment, due)
        # The other forwards spread between now and the finish.
        remaining = max(0, last_step - d.current_step)
        gap = clock.between(moment, finish_at)
        for _ in range(remaining):
            yield (moment := clock.add(moment, max(1, gap // (remaining + 1))))
            self.act(d, "forward", step_actor()[0], moment)
        yield finish_at
        who, role = step_actor()
        if role not in (R.CLERK, R.HEAD_OF_AGENCY, R.HEAD_OF_DIVISION):
            who = prov.holder(R.CLERK, s.competent)
        self.act(d, "finish", who, finish_at, documents=list(case.result_documents)[:1])
        if finish_at >= clock.at(MONTH[0], 0):
            self.planned[f"finished_{s.timing}"] += 1
        if s.fate == "ready":
            return
        # Collected some time later (the same day for most, up to three working days), before 30/10 closes.
        first = clock.at(MONTH[0], 7.5) if s.fate == "sept_ready" else clock.add(finish_at, 1)
        after = clock.add(max(first, finish_at), rng.choice([10, 30, 60, 120, 240, 480, 960, 1440]))
        yield (moment := min(after, max(self.last + timedelta(minutes=4), clock.add(finish_at, 1))))
        if method == self.ReturnMethod.POST:
            self.act(d, "return_result", postman, moment, method="post", tracking_number=f"EMS{rng.randint(10**8, 10**9 - 1)}VN")
        else:
            self.act(d, "return_result", officer, moment, method=method, receiver_name=d.applicant_name)

    def finish_time(self, s: Slot, since, due):
        """When the dossier is finished, and how that stands against its due time (the plan's intention)."""
        clock, rng = self.clock, self.rng
        earliest = clock.add(since, 30)
        if s.fate == "sept_ready":
            return clock.pick(earliest, min(due, clock.at(date(2026, 9, 30), 16.5)), rng), "on_time"
        latest = self.last - timedelta(minutes=30) if s.fate != "ready" else self.last
        if s.timing == "late":
            base = max(due, clock.at(MONTH[0], 7.0))
            moment = clock.add(base, rng.randint(30, 8 * 60))
            if moment > latest:
                raise SystemExit(f"plan: a late dossier would finish after the month ({moment})")
            return moment, "late"
        if s.fate == "sept_running":
            earliest = max(earliest, clock.at(MONTH[0], 7.5))
        due_day = clock.local(due).date()
        day_before_end = clock.at(due_day, 0)
        options = []
        if earliest < day_before_end:  # early: a day before the due date
            options.append(("early", earliest, min(day_before_end - timedelta(minutes=1), latest)))
        on_time_from = max(earliest, clock.at(due_day, 7.0))
        if on_time_from < min(due, latest):
            options.append(("on_time", on_time_from, min(due - timedelta(minutes=1), latest)))
        options = [o for o in options if o[1] < o[2]]
        if not options:
            raise SystemExit(f"plan: no time to finish {s.fate} received {s.when} due {due}")
        timing, low, high = options[0] if len(options) == 1 or rng.random() < 0.72 else options[1]
        moment = clock.pick(low, high, rng)
        return moment, timing

    def run(self, progress=None, batch: int = 500) -> None:
        from django.db import transaction

        queue, seq = [], 0
        for s in self.slots:
            life = self.life(s)
            when = next(life)
            queue.append((when, seq, life))
            seq += 1
        heapq.heapify(queue)
        done = 0
        while queue:
            # Committed every `batch` moves: each perform() is still its own atomic block (a savepoint),
            # but the disk is not flushed after every one.
            with transaction.atomic():
                for _ in range(batch):
                    if not queue:
                        break
                    when, n, life = heapq.heappop(queue)
                    try:
                        following = life.send(None)
                    except StopIteration:
                        done += 1
                        if progress and done % 1000 == 0:
                            progress(done, len(self.slots))
                        continue
                    if following < when:
                        raise SystemExit(f"plan: time runs backwards ({following} < {when})")
                    heapq.heappush(queue, (following, n, life))


# ---------------------------------------------------------------- the check


def expected(t: Targets, planned: Counter, scale: float = 1.0) -> list[tuple[str, object, str]]:
    """(figure, expected value, source). Published figures are the report's literals (scaled); the others
    are this script's plan: its literals and what it meant each finished dossier to be."""
    p = t.plan
    received = sum(t.received.values())
    backlog = p["sept_running"] + p["sept_waiting"]
    late = p["sept_running_late"] + p["oct_late"]
    finished = p["sept_running"] + t.oct_returned + p["ready"]
    published = "published" if scale == 1 else f"published x {scale:g}"
    rows = [
        ("received_direct", t.received[1], published),
        ("received_online", t.received[2], published),
        ("received_postal", t.received[3], published),
        ("received", received, published),
        ("returned", t.returned, published),
        ("returned_per_working_day", PUBLISHED_PER_DAY if scale == 1 else round(t.returned / WORKING_DAYS, 1),
         published if scale == 1 else f"{t.returned} / {WORKING_DAYS}"),
        ("backlog", backlog, "plan"),
        ("to_process", received + backlog, "plan"),
        ("finished_early", planned["finished_early"], "plan (intended)"),
        ("finished_on_time", planned["finished_on_time"], "plan (intended)"),
        ("finished_late", late, "plan"),
        ("finished", finished, "plan"),
        ("not_due", t.not_due, "plan"),
        ("overdue", p["overdue"], "plan"),
        ("paused_supplement", p["supplement"] + p["sept_waiting"], "plan"),
        ("waiting", p["waiting"], "plan"),
        ("ready", p["ready"], "plan"),
        ("refused", p["refused_online"] + p["refused_direct"], "plan"),
        ("withdrawn", p["withdrawn"], "plan"),
        ("stopped", p["stopped"], "plan"),
        # Gia Lai province's published report formula: on time = 100 % - (late finished + late in progress) / to process.
        ("on_time_rate", round(100 - 100 * (late + p["overdue"]) / (received + backlog), 2), "plan, Gia Lai formula"),
    ]
    return rows


def compare(report: dict, rows, scale: float = 1.0) -> list[tuple[str, str, object, object, bool]]:
    """(figure, source, expected, motcua, equal). The report gives the average per working day to one
    decimal; the published report gives whole dossiers, so at full size it is compared rounded."""
    got = report["total"]
    out = [("working_days", "brief: 22 working days", WORKING_DAYS, report["working_days"],
            report["working_days"] == WORKING_DAYS)]
    for key, value, source in rows:
        mine = got[key]
        if key == "returned_per_working_day" and scale == 1:
            equal = mine is not None and int(mine + 0.5) == value
            mine = f"{mine} (≈ {int(mine + 0.5)})"
        else:
            equal = mine == value
        out.append((key, source, value, mine, equal))
    return out


def table(result) -> str:
    from motcua.reports.selectors import FIGURE_LABELS

    lines = [f"{'figure':<46} {'source':<24} {'expected':>10} {'motcua':>14}  equal?"]
    for key, source, value, mine, equal in result:
        label = FIGURE_LABELS.get(key, "Số ngày làm việc")
        lines.append(f"{label:<46} {source:<24} {value!s:>10} {mine!s:>14}  {'yes' if equal else 'NO'}")
    return "\n".join(lines)


def enter_month(scale: float = 1.0, seed: int = 2610, progress=None) -> tuple[Month, Targets]:
    """Seed the demo province (no dossiers) and live the month's dossiers through the services."""
    from motcua import demo

    demo.seed(dossiers=0)
    targets = Targets.at(scale)
    month = Month(targets, seed)
    month.plan()
    month.run(progress)
    return month, targets


def check(month: Month, targets: Targets, scale: float = 1.0):
    from motcua.reports import selectors

    report = selectors.statistics(month.prov.supervisor, *MONTH)
    return compare(report, expected(targets, month.planned, scale), scale)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of every count to enter (default: all)")
    parser.add_argument("--seed", type=int, default=2610)
    parser.add_argument("--tiny", action="store_true", help="--scale 0.002 in a database of its own (the tests)")
    args = parser.parse_args()
    if args.tiny:
        args.scale = 0.002
    sys.path[:0] = [str(Path(__file__).resolve().parent)]
    from common import fresh_database

    os.environ["MOTCUA_DEMO"] = "1"
    started = time.perf_counter()
    fresh_database("bench-tiny-monthly.sqlite3" if args.tiny else "monthly_figures.sqlite3")
    from django.db import connection

    setup = time.perf_counter()

    def progress(done, total):
        print(f"  {done:,} / {total:,} dossiers lived ({time.perf_counter() - setup:.0f} s)", file=sys.stderr, flush=True)

    month, targets = enter_month(args.scale, args.seed, progress)
    entered = time.perf_counter()
    result = check(month, targets, args.scale)
    read = time.perf_counter()
    print(f"October 2026, {connection.vendor}, scale {args.scale:g}: {len(month.slots):,} dossiers, "
          f"{month.calls:,} service calls")
    print(table(result))
    print(f"elapsed: {read - started:.1f} s (database and demo province {setup - started:.1f} s, dossiers "
          f"{entered - setup:.1f} s = {1000 * (entered - setup) / max(month.calls, 1):.1f} ms a call, "
          f"statistics {1000 * (read - entered):.0f} ms)")
    differ = [r[0] for r in result if not r[4]]
    if differ:
        print("DIFFERENT: " + ", ".join(differ))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
