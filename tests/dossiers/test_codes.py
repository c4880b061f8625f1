"""Dossier codes per TT 01/2018 Art 19: <agency identifier>-YYMMDD-NNNN, unique under concurrency."""

from datetime import date

import pytest

from motcua.dossiers import codes
from motcua.dossiers.models import DailyCounter, Dossier
from tests.factories import at, run_at_once


def test_code_format_and_daily_sequence_per_unit(world):
    a = world.new_dossier(now=at("2026-11-16 09:00"))
    b = world.new_dossier(now=at("2026-11-16 10:00"))
    other = world.new_dossier(
        now=at("2026-11-16 10:00"), receiving_agency=world.other_centre, actor=world.user("one_stop_officer", other=True)
    )
    next_day = world.new_dossier(now=at("2026-11-17 09:00"))
    assert a.code == "001.00.06.H56-261116-0001"
    assert b.code == "001.00.06.H56-261116-0002"
    assert other.code == "002.00.06.H56-261116-0001"
    assert next_day.code == "001.00.06.H56-261117-0001"
    assert all(codes.looks_like_code(d.code) for d in (a, b, other, next_day))


def test_the_day_is_the_local_date_not_utc(world):
    # 06:30 in Viet Nam is still the previous day in UTC.
    d = world.new_dossier(now=at("2026-11-17 06:30"))
    assert d.code.endswith("-261117-0001")


def test_sequence_grows_past_9999(world):
    DailyCounter.objects.create(agency=world.centre, day=date(2026, 11, 16), value=9999)
    d = world.new_dossier(now=at("2026-11-16 09:00"))
    assert d.code == "001.00.06.H56-261116-10000"
    assert codes.looks_like_code(d.code)


@pytest.mark.parametrize("workers", [8])
def test_concurrent_receptions_get_distinct_consecutive_numbers(tworld, workers):
    per_worker = 5

    def receive_many():
        for _ in range(per_worker):
            tworld.new_dossier(now=at("2026-11-16 09:00"))

    assert run_at_once(workers, receive_many) == []
    numbers = sorted(int(c.rsplit("-", 1)[1]) for c in Dossier.objects.values_list("code", flat=True))
    assert numbers == list(range(1, workers * per_worker + 1))
