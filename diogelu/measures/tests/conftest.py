"""The persona ``world`` (tests/conftest.py), for the workforce measures' worked example."""

from tests.conftest import _fast_password_hashing, world

__all__ = ["_fast_password_hashing", "world"]
