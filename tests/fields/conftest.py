"""The counter's clock, for the tests that send bad input through the counter."""

from tests.desk.conftest import desk_clock  # noqa: F401
