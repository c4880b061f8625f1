"""The morning deadline watch: due-soon lists, overdue escalation, apology drafts, expired supplement
windows; once a day, never on a day off."""

from django.utils import timezone

from motcua.dossiers import services, watch
from motcua.dossiers.models import ApologyDraft
from motcua.notify.models import OutboxMessage
from motcua.org.models import User
from motcua.org.roles import Role
from tests.factories import at


def act(world, d, action, when, role, **data):
    services.perform(d, action, actor=world.user(role), data=data, now=at(when))
    d.refresh_from_db()
    return d


def test_morning_watch(world):
    for role in (Role.SPECIALIST, Role.HEAD_OF_AGENCY):
        User.objects.filter(pk=world.user(role).pk).update(email=f"{role}@example.vn")
    soon = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, soon, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)  # due Thu 26/11 09:00
    act(world, soon, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)  # specialist's step due Wed 25/11 10:00
    late = world.new_dossier(now=at("2026-11-02 08:55"))
    act(world, late, "receive", "2026-11-02 09:00", Role.ONE_STOP_OFFICER)  # due Wed 11/11 09:00
    waiting = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, waiting, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, waiting, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)
    act(world, waiting, "request_supplement", "2026-11-16 11:00", Role.SPECIALIST, items=[{"name": "CT01", "reason": "Thiếu chữ ký"}], answer_days=3)

    before = OutboxMessage.objects.count()
    assert watch.run(now=at("2026-11-24 08:00")) == {"due_soon": 0, "overdue": 0, "apology_drafts": 0, "supplement_expired": 0,
                                                     "verification_reminders": 0, "verification_escalations": 0}
    assert OutboxMessage.objects.count() == before  # 24/11 is a public holiday

    result = watch.run(now=at("2026-11-25 10:00"))
    assert result == {"due_soon": 1, "overdue": 1, "apology_drafts": 1, "supplement_expired": 1}
    due_soon = OutboxMessage.objects.get(recipient="specialist@example.vn", payload__watch="due_soon")
    assert f"- {soon.code}: bước" in due_soon.body and "hạn 10:00 25/11/2026" in due_soon.body
    overdue = OutboxMessage.objects.get(recipient="head_of_agency@example.vn", payload__watch="overdue")
    assert f"- {late.code}" in overdue.body and "quá hạn từ 09:00 11/11/2026" in overdue.body
    draft = ApologyDraft.objects.get()
    assert draft.dossier == soon
    assert timezone.localtime(draft.proposed_due_at).strftime("%d/%m/%Y %H:%M") == "01/12/2026 09:00"
    assert "hẹn trả 09:00 26/11/2026" in draft.text
    expired = OutboxMessage.objects.get(recipient="specialist@example.vn", subject=f"Hết hạn bổ sung: hồ sơ {waiting.code}")
    assert "Dừng xử lý hồ sơ" in expired.body

    count = OutboxMessage.objects.count()
    watch.run(now=at("2026-11-25 10:05"))  # a second run the same day sends nothing new
    assert OutboxMessage.objects.count() == count and ApologyDraft.objects.count() == 1


def test_unanswered_verification_is_reminded_then_escalated(world):
    asked_specialist, asked_head = world.user(Role.SPECIALIST, other=True), world.user(Role.HEAD_OF_AGENCY, other=True)
    User.objects.filter(pk=asked_specialist.pk).update(email="cv.hamrong@example.vn")
    User.objects.filter(pk=asked_head.pk).update(email="ld.hamrong@example.vn")
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    act(world, d, "receive", "2026-11-16 09:00", Role.ONE_STOP_OFFICER)
    act(world, d, "forward", "2026-11-16 10:00", Role.ONE_STOP_OFFICER)
    act(world, d, "request_verification", "2026-11-16 11:00", Role.SPECIALIST, agency=world.other_committee.identifier_code,
        question="Xác minh nơi cư trú của ông An tại phường Hàm Rồng", answer_days=2)  # answer due Wed 18/11 11:00

    assert watch.run(now=at("2026-11-17 08:00")).get("verification_reminders", 0) == 0  # not yet within a day
    assert watch.run(now=at("2026-11-17 14:00"))["verification_reminders"] == 1
    reminder = OutboxMessage.objects.get(recipient="cv.hamrong@example.vn", payload__watch="verification_due")
    assert f"- {d.code}: UBND phường Hạc Thành đề nghị xác minh, hạn trả lời 11:00 18/11/2026" in reminder.body

    late = watch.run(now=at("2026-11-19 08:00"))
    assert late["verification_escalations"] == 1 and late.get("verification_reminders", 0) == 0
    escalation = OutboxMessage.objects.get(recipient="ld.hamrong@example.vn", payload__watch="verification_late")
    assert f"- {d.code}" in escalation.body and "(đã quá hạn)" in escalation.body

    act(world, d, "answer_verification", "2026-11-19 09:00", Role.SPECIALIST, answer="Đúng, ông An cư trú tại đây")
    assert watch.run(now=at("2026-11-20 08:00")).get("verification_escalations", 0) == 0  # answered: no more
