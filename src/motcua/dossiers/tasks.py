from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import audit


@db_periodic_task(crontab(hour="0", minute="20"))
def seal_audit_log():
    """Each night: seal the dossier events chosen the night before (dossiers/audit.py)."""
    audit.seal()
