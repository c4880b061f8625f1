"""Worker tasks of the reports app: background exports (see jobs.py)."""

from huey.contrib.djhuey import db_task


@db_task()
def run_export(job_id: int):
    """Build the file of one export job. Never raises: run_job marks a failing job failed, with an error id
    logged and shown to its owner, so the task is not retried into the same failure."""
    from .jobs import run_job

    run_job(job_id)
