"""Who holds a role has one owner (org.selectors.holders_of / ACTIVE_HOLDER, issue 19 item 6): a system
account (another system's API connection) holding a role never acts on a step, is never assigned one and
is not counted on the coverage page; and an assignee id that is not a plain number is refused in words."""

import pytest

from motcua.dossiers import services
from motcua.feedback import handling
from motcua.org.roles import Role
from motcua.org.selectors import holders_of
from motcua.org.services import grant_role
from tests.factories import at
from tests.feedback.test_handling import new_item


@pytest.fixture
def system_specialist(world):
    system = world.user("system")
    grant_role(user=system, role=Role.SPECIALIST, agency=world.committee)
    return system


def received(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    services.perform(d, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
    return d


def test_a_system_account_is_never_a_holder(world, system_specialist):
    holders = set(holders_of(Role.SPECIALIST, world.committee))
    assert world.user(Role.SPECIALIST) in holders and system_specialist not in holders


def test_a_step_cannot_be_assigned_to_a_system_account(world, system_specialist):
    d = received(world)
    with pytest.raises(services.DossierError, match="không có vai trò"):
        services.perform(d, "forward", actor=world.user(Role.ONE_STOP_OFFICER), data={"assignee": system_specialist.pk},
                         now=at("2026-11-16 10:00"))
    d.refresh_from_db()
    assert d.state == "da-tiep-nhan" or d.events.count() == 2


@pytest.mark.parametrize("raw", ["²", "１", 10**30, "-3", "abc"])
def test_an_odd_assignee_id_is_refused_in_words_not_a_server_error(world, raw):
    d = received(world)
    with pytest.raises(services.DossierError, match="không hợp lệ"):
        services.perform(d, "forward", actor=world.user(Role.ONE_STOP_OFFICER), data={"assignee": raw},
                         now=at("2026-11-16 10:00"))
    item = new_item(world)
    with pytest.raises(handling.FeedbackError, match="cán bộ được giao"):
        handling.perform(item, "assign", actor=world.user(Role.HEAD_OF_AGENCY), data={"assignee": raw},
                         now=at("2026-11-23 08:00"))
