from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import audit, watch


@db_periodic_task(crontab(hour="0", minute="20"))
def seal_audit_log():
    """Each night: seal the dossier events chosen the night before (dossiers/audit.py)."""
    audit.seal()


@db_periodic_task(crontab(hour="7", minute="30"))
def deadline_watch():
    """Each morning at 07:30 (it does nothing on a non-working day): due soon, overdue, apologies owed,
    supplement windows run out (dossiers/watch.py)."""
    watch.run()
