"""The Jinja2 environment: GOV.UK Frontend macros, gettext, URLs, static files and presenters."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from diogelu.core import presenters
from diogelu.core.forms import error_summary_items, field_params, widget_kind


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``reverse`` for templates: ``url("show_person", person.pk)``."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    """Build the environment Django's Jinja2 backend uses for every page."""
    django_loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [
            django_loader,
            PrefixLoader(
                {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
            ),
        ]
    )
    env = Environment(**options)  # noqa: S701 - autoescape is set in TEMPLATES options
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        {
            "url": url,
            "static": static,
            "field_params": field_params,
            "widget_kind": widget_kind,
            "error_summary_items": error_summary_items,
            "get_language": translation.get_language,
            "p": presenters,
        }
    )
    env.filters.update(
        {
            "date": presenters.format_date,
            "datetime": presenters.format_datetime,
        }
    )
    return env
