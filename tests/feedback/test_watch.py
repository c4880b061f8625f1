"""The feedback deadline watch (feedback/watch.py, run each working morning by feedback/tasks.py): reminders
on the working day before an answer is due and on the day itself (to the assignee, or the unit's
dispatchers while nobody has it), escalation to the unit's head every working morning once it is late,
until it is answered; nothing on days off; a second run the same day sends nothing new.

Calendar: Tue 24/11/2026 is a public holiday; 28–29/11 is a weekend.
"""

import pytest

from motcua.feedback import handling, watch
from motcua.notify.models import OutboxMessage
from motcua.org.models import User
from motcua.org.roles import Role
from motcua.org.services import grant_role
from tests.factories import at
from tests.feedback.test_handling import answered, new_item


@pytest.fixture
def mailboxes(world):
    """Give the commune's staff e-mail addresses (the watch writes to people who have one)."""
    for role in (Role.HEAD_OF_AGENCY, Role.HEAD_OF_DIVISION, Role.UNIT_ADMIN, Role.SPECIALIST, Role.CLERK):
        for other in (False, True):
            user = world.user(role, other=other)
            user.email = f"{user.username}@hacthanh.gov.vn"
            user.save(update_fields=["email"])
    return world


def mails(kind=None):
    qs = OutboxMessage.objects.filter(channel="email", payload__watch__startswith="feedback_")
    if kind:
        qs = qs.filter(payload__watch=f"feedback_{kind}")
    return {m.recipient: m for m in qs}


def morning(day):
    return watch.run(at(f"{day} 07:30"))


def due_wednesday(world, **kw):
    """Simple case sent Tue 17/11 10:00: 5 working days → due Wed 25/11 10:00 (the 24th is a holiday)."""
    item = new_item(world, simple=True, when="2026-11-17 10:00", **kw)
    assert handling.to_local_naive(item.due_at).strftime("%d/%m %H:%M") == "25/11 10:00"
    return item


def test_across_the_holiday_reminders_then_escalation_every_working_morning(mailboxes):
    world = mailboxes
    item = due_wednesday(world)
    later = new_item(world, simple=True, when="2026-11-19 10:00")  # due Fri 27/11 10:00

    assert morning("2026-11-20") == {"reminders": 0, "escalations": 0}  # due after the next working day
    # Mon 23/11: the next working day is Wed 25/11 (after the holiday), the day the item is due.
    assert morning("2026-11-23") == {"reminders": 3, "escalations": 0}
    unassigned = mails("due_soon")
    assert set(unassigned) == {"head_of_agency@hacthanh.gov.vn", "head_of_division@hacthanh.gov.vn",
                               "unit_admin@hacthanh.gov.vn"}  # the unit's dispatchers, nobody elsewhere
    body = unassigned["head_of_agency@hacthanh.gov.vn"].body
    assert item.code in body and "hạn trả lời 10:00 25/11/2026" in body and later.code not in body
    assert "Trần Thị Bình" not in body and "0912345678" not in body

    assert morning("2026-11-24") == {"reminders": 0, "escalations": 0}  # the holiday: nothing at all
    # Wed 25/11, the day itself: now assigned, so only the specialist is reminded.
    handling.perform(item, "assign", actor=world.user(Role.HEAD_OF_AGENCY),
                     data={"assignee": world.user(Role.SPECIALIST).pk}, now=at("2026-11-24 09:00"))
    before = OutboxMessage.objects.count()
    assert morning("2026-11-25") == {"reminders": 1, "escalations": 0}
    assert OutboxMessage.objects.count() == before + 1
    sent = OutboxMessage.objects.latest("pk")
    assert sent.recipient == "specialist@hacthanh.gov.vn" and item.code in sent.body

    # Thu 26/11: late → the head of the unit; the later item is due on the next working day (Fri).
    assert morning("2026-11-26") == {"reminders": 3, "escalations": 1}
    late = OutboxMessage.objects.filter(payload__watch="feedback_overdue").get()
    assert late.recipient == "head_of_agency@hacthanh.gov.vn"
    assert item.code in late.body and "quá hạn trả lời từ 10:00 25/11/2026" in late.body and later.code not in late.body
    assert morning("2026-11-27")["escalations"] == 1  # every working morning
    assert morning("2026-11-28") == {"reminders": 0, "escalations": 0}  # Saturday
    assert OutboxMessage.objects.filter(payload__watch="feedback_overdue").count() == 2

    # Answered on Monday: no more escalation about it.
    answered(world, item, when="2026-11-30 07:00")
    answered(world, later, when="2026-11-30 07:00")
    assert morning("2026-11-30") == {"reminders": 0, "escalations": 0}


def test_a_second_run_the_same_day_sends_nothing_new(mailboxes):
    due_wednesday(mailboxes)
    morning("2026-11-26")
    count = OutboxMessage.objects.count()
    assert count == 1
    watch.run(at("2026-11-26 15:00"))
    assert OutboxMessage.objects.count() == count


def test_other_units_and_people_without_e_mail_hear_nothing(world):
    due_wednesday(world)
    assert morning("2026-11-26") == {"reminders": 0, "escalations": 0}  # nobody has an address
    assert not OutboxMessage.objects.exists()
    other_head = world.user(Role.HEAD_OF_AGENCY, other=True)
    other_head.email = "head@hamrong.gov.vn"
    other_head.save(update_fields=["email"])
    morning("2026-11-27")
    assert not OutboxMessage.objects.exists()  # the other commune's head is not told about this unit's item


def test_an_item_without_a_unit_goes_to_the_provinces_dispatchers_and_head(world):
    dispatcher = User.objects.create_user("dieu-phoi", email="dieuphoi@thanhhoa.gov.vn")
    grant_role(user=dispatcher, role=Role.ONE_STOP_OFFICER, agency=world.province_committee)
    head = User.objects.create_user("chu-tich", email="chutich@thanhhoa.gov.vn")
    grant_role(user=head, role=Role.HEAD_OF_AGENCY, agency=world.province_committee)
    commune_head = world.user(Role.HEAD_OF_AGENCY)
    commune_head.email = "head@hacthanh.gov.vn"
    commune_head.save(update_fields=["email"])
    item = due_wednesday(world, agency=None)
    assert morning("2026-11-25") == {"reminders": 2, "escalations": 0}
    assert set(mails("due_soon")) == {"dieuphoi@thanhhoa.gov.vn", "chutich@thanhhoa.gov.vn"}
    assert "chưa có đơn vị xử lý" in mails("due_soon")["dieuphoi@thanhhoa.gov.vn"].body
    assert morning("2026-11-26")["escalations"] == 1
    assert item.code in mails("overdue")["chutich@thanhhoa.gov.vn"].body
