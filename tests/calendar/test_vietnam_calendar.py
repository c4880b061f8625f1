"""Table tests on the real Vietnamese calendar 2024-2028 (no Django needed).

Days off come from the `holidays` package; the swapped working Saturdays
(ngày làm bù) 26/4/2025 and 22/8/2026 are passed explicitly. Every expected
value below was worked out by hand from the rules and the official holiday list.
"""

from datetime import date, datetime, time

import pytest

from motcua.calendar.engine import TimeUnit, WorkingCalendar, vietnam_days_off, vietnam_working_days

SWAPPED_SATURDAYS = {date(2025, 4, 26), date(2026, 8, 22)}
ONLINE = {"late_cutoff": time(17), "late_start": time(8)}


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar(days_off=vietnam_days_off(range(2024, 2029)), working_days=SWAPPED_SATURDAYS)


def dt(day: int, month: int, year: int, hh: int, mm: int = 0) -> datetime:
    return datetime(year, month, day, hh, mm)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Tết 2024: Thu 8/2 - Wed 14/2.
        (date(2024, 2, 7), True),
        *((date(2024, 2, d), False) for d in range(8, 15)),
        (date(2024, 2, 15), True),
        # Tết 2025: Mon 27/1 - Fri 31/1; Mon 3/2 is worked.
        (date(2025, 1, 24), True),
        *((date(2025, 1, d), False) for d in range(27, 32)),
        (date(2025, 2, 3), True),
        # 2025: Saturday 26/4 worked in exchange for Friday 2/5.
        (date(2025, 4, 26), True),
        (date(2025, 4, 30), False),
        (date(2025, 5, 1), False),
        (date(2025, 5, 2), False),
        (date(2025, 5, 5), True),
        # Tết 2026: Mon 16/2 - Fri 20/2.
        (date(2026, 2, 13), True),
        *((date(2026, 2, d), False) for d in range(16, 21)),
        (date(2026, 2, 23), True),
        # Hùng Kings 2026 falls on Sunday 26/4, observed Monday 27/4; then 30/4 and 1/5.
        (date(2026, 4, 27), False),
        (date(2026, 4, 28), True),
        (date(2026, 4, 29), True),
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 5, 4), True),
        # National Day 2026: Saturday 22/8 worked in exchange for Monday 31/8; 1/9 and 2/9 off.
        (date(2026, 8, 22), True),
        (date(2026, 8, 29), False),
        (date(2026, 8, 31), False),
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        (date(2026, 9, 3), True),
        # Vietnam Culture Day 24/11 (from 2026).
        (date(2026, 11, 23), True),
        (date(2026, 11, 24), False),
        (date(2026, 11, 25), True),
        (date(2027, 11, 24), False),
        # Tết 2027: Thu 4/2 - Wed 10/2.
        (date(2027, 2, 3), True),
        *((date(2027, 2, d), False) for d in range(4, 11)),
        (date(2027, 2, 11), True),
    ],
)
def test_working_days(cal, day, working):
    assert cal.is_working_day(day) is working


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Tết 2025.
        (dt(24, 1, 2025, 10), 1, dt(3, 2, 2025, 10)),
        # Tết 2026: received Friday 13/2 10:00, 1 working day -> Monday 23/2 10:00.
        (dt(13, 2, 2026, 10), 1, dt(23, 2, 2026, 10)),
        (dt(13, 2, 2026, 10), 3, dt(25, 2, 2026, 10)),
        # Tết 2027.
        (dt(3, 2, 2027, 15), 1, dt(11, 2, 2027, 15)),
        # Hùng Kings 2026 observed on Monday 27/4.
        (dt(24, 4, 2026, 9), 2, dt(29, 4, 2026, 9)),
        # 30/4 and 1/5 2026, then the weekend.
        (dt(29, 4, 2026, 16), 1, dt(4, 5, 2026, 16)),
        # 2025: Saturday 26/4 is worked; Friday 2/5 is off.
        (dt(25, 4, 2025, 9), 1, dt(26, 4, 2025, 9)),
        (dt(29, 4, 2025, 10), 1, dt(5, 5, 2025, 10)),
        # 2026 swap: Saturday 22/8 is worked ...
        (dt(21, 8, 2026, 9), 1, dt(22, 8, 2026, 9)),
        (dt(22, 8, 2026, 14), 1, dt(24, 8, 2026, 14)),
        # ... and Monday 31/8, 1/9, 2/9 are off.
        (dt(28, 8, 2026, 16), 1, dt(3, 9, 2026, 16)),
        # 24/11 off in 2026 (Tuesday) and 2027 (Wednesday).
        (dt(23, 11, 2026, 10), 1, dt(25, 11, 2026, 10)),
        (dt(23, 11, 2027, 10), 1, dt(25, 11, 2027, 10)),
    ],
)
def test_working_day_due_times(cal, received, days, due):
    assert cal.due_time(received, days, TimeUnit.WORKING_DAY) == due


def test_working_hours_across_tet(cal):
    # One hour left on Friday 13/2/2026, the other after Tết.
    assert cal.due_time(dt(13, 2, 2026, 16), 2, TimeUnit.WORKING_HOUR) == dt(23, 2, 2026, 8)
    assert cal.working_minutes_between(dt(13, 2, 2026, 17), dt(23, 2, 2026, 7)) == 0
    assert cal.working_minutes_between(dt(13, 2, 2026, 9), dt(23, 2, 2026, 9)) == 480


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt(23, 11, 2026, 14, 30), dt(23, 11, 2026, 17)),  # before 15:00: the same day
        (dt(23, 11, 2026, 15, 30), dt(25, 11, 2026, 17)),  # after 15:00; 24/11 is off
        (dt(17, 2, 2026, 9), dt(23, 2, 2026, 17)),  # received during Tết
        (dt(21, 8, 2026, 16), dt(22, 8, 2026, 17)),  # the swapped Saturday is a working day
    ],
)
def test_same_day(cal, received, due):
    assert cal.due_time(received, 0, TimeUnit.SAME_DAY) == due


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (dt(9, 2, 2026, 10), 10, dt(23, 2, 2026, 17)),  # 19/2 is Tết -> Monday 23/2
        (dt(17, 1, 2025, 10), 10, dt(3, 2, 2025, 17)),  # 27/1 is Tết -> Monday 3/2
        (dt(27, 1, 2027, 10), 10, dt(11, 2, 2027, 17)),  # Saturday 6/2 in Tết -> Thursday 11/2
        (dt(17, 8, 2026, 10), 14, dt(3, 9, 2026, 17)),  # Monday 31/8 off, then 1/9 and 2/9
        (dt(8, 8, 2026, 10), 14, dt(22, 8, 2026, 17)),  # lands on the swapped Saturday: worked
        (dt(2, 2, 2026, 10), 10, dt(12, 2, 2026, 17)),  # a plain working day
    ],
)
def test_calendar_days(cal, received, days, due):
    assert cal.due_time(received, days, TimeUnit.CALENDAR_DAY) == due


@pytest.mark.parametrize(
    ("received", "unit", "value", "due"),
    [
        # Online after 17:00 on the last day before Tết: counting starts 08:00 on Monday 23/2.
        (dt(13, 2, 2026, 17, 5), TimeUnit.WORKING_DAY, 1, dt(24, 2, 2026, 8)),
        # Online during Tết.
        (dt(18, 2, 2026, 10), TimeUnit.WORKING_DAY, 1, dt(24, 2, 2026, 8)),
        (dt(18, 2, 2026, 10), TimeUnit.SAME_DAY, 0, dt(23, 2, 2026, 17)),
        # Online Friday evening before the swapped Saturday: counting starts Saturday 22/8 08:00.
        (dt(21, 8, 2026, 18), TimeUnit.WORKING_DAY, 1, dt(24, 8, 2026, 8)),
        # Before the cutoff nothing moves.
        (dt(13, 2, 2026, 16, 59), TimeUnit.WORKING_DAY, 1, dt(23, 2, 2026, 16, 59)),
    ],
)
def test_online_late_cutoff(cal, received, unit, value, due):
    assert cal.due_time(received, value, unit, **ONLINE) == due


def test_step_due_times_across_the_2026_swap(cal):
    # Steps of 4 h, 8 h and 4 h from Friday 28/8/2026 09:00 (31/8, 1/9, 2/9 off).
    steps = cal.step_due_times(dt(28, 8, 2026, 9), [4, 8, 4])
    assert steps == [dt(28, 8, 2026, 15), dt(3, 9, 2026, 15), dt(4, 9, 2026, 9)]


def test_package_lists_swapped_saturdays_separately():
    # The package also knows Saturday 4/5/2024 (worked in exchange for Monday 29/4/2024).
    worked = vietnam_working_days(range(2024, 2029))
    assert worked == SWAPPED_SATURDAYS | {date(2024, 5, 4)}
    assert not worked & vietnam_days_off(range(2024, 2029))
    assert date(2024, 4, 29) in vietnam_days_off([2024])
