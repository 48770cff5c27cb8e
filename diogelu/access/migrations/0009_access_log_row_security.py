"""Row-level security on the access log and its seals, as defence in depth (ADR 0014).

PostgreSQL only (SQLite has no row security). Both tables get row security enabled and forced
(so it applies to their owner too, not only to the runtime role), with exactly two policies each:
anyone with the table privilege may SELECT every row and INSERT new rows. There is no UPDATE or
DELETE policy, so even if such a privilege were ever granted by mistake, an UPDATE or DELETE finds
no row it may touch (0 rows). The privileges themselves are what stop the runtime role
(``manage.py setup_db_roles`` grants it only INSERT and SELECT); the append-only triggers of
migrations 0003 and 0007 stay. TRUNCATE is not subject to row security: it is refused to the
runtime role by privilege, and the owner's TRUNCATE is detected by verification against the
exported head. Superusers and roles with BYPASSRLS skip row security, so the runtime role must be
neither (the command refuses one that is).
"""

from django.db import migrations

TABLES = ("access_accesslog", "access_accesslogseal")


def _up(table: str) -> str:
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY {table}_read ON {table} FOR SELECT USING (true);
CREATE POLICY {table}_append ON {table} FOR INSERT WITH CHECK (true);
"""


def _down(table: str) -> str:
    return f"""
DROP POLICY IF EXISTS {table}_read ON {table};
DROP POLICY IF EXISTS {table}_append ON {table};
ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(_up(table))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(_down(table))


class Migration(migrations.Migration):
    dependencies = [("access", "0008_readvolumealert")]

    operations = [migrations.RunPython(forwards, backwards)]
