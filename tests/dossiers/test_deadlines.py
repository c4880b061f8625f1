"""Due times: paused dossiers are not overdue, a late day off moves open steps and answer deadlines, each
step runs on its own unit's office hours, and the online cut-off counts from the submission (dossiers/deadlines.py)."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from motcua.calendar.models import CalendarOverride
from motcua.dossiers import services
from motcua.org.models import Agency
from motcua.org.roles import Role
from tests.factories import at


def local(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def act(world, d, action, when, role=None, **data):
    services.perform(d, action, actor=world.user(role) if role else None, data=data, now=at(when))
    d.refresh_from_db()
    return d


def test_paused_dossiers_are_not_overdue(world, client):
    paused = world.new_dossier(now=at("2026-10-01 08:55"))
    running = world.new_dossier(now=at("2026-10-01 08:56"))
    for d in (paused, running):
        act(world, d, "receive", "2026-10-01 09:00", Role.ONE_STOP_OFFICER)
        act(world, d, "forward", "2026-10-01 10:00", Role.ONE_STOP_OFFICER)
    act(world, paused, "request_supplement", "2026-10-02 10:00", Role.SPECIALIST, items=[{"name": "CT01", "reason": "Thiếu chữ ký"}])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.token}"}
    assert client.get(f"/api/v1/dossiers/{paused.code}", **auth).json()["overdue"] is False
    assert client.get(f"/api/v1/dossiers/{running.code}", **auth).json()["overdue"] is True
    listed = [d["code"] for d in client.get("/api/v1/dossiers?overdue=true", **auth).json()]
    assert listed == [running.code]


def test_holiday_change_moves_the_open_step_and_the_answer_deadline_too(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, d, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)  # specialist step due 25/11 10:00
    other = world.new_dossier(now=at("2026-11-16 08:56"))
    act(world, other, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, other, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)
    act(world, other, "request_supplement", "2026-11-17 09:00", Role.SPECIALIST, items=[{"name": "CT01", "reason": "x"}], answer_days=3)
    assert local(other.pauses.get().answer_due_at) == "20/11/2026 09:00"
    CalendarOverride.objects.create(date="2026-11-18", kind=CalendarOverride.Kind.DAY_OFF)
    call_command("recompute_due", stdout=StringIO())
    assert local(d.steps.get(order=2).due_at) == "26/11/2026 10:00"
    assert local(other.pauses.get().answer_due_at) == "23/11/2026 09:00"


def test_each_step_runs_on_the_office_hours_of_the_unit_doing_it(world):
    Agency.objects.filter(pk=world.committee.pk).update(office_hours="08:00-12:00,13:00-17:00")
    d = world.new_dossier(now=at("2026-11-16 07:10"))
    act(world, d, "receive", "2026-11-16 07:15", Role.ONE_STOP_OFFICER)  # the centre opens at 07:00
    act(world, d, "forward", "2026-11-16 07:30", Role.ONE_STOP_OFFICER)
    # The specialist's 48 h at the commune committee start when it opens, 08:00: six whole working days,
    # 16–20/11 and 23/11, end at 17:00 on 23/11. On the centre's hours it would have been 25/11 07:30.
    assert local(d.steps.get(order=2).due_at) == "23/11/2026 17:00"


def test_online_late_cutoff_uses_the_submission_time(world):
    case = world.case()
    case.online_cutoff = "17:00"
    case.save()
    d = world.new_dossier(case=case, channel=2, actor=None, now=at("2026-11-20 20:00"))  # Friday evening
    act(world, d, "receive", "2026-11-23 09:30", Role.ONE_STOP_OFFICER)  # received Monday 09:30
    assert local(d.due_at) == "03/12/2026 08:00"  # counted from Mon 23/11 08:00, skipping 24/11
