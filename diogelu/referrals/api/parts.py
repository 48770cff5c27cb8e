"""The parts of the report API that later workflow apps contribute (ADR 0770).

A report (``GET /api/v1/reports/{id}/``) shows the MASH's work on it: its information requests
and outcomes (sharing) and its enquiries (enquiries). Referrals is below both in the workflow and
imports neither: each registers its part in its ``AppConfig.ready()`` with
:func:`register_report_part`, naming the serializer of one item (its OpenAPI component) and the
function that gives a report's items for a viewer.

The report serializer declares such a field as a :class:`ContributedList`. Its data, and its
OpenAPI schema (through :class:`ContributedListSchema`), come from the part registered under its
name, looked up when a report is shown or the schema written (after every app is ready), so the
schema is the one referrals wrote when it imported the other apps' serializers. Fails closed: a
part not registered raises rather than show a report without the MASH's work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

if TYPE_CHECKING:
    from drf_spectacular.openapi import AutoSchema

    from diogelu.accounts.models import User
    from diogelu.referrals.models import Report

# items(report, viewer, la_view): the report's items the viewer may see; ``la_view`` is True for
# the staff of the report's authority.
Items = Callable[["Report", "User", bool], Iterable[Any]]


@dataclass(frozen=True)
class ReportPart:
    serializer: type[serializers.BaseSerializer[Any]]
    items: Items


_PARTS: dict[str, ReportPart] = {}


def register_report_part(
    name: str, *, serializer: type[serializers.BaseSerializer[Any]], items: Items
) -> None:
    """Contribute the report's ``name`` field: a list of ``serializer`` over ``items(...)``."""
    _PARTS[name] = ReportPart(serializer=serializer, items=items)


def report_part(name: str) -> ReportPart:
    try:
        return _PARTS[name]
    except KeyError:
        raise LookupError(
            f"No app contributes the report's {name!r} (is the app that owns it installed?)"
        ) from None


class ContributedList(serializers.Field):  # type: ignore[type-arg]
    """A read-only list field of the report whose items a later app contributes.

    ``la_only``: only the staff of the report's authority see it (an empty list for others).
    The serializer's context carries the viewer (``user``) and ``la_view``.
    """

    def __init__(self, part: str, *, la_only: bool = False) -> None:
        super().__init__(source="*", read_only=True)
        self.part = part
        self.la_only = la_only

    def to_representation(self, value: Report) -> Any:
        la_view = bool(self.context.get("la_view"))
        if self.la_only and not la_view:
            return []
        part = report_part(self.part)
        items = part.items(value, self.context["user"], la_view)
        return part.serializer(items, many=True).data


class ContributedListSchema(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """The schema of a :class:`ContributedList`: an array of its part's serializer component."""

    target_class = ContributedList

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> Any:
        part = report_part(self.target.part)
        many = part.serializer(many=True)
        return auto_schema._map_serializer_field(many, direction)  # type: ignore[no-untyped-call]
