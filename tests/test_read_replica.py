"""The read replica (issue 17; ADR 0830): dashboards' reads go to a hot standby under the request's
row-level-security scope; casework and writes stay on the primary.

Two kinds of test:

* the router and the scope copying, on the primary alone (always run);
* against a real streaming replica, only with ``DIOGELU_TEST_REPLICA_URL`` set to a hot standby
  of the test's PostgreSQL (docs/deployment.md, "A read replica", says how to make one locally
  with ``pg_createcluster``/``pg_basebackup -R``); otherwise they skip saying so. The test database
  is created on the primary and streamed to the standby, so the fixture points a ``replica``
  alias at the standby with the primary's test database name. Those tests commit
  (``transactional_db``) and wait for the standby to replay the commit before reading.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import dj_database_url
import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from diogelu.access import dbroles
from diogelu.accounts.models import Role
from diogelu.core import replica, rowscope
from diogelu.people.models import Person
from tests import factories as f
from tests.postgresql import require_postgresql

REPLICA_URL = os.environ.get("DIOGELU_TEST_REPLICA_URL", "")


# --- Without a replica ---------------------------------------------------------------------------


def test_without_a_replica_every_read_stays_on_the_primary(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replica, "configured", lambda: False)
    with replica.replica_reads():
        assert not replica.active()
        assert Person.objects.all().db == DEFAULT_DB_ALIAS
        assert replica.reader().alias == DEFAULT_DB_ALIAS


def test_the_router_sends_reads_to_the_replica_only_inside_the_block() -> None:
    router = replica.ReplicaRouter()
    assert router.db_for_read(Person) is None
    token = replica._reading.set(True)
    try:
        assert router.db_for_read(Person) == replica.REPLICA
        # Writes never go there, even of a row read from it.
        person = Person()
        person._state.db = replica.REPLICA
        assert router.db_for_write(Person, instance=person) == DEFAULT_DB_ALIAS
        assert router.db_for_write(Person) is None
    finally:
        replica._reading.reset(token)
    # A row read from the replica has its relations read from the primary after the block.
    assert router.db_for_read(Person, instance=person) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(replica.REPLICA, "people") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "people") is None


def test_the_scope_is_copied_exactly(db: None) -> None:
    require_postgresql("the scope is a PostgreSQL setting")
    with transaction.atomic():
        rowscope.copy_scope("{7,3}", "", using=DEFAULT_DB_ALIAS)
        assert rowscope.visible_authorities() == ("{3,7}", "")
        rowscope.copy_scope("{}", "task:measures_warm", using=DEFAULT_DB_ALIAS)
        assert rowscope.visible_authorities() == ("{}", "task:measures_warm")
        with pytest.raises(rowscope.ScopeError):
            rowscope.copy_scope("{}", "x'; DROP", using=DEFAULT_DB_ALIAS)


def test_a_post_and_the_seconds_after_a_write_read_from_the_primary() -> None:
    calls: list[bool] = []

    @replica.reads_from_replica
    def view(request: Any) -> None:
        calls.append(replica.active())

    token = replica._reading.set(False)
    try:
        rf = RequestFactory()
        view(rf.post("/performance/"))
        pinned = rf.get("/performance/")
        pinned.COOKIES[replica.PIN_COOKIE] = "1"
        view(pinned)
    finally:
        replica._reading.reset(token)
    assert calls == [False, False]


# --- Against a real streaming replica ------------------------------------------------------------


def _wait_for_replay(standby: Any) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        lsn = cursor.fetchone()[0]  # type: ignore[index]
    deadline = time.monotonic() + 10
    while True:
        with standby.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:  # type: ignore[index]
                return
        if time.monotonic() > deadline:
            pytest.fail("the standby did not replay the primary's commit within 10 s")
        time.sleep(0.05)


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(request: pytest.FixtureRequest) -> Iterator[None]:
    """With ``DIOGELU_TEST_REPLICA_URL``, a ``replica`` alias on that standby reading the primary's
    test database, for this module only. Module-scoped so that it exists before each test's
    database set-up, which forbids aliases a test did not name; a mirror, so it is not flushed."""
    if not REPLICA_URL:
        yield
        return
    request.getfixturevalue("django_db_setup")
    parsed = dj_database_url.parse(REPLICA_URL, conn_max_age=0)
    settings_dict = {**connection.settings_dict, **parsed}
    settings_dict["NAME"] = connection.settings_dict["NAME"]
    settings_dict["ATOMIC_REQUESTS"] = False
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[replica.REPLICA] = settings_dict
    try:
        yield
    finally:
        connections[replica.REPLICA].close()
        del connections[replica.REPLICA]
        del connections.settings[replica.REPLICA]


@pytest.fixture
def standby(transactional_db: None) -> Any:
    """The standby's connection, caught up with the primary (skips without one)."""
    if not REPLICA_URL:
        _no_replica()
    require_postgresql("streaming replication")
    _wait_for_replay(connections[replica.REPLICA])
    return connections[replica.REPLICA]


NO_REPLICA = (
    "needs a streaming replica of the test database's server: set DIOGELU_TEST_REPLICA_URL "
    "(docs/deployment.md, 'A read replica')"
)


def _no_replica() -> None:
    """Skip without a standby; under CI fail, since ``.ci/run`` sets one up (a skip there would
    let the replica's row-level security go untested)."""
    if os.environ.get("CI"):
        pytest.fail(NO_REPLICA + "; .ci/run starts one, so CI must have it")
    pytest.skip(NO_REPLICA)


@pytest.fixture
def _replica_required() -> None:
    _no_replica()


ON_REPLICA = (
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, replica.REPLICA])
    if REPLICA_URL
    else pytest.mark.usefixtures("_replica_required")
)


def _role_name() -> str:
    return str(connection.settings_dict["NAME"]).removeprefix("test_") + "_runtime_test"


def _as_runtime_role(*connections_: Any) -> str:
    """The runtime role (not a superuser, so row security applies) on every connection given."""
    role = _role_name()
    found = dbroles.grant_runtime(connection, role, create=True)
    assert not found.superuser and not found.bypass_rls
    _wait_for_replay(connections_[-1])
    for conn in connections_:
        with conn.cursor() as cursor:
            cursor.execute(f'SET ROLE "{role}"')
    return role


def _reset_role(*connections_: Any) -> None:
    for conn in connections_:
        with conn.cursor() as cursor:
            cursor.execute("RESET ROLE")


def _two_authorities() -> tuple[Any, Any]:
    a = f.agency(name="Cyngor Sir Replica A")
    b = f.agency(name="Cyngor Sir Replica B")
    f.person(authority=a, given_name="Anwen", family_name="Synthetic-A")
    f.person(authority=b, given_name="Bryn", family_name="Synthetic-B")
    return a, b


@ON_REPLICA
def test_dashboard_reads_go_to_the_standby_in_recovery(standby: Any) -> None:
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    with transaction.atomic(), replica.replica_reads():
        assert replica.active()
        assert Person.objects.all().db == replica.REPLICA
        assert replica.reader().alias == replica.REPLICA
        with replica.reader().cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
            assert cursor.fetchone() == (True, "on")


@ON_REPLICA
def test_the_standby_applies_the_requests_scope(standby: Any) -> None:
    a, b = _two_authorities()
    _wait_for_replay(standby)
    _as_runtime_role(connection, standby)
    try:
        # No scope on the primary: none on the standby either; it fails closed.
        with transaction.atomic(), replica.replica_reads():
            assert Person.objects.count() == 0
        # The request's scope (authority A) is the standby's scope: A's row, never B's.
        with transaction.atomic():
            rowscope.set_request_scope([a.pk])
            with replica.replica_reads():
                assert rowscope.visible_authorities(using=replica.REPLICA) == (f"{{{a.pk}}}", "")
                assert list(Person.objects.values_list("authority_id", flat=True)) == [a.pk]
                assert Person.objects.filter(authority=b).count() == 0
                with replica.reader().cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM people_person WHERE authority_id = %s", [b.pk]
                    )
                    assert cursor.fetchone() == (0,)
        # The scope ended with the standby's transaction.
        assert rowscope.visible_authorities(using=replica.REPLICA) == ("", "")
        with standby.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM people_person")
            assert cursor.fetchone() == (0,)
    finally:
        _reset_role(connection, standby)


@ON_REPLICA
def test_the_performance_dashboard_is_counted_on_the_standby(standby: Any) -> None:
    import time_machine

    from diogelu.measures.tests.builders import Case, at

    with time_machine.travel(at(date(2026, 3, 10)), tick=False):
        case = Case()
        strategy = at(date(2026, 2, 2))
        case.conference(
            [case.child(), case.child()], clock_start=strategy, held=at(date(2026, 2, 24))
        )
        officer = f.user(case.authority, Role.PERFORMANCE_OFFICER, username="perf-replica")
        _wait_for_replay(standby)
        _as_runtime_role(connection, standby)
        seen: dict[str, list[str]] = {DEFAULT_DB_ALIAS: [], replica.REPLICA: [], "casework": []}

        def recorder(alias: str) -> Any:
            def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
                seen[alias].append(sql)
                return execute(sql, params, many, context)

            return record

        client = Client()
        client.force_login(officer)
        url = reverse("measure", args=["icpc_15wd"]) + "?period=q-2025-4"
        try:
            with (
                connection.execute_wrapper(recorder(DEFAULT_DB_ALIAS)),
                standby.execute_wrapper(recorder(replica.REPLICA)),
            ):
                page = client.get(url)
            # A casework page reads from the primary only.
            with standby.execute_wrapper(recorder("casework")):
                casework = client.get(reverse("my_work"))
        finally:
            _reset_role(connection, standby)
    assert page.status_code == 200
    # Counted on the standby, in its read-only transaction with the officer's scope; only the
    # writes (the session, the calendar and the kept month sums) went to the primary.
    assert seen[replica.REPLICA][:2] == [
        "SET TRANSACTION READ ONLY",
        "SELECT set_config(%s, %s, true), set_config(%s, %s, true)",
    ]
    assert [sql for sql in seen[replica.REPLICA] if '"conferences_conference"' in sql]
    assert not [sql for sql in seen[DEFAULT_DB_ALIAS] if '"conferences_conference"' in sql]
    assert not [
        sql for sql in seen[DEFAULT_DB_ALIAS] if sql.startswith("SELECT") and "measures_" in sql
    ]
    assert casework.status_code == 200
    assert seen["casework"] == []
