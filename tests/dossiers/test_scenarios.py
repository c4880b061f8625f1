"""Whole dossier lives through the service layer, with due times worked out by hand.

Calendar facts used below: Tue 24/11/2026 is a public holiday (Ngày Văn hóa Việt Nam); office hours are
07:00–11:30 and 13:30–17:00 (8 working hours a day).
"""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, Pause, State
from motcua.org.roles import Role
from tests.factories import at


def act(world, d, action, when, role=None, key=None, **data):
    actor = world.user(role) if role else None
    services.perform(d, action, actor=actor, data=data, now=at(when), idempotency_key=key)
    d.refresh_from_db()
    return d


def local(moment):
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_happy_path_residence(world):
    # 1.004222 permanent residence: 7 working days. Received Mon 16/11 09:00; skipping 24/11 → Thu 26/11 09:00.
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    assert (d.state, d.national_status) == (State.SUBMITTED, 1)
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    assert (d.state, d.national_status) == (State.RECEIVED, 2)
    assert local(d.due_at) == "26/11/2026 09:00"
    act(world, d, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)  # step 1 (2 h) due 11:00
    act(world, d, "forward", "2026-11-20 15:00", Role.SPECIALIST)  # step 2 (48 h) due Wed 25/11 10:00
    act(world, d, "forward", "2026-11-23 10:00", Role.HEAD_OF_AGENCY)  # step 3 (4 h) due Mon 23/11 09:00
    act(world, d, "finish", "2026-11-23 10:30", Role.CLERK, documents=["Sổ hộ khẩu điện tử"])  # step 4 (1 h) due 11:00
    assert (d.state, d.national_status) == (State.RESULT_READY, 9)
    act(world, d, "return_result", "2026-11-23 11:15", Role.ONE_STOP_OFFICER, method="counter", receiver_name="Nguyễn Văn An")
    assert (d.state, d.national_status) == (State.RETURNED, 10)

    steps = list(d.steps.order_by("order"))
    assert [(s.order, local(s.due_at), local(s.ended_at), s.timing) for s in steps] == [
        (1, "16/11/2026 11:00", "16/11/2026 10:00", "on_time"),
        (2, "25/11/2026 10:00", "20/11/2026 15:00", "early"),
        (3, "23/11/2026 09:00", "23/11/2026 10:00", "late"),
        (4, "23/11/2026 11:00", "23/11/2026 10:30", "on_time"),
        (5, "23/11/2026 11:30", "23/11/2026 11:15", "on_time"),
    ]
    finish = d.events.get(action="finish")
    assert finish.data["timing"] == "early" and finish.data["documents"] == ["Sổ hộ khẩu điện tử"]
    assert list(d.events.order_by("seq").values_list("action", flat=True)) == [
        "submit", "receive", "forward", "forward", "forward", "finish", "return_result",
    ]
    assert [f.amount for f in d.fees.all()] == [20000]  # direct fee, not the online one


def test_supplement_during_processing_pauses_the_clock(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, d, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)
    items = [
        {"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "reason": "Bản chụp mờ, không đọc được số thửa."},
        {"name": "Tờ khai CT01", "reason": "Chưa có ý kiến đồng ý của chủ hộ."},
    ]
    act(world, d, "request_supplement", "2026-11-17 14:00", Role.SPECIALIST, items=items, answer_days=7)
    assert (d.state, d.national_status) == (State.AWAITING_SUPPLEMENT, 5)
    pause = d.pauses.get()
    assert pause.request["items"] == items  # every item and its reason, all at once
    assert local(pause.answer_due_at) == "27/11/2026 14:00"
    act(world, d, "supply_supplement", "2026-11-20 10:00", Role.ONE_STOP_OFFICER, note="Đã nộp bổ sung.")
    # Paused 3 h (17/11) + 8 h + 8 h + 3 h (20/11) = 22 working hours; time already used still counts.
    assert local(d.due_at) == "30/11/2026 17:00"
    assert local(d.steps.get(order=2).due_at) == "30/11/2026 08:00"
    assert d.state == State.PROCESSING


def test_late_dossier_apology_moves_the_date_once(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, d, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)
    # 25/11 09:00 → 26/11 09:00 is exactly one working day (2.5 + 3.5 + 2 h): still allowed.
    act(
        world, d, "apologise", "2026-11-25 09:00", Role.HEAD_OF_AGENCY,
        reason="Phải chờ ý kiến của Công an tỉnh.", new_due_at=at("2026-12-01 16:00"),
    )
    assert local(d.due_at) == "01/12/2026 16:00" and d.state == State.PROCESSING
    event = d.events.get(action="apologise")
    assert event.data["old_due_at"].startswith("2026-11-26T09:00") and event.reason.startswith("Phải chờ")
    with pytest.raises(services.NotAllowed) as err:
        act(world, d, "apologise", "2026-11-26 08:00", Role.HEAD_OF_AGENCY, reason="Lần hai", new_due_at=at("2026-12-03 16:00"))
    assert "chỉ cho phép hẹn lại một lần" in err.value.message
    assert d.events.filter(action="apologise").count() == 1


def test_apology_less_than_one_working_day_before_due_is_refused(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    with pytest.raises(services.NotAllowed) as err:
        act(world, d, "apologise", "2026-11-25 10:00", Role.HEAD_OF_AGENCY, reason="Muộn", new_due_at=at("2026-12-01 16:00"))
    assert "01 ngày làm việc trước hạn" in err.value.message and "09:00 26/11/2026" in err.value.message
    d.refresh_from_db()
    assert d.apologised_at is None and local(d.due_at) == "26/11/2026 09:00"


@pytest.mark.parametrize(
    ("new_due", "message"),
    [("2026-11-26 08:00", "phải sau ngày hẹn trả hiện tại"), ("2026-11-28 09:00", "giờ làm việc"), ("2026-12-01 12:00", "giờ làm việc")],
)
def test_apology_new_date_must_be_later_and_a_working_time(world, new_due, message):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    with pytest.raises(services.DossierError) as err:
        act(world, d, "apologise", "2026-11-20 09:00", Role.HEAD_OF_AGENCY, reason="x", new_due_at=at(new_due))
    assert message in err.value.message


def test_withdrawal_closes_the_open_step(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, d, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)
    act(world, d, "withdraw", "2026-11-18 09:00", Role.ONE_STOP_OFFICER, reason="Công dân có đơn xin rút hồ sơ.")
    assert (d.state, d.national_status) == (State.WITHDRAWN, 7)
    assert local(d.closed_at) == "18/11/2026 09:00"
    assert not d.steps.filter(ended_at__isnull=True).exists()
    with pytest.raises(services.NotAllowed):
        act(world, d, "forward", "2026-11-18 10:00", Role.SPECIALIST)


def test_stop_while_waiting_for_supplement_ends_the_pause(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, d, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)
    act(world, d, "request_supplement", "2026-11-16 14:00", Role.SPECIALIST, items=[{"name": "CT01", "reason": "Thiếu chữ ký."}], answer_days=7)
    act(world, d, "stop", "2026-11-26 09:00", Role.HEAD_OF_AGENCY, reason="Quá 07 ngày làm việc không bổ sung.")
    assert (d.state, d.national_status) == (State.STOPPED, 8)
    assert Pause.objects.get(dossier=d).ended_at is not None


def test_receive_refuses_an_incomplete_dossier_and_writes_nothing(world):
    case = world.case()
    first = case.components.order_by("order").first()
    d = world.new_dossier(now=at("2026-11-16 08:55"), components=[{"component": first.pk, "provided": True}])
    events = DossierEvent.objects.count()
    with pytest.raises(services.DossierError) as err:
        act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    missing = [c.name for c in case.components.filter(required=True).exclude(pk=first.pk)]
    assert missing and all(name in err.value.message for name in missing)
    assert "Mẫu 02" in err.value.message
    d.refresh_from_db()
    assert d.state == State.SUBMITTED and d.received_at is None and DossierEvent.objects.count() == events
    # Ticking the missing papers at the counter makes it receivable.
    flags = [{"component": c.pk, "provided": True, "digitised": True} for c in case.components.all()]
    act(world, d, "receive", "2026-11-16 09:05", Role.ONE_STOP_OFFICER, components=flags)
    assert d.state == State.RECEIVED and d.components.filter(digitised=True).count() == len(flags)


def test_supplement_request_needs_every_item_with_a_reason(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    for items in (None, [], [{"name": "CT01"}], [{"name": "", "reason": "x"}]):
        with pytest.raises(services.DossierError) as err:
            act(world, d, "request_completion", "2026-11-16 09:00", Role.ONE_STOP_OFFICER, items=items)
        assert "Cần" in err.value.message
    d.refresh_from_db()
    assert d.state == State.SUBMITTED


def test_same_day_procedure_and_the_15h_cutoff(world):
    case = world.case("1.001193", "TH1")  # birth registration: same day
    before = world.new_dossier(case=case, now=at("2026-11-23 14:25"))
    act(world, before, "receive", "2026-11-23 14:30", Role.ONE_STOP_OFFICER)
    assert local(before.due_at) == "23/11/2026 17:00"
    after = world.new_dossier(case=case, now=at("2026-11-23 15:25"))
    act(world, after, "receive", "2026-11-23 15:30", Role.ONE_STOP_OFFICER)
    assert local(after.due_at) == "25/11/2026 17:00"  # 24/11 is a holiday


@pytest.mark.parametrize(
    ("received", "due"),
    [("2026-11-16 09:00", "01/12/2026 17:00"), ("2027-01-20 09:00", "11/02/2027 17:00")],  # the second ends in Tết
)
def test_calendar_day_limit_never_ends_on_a_day_off(world, received, due):
    case = world.case("1.013225", "TH1")  # building permit: 15 days
    d = world.new_dossier(case=case, now=at(received))
    act(world, d, "receive", received, Role.ONE_STOP_OFFICER)
    assert local(d.due_at) == due


def test_online_cutoff_counts_from_8am_next_working_day(world):
    case = world.case()
    case.online_cutoff = "17:00"
    case.save()
    d = world.new_dossier(case=case, channel=2, actor=None, now=at("2026-11-20 17:20"))
    act(world, d, "receive", "2026-11-20 17:30", Role.ONE_STOP_OFFICER)
    # Counting starts Mon 23/11 08:00; 7 working days skipping 24/11 → Thu 03/12 08:00.
    assert local(d.due_at) == "03/12/2026 08:00"
    assert [f.amount for f in d.fees.all()] == [10000]  # the online fee


def test_idempotency_key_makes_a_repeat_harmless(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER, key="recv-1")
    act(world, d, "receive", "2026-11-16 09:01", Role.ONE_STOP_OFFICER, key="recv-1")
    assert d.events.filter(action="receive").count() == 1
    with pytest.raises(services.IdempotencyConflict):
        act(world, d, "forward", "2026-11-16 09:02", Role.ONE_STOP_OFFICER, key="recv-1")
    first = services.create_dossier(
        actor=world.user(Role.ONE_STOP_OFFICER), case=world.case(), channel=1, receiving_agency=world.centre,
        applicant=world.applicant(), idempotency_key="portal-42", now=at("2026-11-16 10:00"),
    )
    again = services.create_dossier(
        actor=world.user(Role.ONE_STOP_OFFICER), case=world.case(), channel=1, receiving_agency=world.centre,
        applicant=world.applicant(), idempotency_key="portal-42", now=at("2026-11-16 10:00"),
    )
    assert (first.repeated, again.repeated) == (False, True)
    assert first.dossier.pk == again.dossier.pk
    assert Dossier.objects.filter(applicant_name="Nguyễn Văn An").count() == 2  # d and this one


def test_forward_needs_the_role_of_the_current_step(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, d, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)  # now at the specialist's step
    with pytest.raises(services.Forbidden) as err:
        act(world, d, "forward", "2026-11-16 11:00", Role.HEAD_OF_AGENCY)
    assert "Chuyên viên xử lý" in err.value.message


def test_no_finishing_before_the_last_processing_step(world):
    """The leader's approval cannot be skipped: finish waits for the last processing step (the clerk's)."""
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, d, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)  # at step 2 (specialist)
    for role in (Role.HEAD_OF_AGENCY, Role.CLERK, Role.HEAD_OF_DIVISION):
        with pytest.raises(services.NotAllowed) as err:
            act(world, d, "finish", "2026-11-17 10:00", role)
        assert "chưa qua hết các bước xử lý" in err.value.message
    assert "finish" not in [t.action for t in services.allowed_actions(d, world.user(Role.CLERK))]
    act(world, d, "forward", "2026-11-17 10:00", Role.SPECIALIST)
    act(world, d, "forward", "2026-11-17 11:00", Role.HEAD_OF_AGENCY)  # at step 4 (clerk), the last before return
    assert [t.action for t in services.allowed_actions(d, world.user(Role.CLERK))].count("forward") == 0
    with pytest.raises(services.NotAllowed):  # the return step comes after "finish", not by forwarding
        act(world, d, "forward", "2026-11-17 11:10", Role.CLERK)
    with pytest.raises(services.Forbidden):  # the clerk's step is the clerk's to finish
        act(world, d, "finish", "2026-11-17 11:20", Role.HEAD_OF_DIVISION)
    act(world, d, "finish", "2026-11-17 11:30", Role.CLERK)
    open_step = d.steps.get(ended_at__isnull=True)
    assert (open_step.order, open_step.role, d.state) == (5, Role.ONE_STOP_OFFICER, State.RESULT_READY)


def test_an_idempotency_key_belongs_to_one_dossier(world):
    a = world.new_dossier(now=at("2026-11-16 08:55"))
    b = world.new_dossier(now=at("2026-11-16 08:56"))
    act(world, a, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER, key="k-1")
    with pytest.raises(services.IdempotencyConflict):
        act(world, b, "receive", "2026-11-16 09:01", Role.ONE_STOP_OFFICER, key="k-1")
    b.refresh_from_db()
    assert b.state == State.SUBMITTED


def test_reception_roles_count_only_where_the_dossier_was_received(world):
    """A one-stop officer of the commune centre cannot receive for the provincial centre."""
    with pytest.raises(services.Forbidden):
        world.new_dossier(now=at("2026-11-16 08:55"), receiving_agency=world.provincial_centre)
