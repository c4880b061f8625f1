"""Citizen pages on a slow phone network: transferred size and first contentful paint.

    PYTHONPATH=src .venv/bin/python bench/pages.py               # 3 cold loads per page
    PYTHONPATH=src .venv/bin/python bench/pages.py --runs 5
    PYTHONPATH=src .venv/bin/python bench/pages.py --tiny     # the tests: 5 dossiers, 1 load, no throttling

A demo database (seed-demo) in var/bench-pages.sqlite3, served by gunicorn on loopback with the static
files served by Django's own static handler (no reverse proxy, so no compression on the wire: what the
browser receives is the uncompressed size, the worst case). For each citizen page that exists (home,
search results, browse, procedure page; the tracking, sign-in and apply pages when they answer 200) it
prints the size of the HTML plus the CSS and JavaScript it references, raw and gzip-compressed, and the
median first contentful paint of --runs cold loads in Debian's chromium under emulated slow 3G (400 ms
latency, 400 kbit/s down and up). Goals: ≤ 60 KB compressed, FCP < 2 s. Every page must answer 200 and
show what it is (its marker below); the script exits 1 otherwise.
"""

import argparse
import gzip
import http.client
import os
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]
from common import expect, gunicorn, new_sqlite, sqlite_path  # noqa: E402

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
SIZE_GOAL, FCP_GOAL = 60 * 1024, 2.0
ASSET_RE = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/[^"]+\.(?:css|js))"')


def static_application():
    """gunicorn's application (pages:static_application()): the site and its static files."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    return StaticFilesHandler(get_wsgi_application())


def database(name: str = "bench-pages.sqlite3", dossiers: int = 50) -> int:
    """A fresh demo database; returns the id of a case that accepts online dossiers (for the apply page)."""
    path = sqlite_path(name)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["MOTCUA_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    new_sqlite(path)
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.catalog.models import Case

    call_command("migrate", verbosity=0)
    call_command("seed_demo", dossiers=dossiers, stdout=open(os.devnull, "w"))
    return Case.objects.get(version__procedure__code="1.001193", code="TH1").pk


def serve():
    """The site and its static files under gunicorn (DEBUG off); returns (process, port)."""
    return gunicorn("pages:static_application()", workers=2, env={"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"},
                    extra_path=str(ROOT / "bench"))


def fetch(port: int, path: str) -> tuple[int, bytes]:
    """Status and body, without following redirects (a page that sends you elsewhere does not count)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Accept-Language": "vi"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def heading(html: bytes) -> str:
    """The page's title and first heading: what a visitor sees it is."""
    text = html.decode(errors="replace")
    found = [re.search(pattern, text, re.S) for pattern in (r"<title>(.*?)</title>", r"<h1[^>]*>(.*?)</h1>")]
    return " | ".join(m.group(1).strip() for m in found if m)


def weight(port: int, html: bytes) -> tuple[int, int, int]:
    """(raw bytes, gzip bytes, assets) of the page and the CSS/JS it references from this site."""
    raw, packed = len(html), len(gzip.compress(html))
    assets = ASSET_RE.findall(html.decode())
    for asset in assets:
        status, body = fetch(port, asset)
        if status != 200:
            raise SystemExit(f"{asset}: HTTP {status}")
        raw += len(body)
        packed += len(gzip.compress(body))
    return raw, packed, len(assets)


def first_contentful_paint(browser, url: str, throttle: bool = True) -> float:
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True)
    context.route("**/favicon.ico", lambda route: route.abort())  # none is served; keep the log quiet
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttle:
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    page.goto(url, wait_until="load", timeout=60_000)
    fcp = page.evaluate(
        """() => new Promise(done => {
            const now = performance.getEntriesByName('first-contentful-paint');
            if (now.length) return done(now[0].startTime);
            new PerformanceObserver(list => {
                const e = list.getEntriesByName('first-contentful-paint');
                if (e.length) done(e[0].startTime);
            }).observe({type: 'paint', buffered: true});
        })"""
    )
    context.close()
    return fcp / 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold loads per page (the median is printed)")
    parser.add_argument("--tiny", action="store_true",
                        help="5 dossiers in their own database, 1 load per page, no slow-3G throttling (the tests)")
    args = parser.parse_args()
    if args.tiny:
        args.runs = 1
    case_id = database("bench-tiny-pages.sqlite3", 5) if args.tiny else database()
    from django.db import connection

    connection.close()
    # (name, path, what its title or heading says; None: measured only when it answers 200 — the apply
    # page sends a visitor who is not signed in to the sign-in page).
    candidates = [
        ("home", "/", "Dịch vụ công"),
        ("search results", "/thu-tuc/?q=khai+sinh", "Tìm “khai sinh”"),
        ("browse a field", "/thu-tuc/?linh-vuc=HOTICH", "Hộ tịch"),
        ("all procedures", "/thu-tuc/", "Thủ tục hành chính"),
        ("procedure page", "/thu-tuc/1.001193/", "Đăng ký khai sinh"),
        ("procedure page (linked, 2 cases)", "/thu-tuc/3.000722/", "Liên thông điện tử"),
        ("tracking", "/tra-cuu/", "Tra cứu hồ sơ"),
        ("citizen sign-in", "/cong-dan/dang-nhap/", "Đăng nhập"),
        ("apply online", f"/nop-truc-tuyen/{case_id}/", None),
    ]
    server, port = serve()
    from playwright.sync_api import sync_playwright
    from tests.e2e.conftest import CHROMIUM_FLAGS

    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            for name, path, marker in candidates:
                status, html = fetch(port, path)
                if status != 200 and marker is None:
                    print(f"skip {path}: HTTP {status}", flush=True)
                    continue
                expect(status == 200 and marker in heading(html),
                       f"{path} is not the {name} page (HTTP {status}, {heading(html)!r})")
                raw, packed, assets = weight(port, html)
                url = f"http://127.0.0.1:{port}{path}"
                if not args.tiny:
                    first_contentful_paint(browser, url)  # warm the server's caches
                fcps = [first_contentful_paint(browser, url, throttle=not args.tiny) for _ in range(args.runs)]
                rows.append((name, path, raw, packed, assets, fcps))
                print(f"{name:<34} {path:<28} {raw / 1024:6.1f} KB raw {packed / 1024:5.1f} KB gzip ({assets} assets)  "
                      f"FCP median {statistics.median(fcps):.2f} s ({min(fcps):.2f}–{max(fcps):.2f})", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    worst_size = max(r[3] for r in rows)
    worst_fcp = max(statistics.median(r[5]) for r in rows)
    print(f"largest page {worst_size / 1024:.1f} KB gzip (goal ≤ {SIZE_GOAL // 1024} KB: {'met' if worst_size <= SIZE_GOAL else 'NOT met'}); "
          f"slowest median FCP {worst_fcp:.2f} s (goal < {FCP_GOAL:g} s: {'met' if worst_fcp < FCP_GOAL else 'NOT met'})")


if __name__ == "__main__":
    main()
