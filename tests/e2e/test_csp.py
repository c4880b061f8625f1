"""The Content-Security-Policy breaks no page (the session's chromium from tests/e2e/conftest.py): Debian's chromium loads the public, desk, report, admin
and API-documentation pages and reports no policy violation (a blocked style, script or image)."""

import os

from motcua.org.roles import Role
from tests.factories import at

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Mat-khau-kiem-tra-CSP-2026"
# Collects what the browser refuses, from the first script of each page on.
LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));"""


def visit(browser, base_url, paths, user=None):
    context = browser.new_context(base_url=base_url, locale="vi-VN")
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    problems = {}
    if user is not None:
        page.goto("/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(user.username)
        page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, (path, response.status)
        page.wait_for_load_state("networkidle")
        seen = page.evaluate("window.__violations") + console
        console.clear()
        if seen:
            problems[path] = seen
    context.close()
    return problems


def with_password(user, superuser=False):
    user.set_password(PASSWORD)
    user.is_staff = user.is_superuser = superuser
    user.save()
    return user


def test_pages_load_without_policy_violations(browser, tworld, live_server, settings):
    settings.MOTCUA_PUBLIC_URL = live_server.url
    d = tworld.new_dossier(now=at("2026-11-16 08:00"))
    case = tworld.case()
    public = ["/", "/thu-tuc/", f"/thu-tuc/{case.version.procedure.code}/", "/tra-cuu/", "/dang-nhap/",
              "/cong-dan/dang-nhap/", f"/nop-truc-tuyen/{case.pk}/", "/danh-gia/phan-anh/", "/danh-gia/hoi-dap/",
              "/minh-bach/", "/api/v1/docs"]
    assert visit(browser, live_server.url, public) == {}

    officer = with_password(tworld.user(Role.ONE_STOP_OFFICER))
    desk = ["/mot-cua/", "/mot-cua/tiep-nhan/", "/mot-cua/cua-toi/", f"/mot-cua/ho-so/{d.code}/",
            "/mot-cua/phan-anh/"]
    assert visit(browser, live_server.url, desk, officer) == {}

    supervisor = with_password(tworld.user(Role.SUPERVISOR), superuser=True)
    reports = ["/tai-khoan/xac-thuc-hai-buoc/", "/bao-cao/thong-ke/", "/bao-cao/bieu-do/", "/giam-sat/dong-bo-dvcqg/", "/admin/",
               "/admin/dossiers/dossier/", f"/admin/dossiers/dossier/{d.pk}/change/"]
    assert visit(browser, live_server.url, reports, supervisor) == {}


def test_the_check_itself_sees_a_blocked_style(browser, tworld, live_server, monkeypatch):
    """Without the allowed hashes the two-step set-up page's <style> is refused, and the test says so."""
    from motcua.ops import middleware

    monkeypatch.setattr(middleware, "INLINE_STYLES", ())
    supervisor = with_password(tworld.user(Role.SUPERVISOR), superuser=True)
    problems = visit(browser, live_server.url, ["/tai-khoan/xac-thuc-hai-buoc/"], supervisor)
    assert any("style-src" in p for p in problems["/tai-khoan/xac-thuc-hai-buoc/"])
