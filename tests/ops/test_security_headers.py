"""HTTP hardening: the security headers on pages, Secure cookies, HTTPS on by default in production, and a
Content-Security-Policy that every inline style of the browser templates fits."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from motcua.ops.middleware import INLINE_STYLES, content_security_policy, source_hash
from motcua.reports import charts

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "motcua"


def directives(header: str) -> dict:
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_an_html_page_carries_the_security_headers(client, db):
    response = client.get("/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"] and csp["object-src"] == ["'none'"]
    # Styles from the site's own files, and only the listed inline styles (by hash, never 'unsafe-inline').
    assert csp["style-src"][0] == "'self'" and "'unsafe-inline'" not in csp["style-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@override_settings(MOTCUA_PAYMENT_URL="https://pay.example.gov.vn/api/v1/init",
                   MOTCUA_OIDC_ISSUER="https://id.example.gov.vn/realms/citizens")
def test_forms_may_lead_to_the_payment_platform_and_the_identity_provider():
    form_action = directives(content_security_policy())["form-action"]
    assert form_action == ["'self'", "https://pay.example.gov.vn", "https://id.example.gov.vn"]


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_cookies_are_secure_when_https_is_on(client, world):
    user = world.user("one_stop_officer")
    user.set_password("mat-khau-thu-2026")
    user.save()
    page = client.get("/dang-nhap/")
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post("/dang-nhap/", {"username": user.username, "password": "mat-khau-thu-2026"})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]


@override_settings(SECURE_SSL_REDIRECT=True)
def test_https_redirect_spares_the_probes_and_the_scrape(client, db):
    response = client.get("/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code in (200, 503)
    assert client.get("/metrics").status_code == 200


def _settings_in_a_fresh_process(**env) -> dict:
    code = ("from motcua import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.LOG_FORMAT)")
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "MOTCUA_HTTPS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                          "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "LOG_FORMAT"}}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, "PYTHONPATH": str(REPO / "src"), **env},
                         check=True, capture_output=True, text=True, timeout=60, cwd=REPO).stdout.split()
    return dict(zip(("redirect", "session", "csrf", "hsts", "log"), out, strict=True))


def test_production_defaults_are_https_and_json_logs():
    assert _settings_in_a_fresh_process(DEBUG="0") == {
        "redirect": "True", "session": "True", "csrf": "True", "hsts": "31536000", "log": "json"}


def test_debug_and_explicit_http_stay_on_plain_http():
    assert _settings_in_a_fresh_process(DEBUG="1") == {
        "redirect": "False", "session": "False", "csrf": "False", "hsts": "0", "log": "text"}
    assert _settings_in_a_fresh_process(DEBUG="0", MOTCUA_HTTPS="0")["redirect"] == "False"


# Templates rendered to PDF by WeasyPrint, never served to a browser: their inline styles are fine.
PDF_TEMPLATES = ("printing/templates/", "reports/templates/reports/pdf/", "payments/templates/payments/receipt.html")


def browser_templates():
    for path in sorted(SRC.glob("*/templates/**/*.html")) + sorted(SRC.glob("templates/**/*.html")):
        rel = path.relative_to(SRC).as_posix()
        if not any(rel.startswith(p) or rel == p for p in PDF_TEMPLATES):
            yield rel, path.read_text()


def test_every_inline_style_of_the_browser_templates_is_allowed_by_the_policy():
    allowed = set(INLINE_STYLES)
    found = []
    for rel, text in browser_templates():
        for value in re.findall(r"""\sstyle\s*=\s*"([^"]*)\"""", text) + re.findall(r"<style[^>]*>(.*?)</style>", text, re.S):
            if value not in allowed:
                found.append((rel, value))
    assert found == [], "inline styles the CSP blocks: move them to the app's CSS file, or list them in INLINE_STYLES"
    policy = content_security_policy()
    for style in INLINE_STYLES:
        assert source_hash(style) in policy


def test_the_chart_frame_style_is_allowed_by_the_policy():
    svg = charts.empty("c1", "Biểu đồ", "11/2026")
    assert set(re.findall(r'\sstyle="([^"]*)"', svg)) <= set(INLINE_STYLES)


def test_no_browser_template_has_inline_scripts_or_event_handlers():
    found = []
    for rel, text in browser_templates():
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag and "application/ld+json" not in tag:
                found.append((rel, tag))
        found += [(rel, h) for h in re.findall(r"""<[^>]*\son[a-z]+\s*=\s*["'][^>]*>""", text)]
        found += [(rel, "javascript: URL") for _ in re.findall(r"""href\s*=\s*["']\s*javascript:""", text, re.I)]
    assert found == []


@pytest.mark.parametrize("rel, text", list(browser_templates()))
def test_every_post_form_carries_the_csrf_token(rel, text):
    for form in re.findall(r"<form\b[^>]*>.*?</form>", text, re.S | re.I):
        opening = form[: form.index(">") + 1]
        if re.search(r"""method\s*=\s*["']?post""", opening, re.I):
            assert "{% csrf_token %}" in form, f"{rel}: {opening}"
