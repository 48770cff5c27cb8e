"""Row-level security on ``people_person``: the authority policy (ADR 0751), PostgreSQL only.

Enabled and forced (the tables' owner is subject to it too): a row is visible, updatable and
insertable only when its authority is in the transaction's ``diogelu.authority_ids`` or a named
system scope is set (``diogelu.core.rowscope``). Unset or empty settings match no row. SQLite
has no row security and is unaffected.
"""

from django.db import migrations

TABLE = "people_person"


# The SQL as it was when written (``core.rowscope.policy_sql`` is the current form).
UP = f"""
ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY;
CREATE POLICY {TABLE}_authority ON {TABLE}
    USING (
        authority_id = ANY (NULLIF(current_setting('diogelu.authority_ids', true), '')::bigint[])
        OR COALESCE(current_setting('diogelu.system_scope', true), '') <> ''
    );
"""
DOWN = f"""
DROP POLICY IF EXISTS {TABLE}_authority ON {TABLE};
ALTER TABLE {TABLE} NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {TABLE} DISABLE ROW LEVEL SECURITY;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UP)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DOWN)


class Migration(migrations.Migration):
    dependencies = [("people", "0004_person_restricted_index")]

    operations = [migrations.RunPython(forwards, backwards)]
