"""A person signs in with Chromium through the shipped nginx on a port other than 80 (issue 18, item 5):
with `proxy_set_header Host $host` the browser's Origin (http://127.0.0.1:PORT) did not match the host the
site saw, and Django's CSRF check answered 403 to every form."""

import re
import shutil
import urllib.parse

import pytest

from tests.e2e.desk_helpers import PASSWORD, sign_in
from tests.ops.test_deploy_nginx_port import nginx_in_front_of


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed here (scripts/system-packages test)")
def test_an_officer_signs_in_through_nginx_on_a_non_standard_port(browser, live_server, transactional_db, tmp_path, shot):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.create_user("canbo.nginx", password=PASSWORD, last_name="Lê", first_name="Hoa")
    with nginx_in_front_of(tmp_path, urllib.parse.urlsplit(live_server.url).port) as port:
        site = f"http://127.0.0.1:{port}"
        context = browser.new_context(base_url=site, locale="vi-VN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        forbidden = []
        page.on("response", lambda response: response.status == 403 and forbidden.append(response.url))
        try:
            sign_in(page, officer)
            assert page.url.startswith(f"{site}/mot-cua/")  # the redirect kept nginx's port
            assert not forbidden
            assert any(cookie["name"] == "sessionid" for cookie in context.cookies())
            shot(page, "signed-in-through-nginx")
        finally:
            context.close()
    assert re.match(r"http://127\.0\.0\.1:\d+$", site)
