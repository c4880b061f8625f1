"""Tracking look-ups per second: citizens typing a dossier code and the phone number on it.

    KEEP_PGDATA=/work/pgbench .ci/with-postgres env PYTHONPATH=src .venv/bin/python bench/tracking.py
    (reuses bench/inbox.py's database of --dossiers dossiers, filling it when needed)

granian (--server granian, the default: --workers processes, HTTP parsed in Rust, keep-alive; see
docs/decisions/0006) or gunicorn (--server gunicorn: --workers of --worker-class, sync or gthread) on
loopback, DEBUG off, persistent database connections (the settings' CONN_MAX_AGE, 60 s, with the health
check of ops/postgresql), answers POST /tra-cuu/
(code + phone, CSRF token as a browser sends it) for --seconds under wrk (Debian's package; --connections
at once), each request a different dossier of 2,000 picked at random. A successful look-up answers 302 to
the dossier's page and remembers the code in a signed cookie. Prints requests per second, latency
percentiles and errors (anything but a 302). Goal: ≥ 1,500 requests/s, p99 < 30 ms.

    PYTHONPATH=src .venv/bin/python bench/tracking.py --tiny   # the tests: 200 dossiers on SQLite, no wrk

--tiny looks up 20 dossiers one by one (urllib, no wrk): each must answer 302 to the dossier's page, and
that page, opened with the cookie the look-up set, must show the dossier's code; exit 1 otherwise.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import inbox  # noqa: E402
from common import expect, gunicorn  # noqa: E402
from inbox import database  # noqa: E402

LUA = """
local pairs = {%s}
local token = "%s"
local i = 0
request = function()
  i = i + 1
  local p = pairs[(i %% #pairs) + 1]
  local body = "csrfmiddlewaretoken=" .. token .. "&code=" .. p[1] .. "&secret=" .. p[2]
  return wrk.format("POST", "/tra-cuu/", {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. token}, body)
end
local bad = 0
response = function(status, headers, body)
  if status ~= 302 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%.1f %%.2f %%.2f %%.2f %%.2f %%d %%d\\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout, bad))
end
"""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def tiny_lookups(port: int, rows, token: str) -> None:
    """Each look-up answers 302 to the dossier's page, and that page shows the dossier (see the docstring)."""
    opener = urllib.request.build_opener(_NoRedirect)
    for code, phone in rows:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "code": code, "secret": phone}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/tra-cuu/", data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={token}"})
        try:
            answer = opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:
            answer = exc
        location = answer.headers.get("Location", "")
        expect(answer.status == 302 and location.endswith(f"/tra-cuu/ho-so/{code}/"),
               f"the look-up of {code} answered {answer.status} {location!r}, not the dossier's page")
        cookies = "; ".join(c.split(";", 1)[0] for c in answer.headers.get_all("Set-Cookie") or [])
        page = urllib.request.urlopen(urllib.request.Request(
            urllib.parse.urljoin(f"http://127.0.0.1:{port}/", location), headers={"Cookie": cookies}), timeout=30)
        html = page.read().decode()
        expect(page.status == 200 and code in html, f"the page of {code} does not show it (HTTP {page.status})")
    print(f"{len(rows)} look-ups answered with the dossier's page")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server", default="granian", choices=["granian", "gunicorn"])
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"], help="gunicorn's")
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread; granian's blocking threads)")
    parser.add_argument("--keep-alive", type=int, default=2, help="seconds (gthread; sync workers close)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--tiny", action="store_true",
                        help="20 look-ups one by one on 200 dossiers (SQLite), checking each answer (the tests)")
    args = parser.parse_args()
    if args.tiny:
        inbox.DATABASE = "bench-tiny-inbox.sqlite3"
        args.dossiers, args.server = 200, "gunicorn"
    elif shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    database(args.dossiers, refill=False)
    from django.db import connection

    from motcua.dossiers.models import Dossier

    rows = list(Dossier.objects.exclude(phone="").order_by("?").values_list("code", "phone")[:2000])
    token = "benchmarkcsrftoken0123456789abcd"  # 32 characters, as a browser's cookie and form field
    lua = LUA % (",".join(f'{{"{code}","{phone}"}}' for code, phone in rows), token)
    connection.close()
    options = f"--worker-class {args.worker_class} --threads {args.threads} --keep-alive {args.keep_alive}"
    server, port = gunicorn(workers=args.workers, env={"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
                                                       "GUNICORN_CMD_ARGS": options}, server=args.server,
                            threads=args.threads)
    if args.tiny:
        try:
            tiny_lookups(port, rows[:20], token)
        finally:
            server.terminate()
            server.wait()
        return
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        warm = ["wrk", "-t2", "-c4", "-d3s", "-s", script.name, f"http://127.0.0.1:{port}"]
        subprocess.run(warm, capture_output=True, check=True)
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "5s", "-s", script.name,
             f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True,
        ).stdout
    finally:
        server.terminate()
        server.wait()
        os.unlink(script.name)
    total, rate, p50, p95, p99, worst, errors, bad = re.search(r"RESULT (.+)", out).group(1).split()
    threads = f" × {args.threads} threads" if args.worker_class == "gthread" or args.server == "granian" else ""
    kind = f"gunicorn {args.worker_class}{threads}" if args.server == "gunicorn" else f"granian (WSGI){threads}"
    print(f"{connection.vendor}, {args.workers} {kind} workers, "
          f"{args.connections} connections, {args.seconds} s: "
          f"{float(rate):,.0f} look-ups/s ({int(total):,}), latency p50 {p50} ms, p95 {p95} ms, p99 {p99} ms, "
          f"max {worst} ms; {int(errors) + int(bad)} errors")


if __name__ == "__main__":
    main()
