"""The ``world`` personas of tests/conftest.py."""

from __future__ import annotations

from tests.conftest import _fast_password_hashing, world

__all__ = ["_fast_password_hashing", "world"]
