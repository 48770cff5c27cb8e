"""The PostgreSQL role split (ADR 0014): an owner that migrates, a runtime role that serves.

The runtime role (``DATABASE_URL``'s user) may SELECT, INSERT, UPDATE and DELETE the
application's tables, except the access log and its seals, where it may only SELECT and INSERT.
It is granted TRUNCATE, REFERENCES and TRIGGER on nothing, owns nothing (so it cannot ALTER a
table or DISABLE a trigger), is not a superuser and cannot bypass row-level security.
:func:`grant_runtime` sets this up, run by the owner (``manage.py setup_db_roles``) after every
``migrate``, since tables a migration creates get no grant until then (the runtime role then gets
"permission denied", failing closed).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper

#: Tables the runtime role may only read and append to.
APPEND_ONLY_TABLES = ("access_accesslog", "access_accesslogseal")
#: Tables the runtime role may only read.
READ_ONLY_TABLES = ("django_migrations",)


class RoleSplitError(Exception):
    """The runtime role is unsafe (superuser, bypasses row security, owns tables) or missing."""


@dataclass(frozen=True)
class RuntimeRole:
    name: str
    superuser: bool
    bypass_rls: bool
    owns: tuple[str, ...]


def _q(connection: BaseDatabaseWrapper, name: str) -> str:
    return str(connection.ops.quote_name(name))


def inspect_role(connection: BaseDatabaseWrapper, role: str) -> RuntimeRole | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            return None
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND pg_get_userbyid(c.relowner) = %s "
            "ORDER BY c.relname",
            [role],
        )
        owns = tuple(r[0] for r in cursor.fetchall())
    return RuntimeRole(name=role, superuser=bool(row[0]), bypass_rls=bool(row[1]), owns=owns)


def grant_runtime(
    connection: BaseDatabaseWrapper, role: str, *, create: bool = False, password: str = ""
) -> RuntimeRole:
    """Grant ``role`` what the application needs and nothing more; return what it is now.

    ``create``: make the role (LOGIN, no other attribute) if it does not exist. Raises
    :class:`RoleSplitError` if the role is missing, is the connection's own role, is a superuser,
    may bypass row security or owns any table of the schema.
    """
    if connection.vendor != "postgresql":
        raise RoleSplitError("The role split needs PostgreSQL.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        me, database, schema = cursor.fetchone()
    if role == me:
        raise RoleSplitError(
            f"The runtime role must not be the owner role ({me}) that runs this command."
        )
    found = inspect_role(connection, role)
    if found is None and create:
        with connection.cursor() as cursor:
            if password:
                cursor.execute(f"CREATE ROLE {_q(connection, role)} LOGIN PASSWORD %s", [password])
            else:
                cursor.execute(f"CREATE ROLE {_q(connection, role)} LOGIN")
        found = inspect_role(connection, role)
    if found is None:
        raise RoleSplitError(f"The role {role} does not exist (use --create).")
    if found.superuser or found.bypass_rls:
        raise RoleSplitError(
            f"The runtime role {role} is a superuser or bypasses row security: it could change "
            "the access log. Use an ordinary role."
        )
    if found.owns:
        raise RoleSplitError(
            f"The runtime role {role} owns {', '.join(found.owns[:5])}: owners can alter tables "
            "and disable triggers. Give the tables to the owner role (ALTER TABLE ... OWNER TO)."
        )
    r = _q(connection, role)
    s = _q(connection, schema)
    append_only = ", ".join(_q(connection, t) for t in APPEND_ONLY_TABLES)
    read_only = ", ".join(_q(connection, t) for t in READ_ONLY_TABLES)
    statements = [
        f"GRANT CONNECT ON DATABASE {_q(connection, database)} TO {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"REVOKE CREATE ON SCHEMA {s} FROM {r}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"REVOKE UPDATE, DELETE ON {append_only} FROM {r}",
        f"REVOKE INSERT, UPDATE, DELETE ON {read_only} FROM {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return found


__all__ = [
    "APPEND_ONLY_TABLES",
    "RoleSplitError",
    "RuntimeRole",
    "grant_runtime",
    "inspect_role",
]
