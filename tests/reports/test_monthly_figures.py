"""A province's published monthly figures, reproduced at 1/50 scale (issue 6).

A provincial centre's published monthly report gives, for one month: 7,267 received (6,063 direct, 660
online, 544 postal) and 5,516 returned, 251 a working day on average (bench/monthly_figures.py). Here a proportional slice of that month,
1/50 of each published figure rounded half up, is entered as dossiers through the service layer (counter,
online submitted then received, postal agent; September's carried-over dossiers; refusals, withdrawals,
supplements, late and overdue ones) by bench/monthly_figures.py, and the October 2026 statistics are
compared with numbers written here from the published literals.

The full-size run (all 7,267 + the carried-over dossiers, a few hundred thousand queries) is the bench
script: `.venv/bin/python bench/monthly_figures.py` (see docs/benchmarks.md); this test keeps CI short.
"""

from datetime import date

from bench import monthly_figures as bench

from motcua.reports import selectors

SCALE = 1 / 50


def slice_of(published: int) -> int:
    return int(published * SCALE + 0.5)


def test_a_fiftieth_of_the_published_month_is_reproduced(db):
    month, targets = bench.enter_month(SCALE)
    report = selectors.statistics(month.prov.supervisor, date(2026, 10, 1), date(2026, 10, 31))
    got = report["total"]
    # The published report's literals, sliced; the average recomputed from them (returned / 22 days).
    published = {
        "received_direct": slice_of(6063),  # 121
        "received_online": slice_of(660),  # 13
        "received_postal": slice_of(544),  # 11
        "received": slice_of(6063) + slice_of(660) + slice_of(544),  # 145
        "returned": slice_of(5516),  # 110
        "returned_per_working_day": round(slice_of(5516) / 22, 1),  # 5.0
    }
    assert report["working_days"] == 22
    assert {k: got[k] for k in published} == published
    # Every other figure against the plan the dossiers were entered from (its literals, scaled).
    rows = bench.check(month, targets, SCALE)
    assert [r for r in rows if not r[4]] == []
    plan = {key: expected for key, _, expected, _, _ in rows}
    assert plan["backlog"] == got["backlog"] > 0 and plan["not_due"] == got["not_due"] > 0
    assert min(got[k] for k in ("finished_early", "finished_on_time", "finished_late", "overdue",
                                "paused_supplement", "waiting", "ready", "refused", "withdrawn", "stopped")) > 0
