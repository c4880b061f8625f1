"""Behaviours a review found missing: each test failed before its fix."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.calendar.models import CalendarOverride
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.org.models import Agency
from motcua.org.roles import Role
from tests.factories import at, run_at_once


def local(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def act(world, d, action, when, role=None, **data):
    services.perform(d, action, actor=world.user(role) if role else None, data=data, now=at(when))
    d.refresh_from_db()
    return d


def test_same_key_at_once_gives_one_dossier_and_no_error(tworld):
    outcomes = []

    def submit():
        outcomes.append(
            services.create_dossier(
                actor=tworld.user(Role.ONE_STOP_OFFICER), case=tworld.case(), channel=1,
                receiving_agency=tworld.centre, applicant=tworld.applicant(), idempotency_key="double-click",
                now=at("2026-11-16 09:00"),
            )
        )

    assert run_at_once(4, submit) == []
    assert Dossier.objects.count() == 1
    assert {o.dossier.pk for o in outcomes} == {Dossier.objects.get().pk}
    assert sorted(o.repeated for o in outcomes) == [False, True, True, True]


def test_same_key_action_at_once_is_done_once(tworld):
    d = tworld.new_dossier(now=at("2026-11-16 09:00"))

    def receive():
        services.perform(d.pk, "receive", actor=tworld.user(Role.ONE_STOP_OFFICER), idempotency_key="r", now=at("2026-11-16 09:05"))

    assert run_at_once(3, receive) == []
    assert DossierEvent.objects.filter(dossier=d, action="receive").count() == 1


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


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "message"),
    [(date(2027, 1, 1), None, "chưa có hiệu lực; bắt đầu hoạt động từ ngày 01/01/2027"),
     (date(2020, 1, 1), date(2026, 11, 15), "đã hết hiệu lực sau ngày 15/11/2026")],
)
def test_agency_outside_its_validity_is_refused_with_the_right_date(world, valid_from, valid_to, message):
    Agency.objects.filter(pk=world.committee.pk).update(valid_from=valid_from, valid_to=valid_to)
    world.committee.refresh_from_db()
    with pytest.raises(services.DossierError) as err:
        world.new_dossier(now=at("2026-11-16 09:00"))
    assert message in err.value.message


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


def test_a_catalog_version_in_use_cannot_be_edited_and_budgets_must_add_up(world, admin_client):
    case = world.case()
    world.new_dossier(now=at("2026-11-16 09:00"))
    response = admin_client.post(f"/admin/catalog/case/{case.pk}/change/", {"name": "Sửa"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.name != "Sửa"

    free = world.case("1.001193", "TH2")  # 3 working days = 24 h; no dossier uses this version
    steps = list(free.steps.order_by("order"))
    data = {
        "version": free.version_id, "code": free.code, "name": free.name, "time_limit_value": "3",
        "time_limit_unit": "working_day", "same_day_cutoff": "15:00", "online_level": free.online_level,
        "result_documents": "[]", "eform_schema": "{}",
        "components-TOTAL_FORMS": "0", "components-INITIAL_FORMS": "0",
        "fees-TOTAL_FORMS": "0", "fees-INITIAL_FORMS": "0",
        "steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": str(len(steps)),
    }
    for i, s in enumerate(steps):
        data |= {f"steps-{i}-id": s.pk, f"steps-{i}-case": free.pk, f"steps-{i}-order": s.order,
                 f"steps-{i}-name": s.name, f"steps-{i}-role": s.role, f"steps-{i}-budget_hours": str(s.budget_hours)}
    data["steps-0-budget_hours"] = str(steps[0].budget_hours + 5)
    response = admin_client.post(f"/admin/catalog/case/{free.pk}/change/", data)
    assert response.status_code == 200 and "không khớp thời hạn luật định" in response.content.decode()
    assert free.steps.get(order=1).budget_hours == steps[0].budget_hours
