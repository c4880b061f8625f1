"""Worker tasks (huey) of the outbox. Run the worker with `python -m motcua run_huey`; more workers: `-w N`,
or more processes on more machines sharing REDIS_URL. Each app's periodic tasks live in its own tasks.py
(the deadline watches in dossiers and feedback, the nightly re-push in integrations); huey finds them all."""

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import outbox

MAX_ROUNDS = 50  # one wake-up delivers at most this many batches, then yields to other tasks


@db_task()
def deliver_soon():
    HUEY.delete(outbox.WAKE_PENDING)  # before the first claim: a row committed from now on wakes a new run
    for _ in range(MAX_ROUNDS):
        counts = outbox.deliver_batch()
        if not any(counts.values()):
            break


@db_periodic_task(crontab(minute="*"))
def sweep():
    """Every minute: retries that came due, and rows a killed worker left behind."""
    deliver_soon.call_local()
