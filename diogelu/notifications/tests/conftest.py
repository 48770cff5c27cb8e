"""The ``world`` personas of tests/conftest.py, for the notifications tests."""

from __future__ import annotations

from tests.conftest import world

__all__ = ["world"]
