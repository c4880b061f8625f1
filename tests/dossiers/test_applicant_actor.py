"""The applicant acting through the portal is named in the history and may make only the applicant's
moves."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import State
from motcua.org.roles import Role
from tests.factories import at


def test_the_applicant_withdraws_and_is_named(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    who = services.Applicant(name=d.applicant_name, personal_id=d.personal_id)
    assert [t.action for t in services.allowed_actions(d, who)] == ["withdraw"]
    services.perform(d, "withdraw", actor=who, data={"reason": "Đã nộp nhầm thủ tục"}, now=at("2026-11-16 09:30"))
    d.refresh_from_db()
    event = d.events.last()
    assert d.state == State.WITHDRAWN
    assert (event.actor_id, event.actor_name) == (None, f"{d.applicant_name} (người nộp hồ sơ)")


def test_the_applicant_cannot_make_an_officers_move(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    who = services.Applicant(name=d.applicant_name, personal_id=d.personal_id)
    with pytest.raises(services.Forbidden, match="Người nộp hồ sơ không tự thực hiện được"):
        services.perform(d, "receive", actor=who, now=at("2026-11-16 09:00"))
    d.refresh_from_db()
    assert d.state == State.SUBMITTED and d.last_event_seq == 1


def test_the_applicant_supplies_and_the_clock_resumes(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    officer = world.user(Role.ONE_STOP_OFFICER)
    services.perform(d, "receive", actor=officer, now=at("2026-11-16 09:00"))
    services.perform(d, "forward", actor=officer, now=at("2026-11-16 10:00"))
    services.perform(d, "request_supplement", actor=world.user(Role.SPECIALIST), now=at("2026-11-16 11:00"),
                     data={"items": [{"name": "Tờ khai CT01", "reason": "Thiếu chữ ký"}]})
    who = services.Applicant(name=d.applicant_name, personal_id=d.personal_id)
    services.perform(d, "supply_supplement", actor=who, now=at("2026-11-17 09:00"))
    d.refresh_from_db()
    assert d.state == State.PROCESSING and d.events.last().actor_name.endswith("(người nộp hồ sơ)")
