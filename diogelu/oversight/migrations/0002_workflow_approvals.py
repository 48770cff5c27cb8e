"""Approvals from the workflow apps: the child on each approval, the workflow record it comes
from and the page where it is decided; the case becomes optional (a MASH decision may come before
the child is open to the authority)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_person(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The migrating connection (``migrate --database owner``), never the default runtime role.
    db = schema_editor.connection.alias
    Approval = apps.get_model("oversight", "Approval")
    for approval in Approval.objects.using(db).select_related("case").filter(person__isnull=True):
        approval.person_id = approval.case.person_id
        approval.save(using=db, update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="approval", name="one_pending_approval_per_kind"),
        migrations.AddField(
            model_name="approval",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.person",
            ),
        ),
        migrations.RunPython(fill_person, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="approval",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="people.person"
            ),
        ),
        migrations.AlterField(
            model_name="approval",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="approvals",
                to="oversight.case",
            ),
        ),
        migrations.AddField(
            model_name="approval",
            name="source",
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.AddField(
            model_name="approval",
            name="link",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="approval",
            name="kind",
            field=models.CharField(
                choices=[
                    ("CLOSE_CASE", "Close the case"),
                    ("END_ALLOCATION", "End the allocation"),
                    ("MASH_DECISION", "MASH decision"),
                    ("DETERMINATION_1", "Section 47 determination 1 (not substantiated)"),
                    ("PLAN_SIGN_OFF", "Plan below the quality threshold"),
                    ("DEREGISTRATION", "Removal from the child protection register"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="approval",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source", ""), ("status", "PENDING")),
                fields=("case", "kind"),
                name="one_pending_approval_per_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="approval",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "PENDING"), models.Q(("source", ""), _negated=True)),
                fields=("source", "person"),
                name="one_pending_approval_per_source",
            ),
        ),
    ]
