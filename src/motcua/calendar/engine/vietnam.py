"""Vietnam's public holidays and swapped working days, from the holidays package."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def vietnam_days_off(years: Iterable[int]) -> set[date]:
    """Public holidays of Viet Nam from the `holidays` package (country VN), incl. observed/compensatory days.

    Ngày nghỉ lễ, Tết và ngày nghỉ bù. Swapped working Saturdays (ngày làm bù) are not
    holidays; see vietnam_working_days().
    """
    import holidays

    return set(holidays.country_holidays("VN", years=sorted(set(years))).keys())


def vietnam_working_days(years: Iterable[int]) -> set[date]:
    """Weekend days that are worked in exchange for a bridge day off (ngày làm bù), per `holidays`.

    The package keeps these separately from holidays (e.g. Saturday 26/4/2025 and 22/8/2026).
    """
    import holidays

    wanted = set(years)
    calendar = holidays.country_holidays("VN", years=sorted(wanted))
    return {d for d in getattr(calendar, "weekend_workdays", ()) if d.year in wanted}
