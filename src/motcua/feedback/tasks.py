from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import watch


@db_periodic_task(crontab(hour="7", minute="31"))
def feedback_deadline_watch():
    """Each morning at 07:31 (it does nothing on a non-working day): feedback (PAKN) answers due soon or
    late (feedback/watch.py), just after the dossiers' watch."""
    watch.run()
