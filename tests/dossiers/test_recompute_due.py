"""When the holiday table changes, open dossiers' due times follow, with an event on each one that moved."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from motcua.calendar.models import CalendarOverride
from motcua.dossiers import services
from motcua.ops.postgresql import bulk
from motcua.org.roles import Role
from tests.factories import at


def received(world, when):
    d = world.new_dossier(now=at(when))
    services.perform(d, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at(when))
    d.refresh_from_db()
    return d


def local(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_new_day_off_moves_open_dossiers_and_is_recorded(world):
    open_one = received(world, "2026-11-16 09:00")  # due Thu 26/11 09:00
    later = received(world, "2026-12-14 09:00")  # received after the new day off: due 23/12, unchanged
    done = received(world, "2026-11-16 09:30")
    services.perform(done, "withdraw", actor=world.user(Role.ONE_STOP_OFFICER), data={"reason": "Rút"}, now=at("2026-11-17 09:00"))
    assert local(open_one.due_at) == "26/11/2026 09:00"

    CalendarOverride.objects.create(date="2026-11-25", kind=CalendarOverride.Kind.DAY_OFF, note="Nghỉ bù (thử)")
    out = StringIO()
    call_command("recompute_due", stdout=out)

    open_one.refresh_from_db()
    later.refresh_from_db()
    assert local(open_one.due_at) == "27/11/2026 09:00"
    assert local(later.due_at) == "23/12/2026 09:00"
    event = open_one.events.get(action="recompute_due")
    assert event.data["old_due_at"].startswith("2026-11-26T09:00") and event.data["new_due_at"].startswith("2026-11-27T09:00")
    assert not later.events.filter(action="recompute_due").exists()
    assert not done.events.filter(action="recompute_due").exists()
    assert "1 hồ sơ đổi hạn trả" in out.getvalue()

    # Running again changes nothing.
    call_command("recompute_due", stdout=StringIO())
    assert open_one.events.filter(action="recompute_due").count() == 1


def test_extra_working_saturday_shortens_the_wait(world):
    d = received(world, "2026-11-20 09:00")  # Fri; 7 working days: 23, 25, 26, 27, 30/11, 1, 2/12
    assert local(d.due_at) == "02/12/2026 09:00"
    CalendarOverride.objects.create(date="2026-11-21", kind=CalendarOverride.Kind.WORKING_DAY, note="Làm bù")
    call_command("recompute_due", stdout=StringIO())
    d.refresh_from_db()
    assert local(d.due_at) == "01/12/2026 09:00"  # Saturday 21/11 now counts


def test_rescheduled_date_is_not_moved_by_the_calendar(world):
    d = received(world, "2026-11-16 09:00")
    head = world.user(Role.HEAD_OF_AGENCY)
    services.perform(d, "forward", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 10:00"))
    services.perform(d, "apologise", actor=head, data={"reason": "Chậm", "new_due_at": at("2026-12-01 16:00")}, now=at("2026-11-20 09:00"))
    CalendarOverride.objects.create(date="2026-11-30", kind=CalendarOverride.Kind.DAY_OFF)
    call_command("recompute_due", stdout=StringIO())
    d.refresh_from_db()
    assert local(d.due_at) == "01/12/2026 16:00"  # a human-set date is not moved by the calendar


def test_a_dossier_changed_since_it_was_read_is_left_alone(world):
    """The recompute does not lock every row; its write skips a dossier whose history moved meanwhile."""
    import pytest
    from django.db import connection

    from motcua.dossiers.models import Dossier

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE transaction already keeps other writers out")
    d = received(world, "2026-11-16 09:00")
    stale_seq = d.last_event_seq - 1
    done = bulk.write_many(
        Dossier, ["due_at", "last_event_seq"], "id", [(at("2026-12-31 09:00"), stale_seq + 1, d.pk, stale_seq)],
        guard="last_event_seq",
    )
    d.refresh_from_db()
    assert done == [] and local(d.due_at) == "26/11/2026 09:00"


def test_recompute_with_two_connections_gives_the_same_result(tworld):
    """The path PostgreSQL takes outside a transaction: batches shared by two threads."""
    from motcua.dossiers.services import recompute_open_due_times

    dossiers = [received(tworld, when) for when in ("2026-11-16 08:00", "2026-11-16 09:00", "2026-11-16 10:00")]
    CalendarOverride.objects.create(date="2026-11-25", kind=CalendarOverride.Kind.DAY_OFF)
    from motcua.calendar.services import clear_cache

    clear_cache()
    assert recompute_open_due_times(batch_size=1, workers=2) == 3
    for d, expected in zip(dossiers, ["27/11/2026 08:00", "27/11/2026 09:00", "27/11/2026 10:00"], strict=True):
        d.refresh_from_db()
        assert local(d.due_at) == expected
        assert d.events.filter(action="recompute_due").count() == 1
