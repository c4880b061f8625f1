from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .dvcqg import repush


@db_periodic_task(crontab(hour="1", minute="15"))
def dvcqg_nightly_repush():
    """Each night, re-synchronise yesterday's dossiers with the national portal (a catch-up for anything
    a failure or an outage may have left behind; the receiver drops duplicates)."""
    yesterday = timezone.localdate() - timedelta(days=1)
    repush(yesterday, yesterday, tag=f"nightly-{yesterday:%Y%m%d}")
