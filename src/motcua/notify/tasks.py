"""Worker tasks (huey). Run the worker with `python -m motcua run_huey`; more workers: `-w N`, or more
processes on more machines sharing REDIS_URL."""

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


@db_periodic_task(crontab(hour="7", minute="30"))
def deadline_watch():
    """Each morning at 07:30 (it does nothing on a non-working day): due soon, overdue, apologies owed,
    supplement windows run out."""
    from motcua.dossiers import watch
    from motcua.feedback import watch as feedback_watch

    watch.run()
    feedback_watch.run()  # feedback (PAKN) answers due soon or late


@db_periodic_task(crontab(hour="1", minute="15"))
def dvcqg_nightly_repush():
    """Each night, re-synchronise yesterday's dossiers with the national portal (a catch-up for anything
    a failure or an outage may have left behind; the receiver drops duplicates)."""
    from datetime import timedelta

    from django.utils import timezone

    from motcua.integrations.dvcqg import repush

    yesterday = timezone.localdate() - timedelta(days=1)
    repush(yesterday, yesterday, tag=f"nightly-{yesterday:%Y%m%d}")
