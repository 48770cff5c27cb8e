"""The IDOR/BOLA matrix (SECURITY.md §1 row 2; ADR 0007): nobody reads or changes a case object
they are not entitled to, and the answer is the same as for an id that does not exist.

* The routes come from the URLconf itself (a ``get_resolver()`` walk, pages and ``/api/v1/``), so
  a new route with an object id is covered automatically. Each id in a route is mapped to an object
  type by the path segment before it (``ID_TYPES``); a route the test cannot map fails
  ``test_every_object_route_is_mapped`` unless it is in the commented ``ALLOWLIST``.
* The fixture (``tests/idor_world.py``) is two local authorities, each with police, health, two
  schools, fourteen personas (one inactive) and the whole MASH → strategy → s47 → conference →
  register → plan journey built through the services, plus a draft report, a merge, a break-glass
  access, API tokens and delivered inbox items.
* Who may see what comes from the real rules (``ENTITLED``: ``decide`` and the ``visible_*`` /
  ``*_visible_to`` helpers), and ``test_oracle_agrees_with_hand_written_expectations`` checks the
  oracle itself against a small hand-written table (with a real GET for each ``True``).
* For every route, each persona of one authority (the two in turn, route by route; both with
  ``IDOR_MATRIX_FULL=1``) tries objects it may not see — near (its own authority's) and far — with
  GET and POST (pages) or each method the API view takes (the others, 405 before any lookup, once
  per route), and the same with ids that do not exist. The answers must be equal and no success:
  404 (405), or a redirect a missing id gets too (to a parent page the persona may see); for the
  leaver, the sign-in redirect or 401. For routes with two ids it also tries a parent the persona
  may see with the child id of a parent it may not. No request may add an access-log row, and a
  digest of every row of every table of the apps must be unchanged after each route.
* Names in request bodies (issue 11, defect 1; ``BODY_WRITES``): every API write that names an
  agency, a user or a person is sent naming one of the other authority's (police, school, user,
  child's sibling); it must answer 400 problem+json with every table unchanged, and the same body
  naming the actor's own authority must succeed (the control, in a savepoint rolled back), so the
  400 comes from the name and not from some other rule. The same for form posts to pages (the
  MASH request and conference invitation pages: 400, nothing written but the log of the page
  re-shown; the control redirects). The check itself lives in one place,
  ``diogelu/access/naming.py``, called by the services, so the pages get it too.
* The database is SQLite or PostgreSQL as configured; row-level security is not built yet, so of
  the three configurations SECURITY.md names only "app checks" runs.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.throttling import UserRateThrottle

from diogelu.access.models import AccessLog, BreakGlass
from diogelu.access.visibility import decide
from diogelu.accounts.models import Agency, ApiToken, Team, User
from diogelu.accounts.services import administered_agencies
from diogelu.accounts.stepup import SESSION_KEY as STEP_UP_KEY
from diogelu.audit import access as audit_access
from diogelu.audit.models import Audit, AuditAction, Programme
from diogelu.conferences import access as conference_access
from diogelu.conferences.models import Circulation, Conference, Invitation
from diogelu.conferences.tests.test_journey import at
from diogelu.enquiries.access import visible_enquiries, visible_strategies
from diogelu.enquiries.models import Section47Enquiry, StrategyDiscussion
from diogelu.exploitation import access as exploitation_access
from diogelu.exploitation import meetings as exploitation_meetings
from diogelu.exploitation.models import (
    ConcernFlag,
    Context,
    ExploitationMeeting,
    MeetingAction,
    NRMReferral,
    Screening,
)
from diogelu.measures import planning
from diogelu.measures.models import (
    CabinetReport,
    Finding,
    ImprovementAction,
    Inspection,
    RagProposal,
)
from diogelu.notifications.models import InboxItem
from diogelu.oversight import access as oversight_access
from diogelu.oversight.models import Approval, Post, Supervision, SupervisionAction, Worker
from diogelu.people.models import Person, PersonMerge
from diogelu.plans.access import plans_visible_to
from diogelu.plans.models import Plan, PlanVersion
from diogelu.referrals.access import visible_reports
from diogelu.referrals.models import Report, ReportChild
from diogelu.sharing.access import visible_outcomes, visible_requests
from diogelu.sharing.models import InformationRequest, OutcomeNotification
from tests.idor_world import NOW, Side, build

MISSING = 987_654_321
PROBLEM = "application/problem+json"
PAGE_METHODS = ("get", "post")
API_METHODS = ("get", "post", "put", "patch", "delete")
#: Unentitled objects tried per (route, actor) for an object type few routes reach: one near the
#: actor (their own authority's or its partners'), one far (the other authority's). Types many
#: routes reach get one per route, near and far in turn, rotating through the candidates.
PER_ROUTE = 2
FULL = os.environ.get("IDOR_MATRIX_FULL") == "1"

# --- routes -------------------------------------------------------------------------------------

#: The object type of each id, by the path segment before it and the keyword's name.
ID_TYPES: dict[str, str] = {
    "people/<person_id>": "person",
    "merges/<merge_id>": "merge",
    "review/<access_id>": "break_glass",
    "tokens/<token_id>": "token",
    "agencies/<agency_id>": "agency",
    "users/<user_id>": "user",
    "reports/<pk>": "report",
    "reports/<report_id>": "report",
    "children/<child_id>": "report_child",
    "outcomes/<outcome_id>": "outcome",
    "outcomes/<pk>": "outcome",
    "requests/<pk>": "request",
    "requests/<request_id>": "request",
    "strategy/<pk>": "strategy",
    "strategy-discussions/<strategy_id>": "strategy",
    "enquiries/<pk>": "enquiry",
    "enquiries/<enquiry_id>": "enquiry",
    "conferences/<pk>": "conference",
    "conferences/<conference_id>": "conference",
    "invitations/<pk>": "invitation",
    "invitations/<invitation_id>": "invitation",
    "records/<pk>": "circulation",
    "records/<circulation_id>": "circulation",
    "plans/<pk>": "plan",
    "plans/<plan_id>": "plan",
    "versions/<version_id>": "plan_version",
    "notifications/<pk>": "inbox",
    "teams/<team_id>": "team",
    "approvals/<approval_id>": "approval",
    "posts/<post_id>": "post",
    "supervisions/<supervision_id>": "supervision",
    "supervisions/<pk>": "supervision",
    "actions/<action_id>": "supervision_action",
    "workers/<worker_id>": "worker",
    "plans/<inspection_id>": "inspection",
    "actions/<improvement_action_id>": "improvement_action",
    "cabinet/<cabinet_id>": "cabinet_report",
    "inspections/<inspection_id>": "inspection",
    "findings/<finding_id>": "finding",
    "cabinet-reports/<cabinet_id>": "cabinet_report",
    "rag-proposals/<rag_proposal_id>": "rag_proposal",
    "programmes/<programme_id>": "audit_programme",
    "audit-programmes/<programme_id>": "audit_programme",
    "audits/<audit_id>": "audit",
    "actions/<audit_action_id>": "audit_action",
    "contexts/<context_id>": "context",
    "screenings/<screening_id>": "screening",
    "nrm/<referral_id>": "nrm_referral",
    "nrm-referrals/<referral_id>": "nrm_referral",
    "meetings/<meeting_id>": "exploitation_meeting",
    "actions/<meeting_action_id>": "meeting_action",
    "flags/<flag_id>": "concern_flag",
}

#: Path parameters that are not object ids, and the value to send.
NON_ID_VALUES: dict[str, str] = {
    "step": "concerns",
    "measure": "icpc_15wd",
    "stage": "reasonable",  # an NRM decision's stage
}

#: Routes with parameters deliberately left out of the matrix (each with its reason). Every object
#: route is checked. Add ``"name": "why"`` only for a route that takes no object id.
ALLOWLIST: dict[str, str] = {
    "password_link": (
        "<token> is a secret link (lookup and HMAC), not an object id: a wrong, used or expired "
        "one gets the same 'link does not work' page (tests/test_credentials.py)"
    ),
}

#: A child object's parent id, for routes with two ids: (child type, parent type) → getter.
PARENT_OF: dict[tuple[str, str], Callable[[Any], int]] = {
    ("report_child", "report"): lambda o: o.report_id,
    ("outcome", "report"): lambda o: o.report_id,
    ("plan_version", "plan"): lambda o: o.plan_id,
    ("meeting_action", "exploitation_meeting"): lambda o: o.meeting_id,
}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    ids: tuple[tuple[str, str], ...]  # (keyword, object type), outermost first
    extra: tuple[tuple[str, str], ...]  # non-id keywords and their values

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def target(self) -> str:
        return self.ids[-1][1]

    def url(self, ids: dict[str, int]) -> str:
        return reverse(self.name, kwargs={**ids, **dict(self.extra)})


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str | None = None
) -> Iterator[tuple[str, str | None]]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield route, name


def object_routes() -> tuple[list[Route], list[str]]:
    """Every URL pattern with a path parameter, mapped; and the problems (unmapped routes)."""
    routes: list[Route] = []
    problems: list[str] = []
    for route, name in _walk(get_resolver().url_patterns):
        params = list(_PARAM.finditer(route))
        if not params:
            continue
        if name is None:
            problems.append(f"{route}: has path parameters but no name")
            continue
        if name in ALLOWLIST:
            continue
        ids: list[tuple[str, str]] = []
        extra: list[tuple[str, str]] = []
        for m in params:
            keyword = m.group("name")
            if keyword in NON_ID_VALUES:
                extra.append((keyword, NON_ID_VALUES[keyword]))
                continue
            segment = route[: m.start()].rstrip("/").rsplit("/", 1)[-1]
            kind = ID_TYPES.get(f"{segment}/<{keyword}>")
            if kind is None or m.group("conv") not in (None, "int"):
                problems.append(
                    f"{name} ({route}): cannot map <{keyword}> after '{segment}/' to an object "
                    "type. Add it to ID_TYPES (with objects in tests/idor_world.py and an ENTITLED "
                    "rule) or, if it is not an object id, to NON_ID_VALUES/ALLOWLIST with a reason"
                )
                break
            ids.append((keyword, kind))
        else:
            for (_, parent), (_, child) in itertools.pairwise(ids):
                if (child, parent) not in PARENT_OF:
                    problems.append(f"{name} ({route}): no PARENT_OF entry for {child} in {parent}")
            if ids:
                routes.append(Route(name, route, tuple(ids), tuple(extra)))
    return routes, problems


# --- the oracle: who may see what, from the real rules ------------------------------------------


def _in(queryset: Any, obj: Model) -> bool:
    return bool(queryset.filter(pk=obj.pk).exists())


def _conference_entitled(user: User, conference: Conference) -> bool:
    return bool(
        _in(conference_access.visible_conferences(user), conference)
        or conference_access.my_invitations(user, conference)
        or conference_access.my_circulations(user, conference)
    )


def _circulation_entitled(user: User, c: Circulation) -> bool:
    if _in(conference_access.visible_conferences(user), c.conference):
        return True
    signed_in = user.is_active and user.agency_id is not None
    return bool(signed_in and conference_access.may_still_read(user, c))


def _break_glass_entitled(user: User, glass: BreakGlass) -> bool:
    # No read helper: the review list is the authority's (break_glass_for_review), so anyone
    # outside the person's authority is not entitled; inside it, only the IG lead reaches it.
    return bool(user.is_active and user.agency_id == glass.person.authority_id)


ENTITLED: dict[str, Callable[[User, Any], bool]] = {
    "person": lambda u, o: decide(u, o) is not None,
    "merge": lambda u, o: decide(u, o.survivor) is not None,
    "break_glass": _break_glass_entitled,
    "token": lambda u, o: o.user_id == u.pk,
    "inbox": lambda u, o: o.user_id == u.pk,
    "agency": lambda u, o: _in(administered_agencies(u), o),
    "user": lambda u, o: administered_agencies(u).filter(pk=o.agency_id or 0).exists(),
    "report": lambda u, o: _in(visible_reports(u), o),
    "report_child": lambda u, o: visible_reports(u).filter(pk=o.report_id).exists(),
    "outcome": lambda u, o: _in(visible_outcomes(u), o),
    "request": lambda u, o: _in(visible_requests(u), o),
    "strategy": lambda u, o: _in(visible_strategies(u), o),
    "enquiry": lambda u, o: _in(visible_enquiries(u), o),
    "conference": _conference_entitled,
    "invitation": lambda u, o: (
        _in(conference_access.visible_conferences(u), o.conference)
        or _in(conference_access._invitations_for(u), o)
    ),
    "circulation": _circulation_entitled,
    "plan": lambda u, o: _in(plans_visible_to(u), o),
    "plan_version": lambda u, o: plans_visible_to(u).filter(pk=o.plan_id).exists(),
    "team": lambda u, o: _in(oversight_access.teams_visible_to(u), o),
    "approval": lambda u, o: _in(oversight_access.approvals_visible_to(u), o),
    "post": lambda u, o: _in(oversight_access.posts_visible_to(u), o),
    "supervision": lambda u, o: _in(oversight_access.supervisions_visible_to(u), o),
    "supervision_action": lambda u, o: (
        oversight_access.supervisions_visible_to(u).filter(pk=o.supervision_id).exists()
    ),
    "worker": lambda u, o: _in(oversight_access.workers_visible_to(u), o),
    "inspection": lambda u, o: _in(planning.visible_inspections(u), o),
    "improvement_action": lambda u, o: _in(planning.visible_inspections(u), o.finding.inspection),
    "cabinet_report": lambda u, o: _in(planning.visible_inspections(u), o.inspection),
    "finding": lambda u, o: _in(planning.visible_inspections(u), o.inspection),
    "rag_proposal": lambda u, o: _in(planning.visible_inspections(u), o.action.finding.inspection),
    "audit_programme": lambda u, o: _in(audit_access.visible_programmes(u), o),
    "audit": lambda u, o: _in(audit_access.visible_audits(u), o),
    "audit_action": lambda u, o: _in(audit_access.visible_actions(u), o),
    "context": lambda u, o: _in(exploitation_access.visible_contexts(u), o),
    "screening": lambda u, o: _in(Screening.objects.visible_to(u), o),
    "nrm_referral": lambda u, o: exploitation_access.may_see_child(u, o.person_id),
    "exploitation_meeting": lambda u, o: _in(exploitation_meetings.visible_meetings(u), o),
    "meeting_action": lambda u, o: _in(exploitation_meetings.visible_meetings(u), o.meeting),
    "concern_flag": lambda u, o: exploitation_access.may_see_child(u, o.person_id),
}

#: Routes whose entitlement differs from their object type's, with the rule the route keeps.
#: The team's allocated children (issue 10) are listed for those who see the team's dashboard
#: and for the team's own workers (oversight's roles, in the authority, in that team).
ROUTE_ENTITLED: dict[str, Callable[[User, Any], bool]] = {
    "team_children": lambda u, o: (
        ENTITLED["team"](u, o)
        or (
            u.is_active
            and u.agency_id == o.agency_id
            and u.team_id == o.pk
            and oversight_access.is_oversight_staff(u)
        )
    ),
}

MODELS: dict[str, type[Model]] = {
    "person": Person,
    "merge": PersonMerge,
    "break_glass": BreakGlass,
    "token": ApiToken,
    "inbox": InboxItem,
    "agency": Agency,
    "user": User,
    "report": Report,
    "report_child": ReportChild,
    "outcome": OutcomeNotification,
    "request": InformationRequest,
    "strategy": StrategyDiscussion,
    "enquiry": Section47Enquiry,
    "conference": Conference,
    "invitation": Invitation,
    "circulation": Circulation,
    "plan": Plan,
    "plan_version": PlanVersion,
    "team": Team,
    "approval": Approval,
    "post": Post,
    "supervision": Supervision,
    "supervision_action": SupervisionAction,
    "worker": Worker,
    "inspection": Inspection,
    "improvement_action": ImprovementAction,
    "cabinet_report": CabinetReport,
    "rag_proposal": RagProposal,
    "finding": Finding,
    "audit_programme": Programme,
    "audit": Audit,
    "audit_action": AuditAction,
    "context": Context,
    "screening": Screening,
    "nrm_referral": NRMReferral,
    "exploitation_meeting": ExploitationMeeting,
    "meeting_action": MeetingAction,
    "concern_flag": ConcernFlag,
}

#: The local authority an object belongs to (to try one near the actor and one far from them).
AUTHORITY_OF: dict[str, Callable[[Any], int | None]] = {
    "person": lambda o: o.authority_id,
    "merge": lambda o: o.survivor.authority_id,
    "break_glass": lambda o: o.person.authority_id,
    "token": lambda o: o.user.agency_id,
    "inbox": lambda o: o.user.agency_id,
    "agency": lambda o: o.pk,
    "user": lambda o: o.agency_id,
    "report": lambda o: o.authority_id,
    "report_child": lambda o: o.report.authority_id,
    "outcome": lambda o: o.report.authority_id,
    "request": lambda o: o.report.authority_id,
    "strategy": lambda o: o.report.authority_id,
    "enquiry": lambda o: o.report.authority_id,
    "conference": lambda o: o.authority_id,
    "invitation": lambda o: o.conference.authority_id,
    "circulation": lambda o: o.conference.authority_id,
    "plan": lambda o: o.person.authority_id,
    "plan_version": lambda o: o.plan.person.authority_id,
    "team": lambda o: o.agency_id,
    "approval": lambda o: o.person.authority_id,
    "post": lambda o: o.team.agency_id,
    "supervision": lambda o: o.authority_id,
    "supervision_action": lambda o: o.supervision.authority_id,
    "worker": lambda o: o.authority_id,
    "inspection": lambda o: o.authority_id,
    "improvement_action": lambda o: o.finding.inspection.authority_id,
    "cabinet_report": lambda o: o.inspection.authority_id,
    "rag_proposal": lambda o: o.action.finding.inspection.authority_id,
    "finding": lambda o: o.inspection.authority_id,
    "audit_programme": lambda o: o.authority_id,
    "audit": lambda o: o.programme.authority_id,
    "audit_action": lambda o: o.audit.programme.authority_id,
    "context": lambda o: o.authority_id,
    "screening": lambda o: o.person.authority_id,
    "nrm_referral": lambda o: o.person.authority_id,
    "exploitation_meeting": lambda o: o.authority_id,
    "meeting_action": lambda o: o.meeting.authority_id,
    "concern_flag": lambda o: o.person.authority_id,
}


# --- the database must not change ---------------------------------------------------------------

#: Fields that change on any authenticated request and are not case data.
VOLATILE = {("accounts.User", "last_login"), ("accounts.ApiToken", "last_used_at")}


def snapshot() -> dict[str, str]:
    """A digest of every row of every table of Diogelu's apps."""
    digests: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("diogelu."):
            continue
        label = model._meta.label
        fields = [
            fld.attname for fld in model._meta.concrete_fields if (label, fld.name) not in VOLATILE
        ]
        rows = model._default_manager.order_by("pk").values_list(*fields)
        digests[label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


# --- the fixture --------------------------------------------------------------------------------


@dataclass
class Matrix:
    sides: tuple[Side, Side]
    actors: dict[str, User]
    side_of: dict[str, Side]
    pages: dict[str, Client]
    apis: dict[str, Client]


@pytest.fixture
def matrix(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Matrix]:
    # The API rate limit (SECURITY.md row 23) would answer 429 long before the matrix is done.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1000000/hour"})
    with time_machine.travel(at(2026, 1, 5, 8), tick=False) as clock:
        sides = build(clock)
        actors: dict[str, User] = {}
        side_of: dict[str, Side] = {}
        pages: dict[str, Client] = {}
        apis: dict[str, Client] = {}
        for side in sides:
            for key, user in side.actors().items():
                actors[key] = user
                side_of[key] = side
                pages[key] = Client()
                pages[key].force_login(user)
                # Confirmed "it's you" just now (the clock stands still), so the PDF routes
                # reach their object check instead of stopping at the step-up page.
                session = pages[key].session
                session[STEP_UP_KEY] = timezone.now().timestamp()
                session.save()
                apis[key] = Client(HTTP_AUTHORIZATION=f"Bearer {side.tokens[user.pk]}")
        yield Matrix(sides, actors, side_of, pages, apis)


def _send(client: Client, method: str, url: str, api: bool) -> Any:
    if method == "get":
        return client.get(url)
    if api:
        return getattr(client, method)(url, "{}", content_type="application/json")
    return getattr(client, method)(url, {})


def _answer(response: Any) -> tuple[int, str]:
    """What the answer reveals: the status, and where a redirect goes (or the API's media type)."""
    if 300 <= response.status_code < 400:
        return response.status_code, response["Location"].split("?")[0]
    return response.status_code, response.get("Content-Type", "").split(";")[0]


def _acceptable(answer: tuple[int, str], baseline: tuple[int, str], user: User, api: bool) -> bool:
    """No success, and the same answer as for a missing id: 404 (405 for a method the route does
    not take; problem+json from the API), or a redirect a missing id gets too (to a visible parent
    page); the leaver is signed out whatever the id."""
    status, where = answer
    if answer != baseline:
        return False
    if not user.is_active:
        return (status, where) == (302, reverse("sign_in")) or (api and status == 401)
    if 300 <= status < 400:
        return True
    if api and where != PROBLEM:
        return False
    return status in (404, 405)


def test_every_object_route_is_mapped(db: None) -> None:
    routes, problems = object_routes()
    assert not problems, "\n".join(problems)
    names = {r.name for r in routes}
    # The walk finds pages and the API alike (a sanity check on the walk itself).
    assert {"show_person", "show_plan", "v1:person_detail", "v1:plan_version"} <= names
    assert len(routes) >= 60


def test_an_unmapped_route_fails_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(ID_TYPES, "plans/<plan_id>")
    _, problems = object_routes()
    assert any(p.startswith("v1:plan_detail (api/v1/plans/<int:plan_id>/)") for p in problems)
    assert all("cannot map <plan_id> after 'plans/'" in p for p in problems)


@pytest.mark.slow(seconds=240)
def test_idor_matrix(matrix: Matrix) -> None:
    routes, problems = object_routes()
    assert not problems, "\n".join(problems)
    started = time.monotonic()
    objects = {kind: list(model._default_manager.all()) for kind, model in MODELS.items()}
    for kind, found in objects.items():
        assert found, f"the fixture has no {kind}"

    # Who may see what, once (before any request).
    entitled: dict[tuple[str, str], set[int]] = {}
    for key, user in matrix.actors.items():
        for kind, found in objects.items():
            entitled[key, kind] = {o.pk for o in found if ENTITLED[kind](user, o)}
    for key, user in matrix.actors.items():
        for kind in ("person", "report", "plan", "conference"):
            # Each active case worker sees something: the matrix is not all 404 by accident.
            if user.is_active and key.endswith(("social_worker", "police_officer")):
                assert entitled[key, kind], (key, kind)
    routes_of_kind: dict[str, int] = defaultdict(int)
    for route in routes:
        routes_of_kind[route.target] += 1

    before = snapshot()
    log_count = AccessLog.objects.count()
    requests = 0
    pairs = 0
    failures: list[str] = []
    by_kind: dict[str, int] = defaultdict(int)
    baselines: dict[tuple[str, str, str], tuple[int, str]] = {}

    def send(actor: str, route: Route, method: str, url: str) -> tuple[int, str]:
        nonlocal requests
        client = matrix.apis[actor] if route.is_api else matrix.pages[actor]
        requests += 1
        by_kind[route.target] += 1
        return _answer(_send(client, method, url, route.is_api))

    def check(
        actor: str, route: Route, ids: dict[str, int], label: str, methods: Any, keep: str = ""
    ) -> None:
        nonlocal log_count
        user = matrix.actors[actor]
        # The same route with ids that do not exist (but a visible parent, ``keep``, kept).
        missing_url = route.url({k: v if k == keep else MISSING for k, v in ids.items()})
        for method in methods:
            got = send(actor, route, method, route.url(ids))
            key = (actor, method, missing_url)
            if key not in baselines:
                baselines[key] = send(actor, route, method, missing_url)
            baseline = baselines[key]
            where = f"{actor} {method.upper()} {route.url(ids)} [{route.name}, {label}]"
            if not _acceptable(got, baseline, user, route.is_api):
                failures.append(f"{where}: answered {got}, and {baseline} for a missing id")
            now = AccessLog.objects.count()
            if now != log_count:
                failures.append(f"{where}: wrote {now - log_count} access-log rows")
                log_count = now

    for index, route in enumerate(routes):
        kind = route.target
        implemented, refused_methods = _methods(route)
        per_actor = PER_ROUTE if routes_of_kind[kind] <= 3 else 1
        # The sides mirror each other: every route is tried by every persona of one authority,
        # the two authorities in turn (both with IDOR_MATRIX_FULL=1, twice the requests).
        actors = [
            (actor, user)
            for actor, user in matrix.actors.items()
            if FULL or matrix.side_of[actor] is matrix.sides[index % 2]
        ]
        for position, (actor, user) in enumerate(actors):
            side = matrix.side_of[actor]
            home = {
                a.pk for a in (side.authority, side.police, side.school, side.health, side.school2)
            }
            rule = ROUTE_ENTITLED.get(route.name)
            allowed = (
                {o.pk for o in objects[kind] if rule(user, o)}
                if rule is not None
                else entitled[actor, kind]
            )
            refused = [o for o in objects[kind] if o.pk not in allowed]
            near = [o for o in refused if AUTHORITY_OF[kind](o) in home]
            far = [o for o in refused if AUTHORITY_OF[kind](o) not in home]
            # Near and far in turn, route by route (both when few routes reach this type).
            groups = [near, far] if (index + position) % 2 == 0 else [far, near]
            chosen = [g[(index // 2) % len(g)] for g in groups if g][:per_actor]
            for obj in chosen:
                pairs += 1
                check(actor, route, _ids_for(route, obj), f"{kind} {obj.pk}", implemented)
            # Two ids: a parent the actor may see with a child id of a parent they may not.
            if len(route.ids) > 1 and user.is_active:
                parent_kind = route.ids[-2][1]
                parents = sorted(entitled[actor, parent_kind])
                foreign = [
                    o
                    for o in refused
                    if PARENT_OF[kind, parent_kind](o) not in entitled[actor, parent_kind]
                ]
                if parents and foreign:
                    obj = foreign[index % len(foreign)]
                    ids = _ids_for(route, obj)
                    ids[route.ids[-2][0]] = parents[index % len(parents)]
                    pairs += 1
                    label = f"{kind} {obj.pk} under a visible {parent_kind}"
                    check(actor, route, ids, label, implemented, keep=route.ids[-2][0])
            # Methods the API view does not implement are refused (405) before it looks at any
            # object: checked with the first actor only.
            if refused_methods and chosen and position == 0:
                check(actor, route, _ids_for(route, chosen[0]), f"{kind}", refused_methods)
        after = snapshot()
        changed = sorted(label for label, digest in after.items() if before[label] != digest)
        if changed:
            failures.append(f"{route.name}: the database changed ({', '.join(changed)})")
            before = after

    elapsed = time.monotonic() - started
    print(  # noqa: T201 - the request count SECURITY.md asks for, shown with -s
        f"\nIDOR matrix: {requests} requests over {len(routes)} routes, {len(matrix.actors)} "
        f"actors and {pairs} (actor, object) pairs in {elapsed:.1f}s; by object type: "
        + ", ".join(f"{k} {n}" for k, n in sorted(by_kind.items()))
    )
    assert not failures, f"{len(failures)} leaks:\n" + "\n".join(failures[:80])
    assert requests >= 2_000  # SECURITY.md §1 row 2: M ≥ 2,000


def _methods(route: Route) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The methods to try on every object, and (API) those the view does not implement."""
    if not route.is_api:
        return PAGE_METHODS, ()
    view = get_resolver().resolve(route.url(dict.fromkeys((k for k, _ in route.ids), 1)))
    cls = view.func.cls  # type: ignore[attr-defined]
    implemented = tuple(m for m in API_METHODS if hasattr(cls, m))
    return implemented, tuple(m for m in API_METHODS if m not in implemented)


def _ids_for(route: Route, obj: Any) -> dict[str, int]:
    """The route's ids for ``obj``: its own id last, its parents' before it."""
    ids = {route.ids[-1][0]: obj.pk}
    child_kind = route.ids[-1][1]
    for keyword, parent_kind in reversed(route.ids[:-1]):
        ids[keyword] = PARENT_OF[child_kind, parent_kind](obj)
    return ids


# --- the oracle, checked by hand ----------------------------------------------------------------

#: (actor, object type, object, entitled, page to GET when entitled) — a few key cases from the
#: rules of ADR 0007, ADR 0012 and ADR 0640, written out so that the oracle above is checked too.
EXPECTED: list[tuple[str, str, str, bool, str | None]] = [
    ("A.social_worker", "person", "A.child", True, "show_person"),
    ("A.police_officer", "person", "A.child", True, "show_person"),  # involved
    ("A.police_officer", "person", "A.other_child", False, None),  # never involved
    ("A.school2_lead", "person", "A.child", False, None),  # a partner school never involved
    ("B.social_worker", "person", "A.child", False, None),  # another authority
    ("A.inactive", "person", "A.child", False, None),  # a leaver
    ("A.social_worker", "person", "A.restricted", True, "show_person"),  # broke glass
    ("A.manager", "person", "A.restricted", False, None),  # restricted, no break-glass
    ("A.manager", "person", "A.duplicate", False, None),  # merged away
    ("A.police_officer", "report", "A.draft", True, None),  # their own draft
    ("A.social_worker", "report", "A.draft", False, None),  # not sent yet
    ("A.school_lead", "report", "A.report", True, "show_report"),  # the reporter
    ("A.police_officer", "report", "A.report", False, None),  # asked about it, not its maker
    ("A.auditor", "report", "A.report", True, "show_report"),
    ("B.mash", "report", "A.report", False, None),
    ("A.mash", "request", "A.police_request", True, "show_request"),
    ("A.police_officer", "request", "A.police_request", True, "show_request"),
    ("A.school_lead", "request", "A.police_request", False, None),  # another agency's
    ("A.social_worker", "enquiry", "A.enquiry", True, "show_enquiry"),
    # ADR 0640: a partner reads back the discussion its agency took part in and its enquiries.
    ("A.police_officer", "enquiry", "A.enquiry", True, "show_enquiry"),  # took part
    ("A.school_lead", "enquiry", "A.enquiry", True, "show_enquiry"),  # took part
    ("A.school2_lead", "enquiry", "A.enquiry", False, None),  # never involved
    ("B.police_officer", "enquiry", "A.enquiry", False, None),  # another authority's police
    ("B.social_worker", "enquiry", "A.enquiry", False, None),  # another authority
    ("A.administrator", "enquiry", "A.enquiry", False, None),  # no practice role
    ("A.social_worker", "strategy", "A.strategy", True, "show_strategy"),
    ("A.police_officer", "strategy", "A.strategy", True, "show_strategy"),  # took part
    ("A.school_lead", "strategy", "A.strategy", True, "show_strategy"),  # took part
    ("A.school2_lead", "strategy", "A.strategy", False, None),  # never involved
    ("B.police_officer", "strategy", "A.strategy", False, None),  # another authority's police
    ("B.manager", "strategy", "A.strategy", False, None),  # another authority
    ("A.chair", "conference", "A.conference", True, "show_conference"),
    ("A.police_officer", "conference", "A.conference", True, "show_conference"),  # invited
    ("A.school2_lead", "conference", "A.conference", False, None),
    ("B.chair", "conference", "A.conference", False, None),
    ("A.health_practitioner", "plan", "A.plan", True, "show_plan"),  # core group member
    ("A.school_lead", "plan", "A.plan", True, "show_plan"),  # core group agency
    ("A.school2_lead", "plan", "A.plan", False, None),
    ("B.manager", "plan", "A.plan", False, None),
    ("A.administrator", "agency", "A.police", True, "show_agency"),
    ("A.administrator", "agency", "B.police", False, None),
    ("A.ig_lead", "break_glass", "A.glass", True, None),
    ("B.ig_lead", "break_glass", "A.glass", False, None),
    ("A.social_worker", "supervision", "A.reflective", True, "show_supervision"),  # their own
    ("A.head", "supervision", "A.reflective", True, "show_supervision"),  # the line above
    ("A.auditor", "supervision", "A.reflective", False, None),  # not in the worker's line
    ("A.auditor", "supervision", "A.case_supervision", True, "show_supervision"),
    ("A.police_officer", "supervision", "A.case_supervision", False, None),  # partners: never
    ("A.manager", "team", "A.team", True, "team_dashboard"),
    ("B.head", "team", "A.team", False, None),
    ("A.police_officer", "worker", "A.sw_worker", False, None),
    ("A.head", "post", "A.post", True, "fill_post"),  # keeps the workforce records
    ("A.manager", "post", "A.post", False, None),  # reads the posts, fills none
    ("B.head", "post", "A.post", False, None),
    ("A.manager", "approval", "A.closure", True, "show_approval"),
    ("A.social_worker", "approval", "A.closure", True, "show_approval"),
    ("A.police_officer", "approval", "A.closure", False, None),
    ("B.manager", "approval", "A.closure", False, None),
    ("A.auditor", "audit", "A.audit", True, "audit_show"),
    ("A.social_worker", "audit", "A.audit", True, "audit_show"),  # the worker whose file it is
    ("A.manager", "audit", "A.audit", True, "audit_show"),  # the manager above the worker
    ("A.police_officer", "audit", "A.audit", False, None),  # partners: never
    ("A.mash", "audit", "A.audit", False, None),  # not the worker, auditor or quality team
    ("B.auditor", "audit", "A.audit", False, None),  # another authority
    ("A.police_officer", "audit_programme", "A.audit_programme", False, None),
    ("A.head", "audit_programme", "A.audit_programme", True, "audit_programme"),
    # A context: the school sees it through its own pupil (and only that pupil's link, see
    # diogelu/exploitation/tests/test_pages.py); the health board (in the core group) too; a
    # partner with no child on it, or another authority, does not.
    ("A.school_lead", "context", "A.flat", True, "exploitation_context"),
    ("A.police_officer", "context", "A.flat", True, "exploitation_context"),
    ("A.school2_lead", "context", "A.flat", False, None),
    ("A.health_practitioner", "context", "A.flat", True, "exploitation_context"),  # core group
    ("B.mash", "context", "A.flat", False, None),
    ("A.school_lead", "screening", "A.screening", True, "exploitation_screening"),
    ("A.school2_lead", "screening", "A.screening", False, None),
    ("B.social_worker", "screening", "A.screening", False, None),
    # An NRM referral: as the child's exploitation records (the school sees its pupil's).
    ("A.school_lead", "nrm_referral", "A.nrm", True, "exploitation_nrm"),
    ("A.social_worker", "nrm_referral", "A.nrm", True, "exploitation_nrm"),
    ("A.school2_lead", "nrm_referral", "A.nrm", False, None),
    ("B.mash", "nrm_referral", "A.nrm", False, None),
    # The exploitation meeting on the flat (ADR 0700): only agencies invited (the police) see it.
    ("A.police_officer", "exploitation_meeting", "A.meeting", True, "exploitation_meeting"),
    ("A.school_lead", "exploitation_meeting", "A.meeting", False, None),
    ("A.mash", "exploitation_meeting", "A.meeting", True, "exploitation_meeting"),
    ("B.mash", "exploitation_meeting", "A.meeting", False, None),
]


def _named(sides: tuple[Side, Side], name: str) -> Any:
    side = sides[0] if name.startswith("A.") else sides[1]
    attr = name.split(".", 1)[1]
    found: dict[str, Callable[[], Any]] = {
        "report": lambda: Report.objects.exclude(pk=side.draft.pk if side.draft else 0).get(
            authority=side.authority
        ),
        "police_request": lambda: InformationRequest.objects.get(agency=side.police),
        "enquiry": lambda: Section47Enquiry.objects.get(person=side.child),
        "strategy": lambda: StrategyDiscussion.objects.get(report__authority=side.authority),
        "plan": lambda: Plan.objects.get(person=side.child),
        "glass": lambda: BreakGlass.objects.get(person=side.restricted),
        "reflective": lambda: Supervision.objects.get(authority=side.authority, kind="REFLECTIVE"),
        "case_supervision": lambda: Supervision.objects.get(authority=side.authority, kind="CASE"),
        "team": lambda: Team.objects.get(agency=side.authority),
        "sw_worker": lambda: Worker.objects.get(user=side.social_worker),
        "post": lambda: Post.objects.get(team__agency=side.authority),
        "closure": lambda: Approval.objects.get(person=side.child, kind="CLOSE_CASE"),
        "audit": lambda: Audit.objects.get(programme__authority=side.authority),
        "audit_programme": lambda: Programme.objects.get(authority=side.authority),
        "flat": lambda: Context.objects.get(authority=side.authority),
        "screening": lambda: Screening.objects.get(person=side.child),
        "nrm": lambda: NRMReferral.objects.get(person=side.child),
        "meeting": lambda: ExploitationMeeting.objects.get(authority=side.authority),
    }
    if attr in found:
        return found[attr]()
    obj = getattr(side, attr)
    obj.refresh_from_db()  # e.g. the duplicate, merged since it was made
    return obj


def test_oracle_agrees_with_hand_written_expectations(matrix: Matrix) -> None:
    sides = matrix.sides
    for actor_name, kind, object_name, expected, page in EXPECTED:
        key = f"{sides[0].tag if actor_name.startswith('A.') else sides[1].tag}.{actor_name[2:]}"
        user = matrix.actors[key]
        obj = _named(sides, object_name)
        assert ENTITLED[kind](user, obj) is expected, (actor_name, kind, object_name)
        if page:  # the oracle's "yes" is real: the page opens
            response = matrix.pages[key].get(reverse(page, args=[obj.pk]))
            assert response.status_code == 200, (actor_name, page, object_name)
    # Every actor's own token, nobody else's.
    for user in matrix.actors.values():
        token = ApiToken.objects.filter(user=user).first()
        assert token is not None and ENTITLED["token"](user, token)
        other = ApiToken.objects.exclude(user=user).first()
        assert other is not None and not ENTITLED["token"](user, other)


def test_my_work_links_a_partner_to_each_strategy_it_may_read(matrix: Matrix) -> None:
    """ADR 0640: a partner reads back the strategy discussions its agency took part in, from My
    work; no actor's My work links a discussion it may not read."""
    from diogelu.accounts.roles import is_partner_worker

    strategies = list(StrategyDiscussion.objects.order_by("pk"))
    assert len(strategies) >= 2  # one on each side
    linked_somewhere = False
    for key, user in matrix.actors.items():
        if not user.is_active:
            continue  # signed out: no My work at all
        page = matrix.pages[key].get(reverse("my_work"))
        assert page.status_code == 200, key
        body = page.content.decode()
        for strategy in strategies:
            href = f'href="{reverse("show_strategy", args=[strategy.pk])}"'
            entitled = ENTITLED["strategy"](user, strategy)
            if href in body:
                assert entitled, (key, strategy.pk)
            if entitled and is_partner_worker(user):
                assert href in body, (key, strategy.pk)
                linked_somewhere = True
    assert linked_somewhere


# --- names in request bodies (issue 11, defect 1) -----------------------------------------------


@dataclass(frozen=True)
class BodyWrite:
    """One write that names an agency, a user or a person in its body."""

    label: str
    actor: str  # attribute of the side
    method: str
    url: Callable[[Side], str]
    body: Callable[[Side, Side], dict[str, Any]]  # (own side, other side) → the body
    page: bool = False  # a form post to a page (400 re-shown with errors; 302 when done)


def _strategy_body(a: Side, **overrides: Any) -> dict[str, Any]:
    report = _named((a, a), "A.report")
    body: dict[str, Any] = {
        "kind": "DISCUSSION",
        "medium": "PHONE",
        "held_at": NOW_ISO,
        "chair_id": a.manager.pk,
        "information_shared": "Police and school information shared about the household.",
        "participants": [
            {"agency_id": a.authority.pk, "name": "Manager", "role": "Chair"},
            {"agency_id": a.police.pk, "name": "DC Harries", "user_id": a.police_officer.pk},
        ],
        "child_decisions": [
            {"child_id": c.pk, "s47": "NONE", "reasons": "No further enquiries needed now."}
            for c in report.children.all()
        ],
        "actions": [
            {
                "description": "Visit the family",
                "owner_agency_id": a.police.pk,
                "due_on": "2026-01-23",
            }
        ],
        "lead_social_worker_id": a.social_worker.pk,
    }
    for key, value in overrides.items():
        if key == "participant_agency":
            body["participants"][1]["agency_id"] = value
        elif key == "participant_user":
            body["participants"][1]["user_id"] = value
        elif key == "action_owner":
            body["actions"][0]["owner_agency_id"] = value
        else:
            body[key] = value
    return body


def _plan_body(a: Side, **action: Any) -> dict[str, Any]:
    version = Plan.objects.get(person=a.child).current_version()
    assert version is not None
    return {
        "expected_version": version.version,
        "child_words": "I want to feel safe at home.",
        "contingency": "A strategy discussion the same day if there is a new injury.",
        "outcomes": [
            {
                "what_must_change": "Siân is safe from physical harm at home.",
                "actions": [{"description": "Weekly visits", **action}],
            }
        ],
    }


def _report_url(name: str) -> Callable[[Side], str]:
    return lambda a: reverse(name, args=[_named((a, a), "A.report").pk])


def _plan(a: Side) -> Plan:
    return Plan.objects.get(person=a.child)


def _review_conference(a: Side) -> Conference:
    return Conference.objects.filter(authority=a.authority, held_at__isnull=True).get()


NOW_ISO = "2026-01-20T09:00:00Z"
_REQUEST = {"priority": "STANDARD", "question": "What do you hold about this child?"}

#: Every API write that names an agency, a user or a person, with a body naming one from the other
#: authority (``b``) and, as the control that proves the write would otherwise succeed, the same
#: body naming one of the actor's own authority (``a``, with ``b`` = ``a``).
BODY_WRITES: list[BodyWrite] = [
    BodyWrite(
        "information request to another authority's police",
        "mash",
        "post",
        _report_url("v1:report_requests"),
        lambda a, b: {
            "child_id": _named((a, a), "A.report").children.first().pk,  # type: ignore[union-attr]
            "agency_id": b.school2.pk,
            **_REQUEST,
        },
    ),
    BodyWrite(
        "strategy participant agency",
        "social_worker",
        "post",
        _report_url("v1:report_strategy"),
        lambda a, b: _strategy_body(a, participant_agency=b.police.pk, participant_user=None),
    ),
    BodyWrite(
        "strategy participant user",
        "social_worker",
        "post",
        _report_url("v1:report_strategy"),
        lambda a, b: _strategy_body(
            a, participant_agency=b.police.pk, participant_user=b.police_officer.pk
        ),
    ),
    BodyWrite(
        "strategy action owner",
        "social_worker",
        "post",
        _report_url("v1:report_strategy"),
        lambda a, b: _strategy_body(a, action_owner=b.police.pk),
    ),
    BodyWrite(
        "strategy lead social worker",
        "social_worker",
        "post",
        _report_url("v1:report_strategy"),
        lambda a, b: _strategy_body(a, lead_social_worker_id=b.social_worker.pk),
    ),
    BodyWrite(
        "strategy chair",
        "social_worker",
        "post",
        _report_url("v1:report_strategy"),
        lambda a, b: _strategy_body(a, chair_id=b.manager.pk),
    ),
    BodyWrite(
        "conference invitation of an agency",
        "social_worker",
        "post",
        lambda a: reverse("v1:conference_invite", args=[_review_conference(a).pk]),
        lambda a, b: {"invitee_kind": "AGENCY", "agency_id": b.school2.pk},
    ),
    BodyWrite(
        "several agencies invited at once (the invitees page's API)",
        "social_worker",
        "post",
        lambda a: reverse("v1:conference_invite_many", args=[_review_conference(a).pk]),
        lambda a, b: {"agency_ids": [b.school2.pk]},
    ),
    BodyWrite(
        "conference invitation of a practitioner",
        "social_worker",
        "post",
        lambda a: reverse("v1:conference_invite", args=[_review_conference(a).pk]),
        lambda a, b: {
            "invitee_kind": "AGENCY",
            "agency_id": b.school2.pk,
            "user_id": b.school2_lead.pk,
        },
    ),
    BodyWrite(
        "conference invitation of a family member",
        "social_worker",
        "post",
        lambda a: reverse("v1:conference_invite", args=[_review_conference(a).pk]),
        lambda a, b: {"invitee_kind": "FAMILY", "person_id": b.sibling.pk},
    ),
    BodyWrite(
        "plan action owner (user)",
        "social_worker",
        "put",
        lambda a: reverse(
            "v1:plan_version",
            args=[_plan(a).pk, _plan(a).current_version().pk],  # type: ignore[union-attr]
        ),
        lambda a, b: _plan_body(a, responsible_user_id=b.health_practitioner.pk),
    ),
    BodyWrite(
        "plan action owner (agency)",
        "social_worker",
        "put",
        lambda a: reverse(
            "v1:plan_version",
            args=[_plan(a).pk, _plan(a).current_version().pk],  # type: ignore[union-attr]
        ),
        lambda a, b: _plan_body(a, responsible_agency_id=b.health.pk),
    ),
    BodyWrite(
        "statutory visit by another authority's social worker",
        "social_worker",
        "post",
        lambda a: reverse("v1:plan_visits", args=[_plan(a).pk]),
        lambda a, b: {
            "visited_at": NOW_ISO,
            "child_seen": True,
            "seen_alone": True,
            "child_words": "Siân showed her drawing.",
            "observations": "A calm home; the bedroom was tidy.",
            "visitor_id": b.manager.pk if b is not a else a.social_worker.pk,
        },
    ),
]


BODY_WRITES += [
    BodyWrite(
        "NRM referral's first responder of another authority",
        "social_worker",
        "post",
        lambda a: reverse("v1:exploitation_nrm_referrals", args=[a.child.pk]),
        lambda a, b: {
            "referred_on": "2026-01-19",
            "first_responder_id": b.police.pk,
            "reasons": "Found holding drugs for an older man",
        },
    ),
    BodyWrite(
        "exploitation link to another authority's context",
        "mash",
        "post",
        lambda a: reverse("v1:exploitation_links", args=[a.child.pk]),
        lambda a, b: {
            "context_id": Context.objects.get(authority=b.authority).pk,
            "nature": "SEEN_AT",
            "source": "POLICE",
        },
    ),
]

#: The same on pages (form posts): the forms offer only names from the authority, and the
#: services check again, so a crafted post naming the other authority's is refused alike.
BODY_WRITES += [
    BodyWrite(
        "page: MASH information request to another authority's school",
        "mash",
        "post",
        lambda a: reverse("mash_request_information", args=[_named((a, a), "A.report").pk]),
        lambda a, b: {
            "request-child": _named((a, a), "A.report").children.first().pk,  # type: ignore[union-attr]
            "request-agency": b.school2.pk,
            "request-priority": "STANDARD",
            "request-question": "What do you hold about this child?",
        },
        page=True,
    ),
    BodyWrite(
        "page: conference invitation of another authority's agency",
        "social_worker",
        "post",
        lambda a: reverse("conference_invite", args=[_review_conference(a).pk]),
        lambda a, b: {"invitee_kind": "AGENCY", "agency": b.school2.pk},
        page=True,
    ),
    BodyWrite(
        "page: conference invitation of another authority's practitioner",
        "social_worker",
        "post",
        lambda a: reverse("conference_invite", args=[_review_conference(a).pk]),
        lambda a, b: {
            "invitee_kind": "AGENCY",
            "agency": a.school2.pk,
            "user": b.school2_lead.pk if b is not a else a.school2_lead.pk,
        },
        page=True,
    ),
    BodyWrite(
        "page: conference invitation of another authority's child",
        "social_worker",
        "post",
        lambda a: reverse("conference_invite", args=[_review_conference(a).pk]),
        lambda a, b: {"invitee_kind": "FAMILY", "person": b.mother.pk},
        page=True,
    ),
]


def test_body_fields_name_only_the_authority(matrix: Matrix) -> None:
    """For every API write that names an agency, a user or a person: one from the other authority
    gets 400 problem+json and nothing is written; the same body naming the actor's own authority
    succeeds (checked in a savepoint rolled back, so each write starts from the same world)."""
    from django.db import transaction

    from diogelu.conferences import services as conferences

    a, b = matrix.sides
    with time_machine.travel(NOW, tick=False):
        conferences.convene_review_conference(actor=a.social_worker, episodes=[_plan(a).episode])
        failures: list[str] = []
        for write in BODY_WRITES:
            actor = getattr(a, write.actor)
            key = f"{a.tag}.{write.actor}"
            client = matrix.pages[key] if write.page else matrix.apis[key]
            kwargs: dict[str, Any] = {} if write.page else {"content_type": "application/json"}
            url = write.url(a)
            before = snapshot()
            got = getattr(client, write.method)(url, write.body(a, b), **kwargs)
            wanted = "text/html" if write.page else PROBLEM
            if got.status_code != 400 or not got["Content-Type"].startswith(wanted):
                failures.append(f"{write.label}: {got.status_code} {got.content[:200]!r}")
            # A page re-shown with its errors shows the child again: that read is logged.
            shown_again = {"access.AccessLog", "access.AccessLogSeal"} if write.page else set()
            changed = sorted(
                k for k, v in snapshot().items() if before[k] != v and k not in shown_again
            )
            if changed:
                failures.append(f"{write.label}: wrote {changed}")
            with transaction.atomic():
                ok = getattr(client, write.method)(url, write.body(a, a), **kwargs)
                transaction.set_rollback(True)
            if ok.status_code not in ((302,) if write.page else (200, 201)):
                text = ok.content.decode()
                shown = text[text.find("govuk-error-summary__list") :][:400] if write.page else text
                failures.append(f"{write.label} (control, {actor}): {ok.status_code} {shown[:400]}")
    assert not failures, "\n".join(failures)
