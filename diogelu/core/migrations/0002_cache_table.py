"""The table of the database cache (``settings.CACHES`` without Redis): throttles and limits that
every worker shares. Created here so that ``migrate`` is the only set-up step."""

from typing import Any

from django.db import migrations

TABLE = "diogelu_cache"


def create(apps: Any, schema_editor: Any) -> None:
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
