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


def test_the_day_counter_is_taken_last_so_submissions_to_one_agency_wait_for_it_briefly(world, settings):
    """The counter row of the agency and day stays locked until the submission commits, and every other
    submission to that agency waits for it. Taking the number before the papers, fees, event, report facts
    and idempotency record made it the ceiling of a busy centre's submissions (docs/benchmarks.md, Load,
    fifth run). After it come only the code itself and the messages that quote it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers.models import DossierComponent, DossierEvent, DossierFee, IdempotencyRecord
    from motcua.reports.models import Fact

    settings.MOTCUA_DVCQG_SYNC = True
    with CaptureQueriesContext(connection) as captured:
        d = world.new_dossier(now=at("2026-11-16 09:00"), idempotency_key="counter-last")
    statements = [q["sql"] for q in captured.captured_queries]
    counter = [i for i, sql in enumerate(statements) if DailyCounter._meta.db_table in sql]
    assert len(counter) == 1
    after = [sql for sql in statements[counter[0] + 1:] if "SAVEPOINT" not in sql]  # the test's transaction
    written_before = [m._meta.db_table for m in (DossierComponent, DossierFee, DossierEvent, IdempotencyRecord, Fact)]
    assert [t for t in written_before if any(t in sql for sql in after)] == []
    # the code, the message templates, the SMS and the DVCQG sync message (nothing else)
    assert [sql.split()[0] for sql in after] == ["UPDATE", "SELECT", "INSERT", "INSERT"], after
    assert after[0].startswith(f"UPDATE \"{Dossier._meta.db_table}\" SET \"code\"")
    assert "notify_template" in after[1] and all("notify_outboxmessage" in sql for sql in after[2:])
    assert d.code == "001.00.06.H56-261116-0001"
    assert Dossier.objects.get(pk=d.pk).code == d.code
    assert not Dossier.objects.filter(code__startswith="~").exists()
