"""Fixtures for every test in the repository."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use MD5 to stay fast. Here
    for every test (it was for ``tests/`` alone, so the apps' own tests that load the demo hashed
    its sixty-odd passwords with Argon2: about a quarter of a load).

    ``tests/test_auth.py::test_passwords_are_stored_with_argon2`` restores the production setting.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest files first. Under ``--dist loadfile`` (``make pytest``) each file runs whole
    in one process, and xdist hands files out in collection order when told not to reorder them
    (``--no-loadscope-reorder``; its own order puts the files with the most tests first, which
    left the IDOR matrix and the demo walks, minutes each in one or two tests, to start last and
    hold the end of the run on one core while the other stood idle). A file's estimate: the
    largest ``slow(seconds=N)`` of its tests (a plain ``slow``, 30 s), else 20 s for a browser
    journey (each starts a live server and loads the demo), else nothing; the longest first, then
    the files with the most tests. The order within a file is kept."""
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)

    def estimate(tests: list[pytest.Item]) -> float:
        seconds = 0.0
        for test in tests:
            slow = test.get_closest_marker("slow")
            if slow is not None:
                seconds = max(seconds, float(slow.kwargs.get("seconds", 30)))
            elif test.get_closest_marker("browser") is not None:
                seconds = max(seconds, 20.0)
        return seconds

    def key(entry: tuple[str, list[pytest.Item]]) -> tuple[float, int, str]:
        path, tests = entry
        return -estimate(tests), -len(tests), path

    items[:] = [item for _, tests in sorted(files.items(), key=key) for item in tests]
