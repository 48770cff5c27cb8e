"""A report's child is linked only to a person of the report's authority, in the database itself
(ADR 0816).

The services always kept this (``link_child`` names only the authority's people), but the reports
list could not rely on a rule only the services keep, so it checked every linked child of the
authority's reports against every person: a hash join over 110,000 report children and 300,000
people on each page of the reports list at a county (0.28 s), and again for its count. With the
rule in the database, the list need only look for children linked to the authority's few hidden
(restricted) records.

Three triggers, PostgreSQL and SQLite alike:

* a report child's person and report must share an authority when it is linked (insert, or an
  update of either link). Fails closed under row security: a person or report the transaction
  may not see does not match.
* a person linked from a report keeps their authority; a report with linked children keeps its
  authority. Neither is ever changed by the services; these make sure nothing else does. They
  read ``referrals_reportchild``, which has no row security, so they hold under any scope.
"""

from django.db import migrations

MESSAGE = "a report child is linked only to a person of the authority of its report"

#: Linked children that break the rule already (none should: the services never made one).
BROKEN = """
SELECT count(*) FROM referrals_reportchild c
JOIN referrals_report r ON r.id = c.report_id
LEFT JOIN people_person p ON p.id = c.person_id
WHERE c.person_id IS NOT NULL AND (p.id IS NULL OR p.authority_id IS DISTINCT FROM r.authority_id)
"""

PG_UP = """
CREATE OR REPLACE FUNCTION referrals_child_same_authority() RETURNS trigger AS $$
BEGIN
  IF NEW.person_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM people_person p JOIN referrals_report r ON r.authority_id = p.authority_id
    WHERE p.id = NEW.person_id AND r.id = NEW.report_id
  ) THEN
    RAISE EXCEPTION 'a report child is linked only to a person of the authority of its report';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER referrals_child_same_authority
  BEFORE INSERT OR UPDATE OF person_id, report_id ON referrals_reportchild
  FOR EACH ROW EXECUTE FUNCTION referrals_child_same_authority();

CREATE OR REPLACE FUNCTION referrals_linked_person_keeps_authority() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM referrals_reportchild WHERE person_id = NEW.id) THEN
    RAISE EXCEPTION 'a person linked from a report keeps their authority';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER referrals_linked_person_keeps_authority
  BEFORE UPDATE OF authority_id ON people_person
  FOR EACH ROW WHEN (OLD.authority_id IS DISTINCT FROM NEW.authority_id)
  EXECUTE FUNCTION referrals_linked_person_keeps_authority();

CREATE OR REPLACE FUNCTION referrals_linked_report_keeps_authority() RETURNS trigger AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM referrals_reportchild WHERE report_id = NEW.id AND person_id IS NOT NULL
  ) THEN
    RAISE EXCEPTION 'a report with linked children keeps its authority';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER referrals_linked_report_keeps_authority
  BEFORE UPDATE OF authority_id ON referrals_report
  FOR EACH ROW WHEN (OLD.authority_id IS DISTINCT FROM NEW.authority_id)
  EXECUTE FUNCTION referrals_linked_report_keeps_authority();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS referrals_child_same_authority ON referrals_reportchild;
DROP FUNCTION IF EXISTS referrals_child_same_authority();
DROP TRIGGER IF EXISTS referrals_linked_person_keeps_authority ON people_person;
DROP FUNCTION IF EXISTS referrals_linked_person_keeps_authority();
DROP TRIGGER IF EXISTS referrals_linked_report_keeps_authority ON referrals_report;
DROP FUNCTION IF EXISTS referrals_linked_report_keeps_authority();
"""

_SAME = """
  NEW.person_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM people_person p JOIN referrals_report r ON r.authority_id = p.authority_id
    WHERE p.id = NEW.person_id AND r.id = NEW.report_id
  )"""
SQLITE_UP = [
    f"""CREATE TRIGGER referrals_child_same_authority_insert
  BEFORE INSERT ON referrals_reportchild WHEN {_SAME}
  BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER referrals_child_same_authority_update
  BEFORE UPDATE OF person_id, report_id ON referrals_reportchild WHEN {_SAME}
  BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    """CREATE TRIGGER referrals_linked_person_keeps_authority
  BEFORE UPDATE OF authority_id ON people_person
  WHEN OLD.authority_id IS NOT NEW.authority_id
   AND EXISTS (SELECT 1 FROM referrals_reportchild WHERE person_id = NEW.id)
  BEGIN SELECT RAISE(ABORT, 'a person linked from a report keeps their authority'); END;""",
    """CREATE TRIGGER referrals_linked_report_keeps_authority
  BEFORE UPDATE OF authority_id ON referrals_report
  WHEN OLD.authority_id IS NOT NEW.authority_id
   AND EXISTS (
     SELECT 1 FROM referrals_reportchild WHERE report_id = NEW.id AND person_id IS NOT NULL
   )
  BEGIN SELECT RAISE(ABORT, 'a report with linked children keeps its authority'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS referrals_child_same_authority_insert;",
    "DROP TRIGGER IF EXISTS referrals_child_same_authority_update;",
    "DROP TRIGGER IF EXISTS referrals_linked_person_keeps_authority;",
    "DROP TRIGGER IF EXISTS referrals_linked_report_keeps_authority;",
]


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            # Row security hides case rows from a migration outside a system scope (ADR 0751).
            cursor.execute("SELECT set_config('diogelu.system_scope', 'migration', true)")
        cursor.execute(BROKEN)
        (broken,) = cursor.fetchone()
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('diogelu.system_scope', '', true)")
    if broken:
        raise RuntimeError(
            f"{broken} report children are linked to a person of another authority than their "
            "report's; unlink them before this migration (ADR 0816)."
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP)
    else:
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    else:
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_pending_decisions"),
        ("people", "0008_matching_sync_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
