"""A web process leaves what start-up loaded out of garbage collection (ops/startup.py)."""

import gc

from motcua.ops.startup import started


def test_start_up_objects_are_frozen_and_the_urlconf_loaded():
    gc.unfreeze()
    before = gc.get_freeze_count()
    app = object()
    try:
        assert started(app) is app
        assert before == 0 and gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def test_the_wsgi_module_starts_that_way():
    import importlib
    import sys

    gc.unfreeze()
    try:
        sys.modules.pop("motcua.wsgi", None)
        module = importlib.import_module("motcua.wsgi")
        assert callable(module.application)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
