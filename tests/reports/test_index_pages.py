"""The 766 index and periodic evaluation pages as staff meet them: who may see and enter, what a page
shows, bad periods and bad entries refused in Vietnamese with a 4xx and nothing written."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from motcua.org.models import User
from motcua.org.roles import Role
from motcua.org.services import grant_role
from motcua.reports import index766
from motcua.reports.models import EvaluationScore, IndexInput
from tests.reports.test_index766 import november  # noqa: F401  (the fixture)

PERIOD = {"from": "01/11/2026", "to": "10/11/2026"}  # a finished period: the page shows what index_table says
INDEX = "/bao-cao/chi-so-766/"
EVALUATION = "/bao-cao/danh-gia-dinh-ky/"


def signed_in(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def row(response, attribute: str, value) -> str:
    match = re.search(rf'<tr[^>]*{attribute}="{value}"[^>]*>(.*?)</tr>', response.content.decode(), re.S)
    assert match, f"no row {attribute}={value}"
    return unescape(re.sub(r"<[^>]+>", " ", match[1])).split()


def cell(response, code: str, kind: str) -> str:
    """The text of one cell (num, den, pct, pts) of an indicator's row on the unit page."""
    page = response.content.decode()
    row_html = re.search(rf'<tr[^>]*data-indicator="{re.escape(code)}"[^>]*>(.*?)</tr>', page, re.S)[1]
    match = re.search(rf'<td class="n {kind}">(.*?)</td>', row_html, re.S)
    return unescape(re.sub(r"<[^>]+>", "", match[1])).strip()


def test_the_addresses():
    assert reverse("reports:index766") == INDEX
    assert reverse("reports:evaluation") == EVALUATION
    assert reverse("reports:index766-unit", kwargs={"agency_id": 7}) == "/bao-cao/chi-so-766/don-vi/7/"


@pytest.mark.parametrize("address", [INDEX, EVALUATION, "/bao-cao/chi-so-766/nhap-so-lieu/", "/bao-cao/chi-so-766/don-vi/1/"])
def test_anonymous_users_are_sent_to_sign_in(client, db, address):
    response = client.get(address)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_a_user_without_a_role_is_refused(client, world):
    response = signed_in(client, User.objects.create_user("khong-vai-tro")).get(INDEX)
    assert response.status_code == 403 and "Chưa được phân quyền" in text(response)


@pytest.mark.usefixtures("november")
def test_the_ranked_table_shows_each_unit_with_total_and_grade(client, world):
    supervisor = world.user(Role.SUPERVISOR)
    response = signed_in(client, supervisor).get(INDEX, PERIOD)
    assert response.status_code == 200
    table = index766.index_table(supervisor, date(2026, 11, 1), date(2026, 11, 10))
    [unit] = table.units
    cells = row(response, "data-unit", world.committee.pk)
    assert cells[:5] == ["UBND", "phường", "Hạc", "Thành", "1"]  # the unit, its rank
    assert f"{unit.total:.2f}".replace(".", ",") in cells and unit.grade.split()[0] in cells
    assert "Chung các đơn vị" in text(response)


@pytest.mark.usefixtures("november")
def test_the_unit_page_shows_every_indicator_and_links_numerators_to_their_dossiers(client, world):
    supervisor = world.user(Role.SUPERVISOR)
    address = f"/bao-cao/chi-so-766/don-vi/{world.committee.pk}/"
    response = signed_in(client, supervisor).get(address, PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    for spec in index766.SPECS:
        assert f'data-indicator="{spec.code}"' in page
        assert unescape(spec.formula) in unescape(page)
    _, unit = index766.unit_index(supervisor, world.committee.pk, date(2026, 11, 1), date(2026, 11, 10))
    digitised = unit.indicator("4.2")
    assert (digitised.numerator, digitised.denominator) == (3, 5)  # B and E online, C scanned, of 5 received
    assert [cell(response, "4.2", k) for k in ("num", "den", "pct", "pts")] == ["3", "5", "60,00", "3,00 / 4"]
    assert cell(response, "1.1", "pts") == "chưa nhập / 6"
    link = re.search(r'<tr[^>]*data-indicator="4.2".*?<a href="([^"]+)"', page, re.S)[1]
    assert unescape(link) == (
        f"/bao-cao/ho-so/?figure=received&from=01%2F11%2F2026&to=10%2F11%2F2026&agency={world.committee.pk}"
        "&measures=c_digitised"
    )
    listed = client.get(unescape(link))
    assert listed.status_code == 200
    assert re.search(r'class="count">(\d+)<', listed.content.decode())[1] == "3"
    assert "chưa kiểm chứng" in text(response).lower()


@pytest.mark.usefixtures("november")
def test_staff_of_another_unit_cannot_see_the_unit(client, world):
    other = signed_in(client, world.user(Role.HEAD_OF_AGENCY, other=True))
    response = other.get(f"/bao-cao/chi-so-766/don-vi/{world.committee.pk}/", PERIOD)
    assert response.status_code == 403 and "không thuộc phạm vi" in text(response)
    assert f'data-unit="{world.committee.pk}"' not in other.get(INDEX, PERIOD).content.decode()


@pytest.mark.parametrize("params, message", [
    ({"from": "31/02/2026", "to": "10/03/2026"}, "không hợp lệ"),
    ({"from": "10/11/2026", "to": "01/11/2026"}, "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu"),
    ({"year": "2026", "month": "13"}, "Tháng phải là số từ 1 đến 12"),
    ({"year": "năm nay"}, "Năm phải là số"),
])
def test_a_bad_period_is_a_400_in_vietnamese(client, world, params, message):
    response = signed_in(client, world.user(Role.SUPERVISOR)).get(INDEX, params)
    assert response.status_code == 400 and message in text(response)
    response = client.get(f"/bao-cao/chi-so-766/don-vi/{world.committee.pk}/", params)
    assert response.status_code == 400 and message in text(response)


# ---------------------------------------------------------------- entering 766 figures


INPUT = "/bao-cao/chi-so-766/nhap-so-lieu/"


def post_input(client, world, **overrides):
    data = {"agency": world.committee.pk, "indicator": "1.1", "month": "11/2026", "numerator": "3",
            "denominator": "4", "note": ""} | overrides
    return client.post(INPUT, data)


def test_a_supervisor_enters_a_figure_and_sees_the_trail(client, world):
    c = signed_in(client, world.user(Role.SUPERVISOR))
    assert c.get(INPUT).status_code == 200
    response = post_input(c, world)
    assert response.status_code == 302
    response = post_input(c, world, numerator="4", note="Bổ sung quyết định công bố.")
    page = c.get(response["Location"])
    assert "Đã lưu chỉ số 1.1 tháng 11/2026" in text(page)
    trail = re.findall(r'<tr data-indicator="1.1">(.*?)</tr>', page.content.decode(), re.S)
    newest = unescape(re.sub(r"<[^>]+>", "|", trail[0]))
    assert "3/4" in newest and "4/4" in newest and "Bổ sung quyết định công bố." in newest  # old → new, why
    assert IndexInput.objects.count() == 2
    unit_page = c.get(f"/bao-cao/chi-so-766/don-vi/{world.committee.pk}/", {"year": "2026", "month": "11"})
    assert [cell(unit_page, "1.1", k) for k in ("num", "den", "pts")] == ["4", "4", "6,00 / 6"]


@pytest.mark.parametrize("overrides, message", [
    ({"numerator": "5"}, "Tử số (5) không được lớn hơn mẫu số (4)."),
    ({"month": "13/2026"}, "tháng phải từ 1 đến 12"),
    ({"indicator": "2.1"}, "Chỉ số này không nhập tay"),
    ({"agency": "999999"}, "Không tìm thấy đơn vị"),
    ({"denominator": "-4"}, "Mẫu số phải là số nguyên không âm"),
])
def test_bad_entries_are_refused_with_400_and_nothing_written(client, world, overrides, message):
    response = post_input(signed_in(client, world.user(Role.SUPERVISOR)), world, **overrides)
    assert response.status_code == 400 and message in text(response)
    assert not IndexInput.objects.exists()


def test_staff_who_are_not_supervisors_above_cannot_enter(client, world):
    for user in (world.user(Role.HEAD_OF_AGENCY), world.user(Role.ONE_STOP_OFFICER)):
        client.force_login(user)
        assert client.get(INPUT).status_code == 403
        assert post_input(client, world).status_code == 403
    other = signed_in(client, world.user(Role.SUPERVISOR, other=True))
    response = post_input(other, world)  # a supervisor of the other commune, for this one
    assert response.status_code == 403 and "cơ quan cấp trên" in text(response)
    assert not IndexInput.objects.exists()


# ---------------------------------------------------------------- the periodic evaluation


@pytest.mark.usefixtures("november")
def test_the_evaluation_page_and_scores(client, world):
    supervisor = world.user(Role.SUPERVISOR)
    c = signed_in(client, supervisor)
    response = c.get(EVALUATION, {"year": "2026", "quarter": "4"})
    assert response.status_code == 200
    cells = row(response, "data-unit", world.committee.pk)
    # rank 1; indices 1 (3 of 6 on time) and 7 (1 of 2 satisfied) computed; nothing entered yet
    assert cells[4:] == ["1", "1,00", "—", "—", "—", "—", "—", "1,00", "—", "—", "2,00", "Yếu"]
    detail = c.get(EVALUATION, {"year": "2026", "quarter": "4", "agency": world.committee.pk})
    assert 'name="score"' in detail.content.decode()
    response = c.post("/bao-cao/danh-gia-dinh-ky/nhap-diem/", {
        "agency": world.committee.pk, "year": "2026", "quarter": "4", "index": "5", "kind": "appraised",
        "score": "1,5", "note": "Thẩm định hồ sơ tự đánh giá."})
    assert response.status_code == 302
    page = c.get(response["Location"])
    assert row(page, "data-index", "5")[-1] == "1,50"
    assert "Thẩm định hồ sơ tự đánh giá." in text(page)
    assert EvaluationScore.objects.get().entered_by == supervisor


@pytest.mark.usefixtures("november")
def test_bad_scores_and_outsiders_are_refused(client, world):
    c = signed_in(client, world.user(Role.SUPERVISOR))
    base = {"agency": world.committee.pk, "year": "2026", "quarter": "4", "index": "5", "kind": "appraised"}
    response = c.post("/bao-cao/danh-gia-dinh-ky/nhap-diem/", base | {"score": "3"})
    assert response.status_code == 400 and "Điểm phải từ 0 đến 2" in text(response)
    response = c.post("/bao-cao/danh-gia-dinh-ky/nhap-diem/", base | {"score": "1", "index": "1"})
    assert response.status_code == 400 and "tính từ dữ liệu" in text(response)
    unit_head = signed_in(client, world.user(Role.HEAD_OF_AGENCY))
    response = unit_head.post("/bao-cao/danh-gia-dinh-ky/nhap-diem/", base | {"score": "2"})
    assert response.status_code == 403
    own = User.objects.create_user("giam-sat-phuong")
    grant_role(user=own, role=Role.SUPERVISOR, agency=world.committee)
    client.force_login(own)
    assert client.post("/bao-cao/danh-gia-dinh-ky/nhap-diem/", base | {"score": "2"}).status_code == 403
    assert client.post("/bao-cao/danh-gia-dinh-ky/nhap-diem/", base | {"score": "2", "kind": "self"}).status_code == 302
    assert EvaluationScore.objects.count() == 1
    other = signed_in(client, world.user(Role.HEAD_OF_AGENCY, other=True))
    response = other.get(EVALUATION, {"year": "2026", "quarter": "4", "agency": world.committee.pk})
    assert response.status_code == 403


def test_a_bad_evaluation_period_is_a_400(client, world):
    c = signed_in(client, world.user(Role.SUPERVISOR))
    response = c.get(EVALUATION, {"year": "2026", "quarter": "5"})
    assert response.status_code == 400 and "Quý phải từ 1 đến 4" in text(response)
    response = c.get(EVALUATION, {"year": "hai nghìn"})
    assert response.status_code == 400 and "Năm phải là số" in text(response)
