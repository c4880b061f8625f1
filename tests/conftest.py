import pytest

from tests.factories import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def tworld(transactional_db):
    """The same world for tests that need real commits (several connections, threads)."""
    return build_world()


def _flushes_the_database(item) -> bool:
    """Whether the test runs with real commits: pytest-django empties every table after it."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))



@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A flush after a test with real commits also removes the rows the migrations wrote (the default
    reasons and message templates). pytest-django runs such tests last, but spread over several
    processes (pytest-xdist) a file of ordinary tests may come after them: once the test's fixtures
    are torn down (the flush included), the rows are put back."""
    yield
    if nextitem is not None and _flushes_the_database(item):
        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        from tests.factories import restore_migration_rows

        with item.config.stash[blocking_manager_key].unblock():
            restore_migration_rows(apps)
