import pytest

from tests.factories import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def tworld(transactional_db):
    """The same world for tests that need real commits (several connections, threads)."""
    return build_world()
