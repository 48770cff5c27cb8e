"""Count each authority's live people again, inside the system scope.

Migration 0010 counted the existing people when it created the triggers, but ``people_person``
has row security forced on its owner too (migration 0005, ADR 0751): run by a role that is not a
superuser, without the system scope, the count saw no rows and every authority's kept number
started at 0 (CI and the demo migrate as a superuser, which row security does not bind, so
neither showed it). Counted again here with the people locked, as 0010 did.
"""

from django.db import migrations

_RECOUNT = """
LOCK TABLE people_person IN SHARE ROW EXCLUSIVE MODE;
SELECT set_config('diogelu.system_scope', 'migration', true);
DELETE FROM people_authoritypeoplecount;
INSERT INTO people_authoritypeoplecount (authority_id, live)
SELECT authority_id, count(*) FROM people_person WHERE merged_into_id IS NULL
GROUP BY authority_id;
SELECT set_config('diogelu.system_scope', '', true);
"""


def recount(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_RECOUNT)


class Migration(migrations.Migration):
    dependencies = [("people", "0010_authority_people_count")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
