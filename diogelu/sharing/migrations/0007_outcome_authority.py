"""The report's authority kept on each outcome (ADR 0816): filled from the reports for the outcomes
already shared, then an index of an authority's unacknowledged outcomes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BACKFILL = """
UPDATE sharing_outcomenotification SET authority_id = (
    SELECT authority_id FROM referrals_report WHERE referrals_report.id = report_id
) WHERE authority_id IS NULL
"""


def backfill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            # Row security hides the reports from a migration outside a system scope (ADR 0751).
            cursor.execute("SELECT set_config('diogelu.system_scope', 'migration', true)")
        cursor.execute(BACKFILL)
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('diogelu.system_scope', '', true)")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_password_link"),
        ("referrals", "0007_newest_reports"),
        ("sharing", "0006_request_requested_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="outcomenotification",
            name="authority",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.agency",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="outcomenotification",
            index=models.Index(
                condition=models.Q(("acknowledged_at__isnull", True)),
                fields=["authority", "acknowledge_by", "id"],
                name="sharing_outcome_unacked_by_la",
            ),
        ),
    ]
