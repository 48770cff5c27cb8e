"""Row-level security's authority scope (ADR 0751): which authorities' case rows the database lets
this transaction or job touch.

PostgreSQL only; on SQLite every function here does nothing. Case tables that carry the authority
directly (``people_person``, ``referrals_report``) have row security enabled *and forced* with the
policy of :func:`policy_sql`: a row is visible, updatable and insertable only when its
``authority_id`` is in the setting ``diogelu.authority_ids`` (an int array literal such as
``{3,7}``), or when the setting ``diogelu.system_scope`` names a system job. Unset, empty or
malformed-free-empty settings match no row: the database fails closed, never open.

Two ways in, both explicit:

* :func:`set_request_scope` — ``SET LOCAL`` inside the request's transaction, from the signed-in
  user's authorities (``accounts.tenancy``), by ``AuthorityScopeMiddleware`` for pages and by the
  API's token authentication. Ends with the transaction.
* :func:`system_scope` — a named scope over every authority for Celery tasks, sweeps, management
  commands (``load_demo``, ``load_synthetic``, ``tick``), the measures, and the few reads that
  must see every authority (the report reference counter). Never a default: code outside one sees
  no case row of these tables when it connects as the runtime role.

Superusers and roles with BYPASSRLS skip row security (the test suite's ``postgres``); the runtime
role may be neither (``setup_db_roles`` refuses it), and FORCE makes the tables' owner subject to
it too, so a data migration that reads case rows enters :func:`system_scope` as well.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

AUTHORITY_IDS = "diogelu.authority_ids"
SYSTEM_SCOPE = "diogelu.system_scope"

#: The tables under the authority policy, each with its authority column.
SCOPED_TABLES: dict[str, str] = {
    "people_person": "authority_id",
    "referrals_report": "authority_id",
}

_NAME = re.compile(r"^[a-z][a-z0-9_.:-]{1,62}$")

#: The system scope this thread or task is in (re-applied to a connection opened inside it).
_current_system: contextvars.ContextVar[str] = contextvars.ContextVar(
    "diogelu_system_scope", default=""
)

F = TypeVar("F", bound=Callable[..., Any])


class ScopeError(Exception):
    """The scope cannot be set where it was asked (outside a transaction, a bad name)."""


def applies(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql"


def policy_sql(table: str, column: str = "authority_id") -> str:
    """ENABLE + FORCE row security on ``table`` with the authority policy (for a migration)."""
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY {table}_authority ON {table}
    USING (
        {column} = ANY (NULLIF(current_setting('{AUTHORITY_IDS}', true), '')::bigint[])
        OR COALESCE(current_setting('{SYSTEM_SCOPE}', true), '') <> ''
    );
"""


def drop_policy_sql(table: str) -> str:
    return f"""
DROP POLICY IF EXISTS {table}_authority ON {table};
ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
"""


def _array(ids: Iterable[int]) -> str:
    values = sorted({int(i) for i in ids})
    return "{" + ",".join(str(v) for v in values) + "}"


def set_request_scope(authority_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """``SET LOCAL`` the authorities this transaction may touch (none: it touches no case row).

    Must run inside a transaction (``ATOMIC_REQUESTS`` or ``transaction.atomic``): outside one a
    local setting would vanish with the statement, so this raises instead. Clears any system
    scope for the rest of the transaction.
    """
    connection = connections[using]
    if not applies(connection):
        return
    if not connection.in_atomic_block:
        raise ScopeError("The request scope is SET LOCAL: call it inside a transaction.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, true), set_config(%s, '', true)",
            [AUTHORITY_IDS, _array(authority_ids), SYSTEM_SCOPE],
        )


def copy_scope(authority_ids: str, system: str, *, using: str) -> None:
    """``SET LOCAL`` both settings on ``using`` exactly as given (the values
    :func:`visible_authorities` read from another connection): the read replica's transaction
    gets the request's scope (ADR 0830). Inside a transaction only, like the request scope."""
    connection = connections[using]
    if not applies(connection):
        return
    if not connection.in_atomic_block:
        raise ScopeError("The copied scope is SET LOCAL: call it inside a transaction.")
    if system and not _NAME.match(system):
        raise ScopeError(f"Not a system scope's name: {system!r}.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, true), set_config(%s, %s, true)",
            [AUTHORITY_IDS, _array(_ids(authority_ids)), SYSTEM_SCOPE, system],
        )


def _ids(literal: str) -> list[int]:
    """The ids of an int array literal such as ``{3,7}`` (empty or unset: none)."""
    inner = literal.strip().removeprefix("{").removesuffix("}")
    return [int(part) for part in inner.split(",") if part.strip()]


def _set_system(connection: BaseDatabaseWrapper, name: str, *, local: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, %s)", [SYSTEM_SCOPE, name, local])


def _current(connection: BaseDatabaseWrapper) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(current_setting(%s, true), '')", [SYSTEM_SCOPE])
        row = cursor.fetchone()
    return str(row[0]) if row else ""


@contextmanager
def system_scope(name: str, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Every authority's rows, for the named system job, until the block ends.

    Inside a transaction the scope is ``SET LOCAL`` and the previous value comes back at the end
    (a rollback takes it away too). Outside one (a task, a command in autocommit) it is a session
    setting, re-applied to any connection opened inside the block and cleared at its end.
    """
    if not _NAME.match(name):
        raise ScopeError(f"A system scope needs a short lower-case name, not {name!r}.")
    connection = connections[using]
    token = _current_system.set(name)
    if not applies(connection):
        try:
            yield
        finally:
            _current_system.reset(token)
        return
    local = connection.in_atomic_block
    previous = _current(connection) if local else ""
    _set_system(connection, name, local=local)
    try:
        yield
    finally:
        _current_system.reset(token)
        try:
            if local:
                if connection.in_atomic_block and not connection.needs_rollback:
                    _set_system(connection, previous, local=True)
            elif connection.connection is not None:
                _set_system(connection, _current_system.get(), local=False)
        except DatabaseError:
            # The transaction is aborted and will roll back, which undoes a local setting; a
            # session that cannot be reset is closed, so no later work inherits the scope.
            if not connection.in_atomic_block:
                connection.close()


def system_scoped(name: str) -> Callable[[F], F]:
    """Run the decorated function (a Celery task, a command's ``handle``) in a system scope."""

    def decorate(function: F) -> F:
        @wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with system_scope(name):
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def _reapply(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """A connection opened inside a system scope (a reconnect) gets the scope, and only then."""
    name = _current_system.get()
    if name and applies(connection) and connection.alias == DEFAULT_DB_ALIAS:
        _set_system(connection, name, local=False)


connection_created.connect(_reapply, dispatch_uid="diogelu.core.rowscope.reapply")


def visible_authorities(*, using: str = DEFAULT_DB_ALIAS) -> tuple[str, str]:
    """The settings as the database sees them now (for tests and diagnostics)."""
    connection = connections[using]
    if not applies(connection):
        return ("", "")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(current_setting(%s, true), ''), "
            "COALESCE(current_setting(%s, true), '')",
            [AUTHORITY_IDS, SYSTEM_SCOPE],
        )
        row = cursor.fetchone()
    return (str(row[0]), str(row[1])) if row else ("", "")


__all__ = [
    "AUTHORITY_IDS",
    "SCOPED_TABLES",
    "SYSTEM_SCOPE",
    "ScopeError",
    "applies",
    "copy_scope",
    "drop_policy_sql",
    "policy_sql",
    "set_request_scope",
    "system_scope",
    "system_scoped",
    "visible_authorities",
]
