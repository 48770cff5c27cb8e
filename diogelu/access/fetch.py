"""Fetching one record from a queryset the user may see: 404 alike for missing and not allowed."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def one_visible(queryset: QuerySet[M], pk: object) -> M:
    """The object with this primary key in ``queryset``, or 404 (also for a malformed key)."""
    try:
        key = int(str(pk))
    except (TypeError, ValueError):
        raise Http404 from None
    found = queryset.filter(pk=key).first()
    if found is None:
        raise Http404
    return found
