"""Browser journeys: Playwright for Python driving Debian's chromium (never `playwright install`)
against pytest-django's live server. Each journey saves screenshots under tests/e2e/screenshots/ for a
person to look at (ignored by git)."""

import os
import re
import shutil
from pathlib import Path

import pytest

# The live server and the ORM run in this thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: run scripts/system-packages test (make test does).")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings, request):
    settings.MOTCUA_PUBLIC_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.live_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server, settings):
    """A cheap phone's narrow screen."""
    settings.MOTCUA_PUBLIC_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 360, "height": 740},
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.live_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def shot(request):
    """shot(page, "step-name"): a full-page screenshot named after the test and the step."""
    SCREENSHOTS.mkdir(exist_ok=True)
    test = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")
    counter = iter(range(1, 100))

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{test}-{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


AXE = Path(__file__).resolve().parents[2] / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe():
    """axe(page): the serious and critical accessibility violations axe-core finds on the page, as
    "rule: target" strings (axe-core comes from npm, installed into the venv by `make test`)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install-test` (npm install axe-core into .venv/node).")
    script = AXE.read_text()

    def check(page) -> list[str]:
        # Evaluated through the DevTools protocol, not as an inline <script>: the pages' CSP forbids those.
        page.evaluate(script)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{v['id']}: {', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in result["violations"] if v.get("impact") in ("serious", "critical")
        ]

    return check
