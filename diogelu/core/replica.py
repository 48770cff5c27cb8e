"""Reads for dashboards and reports from a read replica (issue 17; ADR 0830).

Optional: with ``DATABASE_REPLICA_URL`` set, ``settings.DATABASES`` has a ``replica`` alias (a
PostgreSQL hot standby fed by streaming replication) and :class:`ReplicaRouter` is installed.
Nothing goes there by default. A view reads from the replica only inside :func:`replica_reads`
(or under :func:`reads_from_replica`), and only the views listed in ADR 0830 do so: the
performance measures' pages and CSV export, the Cabinet report, and the oversight dashboards.
Casework pages never do, because they must read their own writes, and a standby is behind by
however long replay takes.

Row-level security (ADR 0751): the replica runs the same policies, so a connection to it with no
scope sees no case row, and a superuser's sees every row. :func:`replica_reads` therefore opens a
transaction on the replica, makes it ``READ ONLY``, and ``SET LOCAL``s the two settings exactly
as the request's transaction on the primary has them, read back from the primary. So the replica
shows a request just what the primary would. When the block ends, the transaction ends, and the
scope ends with it.

Writes always go to the primary, including the save of a row that was read from the replica.
If the replica cannot be reached, the block reads from the primary and logs a warning without
personal data.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from diogelu.core import rowscope

REPLICA = "replica"

logger = logging.getLogger(__name__)

#: True inside :func:`replica_reads` (this thread or task) when the replica answered.
_reading: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "diogelu_replica_reads", default=False
)

F = TypeVar("F", bound=Callable[..., Any])


def configured() -> bool:
    """Whether this deployment has a replica alias at all."""
    return REPLICA in connections.settings


def active() -> bool:
    """Whether reads are going to the replica right now."""
    return _reading.get()


def reader() -> BaseDatabaseWrapper:
    """The connection for raw SQL reads: the replica inside :func:`replica_reads`, else the
    primary. (The ORM is routed by :class:`ReplicaRouter`; raw ``connection.cursor()`` is not.)"""
    return connections[REPLICA if _reading.get() else DEFAULT_DB_ALIAS]


class ReplicaRouter:
    """Reads inside :func:`replica_reads` go to the replica; everything else to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reading.get():
            return REPLICA
        return _away_from_replica(hints)

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return _away_from_replica(hints)

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        dbs = {obj1._state.db, obj2._state.db}
        # The replica holds the primary's rows: a row read from either may relate to the other.
        if dbs <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def _away_from_replica(hints: dict[str, Any]) -> str | None:
    """A row read from the replica is written, and its relations read outside a replica block,
    on the primary (Django would otherwise follow the instance back to the replica)."""
    instance = hints.get("instance")
    if instance is not None and getattr(instance._state, "db", None) == REPLICA:
        return DEFAULT_DB_ALIAS
    return None


def _scope_of_primary() -> tuple[str, str]:
    """The request's row-security settings as the primary's transaction holds them now."""
    return rowscope.visible_authorities(using=DEFAULT_DB_ALIAS)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside the block, the ORM reads (and :func:`reader`) go to the replica under the same
    row-level-security scope as the request on the primary. Without a replica, or when it cannot
    be reached, this does nothing and the block reads from the primary."""
    if not configured() or _reading.get():
        yield
        return
    replica = connections[REPLICA]
    try:
        replica.ensure_connection()
    except OperationalError:
        replica.close()
        logger.warning("Replica unreachable: reading from the primary.")
        yield
        return
    authority_ids, system = _scope_of_primary()
    with transaction.atomic(using=REPLICA):
        if rowscope.applies(replica):
            with replica.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
            rowscope.copy_scope(authority_ids, system, using=REPLICA)
        token = _reading.set(True)
        try:
            yield
        finally:
            _reading.reset(token)


#: The cookie that sends this browser's dashboard reads to the primary for a while after it
#: wrote something. Tampering with it only chooses between two up-to-date-enough copies of rows
#: the same scope allows, so it is not signed.
PIN_COOKIE = "diogelu_primary"

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _pinned(request: Any) -> bool:
    return getattr(request, "method", "GET") not in SAFE_METHODS or PIN_COOKIE in getattr(
        request, "COOKIES", {}
    )


def reads_from_replica(view: F) -> F:
    """Decorate a view whose reads may come from the replica (ADR 0830 lists them). A form's
    POST, and any request within ``REPLICA_PIN_SECONDS`` of this browser's last write, reads
    from the primary instead: read-your-writes for the one who wrote."""

    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if _pinned(request):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class PrimaryAfterWriteMiddleware:
    """After an unsafe request, set :data:`PIN_COOKIE` for ``REPLICA_PIN_SECONDS`` (only where a
    replica is configured)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and configured():
            from django.conf import settings

            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


__all__ = [
    "PIN_COOKIE",
    "REPLICA",
    "PrimaryAfterWriteMiddleware",
    "ReplicaRouter",
    "active",
    "configured",
    "reader",
    "reads_from_replica",
    "replica_reads",
]
