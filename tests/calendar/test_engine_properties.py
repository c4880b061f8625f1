"""Property tests of motcua.calendar.engine over random working calendars (no Django needed).

Besides algebraic properties, results are compared with a deliberately naive
minute-by-minute model of the rules, written independently of the engine.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.calendar.engine import DEFAULT_OFFICE_HOURS, OfficeHours, TimeUnit, WorkingCalendar

FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2028, 12, 31)
FIRST_SATURDAY = date(2024, 1, 6)
ONE_MINUTE = timedelta(minutes=1)

SETTINGS = settings(max_examples=300, deadline=None)


@dataclass(frozen=True)
class Spec:
    """The inputs a calendar was built from, for the naive model."""

    days_off: frozenset
    working_days: frozenset
    windows: tuple  # ((start_minute, end_minute), ...)
    weekend: frozenset

    def working_day(self, d: date) -> bool:
        if d in self.working_days:
            return True
        return d not in self.days_off and d.weekday() not in self.weekend

    def working_moment(self, dt: datetime) -> bool:
        """Inside a window, bounds inclusive."""
        m = dt.hour * 60 + dt.minute
        return self.working_day(dt.date()) and any(s <= m <= e for s, e in self.windows)

    def working_minute(self, dt: datetime) -> bool:
        """The minute [dt, dt + 1 min) is worked."""
        m = dt.hour * 60 + dt.minute
        return self.working_day(dt.date()) and any(s <= m < e for s, e in self.windows)

    def next_working_time(self, dt: datetime) -> datetime:
        while not self.working_moment(dt):
            if not self.working_day(dt.date()):
                dt = datetime.combine(dt.date() + timedelta(days=1), time(0))  # skip the whole day
            else:
                dt += ONE_MINUTE
        return dt

    def add(self, start: datetime, minutes: int) -> datetime:
        t = self.next_working_time(start)
        while minutes:
            if self.working_minute(t):
                minutes -= 1
                t += ONE_MINUTE
            else:
                t = self._next_window_start_or_midnight(t)
        return t

    def _next_window_start_or_midnight(self, t: datetime) -> datetime:
        # Only to keep the model fast on sparse calendars; it jumps over minutes that are not worked.
        m = t.hour * 60 + t.minute
        if self.working_day(t.date()):
            for s, _ in self.windows:
                if s > m:
                    return datetime.combine(t.date(), _as_time(s))
        return datetime.combine(t.date() + timedelta(days=1), time(0))

    def minutes_between(self, a: datetime, b: datetime) -> int:
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        count = 0
        while a < b:
            count += self.working_minute(a)
            a += ONE_MINUTE
        return sign * count


def _as_time(minute: int) -> time:
    return time(minute // 60, minute % 60)


@st.composite
def office_hours(draw):
    if draw(st.booleans()):
        return DEFAULT_OFFICE_HOURS
    n = draw(st.integers(1, 3))
    bounds = sorted(draw(st.sets(st.integers(0, 1439), min_size=2 * n, max_size=2 * n)))
    return OfficeHours(tuple((_as_time(bounds[2 * i]), _as_time(bounds[2 * i + 1])) for i in range(n)))


days_in_range = st.dates(FIRST_DAY, LAST_DAY)


@st.composite
def calendars(draw) -> tuple[WorkingCalendar, Spec]:
    days_off = set(draw(st.sets(days_in_range, max_size=40)))
    # A Tết-like block of consecutive days off.
    block_start = draw(days_in_range)
    days_off.update(block_start + timedelta(days=k) for k in range(draw(st.integers(0, 10))))
    working_saturdays = draw(
        st.sets(st.integers(0, 260).map(lambda k: FIRST_SATURDAY + timedelta(weeks=k)), max_size=12)
    )
    # Some swapped working days also appear in days_off: working_days must win.
    working_saturdays |= set(draw(st.sets(st.sampled_from(sorted(days_off)), max_size=2)) if days_off else ())
    weekend = draw(st.one_of(st.just(frozenset({5, 6})), st.frozensets(st.integers(0, 6), max_size=3)))
    hours = draw(office_hours())
    cal = WorkingCalendar(
        days_off=days_off, working_days=working_saturdays, office_hours=hours, weekend=weekend
    )
    windows = tuple((s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in hours.windows)
    return cal, Spec(frozenset(days_off), frozenset(working_saturdays), windows, frozenset(weekend))


moments = st.builds(
    lambda d, m: datetime.combine(d, _as_time(m)),
    days_in_range,
    st.integers(0, 1439),
)
amounts = st.integers(0, 3000)


@SETTINGS
@given(calendars(), moments, amounts)
def test_add_matches_naive_model(cal_spec, start, minutes):
    cal, spec = cal_spec
    result = cal.add_working_minutes(start, minutes)
    assert result == spec.add(start, minutes)
    assert cal.is_working_time(result)
    assert spec.working_moment(result)
    assert result >= start


@SETTINGS
@given(calendars(), moments)
def test_next_working_time_matches_naive_model(cal_spec, moment):
    cal, spec = cal_spec
    result = cal.next_working_time(moment)
    assert result == spec.next_working_time(moment)
    assert cal.add_working_minutes(moment, 0) == result
    assert cal.is_working_time(moment) == spec.working_moment(moment)


@SETTINGS
@given(calendars(), moments, amounts, amounts)
def test_adding_is_associative(cal_spec, start, a, b):
    cal, _ = cal_spec
    assert cal.add_working_minutes(cal.add_working_minutes(start, a), b) == cal.add_working_minutes(
        start, a + b
    )


@SETTINGS
@given(calendars(), moments, st.integers(0, 50_000))
def test_between_inverts_add(cal_spec, start, minutes):
    cal, _ = cal_spec
    end = cal.add_working_minutes(start, minutes)
    assert cal.working_minutes_between(start, end) == minutes
    assert cal.working_minutes_between(end, start) == -minutes


@SETTINGS
@given(calendars(), moments, st.integers(0, 4 * 24 * 60))
def test_between_matches_naive_model(cal_spec, a, span):
    cal, spec = cal_spec
    b = a + timedelta(minutes=span)
    assert cal.working_minutes_between(a, b) == spec.minutes_between(a, b)
    assert cal.working_minutes_between(b, a) == spec.minutes_between(b, a)


@SETTINGS
@given(calendars(), moments, st.integers(0, 30), st.integers(0, 20_000))
def test_extend_moves_due_by_exactly_the_pause(cal_spec, start, days, paused):
    cal, _ = cal_spec
    due = cal.due_time(start, days, TimeUnit.WORKING_DAY)
    extended = cal.extend(due, paused)
    assert cal.working_minutes_between(due, extended) == paused
    assert cal.extend(due, 0) == cal.next_working_time(due)
    assert cal.is_working_time(extended)


@SETTINGS
@given(calendars(), moments, st.integers(0, 60), st.sampled_from([0, 0.5, 1.5]))
def test_working_day_due_is_working_time(cal_spec, start, days, fraction):
    cal, spec = cal_spec
    due = cal.due_time(start, days + fraction, TimeUnit.WORKING_DAY)
    assert cal.is_working_day(due.date())
    assert spec.working_day(due.date())
    assert cal.is_working_time(due)
    # Half a minute rounds up (not to even); the float products here are exact.
    expected = math.floor((days + fraction) * cal.office_hours.minutes_per_day + 0.5)
    assert cal.working_minutes_between(start, due) == expected


@SETTINGS
@given(
    calendars(), moments, st.integers(0, 10 * 24 * 60), st.integers(0, 30), st.sampled_from(list(TimeUnit))
)
def test_due_is_monotone_in_start(cal_spec, start, delay, value, unit):
    # Without the online late rule: that rule starts late receipts at 08:00, after a 07:00 opening,
    # so a receipt at 23:00 can be due later than one at 07:30 the next morning (see the unit tests).
    cal, _ = cal_spec
    later = start + timedelta(minutes=delay)
    first = cal.due_time(start, value, unit)
    second = cal.due_time(later, value, unit)
    if unit is TimeUnit.NONE:
        assert first is None and second is None
    else:
        assert first <= second


@SETTINGS
@given(calendars(), moments, st.lists(st.integers(0, 40), max_size=6))
def test_step_due_times_are_cumulative_and_ordered(cal_spec, start, budgets):
    cal, _ = cal_spec
    steps = cal.step_due_times(start, budgets)
    assert len(steps) == len(budgets)
    assert steps == sorted(steps)
    for i, step in enumerate(steps):
        assert step == cal.add_working_hours(start, sum(budgets[: i + 1]))
