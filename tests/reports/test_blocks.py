"""The fact blocks a period is read from: each a whole year, month, week or a run of days, their signed sum
every day of the period once, and the same totals whichever blocks are used."""

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.reports import index766, selectors
from tests.reports.test_statistics import november  # noqa: F401  (fixture)

DAYS = st.dates(min_value=date(2019, 1, 1), max_value=date(2028, 12, 31))


def _is_whole_block(grain, first, last):
    if grain == "y":
        return (first.month, first.day, last.month, last.day, first.year) == (1, 1, 12, 31, last.year)
    if grain == "m":
        return first.day == 1 and (last + timedelta(days=1)).day == 1 and first.month == last.month
    if grain == "w":
        return first.weekday() == 0 and last == first + timedelta(days=6)
    return grain == "d" and first <= last


@settings(max_examples=300, deadline=None)
@given(DAYS, st.integers(min_value=0, max_value=800))
def test_exact_blocks_cover_every_day_once(start, length):
    end = start + timedelta(days=length)
    covered = []
    for grain, first, last in selectors._exact(start, end):
        assert _is_whole_block(grain, first, last), (grain, first, last)
        covered.extend(first + timedelta(days=i) for i in range((last - first).days + 1))
    assert covered == [start + timedelta(days=i) for i in range(length + 1)]


@settings(max_examples=500, deadline=None)
@given(DAYS, st.integers(min_value=0, max_value=800))
def test_signed_blocks_count_every_day_of_the_period_once_and_nothing_else(start, length):
    end = start + timedelta(days=length)
    net = Counter()
    for grain, first, last, sign in selectors.spans(start, end):
        assert _is_whole_block(grain, first, last), (grain, first, last)
        # What the totals' date comparisons rely on: added blocks start in the period, removed ones after.
        assert (start <= first <= end) if sign == 1 else (sign == -1 and first > end)
        for i in range((last - first).days + 1):
            net[first + timedelta(days=i)] += sign
    assert +net == Counter({start + timedelta(days=i): 1 for i in range(length + 1)})
    assert -net == Counter()


def test_the_year_so_far_is_the_year_less_the_rest_of_it():
    # 22/11/2026 is a Sunday: the week from Monday 23/11, then 30/11, then December are taken off.
    assert selectors.spans(date(2026, 1, 1), date(2026, 11, 22)) == [
        ("y", date(2026, 1, 1), date(2026, 12, 31), 1),
        ("w", date(2026, 11, 23), date(2026, 11, 29), -1),
        ("d", date(2026, 11, 30), date(2026, 11, 30), -1),
        ("m", date(2026, 12, 1), date(2026, 12, 31), -1),
    ]
    # A short stretch from the first of a month is read as days and weeks, not the month less the rest.
    assert selectors.spans(date(2026, 11, 1), date(2026, 11, 3)) == [("d", date(2026, 11, 1), date(2026, 11, 3), 1)]
    assert selectors.spans(date(2026, 3, 3), date(2026, 3, 10)) == [("d", date(2026, 3, 3), date(2026, 3, 10), 1)]


@pytest.mark.usefixtures("november")
def test_blocks_give_the_same_totals_as_day_rows(world, monkeypatch):
    periods = [(date(2026, 1, 1), date(2026, 11, 22)), (date(2026, 11, 1), date(2026, 11, 25)),
               (date(2026, 11, 3), date(2026, 11, 29)), (date(2026, 10, 19), date(2026, 11, 15)),
               (date(2026, 11, 9), date(2026, 11, 15)), (date(2026, 10, 1), date(2026, 11, 17)),
               (selectors.FAR_PAST, date(2026, 11, 30))]  # nothing before it
    grains = {(g, sign) for p in periods for g, _, _, sign in selectors.spans(*p)}
    assert {("y", 1), ("m", 1), ("w", 1), ("w", -1), ("d", -1)} <= grains
    with_blocks = [selectors.totals(*p, group_by="agency") for p in periods]
    by_procedure = [index766._by_procedure(*p, None) for p in periods]
    # Day rows only, every one within the period.
    monkeypatch.setattr(selectors, "spans", lambda s, e: [("d", s, e, 1)] if s <= e else [])
    assert with_blocks == [selectors.totals(*p, group_by="agency") for p in periods]
    assert by_procedure == [index766._by_procedure(*p, None) for p in periods]
    assert with_blocks[0] and with_blocks[0] != with_blocks[1]  # the fixture's unit has figures
