"""Each read of a child writes an access-log row and, after commit, its seal: two indexes fewer
to write (ADR 0832).

* ``AccessLogSeal.prev_hash``: its uniqueness stays (PostgreSQL's constraint of that name, made
  with the table, is kept as it is); the ``varchar_pattern_ops`` index Django adds beside a
  unique text field on PostgreSQL is dropped. Nothing searches hashes with ``LIKE``, and at a
  county it was 108 MB of random keys written on every seal.
* ``AccessLog.person``: its own index is dropped; the ``(person, -at)`` index serves every
  look-up by person. Dropped by name, not by altering the field: on SQLite altering a field
  remakes the table, and the remade table would lose its append-only trigger.

Dropping an index takes an exclusive lock on its table for an instant, but waits first for any
open transaction that has read the table, and every read of a child would queue behind it: on
PostgreSQL each drop gives up after LOCK_TIMEOUT (the migration fails and can be run again)
rather than stall the service.
"""

from django.db import migrations, models

LOCK_TIMEOUT = "10s"


def _limit_waiting(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")


def drop_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite makes no such index
    _limit_waiting(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'access_accesslogseal' AND indexdef LIKE %s",
            ["%(prev_hash varchar_pattern_ops)%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')


def _person_indexes(connection):
    """The names of the access log's single-column indexes on person_id."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = 'access_accesslog'"
            )
            return [n for n, d in cursor.fetchall() if d.endswith("btree (person_id)")]
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'access_accesslog'"
        )
        return [n for n, d in cursor.fetchall() if d and d.endswith('("person_id")')]


def drop_person_index(apps, schema_editor):
    _limit_waiting(schema_editor)
    for name in _person_indexes(schema_editor.connection):
        schema_editor.execute(f'DROP INDEX "{name}"')


def make_person_index(apps, schema_editor):
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS access_accesslog_person_id_7f8860f3 "
        "ON access_accesslog (person_id)"
    )


def make_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The name Django gives it (``_create_like_index_sql``), so a later change of the field
    # finds it.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS access_accesslogseal_prev_hash_18fd4cf4_like "
            "ON access_accesslogseal (prev_hash varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("access", "0011_involvement_sight")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accesslogseal",
                    name="prev_hash",
                    field=models.CharField(max_length=64),
                ),
                migrations.AddConstraint(
                    model_name="accesslogseal",
                    constraint=models.UniqueConstraint(
                        fields=["prev_hash"], name="access_accesslogseal_prev_hash_key"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_pattern_index, make_pattern_index)],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accesslog",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        related_name="access_log",
                        to="people.person",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_person_index, make_person_index)],
        ),
    ]
