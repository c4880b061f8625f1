"""The working calendar: adding working time, counting it, cut-offs and late starts."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from fractions import Fraction

from .day_index import (
    _FAR_DAYS,
    _LATE_START,
    _MINUTE_DELTAS,
    _SAME_DAY_CUTOFF,
    _check_naive,
    _DayIndex,
    _floor_minute,
    _to_minutes,
)
from .hours import _MINUTES_PER_DAY, DEFAULT_OFFICE_HOURS, OfficeHours, _minute_of
from .units import TimeUnit


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
