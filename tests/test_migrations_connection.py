"""Data migrations run on the connection they are given (ADR 0014).

``.ci/run`` and production migrate with ``migrate --database owner`` while the default
connection is the runtime role, which may not exist yet (``setup_db_roles`` creates it after the
first migration). A ``RunPython`` step that reaches for ``Model.objects`` or ``save()`` without
``schema_editor.connection.alias`` connects as the runtime role and the migration fails — as
``oversight`` 0002 and 0003 did on a fresh CI machine. Every model query and write in a data
migration names the database it runs on.
"""

from __future__ import annotations

import re
from pathlib import Path

import diogelu

ROOT = Path(diogelu.__file__).parent
UNBOUND_QUERY = re.compile(r"\.objects\.(?!using\()")
UNBOUND_SAVE = re.compile(r"\.(save|delete)\((?![^)]*using=)")


def _data_migrations() -> list[Path]:
    return sorted(
        p for p in ROOT.glob("*/migrations/0*.py") if "RunPython(" in p.read_text(encoding="utf-8")
    )


def test_there_are_data_migrations_to_check() -> None:
    assert len(_data_migrations()) >= 3


def test_every_data_migration_queries_and_writes_on_the_migrating_connection() -> None:
    faults = []
    for path in _data_migrations():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if UNBOUND_QUERY.search(line) or UNBOUND_SAVE.search(line):
                faults.append(f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}")
    assert not faults, (
        "use .objects.using(schema_editor.connection.alias) and save(using=...):\n"
        + "\n".join(faults)
    )


def test_the_check_finds_an_unbound_query() -> None:
    assert UNBOUND_QUERY.search("for w in Worker.objects.all():")
    assert not UNBOUND_QUERY.search("Worker.objects.using(db).all()")
    assert UNBOUND_SAVE.search('approval.save(update_fields=["person"])')
    assert not UNBOUND_SAVE.search('approval.save(using=db, update_fields=["person"])')
