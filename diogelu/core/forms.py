"""Forms that render as GOV.UK Frontend components.

``field_params(bound_field)`` turns a Django bound field into the parameters of the matching
``govuk*`` macro (label, hint, error message, value, items), so templates never hand-write
component HTML: ``{{ form_field(form["name"]) }}`` in ``macros/forms.jinja``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovUKDateField(forms.MultiValueField):
    """A date entered as day, month and year, with the GOV.UK error messages."""

    widget = DateWidget

    def __init__(self, *, allow_future: bool = False, **kwargs: Any) -> None:
        self.allow_future = allow_future
        fields = (
            forms.CharField(max_length=2, required=False),
            forms.CharField(max_length=2, required=False),
            forms.CharField(max_length=4, required=False),
        )
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields, **kwargs)

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(v or "").strip() for v in data_list)
        label = str(self.label or _("The date"))
        if not day or not month or not year:
            raise ValidationError(
                _("%(label)s must include a day, month and year") % {"label": label}
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(_("%(label)s must be a real date") % {"label": label})
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(_("%(label)s must be a real date") % {"label": label}) from None
        if value.year < 1900:
            raise ValidationError(_("%(label)s must be after 1900") % {"label": label})
        if not self.allow_future and value > datetime.date.today():  # noqa: DTZ011
            raise ValidationError(_("%(label)s must be today or in the past") % {"label": label})
        return value


def widget_kind(bound_field: forms.BoundField) -> str:
    """Which GOV.UK component renders this field."""
    widget = bound_field.field.widget
    if isinstance(widget, DateWidget):
        return "date"
    # CheckboxSelectMultiple subclasses RadioSelect in Django, so it is tested first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


def _error(bound_field: forms.BoundField) -> dict[str, str] | None:
    if bound_field.errors:
        return {"text": str(bound_field.errors[0]), "visuallyHiddenText": str(_("Error"))}
    return None


def field_params(bound_field: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    """Parameters for the ``govuk*`` macro that renders ``bound_field``."""
    field = bound_field.field
    kind = widget_kind(bound_field)
    label = {"text": str(bound_field.label)}
    params: dict[str, Any] = {
        "id": bound_field.html_name,
        "name": bound_field.html_name,
        "errorMessage": _error(bound_field),
    }
    if field.help_text:
        params["hint"] = {"text": str(field.help_text)}
    value = bound_field.value()
    if kind in {"radios", "checkboxes", "select"}:
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        items = []
        for choice_value, choice_label in getattr(field, "choices", []):
            item: dict[str, Any] = {"value": str(choice_value), "text": str(choice_label)}
            key = "selected" if kind == "select" else "checked"
            item[key] = str(choice_value) in selected
            items.append(item)
        params["items"] = items
        if kind == "select":
            params["label"] = label
        else:
            params["fieldset"] = {
                "legend": {"text": str(bound_field.label), "classes": "govuk-fieldset__legend--s"}
            }
    elif kind == "date":
        parts = value if isinstance(value, list | tuple) else DateWidget().decompress(value)
        names = (_("Day"), _("Month"), _("Year"))
        params["fieldset"] = {
            "legend": {"text": str(bound_field.label), "classes": "govuk-fieldset__legend--s"}
        }
        # Full names (not namePrefix, which the macro joins with "-") so Django's MultiWidget
        # reads them back as date_of_birth_0/1/2.
        params["items"] = [
            {
                "name": f"{bound_field.html_name}_{i}",
                "label": str(names[i]),
                "value": (parts[i] if i < len(parts) and parts[i] is not None else ""),
                "classes": "govuk-input--width-4" if i == 2 else "govuk-input--width-2",
                "id": f"{bound_field.html_name}_{i}",
            }
            for i in range(3)
        ]
        params["id"] = bound_field.html_name
    elif kind == "checkbox":
        params["items"] = [{"value": "on", "text": str(bound_field.label), "checked": bool(value)}]
    else:
        params["label"] = label
        params["value"] = "" if value is None else str(value)
        if kind == "password":
            params.update(
                {
                    "showPasswordText": str(_("Show")),
                    "hidePasswordText": str(_("Hide")),
                    "showPasswordAriaLabelText": str(_("Show password")),
                    "hidePasswordAriaLabelText": str(_("Hide password")),
                    "passwordShownAnnouncementText": str(_("Your password is visible")),
                    "passwordHiddenAnnouncementText": str(_("Your password is hidden")),
                }
            )
    params.update(overrides)
    return params


def error_summary_items(form: forms.Form | None) -> list[dict[str, str]]:
    """Items for the GOV.UK error summary: each error links to its field."""
    if form is None or not form.errors:
        return []
    items: list[dict[str, str]] = []
    for message in form.non_field_errors():
        items.append({"text": str(message), "href": "#main-content"})
    for name in form.errors:
        if name == "__all__":
            continue
        bound = form[name]
        anchor = bound.html_name
        if widget_kind(bound) == "date":
            anchor = f"{bound.html_name}_0"
        elif widget_kind(bound) in {"radios", "checkboxes"}:
            anchor = f"{bound.html_name}"
        for message in form.errors[name]:
            items.append({"text": str(message), "href": f"#{anchor}"})
    return items


_Row = TypeVar("_Row")


def row_in_use(fields: Sequence[forms.BoundField]) -> bool:
    """Whether any field of a repeated row (a participant, an action) has a value or an error."""
    for f in fields:
        if f.errors:
            return True
        value = f.value()
        if isinstance(value, (list, tuple)):
            if any(str(v or "").strip() for v in value):
                return True
        elif isinstance(value, bool):
            if value:
                return True
        elif value is not None and str(value).strip():
            return True
    return False


def fold_rows(
    rows: Sequence[_Row],
    *,
    minimum: int = 1,
    spare: int = 1,
    ignore: Sequence[str] = (),
) -> tuple[list[_Row], list[_Row]]:
    """Split repeated rows into those shown (up to the last row in use, plus ``spare`` empty
    ones, and at least ``minimum``) and those folded away behind an "Add another" ``<details>``,
    so long forms stay short and still work without JavaScript. Fields whose names end with one
    of ``ignore`` (a checkbox ticked by default) do not make a row "in use"."""

    def in_use(row: _Row) -> bool:
        fields = [f for f in _fields(row) if not any(f.name.endswith(x) for x in ignore)]
        return row_in_use(fields)

    last = max((i for i, row in enumerate(rows) if in_use(row)), default=-1)
    shown = max(last + 1 + spare, minimum)
    return list(rows[:shown]), list(rows[shown:])


def _fields(row: Any) -> Iterable[forms.BoundField]:
    for item in row if isinstance(row, (list, tuple)) else [row]:
        if isinstance(item, forms.BoundField):
            yield item
        elif isinstance(item, (list, tuple)):
            yield from _fields(item)
