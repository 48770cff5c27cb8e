"""What a web process would otherwise do on its first requests, done once before it serves.

gunicorn's master calls :func:`warm_process` before it forks its workers (``gunicorn.conf.py``),
so every worker starts with it, shared copy-on-write, as the matching index is (ADR 0500):

* every view module imported (the URL resolver built);
* every Jinja2 template of the project and of ``govuk_frontend_jinja`` compiled into the
  environment's cache;
* the message catalogues of every language loaded.

Without it each worker compiled the templates of each page on that page's first request: the
MASH dashboard's first request in a fresh process took 0.87 s against 0.10 s after, with the
same 26 queries (issue 17).
"""

from __future__ import annotations

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

# Template names the project renders: pages, partials, e-mails and the GOV.UK macros.
_EXTENSIONS = ("jinja", "html", "txt")


def warm_templates() -> int:
    """Compile every template into the Jinja2 environment's cache; the number compiled."""
    engine = engines["jinja2"]
    env = engine.env  # type: ignore[attr-defined]
    names = env.list_templates(extensions=_EXTENSIONS)
    # The cache must hold them all, or the later ones would push out the first.
    if env.cache is not None and getattr(env.cache, "capacity", len(names)) < len(names):
        from jinja2.utils import LRUCache

        env.cache = LRUCache(2 * len(names))
    for name in names:
        env.get_template(name)
    return len(names)


def warm_process() -> dict[str, int]:
    """Everything above; what was warmed, for the log."""
    patterns = len(get_resolver().reverse_dict)
    templates = warm_templates()
    current = translation.get_language()
    for code, _name in settings.LANGUAGES:
        translation.activate(code)  # loads that language's catalogues
    translation.activate(current or settings.LANGUAGE_CODE)
    return {"url_names": patterns, "templates": templates, "languages": len(settings.LANGUAGES)}
