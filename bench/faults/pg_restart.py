"""Drill: restart PostgreSQL in the middle of a submission run; the service recovers without a hand.

    deploy/exec .venv/bin/python bench/faults/pg_restart.py [--seconds 40]

Integrator threads submit through nginx; at a third of the run PostgreSQL is stopped (fast shutdown: open
transactions are rolled back) and started again with deploy/ (nothing else is touched: the web servers and
the worker keep running). PASS when submissions are acknowledged again after the restart without restarting
anything else, every acknowledged one exists exactly once, and no dossier is half-written.
"""

import argparse
import time

from drill import Submitter, check_dossiers, deploy, deployment_or_skip, ready, verdict


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--tiny", action="store_true", help="6 s (skipped without a deployment)")
    args = parser.parse_args()
    deployment_or_skip(args.tiny)
    if args.tiny:
        args.seconds = 6
    run = f"pgrestart-{int(time.time())}"
    submitter = Submitter(run, threads=4).start()
    time.sleep(args.seconds / 3)
    before = len(submitter.acked)
    began = time.monotonic()
    deploy("down", "postgres")
    stopped = time.monotonic() - began
    deploy("up", "--no-install", "--skip-static")
    restarted = time.monotonic() - began
    back = ready(60) + restarted
    at_restart = len(submitter.acked)
    time.sleep(args.seconds * 2 / 3)
    submitter.stop()
    after = len(submitter.acked) - at_restart
    ok, lines = check_dossiers(run, submitter.acked)
    lines = [f"PostgreSQL stopped in {stopped:.1f} s and running again {restarted:.1f} s after the stop began; "
             f"/readyz 200 after {back:.1f} s (deploy/up also re-ran migrate, a no-op)",
             f"acknowledged before the restart {before}, during it {at_restart - before}, after it {after}",
             f"answers that were not an acknowledgement, then retried with the same key: {submitter.first_try_errors or 'none'}; "
             f"never acknowledged: {len(submitter.failed)}", *lines]
    verdict("PostgreSQL restarted during submissions", ok and after > 0 and not submitter.failed, lines)


if __name__ == "__main__":
    main()
