"""axe-core finds no serious or critical accessibility problem on the pages citizens and staff open
first, at a phone's width."""

import pytest

from motcua.org.roles import Role

PUBLIC = ["/", "/dang-nhap/", "/quen-mat-khau/"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages(tworld, phone, axe, shot, path):
    response = phone.goto(path)
    assert response.status == 200
    shot(phone, path.strip("/").replace("/", "-") or "home")
    assert axe(phone) == []


def test_desk_pages_of_a_signed_in_officer(tworld, page, axe):
    officer = tworld.user(Role.ONE_STOP_OFFICER)
    officer.set_password("mat-khau-du-dai-2026")
    officer.save()
    page.goto("/dang-nhap/")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", "mat-khau-du-dai-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/mot-cua/**")
    problems = {}
    for path in ["/mot-cua/tiep-nhan/", "/mot-cua/cua-toi/", "/mot-cua/don-vi/", "/mot-cua/truc-tuyen/"]:
        page.goto(path)
        problems[path] = axe(page)
    assert problems == {path: [] for path in problems}


def test_the_check_itself_catches_a_problem(page, axe):
    page.set_content('<html lang="vi"><body><main><input type="text"><img src="x.png"></main></body></html>')
    found = " ".join(axe(page))
    assert "label" in found and "image-alt" in found
