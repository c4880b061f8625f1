"""What a fact is: days as numbers, a dossier's dimensions, the stocks and flows its events contribute."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from motcua.dossiers.models import Channel, State

EPOCH = date(1970, 1, 1)
# Viet Nam has kept UTC+7 without daylight saving since 1975, so a day is a fixed offset away.
OFFSET_SECONDS = int(datetime(2026, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE)).utcoffset().total_seconds())

RUNNING = "running"
STOCK_OF_STATE = {
    State.SUBMITTED: "waiting",
    State.AWAITING_COMPLETION: "waiting",
    State.RECEIVED: RUNNING,
    State.PROCESSING: RUNNING,
    State.AWAITING_SUPPLEMENT: "paused_supplement",
    State.AWAITING_VERIFICATION: "paused_verification",
    State.AWAITING_PAYMENT: "paused_payment",
    State.RESULT_READY: "ready",
}
STOCKS = ("waiting", "not_due", "overdue", "paused_supplement", "paused_verification", "paused_payment", "ready")
FLOW_OF_ACTION = {
    "refuse": "refused",
    "withdraw": "withdrawn",
    "stop": "stopped",
    "return_result": "returned",
    "apologise": "apologised",
    "request_supplement": "supplement_requests",
}


def day_number(moment: datetime) -> int:
    return int((moment.timestamp() + OFFSET_SECONDS) // 86400)


def day_date(number: int) -> date:
    return EPOCH + timedelta(days=number)


def date_number(day: date) -> int:
    return (day - EPOCH).days


@dataclass(frozen=True)
class Dims:
    """What a dossier is counted under, and its attributes the 766 index asks about."""

    agency_id: int
    procedure_id: int
    channel: int
    full_eligible: bool = False
    fee_bearing: bool = False
    digitised: bool = False
    reused: bool = False
    national_data: bool = False
    population: bool = False
    synced: bool = False
    rating: str = ""
    rated_at: datetime | None = None


def _tail(out: Counter, segment, at: datetime, day: int, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) what an open segment counts from `at` onwards."""
    if segment is None:
        return
    kind, due = segment
    if kind != RUNNING:
        out[(day, kind)] += sign
    elif due is None:
        out[(day, "not_due")] += sign
    elif at < due:
        due_day = day_number(due)
        out[(day, "not_due")] += sign
        out[(due_day, "not_due")] -= sign
        out[(due_day, "overdue")] += sign
    else:
        out[(day, "overdue")] += sign


def contributions(dims: Dims, events) -> Counter:
    """Signed counts per (day number, measure) of one dossier, from its events in order.

    `events` are (action, to_state, at, due_at, data) tuples. The last state is taken to last for ever;
    the next event takes back what it no longer counts.
    """
    out: Counter = Counter()
    segment = None
    received_at = received_day = None
    paid_online = e_result = False
    for action, to_state, at, due_at, data in events:
        day = day_number(at)
        kind = STOCK_OF_STATE.get(to_state)
        new = None if kind is None else (kind, due_at if kind == RUNNING else None)
        if new != segment:
            _tail(out, segment, at, day, -1)
            _tail(out, new, at, day, 1)
            segment = new
        if action == "receive":
            received_at, received_day = at, day
            out[(day, f"received_{dims.channel}")] += 1
        elif action == "finish":
            out[(day, f"finished_{(data or {}).get('timing') or 'on_time'}")] += 1
            if received_at is not None:
                out[(day, "processing_minutes")] += int((at - received_at).total_seconds() // 60)
        elif action == "submit":
            if dims.channel == Channel.ONLINE:
                out[(day, "submitted_online")] += 1
        elif action == "pay_fees":
            paid_online = True
        if action in FLOW_OF_ACTION:
            out[(day, FLOW_OF_ACTION[action])] += 1
            if action == "return_result" and (data or {}).get("method") == "electronic":
                e_result = True
    if received_day is not None:
        cohort = {
            "c_synced": dims.synced,
            "c_fee": dims.fee_bearing,
            "c_paid_online": dims.fee_bearing and paid_online,
            "c_full_eligible": dims.full_eligible,
            "c_full_online": dims.full_eligible and dims.channel == Channel.ONLINE,
            "c_e_result": e_result,
            "c_digitised": dims.digitised,
            "c_reused": dims.reused,
            "c_store": dims.national_data or e_result,
            "c_population": dims.population,
        }
        for measure, present in cohort.items():
            if present:
                out[(received_day, measure)] += 1
    if dims.rating and dims.rated_at is not None:
        out[(day_number(dims.rated_at), f"rated_{dims.rating}")] += 1
    return out
