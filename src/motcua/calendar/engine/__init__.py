"""Working-time arithmetic for due dates of administrative dossiers.

Tính thời hạn giải quyết hồ sơ theo ngày/giờ làm việc (Một cửa).

Pure Python: no Django import, so it can be tested and benchmarked alone.
All datetimes are naive local wall-clock times (Viet Nam, UTC+7, no DST);
the Django layer converts aware datetimes before calling in. Time is counted
in whole minutes: seconds and microseconds of inputs are dropped.

Model: every moment maps to a "working position", the number of working
minutes elapsed since an arbitrary origin. Adding working time is adding to
the position and mapping back; the inverse is a subtraction of positions.
A per-calendar index of working days (built lazily, extended on demand in
both directions) makes whole-day jumps O(1).

Modules: units, hours, day_index, working, vietnam; the public names are re-exported here.
"""

from .hours import DEFAULT_OFFICE_HOURS, OfficeHours
from .units import TimeUnit, Timing, classify
from .vietnam import vietnam_days_off, vietnam_working_days
from .working import WorkingCalendar

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "OfficeHours",
    "TimeUnit",
    "Timing",
    "WorkingCalendar",
    "classify",
    "vietnam_days_off",
    "vietnam_working_days",
]
