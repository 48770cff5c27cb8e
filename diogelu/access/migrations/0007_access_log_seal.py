"""The access log's hash chain, in a table of its own (see ``diogelu/access/chain.py``).

Creates ``AccessLogSeal``, makes it append-only in the database as migration 0003 did for the log
(PostgreSQL: a trigger refuses UPDATE and DELETE; SQLite: a trigger refuses UPDATE, and DELETE is
refused by the model and queryset because Django's test flush deletes rows on SQLite), and seals
the rows already in the log in id order. The log table itself is not altered, so its own trigger
stays as it is (on SQLite, altering a table makes Django rebuild it and drop its triggers).

The hash function is copied here, frozen, rather than imported: a migration must give the same
result however the application changes later (``tests/test_access_log_chain.py`` checks that it
agrees with ``diogelu.access.chain`` today).
"""

import hashlib
import json
from datetime import UTC, datetime

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

GENESIS = "0" * 64
HASHED_FIELDS = (
    "at",
    "user_id",
    "agency_id",
    "person_id",
    "channel",
    "route",
    "part",
    "basis",
    "involvement_id",
    "break_glass_id",
    "request_id",
    "ip_address",
)
FOREIGN_KEYS = frozenset({"user_id", "agency_id", "person_id", "involvement_id", "break_glass_id"})

PG_UP = """
CREATE OR REPLACE FUNCTION access_log_seal_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'access_accesslogseal is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_seal_no_update BEFORE UPDATE OR DELETE ON access_accesslogseal
  FOR EACH ROW EXECUTE FUNCTION access_log_seal_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS access_log_seal_no_update ON access_accesslogseal;
DROP FUNCTION IF EXISTS access_log_seal_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER access_log_seal_no_update BEFORE UPDATE ON access_accesslogseal
BEGIN SELECT RAISE(ABORT, 'access_accesslogseal is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS access_log_seal_no_update;"


def row_hash(values, prev_hash):
    from django.utils.ipv6 import clean_ipv6_address

    data = {}
    for name in HASHED_FIELDS:
        value = values.get(name)
        if name == "at":
            if isinstance(value, datetime):
                value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            data[name] = value
        elif name == "ip_address":
            if value is None or value == "":
                data[name] = None
            else:
                text = str(value)
                data[name] = clean_ipv6_address(text) if ":" in text else text
        elif name in FOREIGN_KEYS:
            data[name] = None if value is None else int(value)
        else:
            data[name] = "" if value is None else str(value)
    data["prev_hash"] = prev_hash
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def add_triggers(apps, schema_editor):
    sql = PG_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP
    schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    sql = PG_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN
    schema_editor.execute(sql)


def seal_existing_rows(apps, schema_editor):
    """Seal every row with no seal yet, in id order, continuing from the last seal if any."""
    AccessLog = apps.get_model("access", "AccessLog")
    AccessLogSeal = apps.get_model("access", "AccessLogSeal")
    db = schema_editor.connection.alias
    last = AccessLogSeal.objects.using(db).order_by("-id").values_list("row_hash", flat=True)
    prev = last.first() or GENESIS
    rows = (
        AccessLog.objects.using(db)
        .filter(seal__isnull=True)
        .order_by("id")
        .values("id", *HASHED_FIELDS)
    )
    now = django.utils.timezone.now()
    batch = []
    for row in rows.iterator(chunk_size=2000):
        digest = row_hash(row, prev)
        batch.append(
            AccessLogSeal(log_id=row["id"], prev_hash=prev, row_hash=digest, sealed_at=now)
        )
        prev = digest
        if len(batch) >= 2000:
            AccessLogSeal.objects.using(db).bulk_create(batch)
            batch = []
    if batch:
        AccessLogSeal.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0006_register_check_basis"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccessLogSeal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prev_hash", models.CharField(max_length=64, unique=True)),
                ("row_hash", models.CharField(max_length=64)),
                ("sealed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "log",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seal",
                        to="access.accesslog",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.RunPython(add_triggers, drop_triggers),
        # Backwards: the seals go with the table when the CreateModel is reversed.
        migrations.RunPython(seal_existing_rows, migrations.RunPython.noop),
    ]
