"""Time units of a time limit, and the timing of a finished dossier or step (early, on time, late)."""

from __future__ import annotations

import enum
from datetime import datetime

from .day_index import _floor_minute


class TimeUnit(enum.StrEnum):
    """Unit of a legal time limit (đơn vị thời hạn giải quyết)."""

    WORKING_DAY = "working_day"  # ngày làm việc
    WORKING_HOUR = "working_hour"  # giờ làm việc
    CALENDAR_DAY = "calendar_day"  # ngày (theo lịch)
    SAME_DAY = "same_day"  # trong ngày
    NONE = "none"  # không quy định thời hạn


class Timing(enum.StrEnum):
    """Classification of a finished dossier or step (trước hạn / đúng hạn / quá hạn)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


def classify(finished: datetime, due: datetime | None) -> Timing:
    """Classify a finished dossier/step: trước hạn (early), đúng hạn (on time), quá hạn (late).

    Finishing on the due date but before the due time is on time, not early.
    """
    if due is None:
        return Timing.ON_TIME
    finished = _floor_minute(finished)  # time is counted in whole minutes
    if finished > due:
        return Timing.LATE
    if finished.date() < due.date():
        return Timing.EARLY
    return Timing.ON_TIME
