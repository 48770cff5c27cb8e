"""App servers keep no state of their own (issue 17, "Beyond one machine"; docs/deployment.md).

Whatever a second app server must see — sessions, sign-in lock-outs, the counting limits (DRF's
throttles, the sign-in and password-link limits), cached measures — lives in PostgreSQL or Redis,
never in a process's memory or on its disk. These assertions fail if a setting moves any of it
back onto one machine (a ``locmem`` or file cache, cached or file sessions, an in-memory axes).
"""

from __future__ import annotations

from django.conf import settings

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def test_sessions_are_in_the_database() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_the_cache_is_redis_or_the_database_never_a_process() -> None:
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend not in LOCAL_CACHES
    assert backend == (
        "django.core.cache.backends.redis.RedisCache"
        if settings.REDIS_URL
        else "django.core.cache.backends.db.DatabaseCache"
    )


def test_lockouts_and_limits_use_the_shared_stores() -> None:
    # django-axes keeps attempts and lock-outs in the database unless told otherwise.
    assert getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler") == (
        "axes.handlers.database.AxesDatabaseHandler"
    )
    # DRF's throttles and accounts.limits count in Django's default cache (checked above).
    from django.core.cache import cache
    from rest_framework.throttling import SimpleRateThrottle

    from diogelu.accounts import limits

    assert SimpleRateThrottle.cache is cache
    assert limits.cache is cache


def test_uploads_are_not_kept_on_an_app_server() -> None:
    """Nothing is written to ``MEDIA_ROOT``: documents are made on request, not stored. If a
    feature ever stores files, ``STORAGES["default"]`` must become object storage first."""
    import pathlib
    import re

    root = pathlib.Path(settings.BASE_DIR) / "diogelu"
    users = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and re.search(r"default_storage|FileField|ImageField", path.read_text(encoding="utf-8"))
    ]
    assert users == []
