"""Fixtures for every test in the repository."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_matching_indexes() -> Iterator[None]:
    """Each test starts with empty in-memory matching indexes (ids are reused between tests)."""
    yield
    try:
        from diogelu.people.matching_index import forget_indexes
    except ImportError:  # pragma: no cover - the adapter is optional on the seam
        return
    forget_indexes()
