"""Online-share targets: unit admins and supervisors set them per unit (0–100 %), the statistics table
holds each unit's online share against its target, and nobody else can change them."""

import pytest

from motcua.org.roles import Role
from motcua.reports import selectors
from motcua.reports.models import OnlineTarget
from tests.reports import test_statistics as known

november = known.november  # the known data set, as a fixture of this module
TARGETS = "/bao-cao/chi-tieu-truc-tuyen/"
NOV_QUERY = {"from": "01/11/2026", "to": "30/11/2026"}


def share_cell(client):
    """The online-share cell of the commune's row: (text, highlighted as below target)."""
    page = client.get("/bao-cao/thong-ke/", NOV_QUERY).content.decode()
    row = page[page.index("UBND phường Hạc Thành</th>"):]
    row = row[: row.index("</tr>")]
    cell = row[row.index('data-figure="online_share"') - 30:]
    target = row[row.index('data-figure="online_target"'):]
    return 'class="n below"' in cell[:40], target[target.index(">") + 1: target.index("<")]


def test_a_unit_admin_sees_the_units_and_their_defaults(client, world):
    client.force_login(world.user(Role.UNIT_ADMIN))
    page = client.get(TARGETS).content.decode()
    assert "UBND phường Hạc Thành" in page and "Trung tâm PVHCC phường Hạc Thành" in page
    assert "Hàm Rồng" not in page  # the other commune is not theirs
    assert f'id="pct-{world.committee.pk}" min="0" max="100" inputmode="numeric" value="40"' in page


def test_setting_a_target_changes_what_the_statistics_hold_the_unit_to(client, world, november):
    admin = world.user(Role.UNIT_ADMIN)
    client.force_login(admin)
    # The commune's default target is 40 %; 1 online of 7 received (14,29 %) is below it.
    assert share_cell(client) == (True, "40")
    response = client.post(TARGETS, {"agency": world.committee.pk, "percent": "10"}, follow=True)
    assert "Đã lưu chỉ tiêu 10 % cho UBND phường Hạc Thành." in response.content.decode()
    target = OnlineTarget.objects.get(agency=world.committee)
    assert (target.percent, target.set_by) == (10, admin)
    assert share_cell(client) == (False, "10")
    client.post(TARGETS, {"agency": world.committee.pk, "percent": "55"})
    assert OnlineTarget.objects.count() == 1  # changed in place, one target per unit
    assert share_cell(client) == (True, "55")
    world.committee.refresh_from_db()
    assert selectors.online_target(world.committee) == 55


def test_a_supervisor_sets_targets_anywhere_in_the_province(client, world):
    client.force_login(world.user(Role.SUPERVISOR))
    assert "UBND phường Hàm Rồng" in client.get(TARGETS).content.decode()
    response = client.post(TARGETS, {"agency": world.other_committee.pk, "percent": "0"})
    assert response.status_code == 302
    assert OnlineTarget.objects.get(agency=world.other_committee).percent == 0


@pytest.mark.parametrize(("percent", "message"), [
    ("101", "Chỉ tiêu phải từ 0 đến 100 (%)."),
    ("-1", "Chỉ tiêu phải từ 0 đến 100 (%)."),
    ("12.5", "Chỉ tiêu phải là một số nguyên từ 0 đến 100 (%)."),
    ("abc", "Chỉ tiêu phải là một số nguyên từ 0 đến 100 (%)."),
    ("", "Hãy nhập chỉ tiêu, từ 0 đến 100 (%)."),
])
def test_a_target_outside_0_to_100_is_refused(client, world, percent, message):
    client.force_login(world.user(Role.UNIT_ADMIN))
    response = client.post(TARGETS, {"agency": world.committee.pk, "percent": percent})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="err-{world.committee.pk}"' in page  # shown beside the unit it was typed for
    assert not OnlineTarget.objects.exists()


def test_a_unit_admin_cannot_set_another_communes_target(client, world):
    client.force_login(world.user(Role.UNIT_ADMIN, other=True))
    response = client.post(TARGETS, {"agency": world.committee.pk, "percent": "90"})
    assert response.status_code == 400
    assert "Bạn không có quyền đặt chỉ tiêu cho đơn vị này." in response.content.decode()
    assert not OnlineTarget.objects.exists()


def test_staff_without_an_admin_or_supervisor_role_cannot_open_the_page(client, world):
    client.force_login(world.user(Role.SPECIALIST))
    assert client.get(TARGETS).status_code == 403
    assert client.post(TARGETS, {"agency": world.committee.pk, "percent": "90"}).status_code == 403
    assert not OnlineTarget.objects.exists()


def test_anonymous_users_cannot_set_targets(client, world):
    response = client.post(TARGETS, {"agency": world.committee.pk, "percent": "90"})
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert not OnlineTarget.objects.exists()
