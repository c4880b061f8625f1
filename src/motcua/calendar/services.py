"""The Django side of the calendar: builds a WorkingCalendar from the holidays package and the override table.

Calendars are cached per process and per office schedule; the cache is dropped when the override table
changes in this process, and rebuilt at most every CACHE_SECONDS otherwise (other processes' edits).
"""

import time as _time
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .engine import DEFAULT_OFFICE_HOURS, OfficeHours, WorkingCalendar, vietnam_days_off, vietnam_working_days
from .models import CalendarOverride

CACHE_SECONDS = 60
FIRST_YEAR = 2015
YEARS_AHEAD = 6
_cache: dict[str, tuple[float, WorkingCalendar]] = {}


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def to_local_naive(moment: datetime) -> datetime:
    """An aware datetime as the naive Vietnamese wall-clock time the engine counts in."""
    if timezone.is_naive(moment):
        return moment
    return moment.astimezone(local_zone()).replace(tzinfo=None)


def to_aware(moment: datetime | None) -> datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=local_zone())


def clear_cache() -> None:
    _cache.clear()


def build_calendar(office_hours: OfficeHours | str = DEFAULT_OFFICE_HOURS) -> WorkingCalendar:
    hours = OfficeHours.parse(office_hours) if isinstance(office_hours, str) else office_hours
    this_year = timezone.localdate().year
    years = range(FIRST_YEAR, this_year + YEARS_AHEAD + 1)
    days_off = vietnam_days_off(years)
    working_days = vietnam_working_days(years)
    for day, kind in CalendarOverride.objects.values_list("date", "kind"):
        # The table overrides the package both ways (the government may cancel a swap).
        if kind == CalendarOverride.Kind.DAY_OFF:
            days_off.add(day)
            working_days.discard(day)
        else:
            working_days.add(day)
            days_off.discard(day)
    return WorkingCalendar(days_off=days_off, working_days=working_days, office_hours=hours)


def get_calendar(office_hours: OfficeHours | str | None = None) -> WorkingCalendar:
    """The working calendar for an office schedule (the default 07:00–11:30, 13:30–17:00 when None)."""
    key = str(office_hours or DEFAULT_OFFICE_HOURS)
    now = _time.monotonic()
    cached = _cache.get(key)
    if cached and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    calendar = build_calendar(key)
    _cache[key] = (now, calendar)
    return calendar


def calendar_for_agency(agency) -> WorkingCalendar:
    return get_calendar(agency.office_hours if agency is not None else None)
