"""The access log's hash chain (ADR 0007): rows are sealed just after their transaction commits,
in a separate append-only table; an intact chain verifies, tampering is found at the seal where it
happened, unsealed rows are pending and then overdue, and on PostgreSQL writing a row never waits
for another transaction while concurrent sealers keep one unforked chain."""

from __future__ import annotations

import importlib
import itertools
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from diogelu.access import chain, services
from diogelu.access.models import AccessLog, AccessLogSeal, AppendOnlyError, Part
from diogelu.accounts.models import AgencyKind, Role
from diogelu.notifications.reminders import run_reminders
from tests import factories as f
from tests.postgresql import require_postgresql


@pytest.fixture
def postgresql_only() -> None:
    require_postgresql(
        "the advisory lock between sealers, concurrent connections and the DELETE trigger "
        "exist only there"
    )


on_postgresql = pytest.mark.usefixtures("postgresql_only")
MIGRATION = "diogelu.access.migrations.0007_access_log_seal"
TRIGGERS = {
    "access_accesslog": "access_log_no_update",
    "access_accesslogseal": "access_log_seal_no_update",
}
SQLITE_TRIGGERS = {
    "access_accesslog": """
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_accesslog
BEGIN SELECT RAISE(ABORT, 'access_accesslog is append-only'); END;
""",
    "access_accesslogseal": """
CREATE TRIGGER access_log_seal_no_update BEFORE UPDATE ON access_accesslogseal
BEGIN SELECT RAISE(ABORT, 'access_accesslogseal is append-only'); END;
""",
}


@contextmanager
def trigger_off(table: str) -> Iterator[None]:
    """Bypass a table's append-only trigger, as someone with the owner role could."""
    name = TRIGGERS[table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Fire the deferred foreign key checks of this transaction's inserts first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
        else:
            cursor.execute(f"DROP TRIGGER {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
            else:
                cursor.execute(SQLITE_TRIGGERS[table])


def _sql(statement: str, params: list[object], table: str) -> None:
    with trigger_off(table), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _read_some(world, capture) -> list[int]:
    """Access-log rows through the real paths (a page, the family page, bulk reads), each request
    or transaction sealed by its on-commit callback."""
    client = world.client_for(world.social_worker)
    with capture(execute=True):
        assert client.get(reverse("show_person", args=[world.child.pk])).status_code == 200
    with capture(execute=True):
        assert client.get(reverse("person_family", args=[world.child.pk])).status_code == 200
    with capture(execute=True), transaction.atomic():
        services.log_reads(
            world.social_worker, [world.sibling, world.mother], part=Part.SUMMARY, route="test"
        )
    return list(AccessLog.objects.order_by("id").values_list("id", flat=True))


def _seal_ids() -> list[int]:
    return list(AccessLogSeal.objects.order_by("id").values_list("id", flat=True))


def _unsealed_row(world, *, age_seconds: int = 0, **fields: object) -> AccessLog:
    """A row written outside the services, so nothing seals it."""
    values: dict[str, object] = {
        "user": world.social_worker,
        "agency": world.authority,
        "person": world.child,
        "channel": "PAGE",
        "route": "straggler",
        "part": Part.SUMMARY,
        "basis": "AUTHORITY_STAFF",
        "at": timezone.now() - timedelta(seconds=age_seconds),
    }
    return AccessLog.objects.create(**(values | fields))


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def _verify() -> tuple[str, int | None]:
    out = _Out()
    try:
        call_command("verify_access_log", stdout=out, stderr=_Out())
    except CommandError as exc:
        return str(exc), exc.returncode
    return out.text, 0


# --- Sealing on the request path ---------------------------------------------------------------


def test_a_page_read_is_sealed_once_its_request_commits(world, django_capture_on_commit_callbacks):
    client = world.client_for(world.social_worker)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.get(reverse("show_person", args=[world.child.pk])).status_code == 200
    row = AccessLog.objects.get(person=world.child, route="show_person")
    # Nothing is sealed inside the request's transaction: the seal waits for the commit.
    assert not AccessLogSeal.objects.exists()
    sealers = [c for c in callbacks if isinstance(c, chain._SealAfterCommit)]
    assert len(sealers) == 1
    # It looks only from the request's own first row on: an index range, not the whole log.
    assert sealers[0].from_id == row.pk
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    pending = [q["sql"] for q in queries if "IS NULL" in q["sql"]]
    assert pending and all(f'"id" >= {row.pk}' in sql for sql in pending), pending
    seal = AccessLogSeal.objects.get()
    assert seal.log_id == row.pk
    assert seal.prev_hash == chain.GENESIS
    assert seal.row_hash == chain.compute_hash(chain.values_of(row), chain.GENESIS)


def test_one_seal_callback_per_transaction(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        services.log_reads(world.social_worker, [world.child], part=Part.SUMMARY, route="a")
        services.access_person(world.social_worker, world.sibling.pk, route="b")
        services.log_search_results(world.social_worker, [world.mother], route="c")
        with transaction.atomic():  # a savepoint inside: the outer callback covers it
            services.log_reads(world.social_worker, [world.child], part=Part.FAMILY, route="d")
    assert len([c for c in callbacks if isinstance(c, chain._SealAfterCommit)]) == 1
    assert AccessLog.objects.count() == 4
    assert AccessLogSeal.objects.count() == 4


def test_a_rolled_back_savepoint_does_not_lose_the_callback(
    world, django_capture_on_commit_callbacks
):
    """Registered first inside a savepoint that is rolled back, the callback is registered again
    for the rows the outer transaction keeps."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                services.log_reads(world.social_worker, [world.child], part="SUMMARY", route="x")
                raise RuntimeError("roll back the savepoint")
        except RuntimeError:
            pass
        services.log_reads(world.social_worker, [world.sibling], part="SUMMARY", route="y")
    assert list(AccessLog.objects.values_list("route", flat=True)) == ["y"]
    assert AccessLogSeal.objects.get().log.route == "y"


def test_rows_are_sealed_in_order(world, django_capture_on_commit_callbacks):
    ids = _read_some(world, django_capture_on_commit_callbacks)
    assert len(ids) >= 4
    seals = list(AccessLogSeal.objects.order_by("id").select_related("log"))
    assert [s.log_id for s in seals] == ids
    assert seals[0].prev_hash == chain.GENESIS
    for before, after in itertools.pairwise(seals):
        assert after.prev_hash == before.row_hash
    for seal in seals:
        assert seal.row_hash == chain.compute_hash(chain.values_of(seal.log), seal.prev_hash)
    assert chain.seal_pending() == 0  # nothing left to seal


def test_sealing_failure_does_not_break_the_page(
    world, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError(f"sealing broke for {world.child.given_name} 9990000018")

    monkeypatch.setattr(chain, "seal_pending", broken)
    client = world.client_for(world.social_worker)
    with (
        caplog.at_level(logging.ERROR, logger="diogelu.access.chain"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.get(reverse("show_person", args=[world.child.pk]))
    assert response.status_code == 200
    assert AccessLog.objects.filter(person=world.child).exists()
    assert not AccessLogSeal.objects.exists()
    assert "Sealing the access log failed (RuntimeError)" in caplog.text
    assert world.child.given_name not in caplog.text
    assert "9990000018" not in caplog.text
    monkeypatch.undo()
    # The sweep seals what the request could not.
    assert chain.seal_backlog() == 1
    assert chain.verify().intact


def test_the_sweep_seals_stragglers(world):
    rows = [_unsealed_row(world, age_seconds=3600), _unsealed_row(world)]
    assert run_reminders()["access_log_sealed"] == 2
    assert [s.log_id for s in AccessLogSeal.objects.order_by("id")] == [r.pk for r in rows]
    assert run_reminders()["access_log_sealed"] == 0
    assert chain.verify().intact


def test_the_request_path_sealer_looks_only_past_the_last_seal(world):
    """Issue 17: the look-up after every read of a child cost ~100 ms at a county-year and grew
    with the log (``seal IS NULL AND at >= …``). It now reads only the rows after the highest
    sealed one (an index range over the unsealed tail); a row that committed after a higher one
    was sealed is left to the sweep."""
    straggler = _unsealed_row(world, age_seconds=2 * 3600)
    sealed = _unsealed_row(world)
    assert chain.seal_pending(since=timezone.now() - timedelta(hours=1)) == 1
    assert chain.last_sealed_log_id() == sealed.pk
    latest = _unsealed_row(world)
    with CaptureQueriesContext(connection) as queries:
        assert chain.seal_recent() == 1
    assert AccessLogSeal.objects.order_by("id").last().log_id == latest.pk
    pending = [q["sql"] for q in queries if "seal" in q["sql"] and "IS NULL" in q["sql"]]
    assert pending, "the pending-row query ran"
    assert f'"id" > {sealed.pk}' in pending[0], pending
    assert all('"id" > ' in sql for sql in pending), pending
    assert chain.seal_backlog() == 1
    assert AccessLogSeal.objects.order_by("id").last().log_id == straggler.pk
    assert chain.verify().intact


# --- Verification ------------------------------------------------------------------------------


def test_intact_chain_verifies(world, django_capture_on_commit_callbacks):
    ids = _read_some(world, django_capture_on_commit_callbacks)
    text, code = _verify()
    head = AccessLogSeal.objects.order_by("-id").first().row_hash
    assert code == 0
    assert text.strip() == f"{len(ids)} rows sealed, chain intact (head {head})"
    assert chain.verify().head == head


def test_empty_log_verifies(db):
    text, code = _verify()
    assert code == 0
    assert text.strip() == f"0 rows sealed, chain intact (head {chain.GENESIS})"


def test_changed_row_is_found_at_its_seal(world, django_capture_on_commit_callbacks):
    ids = _read_some(world, django_capture_on_commit_callbacks)
    target = ids[2]
    seal_id = AccessLogSeal.objects.get(log_id=target).pk
    _sql(
        "UPDATE access_accesslog SET route = 'nothing-to-see' WHERE id = %s",
        [target],
        "access_accesslog",
    )
    text, code = _verify()
    assert code == 1
    assert f"chain broken at seal {seal_id} (log row {target}): row_hash does not match" in text
    assert "2 seals before it verified" in text
    assert chain.verify().broken == chain.Break(
        seal_id, target, "row_hash does not match the log row's contents"
    )


def test_changed_time_is_found(world, django_capture_on_commit_callbacks):
    ids = _read_some(world, django_capture_on_commit_callbacks)
    _sql(
        "UPDATE access_accesslog SET at = at - INTERVAL '1 day' WHERE id = %s"
        if connection.vendor == "postgresql"
        else "UPDATE access_accesslog SET at = datetime(at, '-1 day') WHERE id = %s",
        [ids[0]],
        "access_accesslog",
    )
    broken = chain.verify().broken
    assert broken is not None
    assert broken.log_id == ids[0]


def test_resealing_a_changed_row_breaks_the_next_seal(world, django_capture_on_commit_callbacks):
    """Recomputing the changed row's own seal is not enough: the next seal points at the old one."""
    ids = _read_some(world, django_capture_on_commit_callbacks)
    seal = AccessLogSeal.objects.select_related("log").get(log_id=ids[1])
    forged = chain.compute_hash(chain.values_of(seal.log) | {"route": "rewritten"}, seal.prev_hash)
    _sql(
        "UPDATE access_accesslog SET route = 'rewritten' WHERE id = %s",
        [ids[1]],
        "access_accesslog",
    )
    _sql(
        "UPDATE access_accesslogseal SET row_hash = %s WHERE id = %s",
        [forged, seal.pk],
        "access_accesslogseal",
    )
    following = AccessLogSeal.objects.get(log_id=ids[2])
    assert chain.verify().broken == chain.Break(
        following.pk, ids[2], "prev_hash is not the previous seal's hash"
    )


def test_deleted_seal_is_found_at_the_next_seal(world, django_capture_on_commit_callbacks):
    _read_some(world, django_capture_on_commit_callbacks)
    seals = _seal_ids()
    _sql("DELETE FROM access_accesslogseal WHERE id = %s", [seals[1]], "access_accesslogseal")
    text, code = _verify()
    assert code == 1
    assert f"chain broken at seal {seals[2]} " in text
    assert "prev_hash is not the previous seal's hash" in text


def test_reordered_seals_are_found(world, django_capture_on_commit_callbacks):
    _read_some(world, django_capture_on_commit_callbacks)
    first, second = _seal_ids()[1:3]
    for old_id, new_id in ((first, -1), (second, first), (-1, second)):
        _sql(
            "UPDATE access_accesslogseal SET id = %s WHERE id = %s",
            [new_id, old_id],
            "access_accesslogseal",
        )
    broken = chain.verify().broken
    assert broken is not None
    assert broken.seal_id == first
    assert broken.reason == "prev_hash is not the previous seal's hash"


def test_moving_a_seal_to_another_row_is_found(world, django_capture_on_commit_callbacks):
    ids = _read_some(world, django_capture_on_commit_callbacks)
    seal_id = AccessLogSeal.objects.get(log_id=ids[0]).pk
    extra = _unsealed_row(world)
    _sql(
        "UPDATE access_accesslogseal SET log_id = %s WHERE id = %s",
        [extra.pk, seal_id],
        "access_accesslogseal",
    )
    assert chain.verify().broken == chain.Break(
        seal_id, extra.pk, "row_hash does not match the log row's contents"
    )


def test_old_unsealed_row_fails_verification(world, django_capture_on_commit_callbacks, settings):
    settings.ACCESS_LOG_SEAL_GRACE_SECONDS = 600
    ids = _read_some(world, django_capture_on_commit_callbacks)
    straggler = _unsealed_row(world, age_seconds=601)
    text, code = _verify()
    assert code == 1
    assert f"1 log rows older than 600 seconds have no seal (first: row {straggler.pk})" in text
    assert f"{len(ids)} rows sealed, chain intact up to head" in text
    result = chain.verify()
    assert not result.intact
    assert result.broken is None
    assert result.unsealed_overdue == 1


def test_recent_unsealed_row_is_pending(world, django_capture_on_commit_callbacks, settings):
    settings.ACCESS_LOG_SEAL_GRACE_SECONDS = 600
    ids = _read_some(world, django_capture_on_commit_callbacks)
    _unsealed_row(world, age_seconds=590)
    _unsealed_row(world)
    text, code = _verify()
    assert code == 0
    assert f"{len(ids)} rows sealed, chain intact" in text
    assert "2 rows pending" in text
    # The grace period is the setting: with a shorter one the same rows are overdue.
    settings.ACCESS_LOG_SEAL_GRACE_SECONDS = 60
    assert _verify()[1] == 1


def test_progress_is_reported(world, django_capture_on_commit_callbacks):
    _read_some(world, django_capture_on_commit_callbacks)
    err = _Out()
    call_command("verify_access_log", "--progress-every", "2", stdout=_Out(), stderr=err)
    assert "checked 2 of" in err.text
    assert "checked 4 of" in err.text


# --- Append-only -------------------------------------------------------------------------------


def test_both_triggers_are_present_after_migrating(db):
    """Migration 0007 no longer alters the log table, so SQLite keeps the log's trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal AND c.relname LIKE 'access_accesslog%%'"
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name LIKE 'access_accesslog%'"
            )
        found = set(cursor.fetchall())
    assert found == set(TRIGGERS.items())


@pytest.mark.parametrize(
    ("statement", "table"),
    [
        ("UPDATE access_accesslog SET route = 'x' WHERE id = %s", "log"),
        ("UPDATE access_accesslogseal SET row_hash = 'x' WHERE log_id = %s", "seal"),
        ("UPDATE access_accesslogseal SET log_id = log_id WHERE log_id = %s", "seal"),
    ],
)
def test_database_refuses_update(world, django_capture_on_commit_callbacks, statement, table):
    ids = _read_some(world, django_capture_on_commit_callbacks)
    with pytest.raises(Exception) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [ids[0]])
    assert "append-only" in str(caught.value)


@on_postgresql
def test_postgresql_refuses_deleting_seals(world, django_capture_on_commit_callbacks):
    ids = _read_some(world, django_capture_on_commit_callbacks)
    with pytest.raises(Exception) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_accesslogseal WHERE log_id = %s", [ids[0]])
    assert "append-only" in str(caught.value)


def test_the_model_refuses_changing_seals(world, django_capture_on_commit_callbacks):
    _read_some(world, django_capture_on_commit_callbacks)
    seal = AccessLogSeal.objects.first()
    seal.row_hash = "x"
    with pytest.raises(AppendOnlyError):
        seal.save()
    with pytest.raises(AppendOnlyError):
        seal.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogSeal.objects.update(row_hash="x")
    with pytest.raises(AppendOnlyError):
        AccessLogSeal.objects.all().delete()
    assert chain.verify().intact


def test_a_sealed_row_cannot_be_sealed_again(world, django_capture_on_commit_callbacks):
    ids = _read_some(world, django_capture_on_commit_callbacks)
    head = chain.chain_head("default")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLogSeal.objects.create(log_id=ids[0], prev_hash=head, row_hash="0" * 64)


def test_two_seals_cannot_follow_one_head(world, django_capture_on_commit_callbacks):
    """The chain cannot fork: ``prev_hash`` stays unique after ADR 0832 made it a constraint."""
    _read_some(world, django_capture_on_commit_callbacks)
    first = AccessLogSeal.objects.order_by("id").first()
    extra = _unsealed_row(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLogSeal.objects.create(log_id=extra.pk, prev_hash=first.prev_hash, row_hash="1" * 64)


def test_a_read_writes_no_index_that_nothing_reads(db):
    """ADR 0832: each read of a child writes an access-log row and its seal. The seal's hash had
    a second, ``LIKE`` index beside its unique one (108 MB at a county, random keys: half of a
    seal's cost), and the log row an index on the person beside the (person, at) one."""
    require_postgresql("the indexes PostgreSQL keeps")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename IN ('access_accesslog', 'access_accesslogseal')"
        )
        indexes = cursor.fetchall()
    seal = [d for t, d in indexes if t == "access_accesslogseal"]
    log = [d.split(" USING btree ")[1] for t, d in indexes if t == "access_accesslog"]
    assert not [d for d in seal if "pattern_ops" in d], seal
    assert [d for d in seal if d.startswith("CREATE UNIQUE") and "(prev_hash)" in d], seal
    assert "(person_id)" not in log
    assert "(person_id, at DESC)" in log


# --- The migration -----------------------------------------------------------------------------


def test_migration_seals_existing_rows_with_the_same_hash(world):
    """Migration 0007 seals the rows that existed before it with a frozen copy of the hash."""
    migration = importlib.import_module(MIGRATION)
    rows = [
        _unsealed_row(world, age_seconds=7200),
        _unsealed_row(world, ip_address="2001:DB8:0:0:0:0:0:1", request_id="abc123"),
        _unsealed_row(world, ip_address="192.0.2.7", person=world.sibling),
    ]
    migration.seal_existing_rows(django_apps, SimpleNamespace(connection=connection))
    seals = list(AccessLogSeal.objects.order_by("id").select_related("log"))
    assert [s.log_id for s in seals] == [r.pk for r in rows]
    for seal in seals:
        values = chain.values_of(seal.log)
        assert migration.row_hash(values, seal.prev_hash) == seal.row_hash
        assert chain.compute_hash(values, seal.prev_hash) == seal.row_hash
    assert chain.verify().intact
    # Run again (or after the application sealed more), it continues the chain.
    later = _unsealed_row(world)
    migration.seal_existing_rows(django_apps, SimpleNamespace(connection=connection))
    assert AccessLogSeal.objects.order_by("id").last().log_id == later.pk
    assert chain.verify().intact


# --- Concurrency (PostgreSQL) ------------------------------------------------------------------


def _people(count: int):
    authority = f.agency(AgencyKind.LOCAL_AUTHORITY, "Glanrafon Children's Services")
    workers = [f.user(authority, Role.SOCIAL_WORKER, username=f"sw{i}") for i in range(2)]
    children = [f.person(authority, given_name=f"Plentyn{i}") for i in range(count)]
    return workers, children


def _run_threads(targets) -> list[BaseException]:
    errors: list[BaseException] = []

    def wrap(target):
        from django.db import connection as thread_connection

        def run() -> None:
            try:
                target()
            except BaseException as exc:
                errors.append(exc)
            finally:
                thread_connection.close()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive()
    return errors


def _slow_head(monkeypatch, seconds: float) -> None:
    original = chain.chain_head

    def slow(using: str) -> str:
        head = original(using)
        time.sleep(seconds)
        return head

    monkeypatch.setattr(chain, "chain_head", slow)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_sealers_keep_one_chain(monkeypatch):
    """Two connections log reads and seal after each commit, at the same moment; the sealers are
    slowed while holding the lock, so they contend. Every row ends sealed exactly once, in one
    chain."""
    workers, children = _people(4)
    _slow_head(monkeypatch, 0.05)
    refused: list[bool] = []
    original_lock = chain.try_lock_chain

    def counting_lock(using: str) -> bool:
        got = original_lock(using)
        if not got:
            refused.append(True)
        return got

    monkeypatch.setattr(chain, "try_lock_chain", counting_lock)
    barrier = threading.Barrier(len(workers))

    def work(worker):
        def run() -> None:
            barrier.wait()
            for child in children:
                with transaction.atomic():
                    services.log_reads(worker, [child], part=Part.SUMMARY, route="race")
                    services.log_reads(worker, children[:2], part=Part.SUMMARY, route="race")

        return run

    assert _run_threads([work(w) for w in workers]) == []
    assert AccessLog.objects.count() == 2 * 4 * 3
    sealed_after_commit = AccessLogSeal.objects.count()
    assert sealed_after_commit > 0
    # The sweep: anything a refused sealer left behind.
    assert chain.seal_backlog() == 24 - sealed_after_commit
    assert AccessLogSeal.objects.count() == 24
    assert AccessLogSeal.objects.values("log_id").distinct().count() == 24
    result = chain.verify()
    assert result.intact, result
    assert (result.sealed, result.pending) == (24, 0)
    assert refused, "the sealers never contended: the test did not exercise the lock"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_unique_prev_hash_stops_a_fork(monkeypatch):
    """The control: two sealers that both read the same head cannot both append."""
    workers, children = _people(3)
    monkeypatch.setattr(chain, "try_lock_chain", lambda using: True)
    _slow_head(monkeypatch, 0.3)
    for child in children:  # written directly, so nothing seals them yet
        AccessLog.objects.create(
            user=workers[0],
            agency=workers[0].agency,
            person=child,
            channel="PAGE",
            route="race",
            part=Part.SUMMARY,
            basis="AUTHORITY_STAFF",
        )
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def seal() -> None:
        barrier.wait()
        counts.append(chain.seal_pending())

    errors = _run_threads([seal, seal])
    assert len(errors) == 1
    assert isinstance(errors[0], IntegrityError)
    assert counts == [3]
    assert chain.verify().intact
    assert AccessLogSeal.objects.count() == AccessLog.objects.count() == 3


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lock_on_write", [False, True], ids=["seals", "control-write-lock"])
def test_an_open_transaction_does_not_block_another_request(monkeypatch, lock_on_write):
    """Request A logs a read and keeps its transaction open (a slow PDF export); request B logs
    and commits, sealing its row, without waiting for A.

    The control takes a lock on the write path until commit, as the first design of the chain
    did: then B waits for A."""
    if lock_on_write:
        schedule = chain.schedule_seal

        def locked(using: str = "default", from_id: int | None = None) -> None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain.ADVISORY_LOCK_KEY])
            schedule(using, from_id)

        monkeypatch.setattr(chain, "schedule_seal", locked)
    workers, children = _people(2)
    a_logged = threading.Event()
    a_may_finish = threading.Event()
    b_done = threading.Event()

    def request_a() -> None:
        with transaction.atomic():
            services.log_reads(workers[0], [children[0]], part=Part.SUMMARY, route="export")
            a_logged.set()
            assert a_may_finish.wait(timeout=30)

    def request_b() -> None:
        assert a_logged.wait(timeout=30)
        started = time.monotonic()
        with transaction.atomic():
            services.log_reads(workers[1], [children[1]], part=Part.SUMMARY, route="page")
        if time.monotonic() - started < 2:
            b_done.set()

    def release_a_after_b() -> None:
        b_done.wait(timeout=5)
        a_may_finish.set()

    errors = _run_threads([request_a, request_b, release_a_after_b])
    assert errors == []
    if lock_on_write:
        assert not b_done.is_set()
        return
    assert b_done.is_set(), "request B waited for request A's open transaction"
    # B's row was sealed by B while A was still open; A's by A when it committed.
    seals = list(AccessLogSeal.objects.order_by("id").values_list("log__route", flat=True))
    assert seals == ["page", "export"]
    assert chain.verify().intact
