"""The head of unit's feedback and satisfaction page (/bao-cao/phan-anh/): for a period, the feedback
handled on time or late, open within its limit or overdue, satisfaction with answers and re-raised items,
766 indicators 5.2 and 5.3, dossier ratings by unit and procedure with the share of "Không hài lòng", and
the dossiers and officers with the most complaints; only the user's units; bad periods refused.

The period is October 2025, wholly in the past, so the figures are those at its end whatever today is.
"""

import re

import pytest

from motcua.feedback import handling
from motcua.feedback.services import Contact, rate, submit_feedback
from motcua.org.models import User
from motcua.org.roles import Role
from tests.factories import at
from tests.feedback.test_handling import answered, new_item
from tests.reports.test_statistics import finish, give_back, receive, to_last_step

URL = "/bao-cao/phan-anh/"
OCTOBER = {"from": "01/10/2025", "to": "31/10/2025"}


def figure(html, name):
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


def returned(world, when_day):
    d = receive(world, f"2025-10-{when_day} 08:00")
    to_last_step(world, d, f"2025-10-{when_day} 09:00")
    return give_back(world, finish(world, d, f"2025-10-{when_day} 14:00"), f"2025-10-{when_day} 15:00")


@pytest.fixture
def october(world):
    head = world.user(Role.HEAD_OF_AGENCY)
    on_time = answered(world, new_item(world, when="2025-10-01 10:00"), when="2025-10-03 09:00")
    handling.perform(on_time, "rate", data={"rating": "satisfied"}, now=at("2025-10-03 10:00"))
    answered(world, new_item(world, when="2025-10-01 10:00"), when="2025-10-20 09:00")  # due 15/10: late
    reraised = answered(world, new_item(world, when="2025-10-01 10:00"), when="2025-10-03 09:00")
    handling.perform(reraised, "rate", data={"rating": "dissatisfied"}, now=at("2025-10-03 10:00"))
    handling.perform(reraised, "reopen", data={"reason": "Chưa thỏa đáng."}, now=at("2025-10-06 08:00"))
    new_item(world, agency="other_committee", when="2025-10-02 10:00")  # another commune's

    rated = {level: returned(world, day) for level, day in
             (("dissatisfied", "06"), ("satisfied", "07"), ("very_satisfied", "08"))}
    for level, d in rated.items():
        rate(d, level, now=at("2025-10-09 08:00"))
    complained = rated["dissatisfied"]
    for n in range(2):  # never answered: overdue at the end of October
        submit_feedback(kind="officer", text=f"Phải đi lại nhiều lần mới nộp được hồ sơ ({n}).",
                        contact=Contact(name="Lê Thị Hoa"), dossier_code=complained.code, agency=world.committee,
                        now=at("2025-10-10 08:00"))
    return {"head": head, "complained": complained}


def test_the_head_sees_the_measures_of_the_period(october, world, client):
    client.force_login(october["head"])
    response = client.get(URL, OCTOBER)
    html = response.content.decode()
    assert response.status_code == 200 and "Kỳ báo cáo từ 01/10/2025 đến 31/10/2025" in html
    got = {name: figure(html, name) for name in (
        "received", "answered_on_time", "answered_late", "open_within", "open_overdue", "satisfied",
        "dissatisfied", "reraised", "indicator_5_2", "indicator_5_3")}
    assert got == {
        "received": "5", "answered_on_time": "2", "answered_late": "1", "open_within": "0", "open_overdue": "2",
        "satisfied": "1", "dissatisfied": "0", "reraised": "1",
        "indicator_5_2": "40", "indicator_5_3": "20",  # (2 + 0) / 5; 5 − (late, re-raised, 2 overdue) = 1 of 5
    }
    unit = html[html.index('id="by-unit"'):html.index('id="by-procedure"')]
    row = re.search(r"UBND phường Hạc Thành</th>((?:<td[^>]*>[^<]*</td>)+)", unit).group(1)
    assert re.findall(r">([^<]*)</td>", row) == ["1", "1", "1", "3", "33,33"]
    procedure = html[html.index('id="by-procedure"'):]
    assert "1.004222 Đăng ký thường trú" in procedure and "33,33" in procedure
    dossiers = html[html.index('id="complained-dossiers"'):]
    assert october["complained"].code in dossiers and f"/mot-cua/ho-so/{october['complained'].code}/" in dossiers
    officers = html[html.index('id="complained-officers"'):]
    officer = world.user(Role.ONE_STOP_OFFICER).get_full_name()
    assert re.search(rf"{re.escape(officer)}</td><td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">3</td>", officers)


def test_another_unit_sees_only_its_own(october, world, client):
    client.force_login(world.user(Role.HEAD_OF_AGENCY, other=True))
    html = client.get(URL, OCTOBER).content.decode()
    assert figure(html, "received") == "1" and figure(html, "open_overdue") == "1"
    assert "Không có đánh giá hồ sơ nào trong kỳ." in html and october["complained"].code not in html
    assert "Không có phản ánh về hồ sơ nào trong kỳ." in html


def test_a_period_without_feedback_shows_dashes_not_zero_percent(world, client):
    client.force_login(world.user(Role.HEAD_OF_AGENCY))
    html = client.get(URL, {"from": "01/01/2025", "to": "31/01/2025"}).content.decode()
    assert figure(html, "received") == "0" and figure(html, "indicator_5_2") == "—"


def test_this_month_by_default(world, client):
    from django.utils import timezone

    client.force_login(world.user(Role.HEAD_OF_AGENCY))
    response = client.get(URL)
    today = timezone.localdate()
    assert response.status_code == 200
    assert f"Kỳ báo cáo từ 01/{today:%m/%Y} đến {today:%d/%m/%Y}" in response.content.decode()


@pytest.mark.parametrize("query, message", [
    ({"from": "31/02/2025", "to": "31/03/2025"}, "Ngày không hợp lệ"),
    ({"from": "2025-10-01", "to": "31/10/2025"}, "dd/mm/yyyy"),
    ({"from": "31/10/2025", "to": "01/10/2025"}, "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu."),
    ({"from": "01/10/2025"}, "Hãy nhập cả ngày bắt đầu và ngày kết thúc"),
])
def test_a_bad_period_is_refused_in_vietnamese(world, client, query, message):
    client.force_login(world.user(Role.HEAD_OF_AGENCY))
    response = client.get(URL, query)
    assert response.status_code == 400 and message in response.content.decode()
    assert 'data-figure="received"' not in response.content.decode()


def test_sign_in_first_and_a_role_is_needed(world, client):
    response = client.get(URL)
    assert response.status_code == 302 and "next=" in response["Location"]
    client.force_login(User.objects.create_user("khach"))
    assert client.get(URL).status_code == 403


def test_it_links_to_the_dossier_statistics_of_the_same_period(world, client):
    client.force_login(world.user(Role.HEAD_OF_AGENCY))
    html = client.get(URL, OCTOBER).content.decode()
    assert 'href="/bao-cao/thong-ke/?from=01/10/2025&amp;to=31/10/2025"' in html
