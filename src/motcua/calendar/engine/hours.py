"""Office hours: the working windows of a day, parsed from and written as text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

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
