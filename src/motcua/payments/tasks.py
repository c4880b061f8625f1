"""Worker tasks of the payments app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/10"))
def recheck_unconfirmed_payments():
    """Every 10 minutes: ask the payment platform about transactions nobody confirmed."""
    from .services import recheck_unconfirmed

    recheck_unconfirmed()
