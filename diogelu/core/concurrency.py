"""Optimistic concurrency for edits (see VersionedModel)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.core.exceptions import StaleEditError
from diogelu.core.models import VersionedModel

M = TypeVar("M", bound=VersionedModel)


def save_versioned(obj: M, *, expected_version: int, fields: list[str]) -> M:
    """Write ``fields`` of ``obj`` only if its stored version is still ``expected_version``.

    Raises :class:`StaleEditError` when another edit got there first; nothing is written then.
    Must run inside a transaction.
    """
    values: dict[str, Any] = {name: getattr(obj, name) for name in fields}
    values["version"] = expected_version + 1
    # ``update()`` skips ``auto_now``: stamp it, or what syncs by it (the matching index, people
    # search's names) never sees the edit (a person renamed was not found by the new name).
    if "updated_at" not in values:
        obj.updated_at = values["updated_at"] = timezone.now()
    updated = (
        type(obj)._default_manager.filter(pk=obj.pk, version=expected_version).update(**values)
    )
    if updated != 1:
        raise StaleEditError(_("Someone else changed this record while you were editing it."))
    obj.version = expected_version + 1
    return obj
