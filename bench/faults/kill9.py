"""Drill: kill -9 a web process and the worker during a submission run.

    deploy/exec .venv/bin/python bench/faults/kill9.py [--seconds 40]

Integrator threads submit through nginx for --seconds. At 1/4 of the run a worker process of web-api (the
granian server the API's requests go to) gets SIGKILL (mid-request, most likely); at 2/4 the huey consumer;
at 3/4 web-api's main process alone (its workers do not notice their parent's death: the supervisor
must remove them), so that nginx sends the API's requests to the other servers until it is back. The
supervisor (deploy/supervise) and granian start them again. PASS when the killed main process's workers
are gone, every
acknowledged submission exists exactly once with its events and components, no dossier is half-written,
no submission stayed unacknowledged, and the site is ready again afterwards with the outbox rows of the
run delivered or waiting (none lost).
"""

import argparse
import os
import signal
import time

from drill import Submitter, alive, check_dossiers, children, deployment_or_skip, pid_of, ready, verdict


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--tiny", action="store_true", help="8 s (skipped without a deployment)")
    args = parser.parse_args()
    deployment_or_skip(args.tiny)
    if args.tiny:
        args.seconds = 8
    run = f"kill9-{int(time.time())}"
    submitter = Submitter(run, threads=args.threads).start()
    step = args.seconds / 4
    killed = []
    time.sleep(step)
    worker = children(pid_of("web-api"))[0]
    os.kill(worker, signal.SIGKILL)
    killed.append(f"granian worker {worker} of web-api")
    time.sleep(step)
    consumer = pid_of("worker-1")
    os.kill(consumer, signal.SIGKILL)
    killed.append(f"huey consumer {consumer}")
    time.sleep(step)
    main_process = pid_of("web-api")
    its_workers = children(main_process)
    os.kill(main_process, signal.SIGKILL)
    killed.append(f"granian main process {main_process} of web-api (its workers {its_workers} left to the supervisor)")
    time.sleep(step)
    submitter.stop()
    back = ready(90)
    time.sleep(3)
    restarted = {name: pid_of(name) for name in ("web-api", "worker-1")}
    orphans = [pid for pid in its_workers if alive(pid)]
    ok, lines = check_dossiers(run, submitter.acked)
    from motcua.notify.models import OutboxMessage

    outbox = OutboxMessage.objects.filter(dossier__summary__startswith=f"fault drill {run} ")
    by_status = {s: outbox.filter(status=s).count() for s in ("pending", "sending", "delivered", "dead")}
    lines = [f"killed: {'; '.join(killed)}",
             f"restarted: web-api main process now {restarted['web-api']}, huey consumer now {restarted['worker-1']}; ready {back:.1f} s after the run",
             f"workers of the killed main process still running: {orphans or 'none'}",
             f"answers that were not an acknowledgement, then retried with the same key: {submitter.first_try_errors or 'none'}; "
             f"never acknowledged: {len(submitter.failed)}",
             *lines, f"outbox rows of the run: {by_status} (sending rows of a killed worker are retried after the lease)"]
    ok = ok and not submitter.failed and restarted["worker-1"] != consumer and restarted["web-api"] != main_process and not orphans and by_status["dead"] == 0
    verdict("kill -9 of a web worker, the huey consumer and a web server's main process during submissions", ok, lines)


if __name__ == "__main__":
    main()
