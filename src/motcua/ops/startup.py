"""What a web process does once, after Django has started and before it serves (wsgi.py files)."""

import gc

from django.urls import get_resolver


def started(app):
    """`app` with what start-up loaded (settings, models, URL patterns and the views they import) left
    out of garbage collection for good: those objects live as long as the process, and a full collection
    walking them took ~80 ms in the middle of some request (the look-ups' p99 was such pauses)."""
    get_resolver().check()  # loads the URLconf and the views now rather than on the first request
    gc.freeze()
    return app
