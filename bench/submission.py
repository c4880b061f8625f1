"""What one submission costs: POST /api/v1/dossiers through Django's WSGI handler, in this process.

    KEEP_PGDATA=/work/pgbench PGPORT=54340 .ci/with-postgres env PYTHONPATH=src .venv/bin/python bench/submission.py
    (reuses bench/inbox.py's database of 1,000,000 dossiers; --statements lists one submission's SQL)
    PYTHONPATH=src .venv/bin/python bench/submission.py --tiny   # the tests: 10 on bench/inbox.py --tiny's (SQLite)

No HTTP server, no load generator: the same middleware, API, services and database as a served request,
so the figures are the application's own cost. Bodies are made as bench/load/ makes them (procedure, case
and agencies of recent dossiers, a new applicant each), each with a new Idempotency-Key, sent by the demo
province's system key (the API's rate limit raised for it). Prints per submission: wall time, CPU of this
process (Django) and CPU of its PostgreSQL backend (read from /proc, so PostgreSQL on this machine).
"""

import argparse
import gc
import io
import logging
import os
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE / "load"), str(HERE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.update(DEBUG="0", ALLOWED_HOSTS="127.0.0.1", MOTCUA_HTTPS="0", MOTCUA_API_REQUESTS_PER_MINUTE="100000000")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="submissions measured (after 30 to warm up)")
    parser.add_argument("--statements", action="store_true", help="list the SQL of one submission")
    parser.add_argument("--tiny", action="store_true",
                        help="10 submissions on bench/inbox.py --tiny's database, SQLite unless DATABASE_URL (the tests)")
    args = parser.parse_args()
    if args.tiny:
        import inbox

        inbox.DATABASE, args.count = "bench-tiny-inbox.sqlite3", 10
        inbox.database(200, refill=False)  # fills it when bench/inbox.py --tiny has not
    elif "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL (run through .ci/with-postgres, see above)")
    import django

    django.setup()
    import run as load  # bench/load/run.py
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    key = load.api_key()
    bodies = [body.encode() for body in load.submission_bodies(200)]
    app = WSGIHandler()
    quiet = open(os.devnull, "w")  # the access log line of each request is written, to nowhere
    for handler in logging.getLogger().handlers:
        if hasattr(handler, "stream"):
            handler.stream = quiet

    def submit(i: int) -> None:
        body = bodies[i % len(bodies)]
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/dossiers", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)), "HTTP_AUTHORIZATION": f"Bearer {key}",
            "HTTP_IDEMPOTENCY_KEY": f"bench-submission-{uuid.uuid4().hex}", "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http", "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.errors": sys.stderr,
        }
        status = []
        answer = b"".join(app(environ, lambda s, headers, *rest: status.append(s)))
        if not status[0].startswith("201"):
            raise SystemExit(f"submission refused: {status[0]} {answer[:300]!r}")

    for i in range(3 if args.tiny else 30):
        submit(i)
    gc.freeze()  # as the web processes do after start-up (motcua/ops/startup.py)
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]

    def backend_cpu() -> float:
        if backend is None:  # SQLite (--tiny): the database works in this process
            return 0.0
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    wall, cpu, db = time.perf_counter(), time.process_time(), backend_cpu()
    for i in range(args.count):
        submit(i)
    n = args.count / 1000
    print(f"{connection.vendor}, {args.count} submissions: wall {(time.perf_counter() - wall) / n:.1f} ms, "
          f"Django CPU {(time.process_time() - cpu) / n:.1f} ms"
          + (f", PostgreSQL CPU {(backend_cpu() - db) / n:.1f} ms" if backend else "") + " per submission")
    if args.statements:
        with CaptureQueriesContext(connection) as captured:
            submit(7)
        for query in captured.captured_queries:
            print(" ", query["sql"][:160])
        print(f"{len(captured.captured_queries)} statements")


if __name__ == "__main__":
    main()
