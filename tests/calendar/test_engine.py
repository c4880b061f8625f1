"""Unit tests of the working-time rules of motcua.calendar.engine (no Django needed)."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from motcua.calendar.engine import (
    DEFAULT_OFFICE_HOURS,
    OfficeHours,
    TimeUnit,
    Timing,
    WorkingCalendar,
    classify,
)

# Week used throughout: Mon 23/10/2023 .. Sun 29/10/2023, then Mon 30/10/2023.
MON = date(2023, 10, 23)
TUE = date(2023, 10, 24)
WED = date(2023, 10, 25)
THU = date(2023, 10, 26)
FRI = date(2023, 10, 27)
SAT = date(2023, 10, 28)
SUN = date(2023, 10, 29)
NEXT_MON = date(2023, 10, 30)


def at(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm))


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def test_week_days_are_what_the_tests_assume():
    assert [d.weekday() for d in (MON, FRI, SAT, SUN, NEXT_MON)] == [0, 4, 5, 6, 0]


# -- office hours ----------------------------------------------------------


def test_default_office_hours():
    assert DEFAULT_OFFICE_HOURS.minutes_per_day == 480
    assert str(DEFAULT_OFFICE_HOURS) == "07:00-11:30,13:30-17:00"
    assert OfficeHours.parse("07:00-11:30,13:30-17:00") == DEFAULT_OFFICE_HOURS


@pytest.mark.parametrize(
    ("text", "windows", "minutes"),
    [
        (" 08:00 - 12:00 , 13:00-17:00 ", ((time(8), time(12)), (time(13), time(17))), 480),
        ("7:30-16:30", ((time(7, 30), time(16, 30)),), 540),
        (
            "07:00-11:00,13:00-15:00,16:00-17:00",
            ((time(7), time(11)), (time(13), time(15)), (time(16), time(17))),
            420,
        ),
    ],
)
def test_office_hours_parse_good(text, windows, minutes):
    hours = OfficeHours.parse(text)
    assert hours.windows == windows
    assert hours.minutes_per_day == minutes
    assert OfficeHours.parse(str(hours)) == hours


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "07:00",
        "07:00-11:30;13:30-17:00",
        "07:00-11:30,",
        "7h-11h",
        "25:00-26:00",
        "07:60-08:00",
        "11:30-07:00",  # end before start
        "07:00-07:00",  # empty window, zero total
        "07:00-12:00,11:00-17:00",  # overlapping
        "07:00-11:30,11:30-17:00",  # touching windows: ambiguous, rejected
        "13:30-17:00,07:00-11:30",  # unordered
    ],
)
def test_office_hours_parse_bad(text):
    with pytest.raises(ValueError, match="Giờ làm việc"):
        OfficeHours.parse(text)


def test_office_hours_constructor_validates_too():
    with pytest.raises(ValueError, match="Giờ làm việc"):
        OfficeHours(((time(13), time(17)), (time(7), time(11))))
    with pytest.raises(ValueError, match="Giờ làm việc"):
        OfficeHours(())


# -- days ------------------------------------------------------------------


def test_working_days_weekend_and_days_off():
    cal = WorkingCalendar(days_off={WED, SUN}, working_days={SAT, SUN})
    assert cal.is_working_day(MON)
    assert not cal.is_working_day(WED)
    assert cal.is_working_day(SAT)  # swapped working Saturday
    assert cal.is_working_day(SUN)  # working_days wins over days_off
    assert not WorkingCalendar().is_working_day(SAT)
    assert not WorkingCalendar().is_working_day(SUN)


def test_custom_weekend():
    cal = WorkingCalendar(weekend={6})
    assert cal.is_working_day(SAT)
    assert not cal.is_working_day(SUN)
    with pytest.raises(ValueError):
        WorkingCalendar(weekend=range(7))
    with pytest.raises(ValueError):
        WorkingCalendar(weekend={7})


def test_next_working_day_is_strictly_after(cal):
    assert cal.next_working_day(MON) == TUE
    assert cal.next_working_day(FRI) == NEXT_MON
    assert cal.next_working_day(SAT) == NEXT_MON
    assert WorkingCalendar(days_off={TUE, WED}).next_working_day(MON) == THU


def test_end_of_working_day(cal):
    assert cal.end_of_working_day(MON) == at(MON, 17)
    custom = WorkingCalendar(office_hours=OfficeHours.parse("07:30-11:30,13:00-16:30"))
    assert custom.end_of_working_day(MON) == at(MON, 16, 30)


# -- working time and normalisation ------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(MON, 6, 59), False),
        (at(MON, 7, 0), True),
        (at(MON, 11, 30), True),
        (at(MON, 11, 31), False),
        (at(MON, 13, 29), False),
        (at(MON, 13, 30), True),
        (at(MON, 17, 0), True),
        (at(MON, 17, 1), False),
        (at(SAT, 9, 0), False),
    ],
)
def test_is_working_time_bounds_inclusive(cal, moment, expected):
    assert cal.is_working_time(moment) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(MON, 6, 0), at(MON, 7, 0)),  # before opening
        (at(MON, 7, 0), at(MON, 7, 0)),
        (at(MON, 9, 15), at(MON, 9, 15)),
        (at(MON, 11, 30), at(MON, 11, 30)),
        (at(MON, 12, 0), at(MON, 13, 30)),  # lunch
        (at(MON, 17, 0), at(MON, 17, 0)),
        (at(MON, 17, 30), at(TUE, 7, 0)),  # after closing
        (at(FRI, 17, 30), at(NEXT_MON, 7, 0)),
        (at(SAT, 10, 0), at(NEXT_MON, 7, 0)),  # weekend
        (at(SUN, 23, 59), at(NEXT_MON, 7, 0)),
    ],
)
def test_next_working_time(cal, moment, expected):
    assert cal.next_working_time(moment) == expected
    assert cal.add_working_minutes(moment, 0) == expected


def test_next_working_time_skips_days_off():
    cal = WorkingCalendar(days_off={NEXT_MON, date(2023, 10, 31)})
    assert cal.next_working_time(at(FRI, 18)) == at(date(2023, 11, 1), 7)


def test_seconds_are_dropped():
    cal = WorkingCalendar()
    assert cal.next_working_time(datetime(2023, 10, 23, 9, 15, 42, 5)) == at(MON, 9, 15)
    assert cal.add_working_minutes(datetime(2023, 10, 23, 9, 15, 42), 1) == at(MON, 9, 16)


def test_aware_datetime_rejected(cal):
    from datetime import UTC

    with pytest.raises(ValueError):
        cal.add_working_minutes(datetime(2023, 10, 23, 9, tzinfo=UTC), 5)


# -- adding working time ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (at(MON, 7), 270, at(MON, 11, 30)),  # ends exactly at the morning window end
        (at(MON, 7), 271, at(MON, 13, 31)),
        (at(MON, 13, 30), 210, at(MON, 17)),  # ends exactly at closing time
        (at(MON, 7), 480, at(MON, 17)),
        (at(MON, 7), 481, at(TUE, 7, 1)),
        (at(MON, 11, 30), 1, at(MON, 13, 31)),
        (at(MON, 12, 0), 30, at(MON, 14, 0)),  # starts in lunch
        (at(MON, 17, 0), 1, at(TUE, 7, 1)),
        (at(FRI, 16, 0), 60, at(FRI, 17, 0)),
        (at(FRI, 16, 0), 61, at(NEXT_MON, 7, 1)),
        (at(SAT, 9, 0), 30, at(NEXT_MON, 7, 30)),
    ],
)
def test_add_working_minutes(cal, start, minutes, expected):
    assert cal.add_working_minutes(start, minutes) == expected


def test_hours_crossing_lunch(cal):
    assert cal.add_working_hours(at(MON, 10), 2) == at(MON, 14)
    assert cal.add_working_hours(at(MON, 10), 1.5) == at(MON, 11, 30)
    assert cal.add_working_hours(at(MON, 10), Decimal("1.75")) == at(MON, 13, 45)
    assert cal.add_working_hours(at(MON, 16), 2) == at(TUE, 8)


def test_hours_round_to_whole_minutes(cal):
    assert cal.add_working_hours(at(MON, 8), Decimal("0.01")) == at(MON, 8, 1)  # 0.6 min -> 1
    assert cal.add_working_hours(at(MON, 8), Decimal("0.005")) == at(MON, 8, 0)  # 0.3 min -> 0


def test_half_working_day(cal):
    assert cal.add_working_days(at(MON, 9), 0.5) == at(MON, 15)
    assert cal.add_working_days(at(MON, 14), Decimal("0.5")) == at(TUE, 8)
    assert cal.due_time(at(MON, 9), 0.5, TimeUnit.WORKING_DAY) == at(MON, 15)


def test_working_days_over_days_off():
    cal = WorkingCalendar(days_off={TUE})
    assert cal.add_working_days(at(MON, 10), 1) == at(WED, 10)
    assert cal.add_working_days(at(MON, 10), 5) == at(date(2023, 10, 31), 10)


def test_real_receipt_five_working_days(cal):
    # Received Fri 27/10/2023 09:32, 5 working days -> Fri 03/11/2023 09:32.
    assert cal.due_time(at(FRI, 9, 32), 5, TimeUnit.WORKING_DAY) == at(date(2023, 11, 3), 9, 32)
    assert cal.due_time(at(FRI, 9, 32), 5, "working_day") == at(date(2023, 11, 3), 9, 32)


# -- working minutes between ------------------------------------------------------------


def test_working_minutes_between(cal):
    assert cal.working_minutes_between(at(MON, 7), at(MON, 17)) == 480
    assert cal.working_minutes_between(at(MON, 11, 30), at(MON, 13, 30)) == 0
    assert cal.working_minutes_between(at(MON, 11), at(MON, 14)) == 60
    assert cal.working_minutes_between(at(FRI, 16), at(NEXT_MON, 8)) == 120
    assert cal.working_minutes_between(at(NEXT_MON, 8), at(FRI, 16)) == -120
    assert cal.working_minutes_between(at(SAT, 8), at(SUN, 20)) == 0


# -- due_time by unit ---------------------------------------------------------------


def test_working_hour_unit(cal):
    assert cal.due_time(at(MON, 10), 2, TimeUnit.WORKING_HOUR) == at(MON, 14)
    assert cal.due_time(at(MON, 10), 8, TimeUnit.WORKING_HOUR) == at(TUE, 10)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (at(MON, 8), at(MON, 17)),
        (at(MON, 14, 59), at(MON, 17)),
        (at(MON, 15, 0), at(TUE, 17)),  # at the cutoff: next working day
        (at(FRI, 15, 0), at(NEXT_MON, 17)),
        (at(SAT, 9, 0), at(NEXT_MON, 17)),  # weekend
        (at(MON, 6, 0), at(MON, 17)),
    ],
)
def test_same_day_cutoff(cal, start, expected):
    assert cal.due_time(start, 0, TimeUnit.SAME_DAY) == expected
    assert cal.due_time(start, 3, TimeUnit.SAME_DAY) == expected  # value is ignored


def test_same_day_on_holiday_and_custom_cutoff():
    cal = WorkingCalendar(days_off={TUE})
    assert cal.due_time(at(MON, 15, 30), None, TimeUnit.SAME_DAY) == at(WED, 17)
    assert cal.due_time(at(TUE, 9), None, TimeUnit.SAME_DAY) == at(WED, 17)
    assert cal.due_time(at(MON, 15, 30), 0, TimeUnit.SAME_DAY, same_day_cutoff=time(16)) == at(MON, 17)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (at(MON, 9), 3, at(THU, 17)),  # counting starts the day after
        (at(MON, 9), 0, at(MON, 17)),
        (at(WED, 9), 3, at(NEXT_MON, 17)),  # lands on Saturday -> Monday
        (at(THU, 9), 3, at(NEXT_MON, 17)),  # lands on Sunday -> Monday
        (at(SAT, 9), 5, at(date(2023, 11, 2), 17)),
    ],
)
def test_calendar_days(cal, start, days, expected):
    assert cal.due_time(start, days, TimeUnit.CALENDAR_DAY) == expected


def test_calendar_days_landing_on_holiday():
    cal = WorkingCalendar(days_off={NEXT_MON, date(2023, 10, 31)})
    assert cal.due_time(at(TUE, 10), 6, TimeUnit.CALENDAR_DAY) == at(date(2023, 11, 1), 17)
    with pytest.raises(ValueError):
        cal.due_time(at(TUE, 10), 1.5, TimeUnit.CALENDAR_DAY)


def test_none_unit(cal):
    assert cal.due_time(at(MON, 9), 0, TimeUnit.NONE) is None
    assert cal.due_time(at(MON, 9), None, "none") is None


def test_online_late_cutoff(cal):
    online = {"late_cutoff": time(17), "late_start": time(8)}
    # At or after 17:00: counting starts 08:00 the next working day.
    assert cal.due_time(at(MON, 17), 1, TimeUnit.WORKING_DAY, **online) == at(WED, 8)
    assert cal.due_time(at(MON, 22, 45), 1, TimeUnit.WORKING_DAY, **online) == at(WED, 8)
    assert cal.due_time(at(FRI, 17, 30), 1, TimeUnit.WORKING_DAY, **online) == at(date(2023, 10, 31), 8)
    # Before the cutoff nothing changes.
    assert cal.due_time(at(MON, 16, 59), 1, TimeUnit.WORKING_DAY, **online) == at(TUE, 16, 59)
    assert cal.due_time(at(MON, 6, 0), 1, TimeUnit.WORKING_DAY, **online) == at(MON, 17)
    # Received on a weekend: from Monday 08:00.
    assert cal.due_time(at(SAT, 10), 1, TimeUnit.WORKING_DAY, **online) == at(date(2023, 10, 31), 8)
    assert cal.due_time(at(SAT, 10), 2, TimeUnit.WORKING_HOUR, **online) == at(NEXT_MON, 10)
    # Without the rule, 17:00 itself is still working time.
    assert cal.due_time(at(MON, 17), 1, TimeUnit.WORKING_DAY) == at(TUE, 17)


def test_online_late_cutoff_same_day_and_calendar_days(cal):
    online = {"late_cutoff": time(17), "late_start": time(8)}
    # Adjusted start counts as before the same-day cutoff.
    assert cal.due_time(at(MON, 17, 30), 0, TimeUnit.SAME_DAY, **online) == at(TUE, 17)
    assert cal.due_time(at(SAT, 9), 0, TimeUnit.SAME_DAY, **online) == at(NEXT_MON, 17)
    assert cal.due_time(at(MON, 15, 30), 0, TimeUnit.SAME_DAY, **online) == at(TUE, 17)
    # Calendar days count from the adjusted date.
    assert cal.due_time(at(MON, 17, 30), 2, TimeUnit.CALENDAR_DAY, **online) == at(THU, 17)


def test_late_cutoff_skips_days_off():
    cal = WorkingCalendar(days_off={TUE, WED})
    online = {"late_cutoff": time(17), "late_start": time(8)}
    assert cal.due_time(at(MON, 18), 1, TimeUnit.WORKING_DAY, **online) == at(FRI, 8)
    assert cal.due_time(at(TUE, 9), 1, TimeUnit.WORKING_DAY, **online) == at(FRI, 8)


# -- steps and extension -------------------------------------------------------------


def test_step_due_times_are_cumulative(cal):
    assert cal.step_due_times(at(MON, 9), [2, 4, 8]) == [at(MON, 11), at(MON, 17), at(TUE, 17)]
    assert cal.step_due_times(at(MON, 10, 30), [Decimal("1.5"), 0, 0.5]) == [
        at(MON, 14),
        at(MON, 14),
        at(MON, 14, 30),
    ]
    assert cal.step_due_times(at(MON, 9), []) == []


def test_step_due_times_round_the_total_not_each_step(cal):
    # Three steps of 0.01 h (0.6 min each): 0.6 -> 1, 1.2 -> 1, 1.8 -> 2 minutes.
    steps = cal.step_due_times(at(MON, 9), [Decimal("0.01")] * 3)
    assert steps == [at(MON, 9, 1), at(MON, 9, 1), at(MON, 9, 2)]


def test_extend_by_pause(cal):
    due = at(MON, 16)
    assert cal.extend(due, 0) == due
    assert cal.extend(due, 60) == at(MON, 17)
    assert cal.extend(due, 90) == at(TUE, 7, 30)
    assert cal.extend(at(MON, 11), 30) == at(MON, 11, 30)
    assert cal.extend(None, 30) is None


# -- validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_working_minutes(at(MON, 9), -1),
        lambda c: c.add_working_hours(at(MON, 9), -0.5),
        lambda c: c.add_working_hours(at(MON, 9), float("nan")),
        lambda c: c.add_working_hours(at(MON, 9), float("inf")),
        lambda c: c.add_working_days(at(MON, 9), -1),
        lambda c: c.add_working_days(at(MON, 9), Decimal("-0.5")),
        lambda c: c.add_working_days(at(MON, 9), "2"),
        lambda c: c.due_time(at(MON, 9), -1, TimeUnit.WORKING_DAY),
        lambda c: c.due_time(at(MON, 9), -1, TimeUnit.WORKING_HOUR),
        lambda c: c.due_time(at(MON, 9), -1, TimeUnit.CALENDAR_DAY),
        lambda c: c.step_due_times(at(MON, 9), [2, -1]),
        lambda c: c.extend(at(MON, 9), -5),
    ],
)
def test_negative_or_bad_amounts_rejected(cal, call):
    with pytest.raises(ValueError, match="âm|số"):
        call(cal)


@pytest.mark.parametrize("unit", ["week", "WORKING_DAY", "", None, 3])
def test_unknown_unit_rejected(cal, unit):
    with pytest.raises(ValueError, match="Đơn vị thời hạn"):
        cal.due_time(at(MON, 9), 1, unit)


# -- custom office schedule --------------------------------------------------------------


def test_custom_office_schedule():
    cal = WorkingCalendar(office_hours=OfficeHours.parse("08:00-12:00,13:00-17:00"))
    assert not cal.is_working_time(at(MON, 7, 30))
    assert cal.next_working_time(at(MON, 7, 30)) == at(MON, 8)
    assert cal.next_working_time(at(MON, 12, 30)) == at(MON, 13)
    assert cal.add_working_hours(at(MON, 8), 4) == at(MON, 12)
    assert cal.add_working_hours(at(MON, 11), 2) == at(MON, 14)
    assert cal.add_working_days(at(MON, 16), 1) == at(TUE, 16)
    assert cal.due_time(at(MON, 7), 1, TimeUnit.WORKING_DAY) == at(MON, 17)
    assert cal.working_minutes_between(at(MON, 12), at(MON, 13)) == 0


def test_custom_single_window_with_longer_day():
    cal = WorkingCalendar(office_hours=OfficeHours.parse("07:30-16:30"))
    assert cal.add_working_days(at(MON, 12), 1) == at(TUE, 12)  # a day is 540 minutes here
    assert cal.add_working_hours(at(MON, 12), 8) == at(TUE, 11)


# -- classify ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (at(THU, 16, 0), Timing.EARLY),  # an earlier date
        (at(FRI, 8, 0), Timing.ON_TIME),  # same day, before the due time: on time, not early
        (at(FRI, 9, 32), Timing.ON_TIME),
        (datetime(2023, 10, 27, 9, 32, 59), Timing.ON_TIME),  # whole minutes
        (at(FRI, 9, 33), Timing.LATE),
        (at(NEXT_MON, 7, 0), Timing.LATE),
    ],
)
def test_classify(finished, expected):
    assert classify(finished, at(FRI, 9, 32)) is expected


def test_classify_without_due_is_on_time():
    assert classify(at(FRI, 9), None) is Timing.ON_TIME


# -- range -------------------------------------------------------------------------------


def test_far_years_in_both_directions(cal):
    # No fixed year range: the day index grows lazily either way.
    tuesday, friday = datetime(2199, 12, 31, 9), datetime(1900, 1, 5, 9)
    assert cal.due_time(tuesday, 1, TimeUnit.WORKING_DAY) == datetime(2200, 1, 1, 9)
    assert cal.due_time(friday, 1, TimeUnit.WORKING_DAY) == datetime(1900, 1, 8, 9)
    assert cal.add_working_days(at(MON, 9), 5) == at(NEXT_MON, 9)
    span = cal.working_minutes_between(datetime(1999, 12, 31, 17), datetime(2100, 1, 1, 7))
    days = range(date(2000, 1, 1).toordinal(), date(2100, 1, 1).toordinal())
    weekdays = sum(1 for n in days if date.fromordinal(n).weekday() < 5)
    assert span == weekdays * 480
