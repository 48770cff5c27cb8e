"""Hooks through which oversight apps add to shared pages without those pages importing them.

An app registers, in its ``AppConfig.ready()``:

* ``register_nav_item(func)``: ``func(user)`` returns ``[(href, text), ...]`` for the service
  navigation (an empty list when the user may not use the app);
* ``register_my_work_section(func)``: ``func(user, now)`` returns ``None`` or
  ``{"template": "app/_my_work.jinja", ...context}``; My work includes each returned template
  with its dictionary as ``section``;
* ``register_page_section(page, func)``: ``func(user, obj)`` returns ``None`` or
  ``{"template": "app/_x.jinja", ...context}`` for a named workflow page (``"mash_report"``: the
  MASH's page of a report, ``obj`` the report; ``"strategy"``: a strategy discussion's page,
  ``obj`` the discussion); the page includes each returned template with its dictionary as
  ``section`` (ADR 0710);
* ``register_workflow_listener(func)``: ``func(event)`` is called with each ``WorkflowEvent`` the
  workflow apps send through ``workflow_event`` (approvals proposed and decided, work started).

What apps add to a person's page (sections and links) registers with people, the page's owner:
``diogelu.people.sections``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NavItems = Callable[[Any], list[tuple[str, str]]]
MyWorkSection = Callable[[Any, datetime.datetime], dict[str, Any] | None]

_NAV: list[NavItems] = []
_MY_WORK: list[MyWorkSection] = []


def register_nav_item(func: NavItems) -> None:
    if func not in _NAV:
        _NAV.append(func)


def register_my_work_section(func: MyWorkSection) -> None:
    if func not in _MY_WORK:
        _MY_WORK.append(func)


#: The workflow pages that take sections from the apps above them.
PAGES = frozenset({"mash_report", "strategy"})
PageSection = Callable[[Any, Any], dict[str, Any] | None]
_PAGE_SECTIONS: dict[str, list[PageSection]] = {}


def register_page_section(page: str, func: PageSection) -> None:
    if page not in PAGES:
        raise ValueError(f"{page!r} takes no sections (pages: {sorted(PAGES)})")
    funcs = _PAGE_SECTIONS.setdefault(page, [])
    if func not in funcs:
        funcs.append(func)


def page_sections(page: str, user: Any, obj: Any) -> list[dict[str, Any]]:
    """What the registered apps add to ``page`` for ``user`` looking at ``obj`` (which the page
    has already checked the user may see); each section decides its own access."""
    return [s for func in _PAGE_SECTIONS.get(page, []) if (s := func(user, obj)) is not None]


def extra_nav_items(user: Any) -> list[tuple[str, str]]:
    return [item for func in _NAV for item in func(user)]


def my_work_sections(user: Any, now: datetime.datetime) -> list[dict[str, Any]]:
    return [s for func in _MY_WORK if (s := func(user, now)) is not None]


# --- workflow events ------------------------------------------------------------------------------
#
# The workflow apps (referrals, enquiries, conferences, plans) say what they did through
# ``workflow_event``; the oversight apps listen (``register_workflow_listener`` in their
# ``ready()``) without the workflow apps importing them. Listeners run at once, inside the
# workflow's transaction: an error in a listener undoes the workflow's change too.

#: A decision that needs a manager was proposed (``source`` names it, e.g. "referrals.decision:7").
APPROVAL_PROPOSED = "approval.proposed"
#: A manager approved it (not their own proposal).
APPROVAL_APPROVED = "approval.approved"
#: A manager returned it with a reason (``reason``).
APPROVAL_RETURNED = "approval.returned"
#: Work with the children started (a MASH decision to proceed, a strategy discussion, an enquiry,
#: a registration); ``kind`` is the kind of work (oversight's case stages: "ASSESSMENT",
#: "CHILD_PROTECTION", ...).
WORK_STARTED = "work.started"

#: What is approved: a MASH decision, a section 47 determination 1, a plan published below the
#: quality threshold, a removal from the child protection register.
APPROVAL_KINDS = frozenset({"MASH_DECISION", "DETERMINATION_1", "PLAN_SIGN_OFF", "DEREGISTRATION"})


@dataclass(frozen=True)
class WorkflowEvent:
    """Something a workflow app did that oversight keeps track of.

    ``actor`` did it at ``at``; ``proposed_by`` is who proposed what ``actor`` approved or
    returned; ``worker`` is the practitioner leading work that started (if named); ``link`` is
    the page where the decision is taken or the work is done.
    """

    name: str
    kind: str
    source: str
    person_ids: tuple[int, ...]
    authority_id: int
    actor: Any
    at: datetime.datetime
    proposed_by: Any = None
    worker: Any = None
    reason: str = ""
    link: str = ""


WorkflowListener = Callable[[WorkflowEvent], None]
_WORKFLOW: list[WorkflowListener] = []


def register_workflow_listener(func: WorkflowListener) -> None:
    if func not in _WORKFLOW:
        _WORKFLOW.append(func)


def workflow_event(event: WorkflowEvent) -> None:
    """Tell every listener (none, when no oversight app is installed)."""
    for func in _WORKFLOW:
        func(event)
