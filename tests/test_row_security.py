"""Row-level security on case tables: the authority policy (issue 11; ADR 0751).

PostgreSQL only (skipped locally on SQLite, saying why; failing under CI). The suite connects as
``postgres``, a superuser, and superusers skip row security, so every test here acts as the
*runtime role* that ``setup_db_roles`` makes: either ``SET ROLE`` on the test's own connection
(the test's data is visible, nothing is committed), or a separate connection for what needs a
fresh session (a setting never set). It shows:

* with authority A in scope a raw ``SELECT ... WHERE authority_id = B`` finds nothing, on
  ``people_person`` and ``referrals_report``; an unset or empty setting finds nothing at all, and
  an INSERT outside the scope is refused;
* a named system scope sees every authority, and is gone when its block ends;
* pages and the API work as the runtime role (the middleware and the token authentication set
  the scope), whole journeys included; the Celery tasks and ``tick`` run in a named scope.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from diogelu.access import dbroles
from diogelu.core import rowscope
from diogelu.referrals.models import Report
from tests import factories as f
from tests.postgresql import require_postgresql

TABLES = tuple(rowscope.SCOPED_TABLES)


def _postgresql_only() -> None:
    require_postgresql("row-level security exists only there")


def _role_name() -> str:
    name = str(connection.settings_dict["NAME"]).removeprefix("test_")
    return f"{name}_runtime_test"


HARNESS = "test_harness"


@pytest.fixture
def runtime_role(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test's connection acts as the runtime role until the test ends (rolled back).

    Each request runs in the test's transaction, so what its middleware or token authentication
    SET LOCAL would outlive it; after each request the test's own reads (its assertions) get a
    named system scope back. Every request sets its own scope first, clearing that one.
    """
    _postgresql_only()
    from django.test.client import ClientHandler

    handle = ClientHandler.__call__

    def then_harness(self: Any, environ: Any) -> Any:
        try:
            return handle(self, environ)
        finally:
            if connection.in_atomic_block and not connection.needs_rollback:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config(%s, %s, true)", [rowscope.SYSTEM_SCOPE, HARNESS]
                    )

    monkeypatch.setattr(ClientHandler, "__call__", then_harness)
    role = _role_name()
    found = dbroles.grant_runtime(connection, role, create=True)
    assert not found.superuser and not found.bypass_rls
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (role,)
    yield role
    try:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    except Exception:  # noqa: S110 — an aborted transaction rolls the SET ROLE back anyway
        pass


def _count(table: str, authority_id: int | None = None) -> int:
    with connection.cursor() as cursor:
        if authority_id is None:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        else:
            cursor.execute(
                f"SELECT count(*) FROM {table} WHERE authority_id = %s",  # noqa: S608
                [authority_id],
            )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture
def reports(world: Any) -> dict[int, Report]:
    """One report to each of the two authorities (made as the superuser, before the role)."""
    made = {}
    for authority, user in (
        (world.authority, world.social_worker),
        (world.other_authority, world.other_la_worker),
    ):
        made[authority.pk] = Report.objects.create(
            authority=authority, created_by=user, what_happened="Synthetic."
        )
    return made


def test_both_tables_enable_and_force_the_authority_policy(db: None) -> None:
    _postgresql_only()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname = ANY(%s)",
            [list(TABLES)],
        )
        assert {r[0]: (r[1], r[2]) for r in cursor.fetchall()} == dict.fromkeys(
            TABLES, (True, True)
        )
        cursor.execute(
            "SELECT tablename, policyname, cmd, qual FROM pg_policies WHERE tablename = ANY(%s)",
            [list(TABLES)],
        )
        policies = cursor.fetchall()
    assert sorted((p[0], p[1], p[2]) for p in policies) == [
        ("people_person", "people_person_authority", "ALL"),
        ("referrals_report", "referrals_report_authority", "ALL"),
    ]
    assert all(rowscope.AUTHORITY_IDS in p[3] and rowscope.SYSTEM_SCOPE in p[3] for p in policies)


def test_authority_a_in_scope_sees_nothing_of_authority_b(
    world: Any, reports: dict[int, Report], runtime_role: str
) -> None:
    a, b = world.authority.pk, world.other_authority.pk
    rowscope.set_request_scope([a])
    for table in TABLES:
        assert _count(table, b) == 0, table
        assert _count(table, a) >= 1, table
        assert _count(table) == _count(table, a)
    # Not by id either, nor by an UPDATE or DELETE aimed at B's rows.
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM people_person WHERE id = %s", [world.other_child.pk])
        assert cursor.fetchall() == []
        cursor.execute(
            "UPDATE referrals_report SET what_happened = 'x' WHERE authority_id = %s", [b]
        )
        assert cursor.rowcount == 0
        cursor.execute("DELETE FROM people_person WHERE id = %s", [world.other_child.pk])
        assert cursor.rowcount == 0
    # The ORM's queries go through the same policy.
    from diogelu.people.models import Person

    assert not Person.objects.filter(authority=world.other_authority).exists()
    assert set(Report.objects.values_list("authority_id", flat=True)) == {a}
    # Switched to B, the other way round.
    rowscope.set_request_scope([b])
    assert _count("people_person", a) == 0 and _count("people_person", b) == 1


def test_an_empty_or_cleared_setting_sees_no_row(
    world: Any, reports: dict[int, Report], runtime_role: str
) -> None:
    rowscope.set_request_scope([])
    assert rowscope.visible_authorities() == ("{}", "")
    for table in TABLES:
        assert _count(table) == 0, table
    with connection.cursor() as cursor:
        # A setting that was set and then reset in this session reads as '' (not NULL): still
        # nothing, and no error from casting '' to an array.
        cursor.execute("SELECT set_config(%s, '', true)", [rowscope.AUTHORITY_IDS])
        for table in TABLES:
            assert _count(table) == 0, table


def test_an_insert_outside_the_scope_is_refused(world: Any, runtime_role: str) -> None:
    import psycopg

    rowscope.set_request_scope([world.authority.pk])
    with pytest.raises(Exception) as refused, transaction.atomic():
        f.person(world.other_authority, given_name="Outside", family_name="Scope")
    assert isinstance(refused.value.__cause__, psycopg.errors.InsufficientPrivilege)
    assert "row-level security" in str(refused.value)
    # Inside the scope it works.
    made = f.person(world.authority, given_name="Inside", family_name="Scope")
    assert made.pk


def test_a_named_system_scope_sees_every_authority_and_ends_with_its_block(
    world: Any, reports: dict[int, Report], runtime_role: str
) -> None:
    a, b = world.authority.pk, world.other_authority.pk
    rowscope.set_request_scope([a])
    with rowscope.system_scope("test_job"):
        assert rowscope.visible_authorities()[1] == "test_job"
        assert _count("referrals_report", b) == 1
        with rowscope.system_scope("inner_job"):
            assert _count("people_person", b) == 1
        assert rowscope.visible_authorities()[1] == "test_job"
    assert rowscope.visible_authorities()[1] == ""
    assert _count("referrals_report", b) == 0
    with pytest.raises(rowscope.ScopeError), rowscope.system_scope(""):
        pass


@pytest.mark.django_db(transaction=True)
def test_a_fresh_session_as_the_runtime_role_sees_nothing_until_told(world: Any) -> None:
    """A connection of its own (committed data): the setting never set at all is NULL."""
    _postgresql_only()
    import psycopg

    role = _role_name()
    dbroles.grant_runtime(connection, role, create=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person")
        total = cursor.fetchone()[0]  # type: ignore[index]
    assert total >= 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [world.child.pk])
        names = [c.name for c in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))  # type: ignore[arg-type]
    del row["id"]
    row["la_reference"] = "RLS-TEST-1"
    insert = (
        f"INSERT INTO people_person ({', '.join(row)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(row))})"
    )
    values = list(row.values())
    s = connection.settings_dict
    with psycopg.connect(
        host=s.get("HOST") or "127.0.0.1",
        port=int(s.get("PORT") or 5432),
        dbname=s["NAME"],
        user=role,
        autocommit=True,
    ) as rt:
        assert rt.execute(
            "SELECT current_setting(%s, true)", [rowscope.AUTHORITY_IDS]
        ).fetchone() == (None,)
        for table in TABLES:
            assert rt.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)  # noqa: S608
        # A copy of the child's row under a new reference: refused without a scope.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            rt.execute(insert, values)
        # SET LOCAL lasts one transaction: inside it, A only; after it, nothing again.
        with rt.transaction():
            rt.execute(
                "SELECT set_config(%s, %s, true)",
                [rowscope.AUTHORITY_IDS, f"{{{world.authority.pk}}}"],
            )
            assert rt.execute(
                "SELECT count(*) FROM people_person WHERE authority_id = %s",
                [world.other_authority.pk],
            ).fetchone() == (0,)
            assert rt.execute("SELECT count(*) FROM people_person").fetchone() == (total - 1,)
        assert rt.execute("SELECT count(*) FROM people_person").fetchone() == (0,)


def test_pages_work_as_the_runtime_role_within_the_users_authority(
    world: Any, runtime_role: str
) -> None:
    url = reverse("show_person", args=[world.child.pk])
    response = world.client_for(world.social_worker).get(url)
    assert response.status_code == 200
    assert "Prydderch" in response.content.decode()
    assert rowscope.visible_authorities()[0] == f"{{{world.authority.pk}}}"
    # A partner agency works in the authorities it serves, and still sees only its involvement.
    assert world.client_for(world.police_officer).get(url).status_code == 200
    assert rowscope.visible_authorities()[0] == f"{{{world.authority.pk}}}"
    # Another authority's worker: the row is not even there for their request.
    assert world.client_for(world.other_la_worker).get(url).status_code == 404
    assert rowscope.visible_authorities()[0] == f"{{{world.other_authority.pk}}}"
    other = reverse("show_person", args=[world.other_child.pk])
    assert world.client_for(world.other_la_worker).get(other).status_code == 200
    assert world.client_for(world.social_worker).get(other).status_code == 404
    assert world.client_for(world.social_worker).get(reverse("my_work")).status_code == 200


def test_the_api_works_as_the_runtime_role(world: Any, runtime_role: str) -> None:
    from django.test import Client

    sw = Client(HTTP_AUTHORIZATION=f"Bearer {f.token(world.social_worker)}")
    response = sw.get(f"/api/v1/people/{world.child.pk}/")
    assert response.status_code == 200, response.content
    assert rowscope.visible_authorities()[0] == f"{{{world.authority.pk}}}"
    assert sw.get(f"/api/v1/people/{world.other_child.pk}/").status_code == 404
    # No token: no authority, and a 401, not someone else's scope.
    assert Client().get("/api/v1/people/").status_code == 401
    assert rowscope.visible_authorities() == ("{}", HARNESS)


def test_the_whole_api_journey_as_the_runtime_role(world: Any, runtime_role: str) -> None:
    """The MASH journey through the API (tests/test_api_mash.py) with row security in force:
    reports are numbered, children linked and created, requests answered, outcomes shared."""
    from tests import test_api_mash

    apis = {
        name: test_api_mash.Api(getattr(world, name))
        for name in (
            "school_lead",
            "mash",
            "manager",
            "social_worker",
            "police_officer",
            "health_practitioner",
        )
    }
    test_api_mash.test_the_whole_journey_through_the_api_alone(world, apis)


def test_the_reporter_journey_by_page_as_the_runtime_role(world: Any, runtime_role: str) -> None:
    from tests import test_referral_pages

    test_referral_pages.test_reporter_journey_page_by_page(world)


def test_the_tasks_and_tick_run_in_a_named_system_scope(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _postgresql_only()
    from diogelu.measures import tasks as measures_tasks
    from diogelu.notifications import tasks

    seen: dict[str, str] = {}

    def recorder(label: str, result: Any) -> Any:
        def record(*args: Any, **kwargs: Any) -> Any:
            seen[label] = rowscope.visible_authorities()[1]
            return result

        return record

    monkeypatch.setattr("diogelu.notifications.delivery.deliver_pending", recorder("deliver", 0))
    monkeypatch.setattr("diogelu.notifications.reminders.run_reminders", recorder("remind", {}))
    monkeypatch.setattr("diogelu.measures.compute.warm", recorder("warm", 0))
    tasks.deliver_outbox()
    tasks.run_reminders()
    measures_tasks.measures_warm()
    assert seen == {
        "deliver": "task:deliver_outbox",
        "remind": "task:run_reminders",
        "warm": "task:measures_warm",
    }
    assert rowscope.visible_authorities()[1] == ""


def test_tick_runs_the_sweeps_as_the_runtime_role(
    world: Any, runtime_role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diogelu.core import sweeps
    from diogelu.people.models import Person

    seen: list[int] = []

    def count_people(now: Any) -> int:
        seen.append(Person.objects.count())
        return 0

    monkeypatch.setattr(sweeps, "_REGISTRY", {**sweeps._REGISTRY})
    sweeps.register_sweep("test_rls_people_counted", count_people)
    call_command("tick", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # The world's four people, of both authorities, seen by the sweep; none outside its scope.
    assert seen == [4]
    assert Person.objects.count() == 0


def test_the_matching_index_warmed_before_fork_sees_every_authoritys_people(
    world: Any, runtime_role: str
) -> None:
    """gunicorn's master warms the index with no request scope; as the runtime role it must
    still index each authority's people (an empty index would stay so: workers sync changes)."""
    from diogelu.people.matching_index import forget_indexes, warm_indexes
    from diogelu.people.models import Person

    with rowscope.system_scope("test_expected"):
        expected = Person.objects.filter(merged_into__isnull=True).count()
    assert expected > 0
    assert Person.objects.count() == 0  # no scope: the runtime role sees no person
    forget_indexes()
    try:
        assert warm_indexes() == expected
    finally:
        forget_indexes()
