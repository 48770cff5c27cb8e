"""The persona ``world`` (tests/conftest.py), for the workforce measures' worked example."""

from tests.conftest import world

__all__ = ["world"]
