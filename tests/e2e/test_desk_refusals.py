"""Refusals in the browser. A specialist of another commune who opens a dossier's address (or its printed
form, or posts an action to it) is told it is not there; people of the right unit who try a move that is
not theirs (a form the page does not offer them: a stale page, a bookmark, a hand-made request) get a
Vietnamese message saying why. Nothing changes in the database: state, step, events."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, State
from motcua.org.roles import Role
from tests.e2e.desk_helpers import DESK, DeskClock, Office, at, forged_post, main_text, staff


@pytest.fixture
def clock(monkeypatch):
    c = DeskClock()
    monkeypatch.setattr("motcua.desk.services.current_time", c)
    return c


@pytest.fixture
def office(browser, live_server):
    o = Office(browser, live_server.url)
    yield o
    o.close()


@pytest.fixture
def at_specialist(tworld):
    """Set-up: received at the counter and handed to the committee's specialist (step 2)."""
    d = tworld.new_dossier(now=at("2026-11-16 08:55"))
    officer = tworld.user(Role.ONE_STOP_OFFICER)
    services.perform(d, "receive", actor=officer, now=at("2026-11-16 09:00"))
    services.perform(d, "forward", actor=officer, now=at("2026-11-16 10:00"))
    return Dossier.objects.get(pk=d.pk)


def unchanged(d, events):
    fresh = Dossier.objects.get(pk=d.pk)
    return (fresh.state, fresh.current_step, fresh.last_event_seq, fresh.events.count()) == (
        d.state, d.current_step, d.last_event_seq, events
    )


def test_another_units_specialist_is_told_the_dossier_is_not_there(tworld, at_specialist, office, clock, shot, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    d = at_specialist
    events = d.events.count()
    outsider = staff(tworld.user(Role.SPECIALIST, other=True), last_name="Vũ Văn", first_name="Khánh")
    clock.set("2026-11-16 14:00")
    page = office.person(outsider)

    assert page.locator("h1").inner_text().startswith("Hồ sơ của tôi")
    assert page.locator(f'tr[data-code="{d.code}"]').count() == 0
    page.get_by_role("navigation").get_by_role("link", name="Hồ sơ của đơn vị").click()
    assert page.locator(f'tr[data-code="{d.code}"]').count() == 0

    response = page.goto(f"{DESK}/ho-so/{d.code}/")
    assert response.status == 404
    body = page.inner_text("body")
    assert "Nguyễn Văn An" not in body and "038087042028" not in body
    shot(page, "other-unit-opens-dossier")

    response = page.goto(f"/in/ho-so/{d.code}/mau-01.pdf")
    assert response.status == 404 and response.headers["content-type"].startswith("text/html")
    assert f"Không tìm thấy hồ sơ {d.code}." in page.inner_text("body")
    shot(page, "other-unit-opens-receipt")

    page.goto(f"{DESK}/cua-toi/")
    response = forged_post(page, f"{DESK}/ho-so/{d.code}/thao-tac/forward/")
    assert response.status == 404
    assert unchanged(d, events)
    assert DossierEvent.objects.filter(actor=outsider).count() == 0


def test_a_move_outside_ones_role_is_refused_in_words_and_changes_nothing(tworld, at_specialist, office, clock, shot, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    d = at_specialist
    events = d.events.count()
    specialist = staff(tworld.user(Role.SPECIALIST), last_name="Lê Văn", first_name="Cường")
    head = staff(tworld.user(Role.HEAD_OF_AGENCY), last_name="Phạm Quốc", first_name="Dũng")
    clock.set("2026-11-16 14:00")

    # The specialist's own page offers his moves and not the head's or the one-stop officer's.
    sp = office.person(specialist)
    sp.goto(f"{DESK}/ho-so/{d.code}/")
    offered = sp.locator("details.action summary").all_inner_texts()
    assert "Chuyển bước xử lý" in offered
    assert not {"Hoàn thành, có kết quả", "Dừng xử lý hồ sơ", "Trả kết quả"} & set(offered)

    # Finishing is the head's or the clerk's: refused, with the roles and where they are needed.
    response = forged_post(sp, f"{DESK}/ho-so/{d.code}/thao-tac/finish/", {"finish-documents": "Thông báo kết quả"})
    assert response.status == 403
    error = sp.locator("p.msg-error").inner_text()
    assert "Tài khoản Lê Văn Cường không được 'Hoàn thành, có kết quả' với hồ sơ này." in error
    assert "UBND phường Hạc Thành" in error and "Hãy đề nghị quản trị đơn vị cấp quyền." in error
    assert sp.locator("dd.state").inner_text() == "Đang xử lý"
    shot(sp, "specialist-tries-to-finish")
    assert unchanged(d, events)

    # Stopping a dossier needs a head.
    response = forged_post(sp, f"{DESK}/ho-so/{d.code}/thao-tac/stop/", {"stop-reason": "Không đủ điều kiện."})
    assert response.status == 403
    assert "không được 'Dừng xử lý hồ sơ'" in sp.locator("p.msg-error").inner_text()
    assert unchanged(d, events)

    # The head may hand over in general, but step 2 is the specialist's: the head is told whose it is.
    hd = office.person(head)
    hd.goto(f"{DESK}/ho-so/{d.code}/")
    assert "Chuyển bước xử lý" not in hd.locator("details.action summary").all_inner_texts()
    response = forged_post(hd, f"{DESK}/ho-so/{d.code}/thao-tac/forward/")
    assert response.status == 403
    error = hd.locator("p.msg-error").inner_text()
    assert error.startswith("Bước hiện tại '") and "do Chuyên viên xử lý thực hiện" in error
    assert "tài khoản Phạm Quốc Dũng không có vai trò này" in error
    shot(hd, "head-forwards-the-specialists-step")
    assert unchanged(d, events)

    # Handing back a result that does not exist yet: refused because of the state.
    response = forged_post(hd, f"{DESK}/ho-so/{d.code}/thao-tac/return_result/", {"return_result-method": "post",
                                                                               "return_result-tracking_number": "EMS1VN"})
    assert response.status in (403, 409)
    assert "Trả kết quả" in hd.locator("p.msg-error").inner_text()
    assert unchanged(d, events)

    # An action that does not exist.
    response = forged_post(hd, f"{DESK}/ho-so/{d.code}/thao-tac/approve_all/")
    assert response.status == 404
    assert "Không có thao tác “approve_all”." in main_text(hd)
    assert unchanged(d, events)
    assert Dossier.objects.get(pk=d.pk).state == State.PROCESSING
