"""What the fault drills share: submitting through nginx like an integrator that retries, and checking the
database afterwards. Run the drills through deploy/exec (the deployment's DATABASE_URL and settings):

    deploy/exec .venv/bin/python bench/faults/kill9.py
    deploy/exec .venv/bin/python bench/faults/kill9.py --tiny   # a few seconds (skipped without a deployment)

An integrator's submission is acknowledged when the API answers 201 (created) or 200 (the same
Idempotency-Key seen before: the first dossier). On a connection error or a 5xx the client sends the
same request again with the same key, as docs/api.md asks, until acknowledged or out of attempts.
"""

import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench" / "load")]
STATE = Path(os.environ.get("MOTCUA_STATE", ROOT / "var" / "deploy"))
PORT = int(os.environ.get("NGINX_PORT", "8080"))


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua_site.settings")
    import django

    django.setup()


def deploy(*args: str) -> None:
    subprocess.run([str(ROOT / "deploy" / args[0]), *args[1:]], check=True, stdout=subprocess.DEVNULL)


def pid_of(name: str) -> int:
    return int((STATE / "run" / f"{name}.child").read_text())


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it is not)."""
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def deployment_or_skip(tiny: bool) -> None:
    """A drill needs a deployment (deploy/up) answering through nginx on NGINX_PORT. Its tiny run (--tiny,
    tests/benchmarks/test_bench_tiny.py) on a machine without one prints why and exits 0; a full run stops."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
        conn.request("GET", "/readyz")
        if conn.getresponse().status == 200:
            return
    except OSError:
        pass
    if tiny:
        print(f"skipped: no deployment answers on 127.0.0.1:{PORT} (deploy/up, then run through deploy/exec)")
        sys.exit(0)
    raise SystemExit(f"no deployment answers on 127.0.0.1:{PORT}: deploy/up first, run through deploy/exec")


def ready(timeout: float = 60) -> float:
    """Seconds until /readyz answers 200 through nginx (raises after timeout)."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return time.monotonic() - began
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"/readyz not 200 after {timeout} s")


class Submitter:
    """`threads` integrator threads submitting dossiers one after another until stop(); each dossier's
    summary carries the run id and its number, so that the database can be checked against the answers."""

    def __init__(self, run: str, threads: int = 4, attempts: int = 30):
        import run as load_bodies  # bench/load/run.py

        setup()
        from django.db import connection

        self.run, self.attempts = run, attempts
        self.key = load_bodies.api_key()
        self.bodies = [json.loads(b) for b in load_bodies.submission_bodies(50)]
        connection.close()
        self.acked: dict[str, str] = {}  # number → dossier code
        self.failed: list[str] = []  # numbers never acknowledged
        self.first_try_errors: dict[str, int] = {}  # status or exception name → count
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.counter = 0
        self.threads = [threading.Thread(target=self.loop, args=(i,)) for i in range(threads)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join()

    def next_number(self) -> str:
        with self.lock:
            self.counter += 1
            return f"{self.counter:06d}"

    def loop(self, index: int):
        rng = random.Random(index)
        while not self.stopping.is_set():
            number = self.next_number()
            body = dict(rng.choice(self.bodies), summary=f"fault drill {self.run} {number}")
            data = json.dumps(body, ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.key}",
                       "Idempotency-Key": f"{self.run}-{number}"}
            for attempt in range(self.attempts):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                    conn.request("POST", "/api/v1/dossiers", body=data, headers=headers)
                    response = conn.getresponse()
                    payload = response.read()
                    conn.close()
                    if response.status in (200, 201):
                        with self.lock:
                            self.acked[number] = json.loads(payload)["code"]
                        break
                    outcome = str(response.status)
                except OSError as exc:
                    outcome = type(exc).__name__
                with self.lock:
                    self.first_try_errors[outcome] = self.first_try_errors.get(outcome, 0) + 1
                if outcome.startswith("4") and outcome != "429":  # refused as bad input: retrying will not help
                    with self.lock:
                        self.failed.append(number)
                    break
                time.sleep(min(0.2 * 2 ** attempt, 3))
            else:
                with self.lock:
                    self.failed.append(number)


def check_dossiers(run: str, acked: dict[str, str]) -> tuple[bool, list[str]]:
    """Every acknowledged submission exists exactly once, under the code it was acknowledged with; no
    dossier of the run is half-written (its submit event, its components as the case lists them, its
    idempotency record, its event counter equal to its events)."""
    setup()
    from django.db.models import Count

    from motcua.dossiers.models import Dossier, DossierEvent, IdempotencyRecord

    lines, ok = [], True
    rows = list(Dossier.objects.filter(summary__startswith=f"fault drill {run} ")
                .annotate(n_events=Count("events", distinct=True), components_n=Count("components", distinct=True))
                .values("pk", "code", "summary", "n_events", "components_n", "last_event_seq", "case_id"))
    per_number: dict[str, list[dict]] = {}
    for row in rows:
        per_number.setdefault(row["summary"].rsplit(" ", 1)[1], []).append(row)
    duplicated = {n: len(v) for n, v in per_number.items() if len(v) > 1}
    missing = [n for n in acked if n not in per_number]
    wrong_code = [n for n, code in acked.items() if n in per_number and per_number[n][0]["code"] != code]
    from motcua.catalog.models import Component

    expected_components = dict(Component.objects.values("case_id").annotate(n=Count("pk")).values_list("case_id", "n"))
    no_event = [r["code"] for r in rows if r["n_events"] == 0]
    seq_off = [r["code"] for r in rows if r["n_events"] != r["last_event_seq"]]
    comp_off = [r["code"] for r in rows if r["components_n"] != expected_components.get(r["case_id"], 0)]
    from motcua.dossiers.codes import looks_like_code

    no_number = [r["code"] for r in rows if not looks_like_code(r["code"])]  # the number is taken last
    submit_events = DossierEvent.objects.filter(dossier_id__in=[r["pk"] for r in rows], action="submit").count()
    keys = IdempotencyRecord.objects.filter(key__startswith=f"{run}-", action="submit").count()
    unacked_stored = [n for n in per_number if n not in acked]
    lines.append(f"acknowledged {len(acked):,}; dossiers of the run in the database {len(rows):,} "
                 f"({len(unacked_stored)} stored but never acknowledged: the client gave up or the answer was lost)")
    lines.append(f"missing {len(missing)}, duplicated {len(duplicated)}, acknowledged under another code {len(wrong_code)}")
    lines.append(f"half-written: without events {len(no_event)}, event counter off {len(seq_off)}, "
                 f"components not as the case lists {len(comp_off)}, without a day number {len(no_number)}; submit events {submit_events:,}, idempotency records {keys:,}")
    if missing or duplicated or wrong_code or no_event or seq_off or comp_off or no_number or submit_events != len(rows) or keys != len(rows):
        ok = False
        lines.append(f"  examples: missing {missing[:3]} duplicated {list(duplicated.items())[:3]} "
                     f"no event {no_event[:3]} seq {seq_off[:3]} components {comp_off[:3]} codes {no_number[:3]}")
    return ok, lines


def verdict(name: str, ok: bool, lines: list[str]) -> None:
    print(f"{'PASS' if ok else 'FAIL'} {name}")
    for line in lines:
        print(f"  {line}")
    sys.exit(0 if ok else 1)
