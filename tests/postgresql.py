"""Tests that need PostgreSQL (roles, row-level security, advisory locks, triggers): skipped on
SQLite, the embedded default, saying why; failed in CI, which runs on PostgreSQL, so they can
never be skipped there."""

from __future__ import annotations

import os

import pytest
from django.db import connection


def require_postgresql(needs: str) -> None:
    """Skip (or, under CI, fail) unless the test database is PostgreSQL; ``needs`` says what."""
    if connection.vendor == "postgresql":
        return
    message = f"needs PostgreSQL: {needs} (this run is on {connection.vendor})"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run on PostgreSQL")
    pytest.skip(message)
