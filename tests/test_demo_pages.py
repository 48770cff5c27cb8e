"""Every page of the demo renders as every demo persona with Jinja's ``StrictUndefined``, and
shows no ISO date.

An undefined value in a template (a missing dict key, a misspelt attribute) used to reach the page
as raw text under ``DEBUG`` ("no such element: dict object['text']") and as nothing otherwise.
Here it raises, so the test fails instead. The routes come from the URLconf (pages only, GET
only); ids are filled from the demo's own objects by the IDOR matrix's ``ID_TYPES`` map, so a new
page is walked without editing this file.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Model
from django.template import engines
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone
from jinja2 import StrictUndefined, Undefined, UndefinedError

from diogelu.accounts.models import User
from diogelu.accounts.stepup import SESSION_KEY as STEP_UP_KEY
from tests.test_idor_matrix import ALLOWLIST, ID_TYPES, MODELS, NON_ID_VALUES, _walk

_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")

#: A date written the ISO way (2026-01-19), which no page may show: dates go through the
#: presenters ("19 January 2026").
ISO_DATE = re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b")
_TAG = re.compile(r"<[^>]*>")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S)


def visible_text(html: str) -> str:
    """The text of a page without its tags, scripts and styles (attributes are not shown)."""
    return _TAG.sub(" ", _HIDDEN.sub(" ", html))


#: Pages that are not the app's own (or that only redirect elsewhere by design).
SKIP_PREFIXES = ("api/", "static/", "media/", "__", "sign-out", "i18n/")

#: At most this many objects of each type are tried (the demo's first and last and its showcase).
PER_TYPE = 3


def _models() -> dict[str, type[Model]]:
    """The model of each object type, as the IDOR matrix maps them."""
    return dict(MODELS)


def _ids(model: type[Model]) -> list[int]:
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    if len(pks) <= PER_TYPE:
        return pks
    return [pks[0], pks[len(pks) // 2], pks[-1]]


def page_urls() -> Iterator[tuple[str, str]]:
    """(route name, URL) for every page route, ids filled from the demo's objects."""
    models = _models()
    for route, name in _walk(get_resolver().url_patterns):
        # ALLOWLIST: routes whose parameter is not an object id (a secret link), with its reason.
        if name is None or route.startswith(SKIP_PREFIXES) or name in ALLOWLIST:
            continue
        params = list(_PARAM.finditer(route))
        choices: list[list[tuple[str, Any]]] = []
        for m in params:
            keyword = m.group("name")
            if keyword in NON_ID_VALUES:
                choices.append([(keyword, NON_ID_VALUES[keyword])])
                continue
            segment = route[: m.start()].rstrip("/").rsplit("/", 1)[-1]
            kind = ID_TYPES.get(f"{segment}/<{keyword}>")
            assert kind is not None, f"{name}: unmapped <{keyword}> (see test_idor_matrix)"
            choices.append([(keyword, pk) for pk in _ids(models[kind])])
        if not params:
            yield name, reverse(name)
            continue
        # One URL per object of the innermost type, the outer ids taken from the same position.
        for i in range(max(len(c) for c in choices)):
            kwargs = {c[min(i, len(c) - 1)][0]: c[min(i, len(c) - 1)][1] for c in choices if c}
            if len(kwargs) != len(params):
                continue
            try:
                yield name, reverse(name, kwargs=kwargs)
            except NoReverseMatch:  # pragma: no cover - a converter the walk does not know
                continue


def _in_vendor_macro() -> bool:
    """True when the nearest template on the stack is one of govuk-frontend-jinja's macros."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".jinja", ".txt")):
            return "govuk_frontend_jinja" in filename
        frame = frame.f_back  # type: ignore[assignment]
    return False


class PageStrictUndefined(StrictUndefined):
    """Jinja's ``StrictUndefined`` in our templates. GOV.UK Frontend's own macros test optional
    parameters (``{% if params.classes %}``), so there an undefined value may be tested or
    defaulted, but rendering one still fails: that is how ``{"html": ""}`` without a ``text``
    reached the page."""

    def __bool__(self) -> bool:
        if _in_vendor_macro():
            return False
        return super().__bool__()  # raises

    def __iter__(self) -> Iterator[Any]:
        if _in_vendor_macro():
            return iter(())
        return super().__iter__()  # raises

    def __len__(self) -> int:
        if _in_vendor_macro():
            return 0
        return super().__len__()  # raises

    def __eq__(self, other: object) -> bool:
        if _in_vendor_macro():
            # ``params.x != undefined``: any undefined equals any other undefined.
            return isinstance(other, Undefined)
        return super().__eq__(other)  # raises

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = StrictUndefined.__hash__


@pytest.fixture
def strict_templates(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The pages' Jinja environment with :class:`PageStrictUndefined`. Its template cache is
    emptied before and after: an imported macro module keeps the ``undefined`` of the moment it
    was first built, so modules built with another class must not leak in or out."""
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    if env.cache is not None:
        env.cache.clear()
    monkeypatch.setattr(env, "undefined", PageStrictUndefined)
    yield
    if env.cache is not None:
        env.cache.clear()


@pytest.fixture
def demo(db: None) -> None:
    from diogelu.demo.loader import load_demo

    load_demo(households=15)


def test_strict_undefined_catches_a_missing_key(db: None, strict_templates: None) -> None:
    """The test can fail: the table cell that broke the conference page now raises, in our
    templates and inside GOV.UK Frontend's table macro alike."""
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    with pytest.raises(UndefinedError):
        env.from_string("{{ cell.html if cell.html else cell.text }}").render(cell={"html": ""})
    with pytest.raises(UndefinedError):
        env.from_string("{% if thing.missing %}x{% endif %}").render(thing={})
    table = env.from_string(
        '{% from "govuk_frontend_jinja/components/table/macro.html" import govukTable %}'
        "{{ govukTable({'rows': [[{'text': 'a'}, {'html': ''}]]}) }}"
    )
    with pytest.raises(UndefinedError):
        table.render()
    assert (
        "a"
        in env.from_string(
            '{% from "govuk_frontend_jinja/components/table/macro.html" import govukTable %}'
            "{{ govukTable({'rows': [[{'text': 'a'}, {'text': ''}]]}) }}"
        ).render()
    )


def personas() -> list[User]:
    """One active demo user per persona: agency and set of roles (the workforce demo has dozens of
    social workers alike; each page is rendered for the first of them, by username)."""
    seen: set[tuple[object, ...]] = set()
    chosen: list[User] = []
    for user in User.objects.filter(is_active=True).order_by("username"):
        key = (user.agency_id, user.is_staff, user.is_superuser, frozenset(user.roles))
        if key not in seen:
            seen.add(key)
            chosen.append(user)
    return chosen


@pytest.mark.slow(seconds=160)
def test_every_demo_page_renders_for_every_persona_without_undefined_values(
    demo: None, strict_templates: None
) -> None:
    urls = list(page_urls())
    assert len(urls) > 40
    rendered = 0
    failures: dict[str, str] = {}  # one example per route and error
    for user in personas():
        client = Client(raise_request_exception=True)
        client.force_login(user)
        session = client.session
        session[STEP_UP_KEY] = timezone.now().timestamp()
        session.save()
        for name, url in urls:
            try:
                response = client.get(url)
            except Exception as exc:
                failures.setdefault(
                    f"{name}: {type(exc).__name__}: {exc}", f"{user.username} {url}"
                )
                continue
            if response.status_code >= 500:
                failures.setdefault(f"{name}: {response.status_code}", f"{user.username} {url}")
            elif response.status_code == 200:
                rendered += 1
                body = response.content
                if b"no such element" in body or b"is undefined" in body:
                    failures.setdefault(f"{name}: undefined text", f"{user.username} {url}")
                if response["Content-Type"].startswith("text/html"):
                    iso = ISO_DATE.search(visible_text(body.decode()))
                    if iso:
                        failures.setdefault(
                            f"{name}: ISO date {iso.group(0)!r} on the page",
                            f"{user.username} {url}",
                        )
    assert not failures, "\n".join(f"{k} (as {v})" for k, v in sorted(failures.items()))
    assert rendered > 200
