# The kept count of an authority's sent reports (0008) also keeps how many of them are closed,
# so the MASH's list of open reports is counted without reading them (issue 17, ADR 0837).

from django.db import migrations, models

_CREATE = """
CREATE OR REPLACE FUNCTION referrals_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO referrals_authorityreportcount AS c (authority_id, sent, closed)
    SELECT authority_id, count(*), count(*) FILTER (WHERE status = 'CLOSED')
    FROM referrals_count_new
    WHERE status <> 'DRAFT' GROUP BY authority_id
    ON CONFLICT (authority_id) DO UPDATE
    SET sent = c.sent + EXCLUDED.sent, closed = c.closed + EXCLUDED.closed;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION referrals_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE referrals_authorityreportcount AS c SET sent = c.sent - d.n, closed = c.closed - d.k
    FROM (SELECT authority_id, count(*) AS n, count(*) FILTER (WHERE status = 'CLOSED') AS k
          FROM referrals_count_old
          WHERE status <> 'DRAFT' GROUP BY authority_id) AS d
    WHERE c.authority_id = d.authority_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION referrals_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO referrals_authorityreportcount AS c (authority_id, sent, closed)
    SELECT authority_id, sum(n), sum(k) FROM (
        SELECT authority_id, 1 AS n, (status = 'CLOSED')::int AS k
        FROM referrals_count_new WHERE status <> 'DRAFT'
        UNION ALL
        SELECT authority_id, -1 AS n, -(status = 'CLOSED')::int AS k
        FROM referrals_count_old WHERE status <> 'DRAFT'
    ) AS d GROUP BY authority_id HAVING sum(n) <> 0 OR sum(k) <> 0
    ON CONFLICT (authority_id) DO UPDATE
    SET sent = c.sent + EXCLUDED.sent, closed = c.closed + EXCLUDED.closed;
    RETURN NULL;
END $$;

-- As in 0008: no one writes reports between the count below and the new functions taking over.
LOCK TABLE referrals_report IN SHARE ROW EXCLUSIVE MODE;
SELECT set_config('diogelu.system_scope', 'migration', true);
UPDATE referrals_authorityreportcount AS c SET closed = d.k
FROM (SELECT authority_id, count(*) AS k FROM referrals_report WHERE status = 'CLOSED'
      GROUP BY authority_id) AS d
WHERE c.authority_id = d.authority_id;
SELECT set_config('diogelu.system_scope', '', true);
"""

# Back to 0008's functions (the column is dropped after this).
_DROP = """
CREATE OR REPLACE FUNCTION referrals_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO referrals_authorityreportcount AS c (authority_id, sent)
    SELECT authority_id, count(*) FROM referrals_count_new
    WHERE status <> 'DRAFT' GROUP BY authority_id
    ON CONFLICT (authority_id) DO UPDATE SET sent = c.sent + EXCLUDED.sent;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION referrals_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE referrals_authorityreportcount AS c SET sent = c.sent - d.n
    FROM (SELECT authority_id, count(*) AS n FROM referrals_count_old
          WHERE status <> 'DRAFT' GROUP BY authority_id) AS d
    WHERE c.authority_id = d.authority_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION referrals_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO referrals_authorityreportcount AS c (authority_id, sent)
    SELECT authority_id, sum(n) FROM (
        SELECT authority_id, 1 AS n FROM referrals_count_new WHERE status <> 'DRAFT'
        UNION ALL
        SELECT authority_id, -1 AS n FROM referrals_count_old WHERE status <> 'DRAFT'
    ) AS d GROUP BY authority_id HAVING sum(n) <> 0
    ON CONFLICT (authority_id) DO UPDATE SET sent = c.sent + EXCLUDED.sent;
    RETURN NULL;
END $$;
"""


def _on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0008_authority_report_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="authorityreportcount",
            name="closed",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(_on_postgresql(_CREATE), _on_postgresql(_DROP)),
    ]
