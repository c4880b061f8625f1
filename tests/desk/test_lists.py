"""Inboxes, the online queue, verification requests and apologies owed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import services, watch
from motcua.dossiers.models import Dossier, State
from motcua.org.models import User
from motcua.org.roles import Role
from motcua.org.services import grant_role
from tests.desk.helpers import login, text
from tests.factories import at


def receive(world, when, **kwargs):
    d = world.new_dossier(now=at(when), **kwargs)
    services.perform(d, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at(when))
    return Dossier.objects.get(pk=d.pk)


def codes_in(response) -> list[str]:
    return re.findall(r'data-code="([^"]+)"', response.content.decode())


def row_class(response, code) -> str:
    return re.search(rf'<tr class="([^"]*)" data-code="{re.escape(code)}"', response.content.decode()).group(1)


@pytest.fixture
def three(world, desk_clock):
    """Now Fri 20/11/2026 10:00; one working day ahead is Mon 23/11 10:00."""
    desk_clock.set("2026-11-20 10:00")
    late = receive(world, "2026-11-10 09:00")  # 7 working days → Thu 19/11 09:00: overdue
    soon = receive(world, "2026-11-12 09:00")  # → Mon 23/11 09:00: due within a working day
    fine = receive(world, "2026-11-16 09:00")  # → Thu 26/11 09:00: on track
    return late, soon, fine


def test_unit_inbox_sorted_by_due_time_and_coloured(client, world, three):
    late, soon, fine = three
    login(client, world, Role.ONE_STOP_OFFICER)
    r = client.get("/mot-cua/don-vi/")
    assert codes_in(r) == [late.code, soon.code, fine.code]
    assert [row_class(r, d.code) for d in three] == ["overdue", "due-soon", "on-track"]
    assert "Quá hạn" in text(r) and "Đến hạn trong 1 ngày làm việc" in text(r)


def test_inbox_filters(client, world, three):
    late, soon, fine = three
    other = receive(world, "2026-11-19 09:30", case=world.case("1.004194"))  # due after the next working day
    login(client, world, Role.ONE_STOP_OFFICER)
    assert codes_in(client.get("/mot-cua/don-vi/?due=overdue")) == [late.code]
    assert codes_in(client.get("/mot-cua/don-vi/?due=soon")) == [soon.code]
    assert codes_in(client.get("/mot-cua/don-vi/?procedure=1.004194")) == [other.code]
    assert set(codes_in(client.get("/mot-cua/don-vi/?field=CUTRU"))) == {late.code, soon.code, fine.code, other.code}
    assert codes_in(client.get("/mot-cua/don-vi/?field=HOTICH")) == []
    services.perform(fine, "forward", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-20 09:00"))
    assert codes_in(client.get("/mot-cua/don-vi/?state=processing")) == [fine.code]
    assert client.get("/mot-cua/don-vi/?state=nonsense&due=later").status_code == 200  # ignored, not an error


def test_another_unit_sees_none_of_it(client, world, three):
    login(client, world, Role.ONE_STOP_OFFICER, other=True)
    assert codes_in(client.get("/mot-cua/don-vi/")) == []


def test_personal_inbox_is_the_open_step_given_to_me_or_to_my_role(client, world, three):
    late, soon, fine = three
    officer, specialist = world.user(Role.ONE_STOP_OFFICER), world.user(Role.SPECIALIST)
    colleague = User.objects.create_user("cv2")
    grant_role(user=colleague, role=Role.SPECIALIST, agency=world.committee)
    services.perform(late, "forward", actor=officer, data={"assignee": specialist.pk}, now=at("2026-11-20 09:00"))
    services.perform(soon, "forward", actor=officer, now=at("2026-11-20 09:00"))  # to any specialist
    login(client, world, Role.SPECIALIST)
    assert codes_in(client.get("/mot-cua/cua-toi/")) == [late.code, soon.code]
    client.force_login(colleague)
    assert codes_in(client.get("/mot-cua/cua-toi/")) == [soon.code]
    login(client, world, Role.ONE_STOP_OFFICER)  # step 1 of the third is still the officer's
    assert codes_in(client.get("/mot-cua/cua-toi/")) == [fine.code]
    login(client, world, Role.HEAD_OF_AGENCY)
    assert codes_in(client.get("/mot-cua/cua-toi/")) == []


def test_inbox_rows_escape_what_people_typed_and_show_the_open_step(client, world, desk_clock):
    # The rows are built in Python (desk_tags.inbox_rows), not by the template's auto-escaping.
    desk_clock.set("2026-11-20 10:00")
    officer, specialist = world.user(Role.ONE_STOP_OFFICER), world.user(Role.SPECIALIST)
    specialist.first_name, specialist.last_name = "<b>Lan</b>", "Lê & Trần"
    specialist.save()
    login(client, world, Role.ONE_STOP_OFFICER)
    assert '<td colspan="7" class="muted">Không có hồ sơ nào.</td>' in client.get("/mot-cua/don-vi/").content.decode()
    d = receive(world, "2026-11-16 09:00", applicant=world.applicant(name='Nguyễn "<script>alert(x)</script>'))
    services.perform(d, "forward", actor=officer, data={"assignee": specialist.pk}, now=at("2026-11-20 09:00"))
    html = client.get("/mot-cua/don-vi/").content.decode()
    row = html[html.index(f'data-code="{d.code}"'):html.index("</tr>", html.index(f'data-code="{d.code}"'))]
    assert "<script>" not in html and "Nguyễn &quot;&lt;script&gt;alert(x)&lt;/script&gt;" in row
    assert f'<a href="/mot-cua/ho-so/{d.code}/">{d.code}</a>' in row
    assert "&lt;b&gt;Lan&lt;/b&gt;" in row and "Lê &amp; Trần" in row and "<b>" not in row
    assert "Đang xử lý" in row and "hạn bước" in row


@pytest.mark.parametrize("url", ["/mot-cua/don-vi/", "/mot-cua/cua-toi/"])
def test_inbox_queries_do_not_grow_with_the_rows(client, world, desk_clock, url, django_assert_max_num_queries):
    desk_clock.set("2026-11-20 10:00")
    for i in range(3):
        receive(world, f"2026-11-1{i + 1} 09:00")
    login(client, world, Role.ONE_STOP_OFFICER)
    with CaptureQueriesContext(connection) as few:
        assert len(codes_in(client.get(url))) == 3
    for i in range(25):
        receive(world, f"2026-11-16 {8 + i % 8:02d}:{10 + i:02d}", applicant=world.applicant(phone=""))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(codes_in(client.get(url))) == 28


def test_online_queue_oldest_first_with_working_time_waited(client, world, desk_clock):
    desk_clock.set("2026-11-20 10:00")
    newer = world.new_dossier(channel=2, now=at("2026-11-20 08:00"))
    older = world.new_dossier(channel=2, now=at("2026-11-18 09:00"))
    world.new_dossier(channel=1, now=at("2026-11-17 09:00"))  # at the counter: not waiting online
    world.new_dossier(channel=2, now=at("2026-11-17 09:00"), receiving_agency=world.other_centre,
                      competent_agency=world.other_committee, actor=world.user(Role.ONE_STOP_OFFICER, other=True))
    login(client, world, Role.ONE_STOP_OFFICER)
    r = client.get("/mot-cua/truc-tuyen/")
    assert codes_in(r) == [older.code, newer.code]
    waited = re.findall(r'class="waited">([^<]+)<', r.content.decode())
    assert waited == ["2 ngày 1 giờ làm việc", "2 giờ làm việc"]
    # Opened, it offers receive, form 02 and form 03.
    html = client.get(f"/mot-cua/ho-so/{older.code}/").content.decode()
    assert all(f'id="act-{a}"' in html for a in ("receive", "request_completion", "refuse"))


def test_verification_lands_in_the_other_agencys_inbox(client, world, desk_clock):
    police = User.objects.create_user("police")
    grant_role(user=police, role=Role.SPECIALIST, agency=world.police)
    d = receive(world, "2026-11-16 09:00")
    client.force_login(police)
    assert client.get(f"/mot-cua/ho-so/{d.code}/").status_code == 404  # not yet asked
    services.perform(d, "forward", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 10:00"))
    services.perform(
        d, "request_verification", actor=world.user(Role.SPECIALIST),
        data={"agency": world.police.identifier_code, "question": "Xác minh nơi ở.", "answer_days": 3},
        now=at("2026-11-17 09:00"),
    )
    r = client.get("/mot-cua/xac-minh/")
    assert codes_in(r) == [d.code] and "Xác minh nơi ở." in text(r) and "09:00 20/11/2026" in text(r)
    login(client, world, Role.SPECIALIST, other=True)
    assert codes_in(client.get("/mot-cua/xac-minh/")) == []
    client.force_login(police)
    assert 'id="act-answer_verification"' in client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    desk_clock.set("2026-11-18 09:00")
    r = client.post(f"/mot-cua/ho-so/{d.code}/thao-tac/answer_verification/", {"answer_verification-answer": "Đúng."})
    assert r.status_code == 302
    assert Dossier.objects.get(pk=d.pk).state == State.PROCESSING
    assert codes_in(client.get("/mot-cua/xac-minh/")) == []


def test_apologies_owed_per_unit(client, world, desk_clock):
    d = receive(world, "2026-11-16 09:00")  # due Thu 26/11 09:00
    watch.run(now=at("2026-11-25 09:00"))  # the watch drafts an apology: due within one working day
    desk_clock.set("2026-11-25 09:00")
    login(client, world, Role.HEAD_OF_AGENCY)
    r = client.get("/mot-cua/xin-loi/")
    assert codes_in(r) == [d.code] and world.committee.name in text(r)
    assert f"/mot-cua/ho-so/{d.code}/#act-apologise" in r.content.decode()
    page = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert 'value="09:00 01/12/2026"' in page  # the draft's proposed date, pre-filled
    r = client.post(f"/mot-cua/ho-so/{d.code}/thao-tac/apologise/", {
        "apologise-reason": "Phải chờ ý kiến của Công an tỉnh.", "apologise-new_due_at": "09:00 01/12/2026",
    })
    assert r.status_code == 302
    assert codes_in(client.get("/mot-cua/xin-loi/")) == []
    login(client, world, Role.HEAD_OF_AGENCY, other=True)
    assert codes_in(client.get("/mot-cua/xin-loi/")) == []
