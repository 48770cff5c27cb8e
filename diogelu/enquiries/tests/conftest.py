"""The ``world`` personas of tests/conftest.py."""

from __future__ import annotations

from tests.conftest import world

__all__ = ["world"]
