"""Make the access log append-only in the database itself, not only in the ORM.

PostgreSQL (production): a trigger refuses UPDATE and DELETE of any row. TRUNCATE is left to the
owner role (test teardown uses it); the runtime role is granted neither TRUNCATE nor ownership —
see docs/adr/0007-access-log.md. SQLite (embedded default): a trigger refuses UPDATE; DELETE is
refused by the model and queryset (Django's test flush deletes rows on SQLite).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'access_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_no_update BEFORE UPDATE OR DELETE ON access_accesslog
  FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS access_log_no_update ON access_accesslog;
DROP FUNCTION IF EXISTS access_log_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_accesslog
BEGIN SELECT RAISE(ABORT, 'access_accesslog is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS access_log_no_update;"


def forwards(apps, schema_editor):
    sql = PG_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP
    schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = PG_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_links_to_people_and_accounts")]

    operations = [migrations.RunPython(forwards, backwards)]
