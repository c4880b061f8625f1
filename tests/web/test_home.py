def test_start_page_links_admin_and_api_docs_and_lists_accounts(client, world, settings):
    settings.MOTCUA_DEMO = True
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/admin/"' in html and 'href="/api/v1/docs"' in html
    assert "motcua-demo-2026" in html
    assert world.user("specialist").username in html and "Chuyên viên xử lý" in html
    assert 'lang="vi"' in html


def test_a_real_installation_shows_no_accounts_or_keys(client, world, settings):
    settings.MOTCUA_DEMO = False
    html = client.get("/").content.decode()
    assert 'href="/admin/"' in html
    assert "motcua-demo-2026" not in html and "demo-token" not in html and world.user("specialist").username not in html


def test_seed_demo_refuses_outside_a_demo(db, settings):
    import pytest
    from django.core.management import CommandError, call_command

    settings.MOTCUA_DEMO = False
    with pytest.raises(CommandError, match="MOTCUA_DEMO=1"):
        call_command("seed_demo", "--dossiers", "0")


def test_api_docs_are_served_from_the_project(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "motcua API"


def test_english_is_available(client, world, settings):
    settings.MOTCUA_DEMO = True
    assert "Đi tới" in client.get("/").content.decode()  # Vietnamese by default
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="en"' in html and "Go to" in html and "Demo accounts" in html and "Processing specialist" in html
    assert "Đi tới" not in html


def test_admin_is_in_vietnamese(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "Quản trị" in html and "Danh mục thủ tục hành chính" in html


def test_dates_are_dd_mm_yyyy():
    from datetime import date

    from django import forms
    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(date(2026, 11, 24)) == "24/11/2026"
        assert forms.DateField().clean("24/11/2026") == date(2026, 11, 24)
