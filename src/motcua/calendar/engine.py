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
"""

from __future__ import annotations

import enum
import math
import numbers
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction

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


_MINUTES_PER_DAY = 24 * 60
_WINDOW_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_FORMAT_HINT = "định dạng đúng: 07:00-11:30,13:30-17:00"


def _minute_of(t: time) -> int:
    return t.hour * 60 + t.minute


def _fmt(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


@dataclass(frozen=True)
class OfficeHours:
    """Daily office windows (giờ làm việc trong ngày); bounds are inclusive."""

    windows: tuple[tuple[time, time], ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))

    def __post_init__(self) -> None:
        # Accept lists from callers but keep the object hashable and immutable.
        windows = tuple((start, end) for start, end in self.windows)
        object.__setattr__(self, "windows", windows)
        if not windows:
            raise ValueError("Giờ làm việc trống: tổng thời gian làm việc trong ngày phải lớn hơn 0")
        previous_end: time | None = None
        for start, end in windows:
            for t in (start, end):
                if not isinstance(t, time) or t.tzinfo is not None:
                    raise ValueError(f"Giờ làm việc không hợp lệ: {t!r} không phải giờ địa phương (time)")
                if t.second or t.microsecond:
                    raise ValueError(f"Giờ làm việc phải tính tròn phút: {t.isoformat()}")
            if start >= end:
                raise ValueError(
                    f"Giờ làm việc không hợp lệ: khung {_fmt(start)}-{_fmt(end)} có giờ bắt đầu "
                    "không trước giờ kết thúc"
                )
            if previous_end is not None and start <= previous_end:
                raise ValueError(
                    "Giờ làm việc không hợp lệ: các khung giờ chồng lấn hoặc không theo thứ tự "
                    f"(khung bắt đầu {_fmt(start)} không sau {_fmt(previous_end)})"
                )
            previous_end = end

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Parse "07:00-11:30,13:30-17:00"."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError(
                f"Giờ làm việc trống: tổng thời gian làm việc trong ngày phải lớn hơn 0 ({_FORMAT_HINT})"
            )
        windows = []
        for part in text.split(","):
            match = _WINDOW_RE.match(part)
            if match is None:
                raise ValueError(f"Giờ làm việc không hợp lệ: {part.strip()!r} ({_FORMAT_HINT})")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
                raise ValueError(
                    f"Giờ làm việc không hợp lệ: {part.strip()!r} có giờ hoặc phút ngoài phạm vi"
                )
            windows.append((time(h1, m1), time(h2, m2)))
        return cls(tuple(windows))

    def __str__(self) -> str:
        return ",".join(f"{_fmt(start)}-{_fmt(end)}" for start, end in self.windows)

    @property
    def minutes_per_day(self) -> int:
        """Working minutes in one working day (480 = 8 hours = 1 working day by default)."""
        return sum(_minute_of(end) - _minute_of(start) for start, end in self.windows)


DEFAULT_OFFICE_HOURS = OfficeHours()

_SAME_DAY_CUTOFF = time(15, 0)
_LATE_START = time(8, 0)
# Minutes 0..1439 as timedeltas, so results are built by one addition to a cached midnight.
_MINUTE_DELTAS = tuple(timedelta(minutes=m) for m in range(_MINUTES_PER_DAY))
_MAX_ORDINAL = date.max.toordinal()
# Days added per index extension; two years keeps rebuilds rare and cheap.
_CHUNK_DAYS = 732
# A lookup this far outside the built range starts a fresh index instead of
# filling the gap, so one odd far-away date does not cost memory for decades.
_FAR_DAYS = 3660


def _check_naive(dt: datetime, name: str) -> None:
    if not isinstance(dt, datetime):
        raise TypeError(f"{name} phải là datetime, nhận được {type(dt).__name__}")
    if dt.tzinfo is not None:
        raise ValueError(f"{name} phải là giờ địa phương không kèm múi giờ (naive datetime)")


def _to_minutes(value: object, per_unit: int, what: str) -> int:
    """Non-negative amount of `per_unit`-minute units -> whole minutes (half a minute rounds up)."""
    if type(value) is int:
        if value < 0:
            raise ValueError(f"{what} không được âm: {value}")
        return value * per_unit
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise ValueError(f"{what} phải là số, nhận được {value!r}")
    try:
        amount = Fraction(value)  # exact for float/Decimal, so 1.5 h is exactly 90 min
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{what} phải là số hữu hạn, nhận được {value!r}") from None
    if amount < 0:
        raise ValueError(f"{what} không được âm: {value}")
    return math.floor(amount * per_unit + Fraction(1, 2))


def _floor_minute(dt: datetime) -> datetime:
    if dt.second or dt.microsecond:
        return dt.replace(second=0, microsecond=0)
    return dt


class _DayIndex:
    """Contiguous index of calendar days -> working-day numbers.

    code[ordinal] = rank * 2 + is_working, where rank is the number of the first
    working day on or after that date; midnight[rank] is that working day at 00:00.
    Entries are only ever added, never changed, so readers need no lock.
    """

    __slots__ = ("code", "midnight", "lo", "hi", "rank_lo", "rank_hi", "_is_working", "_lock")

    def __init__(self, is_working, center: int) -> None:
        self.code: dict[int, int] = {}
        self.midnight: dict[int, datetime] = {}
        self.lo = self.hi = center  # covered ordinals: [lo, hi)
        self.rank_lo = self.rank_hi = 0  # rank of lo and of hi
        self._is_working = is_working
        self._lock = threading.Lock()
        self._grow_up(center + _CHUNK_DAYS)
        self._grow_down(center - _CHUNK_DAYS)

    def _grow_up(self, stop: int) -> None:
        stop = min(stop, _MAX_ORDINAL + 1)
        with self._lock:
            code, midnight, is_working = self.code, self.midnight, self._is_working
            rank = self.rank_hi
            for ordinal in range(self.hi, stop):
                if is_working(ordinal):
                    code[ordinal] = rank * 2 + 1
                    midnight[rank] = datetime.fromordinal(ordinal)
                    rank += 1
                else:
                    code[ordinal] = rank * 2
            if stop > self.hi:
                self.hi, self.rank_hi = stop, rank

    def _grow_down(self, start: int) -> None:
        start = max(start, 1)
        with self._lock:
            code, midnight, is_working = self.code, self.midnight, self._is_working
            rank = self.rank_lo
            for ordinal in range(self.lo - 1, start - 1, -1):
                if is_working(ordinal):
                    rank -= 1
                    code[ordinal] = rank * 2 + 1
                    midnight[rank] = datetime.fromordinal(ordinal)
                else:
                    code[ordinal] = rank * 2
            if start < self.lo:
                self.lo, self.rank_lo = start, rank

    def code_of(self, ordinal: int) -> int:
        value = self.code.get(ordinal)
        if value is None:
            if ordinal >= self.hi:
                self._grow_up(ordinal + _CHUNK_DAYS)
            else:
                self._grow_down(ordinal - _CHUNK_DAYS)
            value = self.code[ordinal]
        return value

    def day(self, rank: int) -> datetime:
        """Midnight of working day number `rank`."""
        value = self.midnight.get(rank)
        while value is None:
            if rank >= self.rank_hi:
                if self.hi > _MAX_ORDINAL:
                    raise OverflowError("Thời hạn vượt quá ngày lớn nhất có thể biểu diễn")
                # Jump roughly as far as needed (at least 1 working day per week).
                self._grow_up(self.hi + max(_CHUNK_DAYS, (rank - self.rank_hi + 1) * 7))
            else:
                if self.lo <= 1:
                    raise OverflowError("Ngày nhỏ hơn ngày nhỏ nhất có thể biểu diễn")
                self._grow_down(self.lo - max(_CHUNK_DAYS, (self.rank_lo - rank) * 7))
            value = self.midnight.get(rank)
        return value


class WorkingCalendar:
    """A working calendar (lịch làm việc): weekend, days off, swapped working days, office hours.

    days_off: public holidays and extra days off (ngày nghỉ lễ, Tết, nghỉ bù).
    working_days: dates worked even though they are weekend days or in days_off
    (ngày làm bù, e.g. Saturday 22/8/2026); working_days wins.
    """

    def __init__(
        self,
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
        office_hours: OfficeHours = DEFAULT_OFFICE_HOURS,
        weekend: Iterable[int] = frozenset({5, 6}),
    ) -> None:
        if not isinstance(office_hours, OfficeHours):
            raise TypeError("office_hours phải là OfficeHours")
        weekend = frozenset(weekend)
        if not weekend <= set(range(7)):
            raise ValueError("Ngày nghỉ cuối tuần phải là số thứ trong tuần từ 0 (thứ Hai) đến 6 (Chủ nhật)")
        if len(weekend) == 7:
            raise ValueError("Không thể nghỉ cả bảy ngày trong tuần")
        self.days_off = frozenset(_as_date(d) for d in days_off)
        self.working_days = frozenset(_as_date(d) for d in working_days)
        self.office_hours = office_hours
        self.weekend = weekend
        self._off_ordinals = frozenset(d.toordinal() for d in self.days_off)
        self._work_ordinals = frozenset(d.toordinal() for d in self.working_days)
        # Weekday of an ordinal is (ordinal - 1) % 7 because ordinal 1 (0001-01-01) is a Monday.
        self._weekend_by_residue = tuple((r - 1) % 7 in weekend for r in range(7))

        self._per_day = office_hours.minutes_per_day
        windows = [(_minute_of(s), _minute_of(e)) for s, e in office_hours.windows]
        self._first_start = windows[0][0]
        self._last_end_time = office_hours.windows[-1][1]
        # For each minute of a day: working minutes elapsed before it, and the
        # next working minute in the same day (-1 after the last window).
        elapsed, normal = [], []
        for minute in range(_MINUTES_PER_DAY):
            done, nxt = 0, -1
            for s, e in windows:
                if minute > e:
                    done += e - s
                elif minute >= s:
                    done += minute - s
                    nxt = minute
                    break
                else:
                    nxt = s
                    break
            elapsed.append(done)
            normal.append(nxt)
        self._elapsed = tuple(elapsed)
        self._normal = tuple(normal)
        # Minute of day at which `k` working minutes (1..per_day) have elapsed;
        # the earliest such minute, so a result on a boundary is the window end.
        minute_at = [self._first_start]
        for s, e in windows:
            minute_at.extend(range(s + 1, e + 1))
        self._minute_at = tuple(minute_at)

        self._index_lock = threading.Lock()
        self._index: _DayIndex | None = None

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(days_off={len(self.days_off)} ngày, working_days={len(self.working_days)} ngày, "
            f"office_hours='{self.office_hours}', weekend={sorted(self.weekend)})"
        )

    # -- day index -------------------------------------------------------

    def _is_working_ordinal(self, ordinal: int) -> bool:
        if ordinal in self._work_ordinals:
            return True
        if ordinal in self._off_ordinals:
            return False
        return not self._weekend_by_residue[ordinal % 7]

    def _index_for(self, ordinal: int) -> _DayIndex:
        """The index, rebuilt around `ordinal` if that lies far outside it.

        Only called at the start of an operation: positions from different
        index objects must never be mixed.
        """
        index = self._index
        if index is not None and index.lo - _FAR_DAYS <= ordinal < index.hi + _FAR_DAYS:
            return index
        with self._index_lock:
            index = self._index
            if index is None or not index.lo - _FAR_DAYS <= ordinal < index.hi + _FAR_DAYS:
                index = self._index = _DayIndex(self._is_working_ordinal, ordinal)
            return index

    def _position(self, index: _DayIndex, dt: datetime) -> int:
        """Working minutes from the index origin up to dt (moments off work map to the next start)."""
        code = index.code_of(dt.toordinal())
        if code & 1:
            return (code >> 1) * self._per_day + self._elapsed[dt.hour * 60 + dt.minute]
        return (code >> 1) * self._per_day

    def _at_position(self, index: _DayIndex, position: int) -> datetime:
        """Earliest moment with this position; position must be after the start of the origin day."""
        rank, done = divmod(position - 1, self._per_day)
        return index.day(rank) + _MINUTE_DELTAS[self._minute_at[done + 1]]

    # -- days --------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        return self._is_working_ordinal(d.toordinal())

    def next_working_day(self, d: date) -> date:
        """First working day strictly after d."""
        ordinal = d.toordinal() + 1
        index = self._index_for(ordinal)
        return index.day(index.code_of(ordinal) >> 1).date()

    def _working_day_on_or_after(self, ordinal: int) -> date:
        index = self._index_for(ordinal)
        return index.day(index.code_of(ordinal) >> 1).date()

    def end_of_working_day(self, d: date) -> datetime:
        """End of the last office window on d (d should be a working day)."""
        if isinstance(d, datetime):
            d = d.date()
        return datetime.combine(d, self._last_end_time)

    # -- moments -----------------------------------------------------------

    def is_working_time(self, dt: datetime) -> bool:
        """Inside an office window on a working day; window bounds are inclusive."""
        _check_naive(dt, "dt")
        minute = dt.hour * 60 + dt.minute
        return self._normal[minute] == minute and self._is_working_ordinal(dt.toordinal())

    def next_working_time(self, dt: datetime) -> datetime:
        """dt itself if it is working time, else the start of the next office window."""
        _check_naive(dt, "dt")
        ordinal = dt.toordinal()
        index = self._index_for(ordinal)
        code = index.code_of(ordinal)
        rank = code >> 1
        if code & 1:
            minute = dt.hour * 60 + dt.minute
            nxt = self._normal[minute]
            if nxt == minute:
                return _floor_minute(dt)
            if nxt >= 0:
                return index.day(rank) + _MINUTE_DELTAS[nxt]
            rank += 1  # after closing time: next working day
        return index.day(rank) + _MINUTE_DELTAS[self._first_start]

    # -- adding working time -------------------------------------------------

    def _add(self, start: datetime, minutes: int) -> datetime:
        if minutes == 0:
            # Position alone cannot tell 11:30 from 13:30; zero means "normalise".
            return self.next_working_time(start)
        if type(start) is not datetime:
            _check_naive(start, "start")
        if start.tzinfo is not None:
            _check_naive(start, "start")
        ordinal = start.toordinal()
        index = self._index
        if index is None or not index.lo <= ordinal < index.hi:
            index = self._index_for(ordinal)
        per_day = self._per_day
        code = index.code_of(ordinal)
        if code & 1:
            position = (code >> 1) * per_day + self._elapsed[start.hour * 60 + start.minute] + minutes
        else:
            position = (code >> 1) * per_day + minutes
        rank, done = divmod(position - 1, per_day)
        return index.day(rank) + _MINUTE_DELTAS[self._minute_at[done + 1]]

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        return self._add(start, _to_minutes(minutes, 1, "Số phút làm việc"))

    def add_working_hours(self, start: datetime, hours) -> datetime:
        return self._add(start, _to_minutes(hours, 60, "Số giờ làm việc"))

    def add_working_days(self, start: datetime, days) -> datetime:
        return self._add(start, _to_minutes(days, self._per_day, "Số ngày làm việc"))

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Working minutes in [a, b]; negative when b is before a."""
        _check_naive(a, "a")
        _check_naive(b, "b")
        index = self._index_for(a.toordinal())
        return self._position(index, b) - self._position(index, a)

    def extend(self, due: datetime | None, paused_minutes: int) -> datetime | None:
        """Move a due time by the working minutes a dossier was paused (tạm dừng / bổ sung hồ sơ).

        No due time (no legal limit) stays None.
        """
        if due is None:
            return None
        return self._add(due, _to_minutes(paused_minutes, 1, "Số phút tạm dừng"))

    # -- due times -----------------------------------------------------------

    def due_time(
        self,
        start: datetime,
        value,
        unit: TimeUnit | str,
        *,
        same_day_cutoff: time = _SAME_DAY_CUTOFF,
        late_cutoff: time | None = None,
        late_start: time = _LATE_START,
    ) -> datetime | None:
        """Due time (thời hạn trả kết quả) of a dossier received at `start`.

        late_cutoff: for online receipt (nộp trực tuyến), a dossier received at or
        after this time, or on a day off, counts from `late_start` of the next working day.
        """
        moved = False
        if late_cutoff is not None:
            _check_naive(start, "start")
            ordinal = start.toordinal()
            if not self._is_working_ordinal(ordinal):
                day = self._working_day_on_or_after(ordinal)
                moved = True
            elif _floor_minute(start).time() >= late_cutoff:
                day = self._working_day_on_or_after(ordinal + 1)
                moved = True
            if moved:
                start = datetime.combine(day, late_start)

        # Most frequent unit first: this is the hot path.
        if unit == "working_day":
            return self._add(start, _to_minutes(value, self._per_day, "Số ngày làm việc"))
        if unit == "working_hour":
            return self._add(start, _to_minutes(value, 60, "Số giờ làm việc"))
        if unit == "calendar_day":
            _check_naive(start, "start")
            days = _to_minutes(value, 1, "Số ngày")
            if Fraction(value) != days:
                raise ValueError(f"Số ngày theo lịch phải là số nguyên, nhận được {value!r}")
            # Counting starts the day after receipt, so the target is simply date + days.
            day = self._working_day_on_or_after(start.toordinal() + days)
            return datetime.combine(day, self._last_end_time)
        if unit == "same_day":
            _check_naive(start, "start")
            ordinal = start.toordinal()
            if moved or (self._is_working_ordinal(ordinal) and _floor_minute(start).time() < same_day_cutoff):
                return datetime.combine(start.date(), self._last_end_time)
            return datetime.combine(self.next_working_day(start.date()), self._last_end_time)
        if unit == "none":
            return None
        raise ValueError(
            f"Đơn vị thời hạn không hợp lệ: {unit!r} (hợp lệ: {', '.join(u.value for u in TimeUnit)})"
        )

    def step_due_times(self, start: datetime, budgets_hours: Sequence) -> list[datetime]:
        """Due time of each processing step (thời hạn từng bước); budgets are cumulative working hours."""
        total = Fraction(0)
        result = []
        for budget in budgets_hours:
            _to_minutes(budget, 60, "Số giờ của bước xử lý")  # validates type and sign
            total += Fraction(budget)
            result.append(self._add(start, _to_minutes(total, 60, "Số giờ của bước xử lý")))
        return result


def _as_date(d: date) -> date:
    if isinstance(d, datetime):
        return d.date()
    if not isinstance(d, date):
        raise TypeError(f"Cần một ngày (date), nhận được {d!r}")
    return d


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
