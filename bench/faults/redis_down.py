"""Drill: Redis (the huey queue) down while dossiers are submitted; their outbox rows wait and are
delivered once Redis is back.

    deploy/exec .venv/bin/python bench/faults/redis_down.py [--seconds 20]

Redis is stopped; integrator threads submit through nginx for --seconds (each submission writes its
outbox rows in its own transaction); then Redis is started again with deploy/. PASS when every
acknowledged submission exists exactly once, none is half-written, and every outbox row of the run is
delivered within --wait seconds after Redis is back (the worker's sweep picks up rows nobody woke it for).
Reports what the submitters saw while Redis was down.
"""

import argparse
import time

from drill import Submitter, check_dossiers, deploy, deployment_or_skip, ready, verdict


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--wait", type=int, default=180)
    parser.add_argument("--tiny", action="store_true", help="3 s (skipped without a deployment)")
    args = parser.parse_args()
    deployment_or_skip(args.tiny)
    if args.tiny:
        args.seconds, args.wait = 3, 60
    run = f"redisdown-{int(time.time())}"
    deploy("down", "redis")
    submitter = Submitter(run, threads=2).start()
    time.sleep(args.seconds)
    submitter.stop()
    from motcua.notify.models import OutboxMessage

    rows = OutboxMessage.objects.filter(dossier__summary__startswith=f"fault drill {run} ")
    waiting = rows.exclude(status="delivered").count()
    total = rows.count()
    seen = dict(submitter.first_try_errors)
    deploy("up", "--no-install", "--skip-static")
    ready(60)
    began = time.monotonic()
    while rows.exclude(status="delivered").exists() and time.monotonic() - began < args.wait:
        time.sleep(2)
    delivered_after = time.monotonic() - began
    left = {s: rows.filter(status=s).count() for s in ("pending", "sending", "dead")}
    ok, lines = check_dossiers(run, submitter.acked)
    lines = [f"while Redis was down ({args.seconds} s): {len(submitter.acked)} submissions acknowledged; answers that were "
             f"not an acknowledgement, then retried with the same key: {seen or 'none'}; never acknowledged {len(submitter.failed)}",
             f"outbox rows of the run: {total}, not delivered when Redis came back {waiting}; "
             f"after {delivered_after:.0f} s: not delivered {left}", *lines]
    verdict("Redis down during submissions, outbox delivered afterwards",
            ok and not submitter.failed and total > 0 and not any(left.values()), lines)


if __name__ == "__main__":
    main()
