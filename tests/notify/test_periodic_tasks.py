"""Periodic tasks live with their app (issue 19, item 3): the worker finds each one, and the outbox's task
module reaches into no other app."""

from pathlib import Path

from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

SRC = Path(__file__).resolve().parents[2] / "src" / "motcua"


def test_each_app_schedules_its_own_periodic_work():
    autodiscover_modules("tasks")  # what `run_huey` does when the worker starts
    periodic = {f"{type(task).__module__}.{type(task).__name__}" for task in HUEY._registry.periodic_tasks}
    for name in ("motcua.dossiers.tasks.deadline_watch", "motcua.dossiers.tasks.seal_audit_log",
                 "motcua.feedback.tasks.feedback_deadline_watch", "motcua.integrations.tasks.dvcqg_nightly_repush",
                 "motcua.notify.tasks.sweep"):
        assert name in periodic, f"{name} is not scheduled: {sorted(periodic)}"


def test_the_outbox_tasks_import_no_other_app():
    source = (SRC / "notify" / "tasks.py").read_text()
    assert "motcua.dossiers" not in source and "motcua.feedback" not in source and "motcua.integrations" not in source
