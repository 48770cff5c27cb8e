"""The ``world`` personas of tests/conftest.py, for the notifications tests."""

from __future__ import annotations

from tests.conftest import _fast_password_hashing, world

__all__ = ["_fast_password_hashing", "world"]
