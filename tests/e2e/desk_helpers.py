"""Helpers for the desk's browser journeys: people signing in through /dang-nhap/ in their own browser
windows, the desk's clock, a forged form post, and reading the printed PDFs (pdftotext, pdftoppm + zbarimg)."""

import re
import subprocess
from datetime import datetime
from pathlib import Path

from django.utils import timezone

PASSWORD = "Thanh-Hoa-mot-cua-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DESK = "/mot-cua"


def at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


def local(moment: datetime) -> str:
    """As the desk shows times: 09:00 26/11/2026."""
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


class DeskClock:
    """The desk's clock (motcua.desk.services.current_time), moved by the journey."""

    def __init__(self):
        self.now = at("2026-11-16 09:00")

    def set(self, text: str) -> datetime:
        self.now = at(text)
        return self.now

    def __call__(self):
        return self.now


def staff(user, *, last_name: str, first_name: str):
    """A world user with a password to type and a real name to show."""
    user.set_password(PASSWORD)
    user.last_name, user.first_name = last_name, first_name
    user.save()
    return user


def sign_in(page, user, password: str = PASSWORD) -> None:
    """Type the user name and password on the sign-in page, as a person would."""
    page.goto("/dang-nhap/")
    assert page.locator("h1").inner_text() == "Đăng nhập dành cho cán bộ"
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/mot-cua/"))


class Office:
    """Each person at their own computer: a browser context per person, closed at the end."""

    def __init__(self, browser, live_url: str):
        self.browser = browser
        self.live_url = live_url
        self.contexts = []

    def person(self, user):
        context = self.browser.new_context(
            base_url=self.live_url, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.live_url = self.live_url
        sign_in(page, user)
        return page

    def close(self):
        for context in self.contexts:
            context.close()


def main_text(page) -> str:
    return re.sub(r"\s+", " ", page.inner_text("main"))


def open_dossier_from_inbox(page, code: str, nav: str = "Hồ sơ của tôi") -> None:
    page.get_by_role("navigation").get_by_role("link", name=nav, exact=True).click()
    page.locator(f'tr[data-code="{code}"]').get_by_role("link", name=code).click()
    page.wait_for_url(f"**{DESK}/ho-so/{code}/")


def open_action(page, label: str):
    """Open the action's fold on the dossier page and return it."""
    details = page.locator("details.action", has=page.locator("summary", has_text=label))
    details.locator("summary").click()
    return details


def do_action(page, label: str, fill=None) -> None:
    """Open an action, let `fill(details)` type into it, press its button, land back on the dossier page."""
    details = open_action(page, label)
    if fill is not None:
        fill(details)
    with page.expect_navigation():
        details.get_by_role("button", name=label).click()


def forged_post(page, url: str, fields: dict | None = None):
    """What a stale page, a bookmarked form or a hand-made request sends: a form the page does not offer,
    posted from the page with its own CSRF token. Returns the response the browser navigates to."""
    token = page.evaluate(
        """() => {
            const input = document.querySelector('input[name=csrfmiddlewaretoken]');
            if (input) return input.value;
            const m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
            return m ? decodeURIComponent(m[1]) : '';
        }"""
    )
    with page.expect_navigation() as nav:
        page.evaluate(
            """([url, fields]) => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = url;
                for (const [name, value] of Object.entries(fields)) {
                    const input = document.createElement('input');
                    input.type = 'hidden'; input.name = name; input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            [url, {"csrfmiddlewaretoken": token, **(fields or {})}],
        )
    return nav.value


# ---------------------------------------------------------------- printed forms


def fetch_pdf(page, url: str, path: Path) -> Path:
    """Download with the signed-in person's cookies, as the print button would."""
    response = page.request.get(url)
    assert response.status == 200, response.text()[:500]
    assert response.headers["content-type"] == "application/pdf"
    path.write_bytes(response.body())
    return path


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True)
    return re.sub(r"\s+", " ", out.stdout)


def qr_codes(path: Path) -> list[str]:
    """Every QR code on every page, decoded."""
    prefix = path.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(prefix)], check=True, capture_output=True)
    found = []
    for image in sorted(path.parent.glob(f"{prefix.name}*.png")):
        out = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True)
        found += [line for line in out.stdout.splitlines() if line.strip()]
    return found


def print_link(page, label: str) -> str:
    href = page.get_by_role("link", name=label).get_attribute("href")
    assert href and href.endswith(".pdf"), href
    return href
