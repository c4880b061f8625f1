"""Throughput of the due-time engine on one core.

Run from the repository root:
    PYTHONPATH=src .venv/bin/python bench/deadline_engine.py
    PYTHONPATH=src .venv/bin/python bench/deadline_engine.py --tiny   # a fraction of a second (the tests)
"""

from __future__ import annotations

import random
import time as clock
from datetime import date, datetime, timedelta
from decimal import Decimal

from motcua.calendar.engine import TimeUnit, WorkingCalendar, vietnam_days_off

# Roughly the mix of real procedure limits: mostly whole working days 1-15.
_UNIT_MIX = (
    (70, lambda rng: (rng.randint(1, 15), TimeUnit.WORKING_DAY)),
    (8, lambda rng: (Decimal(rng.choice(("0.5", "1.5", "2.5"))), TimeUnit.WORKING_DAY)),
    (8, lambda rng: (rng.choice((4, 8, 16, 24, 40)), TimeUnit.WORKING_HOUR)),
    (6, lambda rng: (rng.choice((5, 10, 15, 30, 45)), TimeUnit.CALENDAR_DAY)),
    (6, lambda rng: (0, TimeUnit.SAME_DAY)),
    (2, lambda rng: (0, TimeUnit.NONE)),
)


def _build_calendar() -> WorkingCalendar:
    return WorkingCalendar(
        days_off=vietnam_days_off(range(2024, 2031)),
        working_days={date(2025, 4, 26), date(2026, 8, 22)},
    )


def _cases(count: int, seed: int = 20260822) -> list[tuple[datetime, object, TimeUnit]]:
    rng = random.Random(seed)
    weights = [w for w, _ in _UNIT_MIX]
    makers = [m for _, m in _UNIT_MIX]
    first = datetime(2025, 1, 1)
    span_minutes = int((datetime(2028, 1, 1) - first).total_seconds() // 60)
    cases = []
    for _ in range(count):
        start = first + timedelta(minutes=rng.randrange(span_minutes))
        value, unit = rng.choices(makers, weights)[0](rng)
        cases.append((start, value, unit))
    return cases


def bench_engine(seconds: float = 3.0) -> float:
    """Due-time computations per second, warm, single thread."""
    calendar = _build_calendar()
    cases = _cases(10_000)
    due_time = calendar.due_time
    for start, value, unit in cases:  # warm the lazily built day index
        due_time(start, value, unit)
    done = 0
    began = clock.perf_counter()
    deadline = began + seconds
    while True:
        for start, value, unit in cases:
            due_time(start, value, unit)
        done += len(cases)
        now = clock.perf_counter()
        if now >= deadline:
            return done / (now - began)


def check_engine() -> None:
    """The engine answers what it should on a known case (a Friday afternoon, 3 working days: the
    Wednesday after, at the same time): a benchmark of wrong answers measures nothing."""
    due = _build_calendar().due_time(datetime(2026, 11, 6, 15, 0), 3, TimeUnit.WORKING_DAY)
    if due.date() != date(2026, 11, 11):
        raise SystemExit(f"BENCHMARK FAILED: 3 working days from Friday 06/11/2026 gave {due}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--tiny", action="store_true", help="0.2 s: that it runs and answers right (the tests)")
    args = parser.parse_args()
    check_engine()
    print(f"engine: {bench_engine(0.2 if args.tiny else args.seconds):,.0f} due-time computations/s (one core)")
