"""What a web process does once, after Django has started and before it serves (wsgi.py files)."""

import gc

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_resolver

from . import secrets


def started(app):
    """`app` with what start-up loaded (settings, models, URL patterns and the views they import) left
    out of garbage collection for good: those objects live as long as the process, and a full collection
    walking them took ~80 ms in the middle of some request (the look-ups' p99 was such pauses)."""
    refuse_weak_secrets()
    get_resolver().check()  # loads the URLconf and the views now rather than on the first request
    gc.freeze()
    return app


def refuse_weak_secrets():
    """WSGI servers run no system checks: the secrets' check is run here, so a web process on a default
    or missing secret stops with the check's message instead of serving."""
    errors = secrets.check_secrets()
    if errors:
        raise ImproperlyConfigured("\n".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))
