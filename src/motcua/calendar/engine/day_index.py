"""The day index behind the calendar: working days and their cumulative minutes, built in chunks."""

from __future__ import annotations

import math
import numbers
import threading
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from .hours import _MINUTES_PER_DAY

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
