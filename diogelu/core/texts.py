"""Text kept as message keys with parameters, rendered in the reader's language (ADR 0017).

An outcome, a chronology event or an email is written once, by one person in one language, and
read later by others in theirs. Text that Diogelu composes (not what a practitioner typed) is
therefore stored as a small JSON structure of message keys and parameters, and rendered when it
is read:

* ``msg(gettext_noop("Report %(ref)s received"), ref="MASH-0001")`` — a message with parameters;
* ``choice(Outcome.NFA.label)`` — a translated label (its English msgid is stored);
* ``on_date(d)`` / ``at_time(dt)`` — a date (``5 January 2026`` / ``5 Ionawr 2026``) or a date
  and time in the reader's language, never an ISO date;
* ``lines(a, b, sep="\\n")`` — parts joined;
* a plain ``str`` — what a person typed, shown as typed.

Keys must be marked with ``gettext_noop`` where they are written, so that
``scripts/extract_messages.py`` puts them in the catalogue. A key that is not (yet) translated
renders in English; a broken parameter renders the key's English text rather than failing the
page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

#: What is stored: a JSON-compatible structure (see the module docstring).
Stored = dict[str, Any] | str


def _param(value: Any) -> Stored:
    if isinstance(value, dict | str):
        return value
    if isinstance(value, Promise):
        return choice(value)
    if isinstance(value, datetime.datetime):
        return at_time(value)
    if isinstance(value, datetime.date):
        return on_date(value)
    if isinstance(value, list | tuple):
        return lines(*value, sep=", ")
    return str(value)


def msg(key: str, **params: Any) -> dict[str, Any]:
    """A message key (marked with ``gettext_noop``) and its parameters."""
    return {"k": str(key), "p": {name: _param(v) for name, v in params.items()}}


def choice(label: Any) -> dict[str, Any]:
    """A translatable label (a lazy ``gettext_lazy`` string, as in model choices)."""
    with translation.override(None):
        return {"t": str(label)}


def choice_of(obj: Any, field: str) -> dict[str, Any] | str:
    """The label of ``obj``'s choice field ``field`` (its stored value when not a choice)."""
    value = getattr(obj, field)
    labels = dict(obj._meta.get_field(field).flatchoices)
    return choice(labels[value]) if value in labels else str(value)


def on_date(value: datetime.date | datetime.datetime) -> dict[str, Any]:
    """A date, shown as ``5 January 2026`` in the reader's language."""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return {"d": value.isoformat()}


def at_time(value: datetime.datetime) -> dict[str, Any]:
    """A date and time, shown as ``5 January 2026 at 14:05`` (UK time) in the reader's language."""
    return {"dt": value.isoformat()}


def lines(*parts: Any, sep: str = "\n") -> dict[str, Any]:
    """Parts joined by ``sep`` (each part a message, a label, a date or plain text)."""
    return {"j": sep, "l": [_param(p) for p in parts]}


def _render(value: Any) -> str:
    from django.utils.translation import gettext

    # Keys were marked with gettext_noop where they were written; look them up by name here.
    translate = gettext

    from diogelu.core.presenters import format_date, format_datetime

    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return str(value)
    if "k" in value:
        params = {name: _render(v) for name, v in (value.get("p") or {}).items()}
        key = str(value["k"])
        for template in (translate(key), key):
            try:
                return template % params if params else template
            except (KeyError, TypeError, ValueError):
                continue
        return key
    if "t" in value:
        return translate(str(value["t"]))
    if "d" in value:
        try:
            return format_date(datetime.date.fromisoformat(str(value["d"])))
        except ValueError:
            return str(value["d"])
    if "dt" in value:
        try:
            return format_datetime(datetime.datetime.fromisoformat(str(value["dt"])))
        except ValueError:
            return str(value["dt"])
    if "l" in value:
        return str(value.get("j", "\n")).join(_render(p) for p in value["l"])
    return ""


def render(value: Stored | None, language: str | None = None) -> str:
    """``value`` as text in ``language`` (the active language when None)."""
    if language is None:
        return _render(value)
    with translation.override(language):
        return _render(value)


def written(value: Stored, language: str | None = None) -> str:
    """The text to keep beside the stored structure (the site's language by default), for
    search, exports and readers of the plain field."""
    from django.conf import settings

    return render(value, language or settings.LANGUAGE_CODE)
