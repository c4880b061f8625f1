"""Error pages speak Vietnamese and say what to do, and keep the reason a view gave."""

from motcua.org.roles import Role


def test_unknown_address_gets_a_vietnamese_404(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang này" in page and "Not Found" not in page


def test_a_dossier_out_of_reach_shows_the_views_reason(world, client):
    d = world.new_dossier()
    client.force_login(world.user(Role.SPECIALIST, other=True))
    page = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert "Không tìm thấy hồ sơ trong phạm vi được phép xem." in page
    assert d.applicant_name not in page


def test_our_failure_shows_the_request_id_to_quote(client, db):
    from django.test import RequestFactory

    from motcua.web.views import server_error

    request = RequestFactory().get("/")
    request.request_id = "a1b2c3d4e5f6"
    response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "a1b2c3d4e5f6" in page and "mã lỗi" in page
