"""Worker tasks of the online applications."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="2", minute="40"))
def housekeeping():
    """Each night: unfinished uploads, abandoned drafts, expired codes and rate-limit counters."""
    from .housekeeping import run

    run()
