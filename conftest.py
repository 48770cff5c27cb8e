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


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the default language: a test that switches to Welsh (a
    request with the language cookie, ``translation.activate``) must not leave the next test in
    the same process (the order differs when the suite runs in parallel) reading Welsh."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_shared_cache() -> None:
    """Throttles and sign-in limits count in the shared cache. The database cache rolls back with
    each test; Redis (CI sets ``REDIS_URL``) does not, so its keys are removed before each test
    (only the cache's own keys: the Celery broker may share the Redis database)."""
    from django.conf import settings

    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        return
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
