"""Strategy discussions, section 47 enquiries and determinations (WSP §3 steps 4–6)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.access import naming
from diogelu.access.models import Involvement, InvolvementReason, Part
from diogelu.accounts import roles
from diogelu.accounts.models import MASH_ROLES, Agency, AgencyKind, Role, User
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.core import extensions as hooks
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.core.texts import choice_of, msg
from diogelu.enquiries.models import (
    Determination,
    Medium,
    S47Kind,
    Section47Enquiry,
    StrategyAction,
    StrategyChildDecision,
    StrategyDiscussion,
    StrategyKind,
    StrategyParticipant,
)
from diogelu.referrals import hooks as report_hooks
from diogelu.referrals.models import Outcome, Report, ReportChild, ReportStatus

MAX_TEXT = 20_000
SOCIAL_WORK_ROLES = roles.SOCIAL_WORK_ROLES


def _check_la(actor: User, report: Report, roles: frozenset[str] = MASH_ROLES) -> None:
    if not (
        actor.is_local_authority_staff
        and actor.agency_id == report.authority_id
        and actor.has_role(*roles)
    ):
        raise NotPermittedError(_("Only the local authority's social services can do this."))


@transaction.atomic
def record_strategy_discussion(
    *,
    actor: User,
    report: Report,
    kind: str,
    medium: str,
    held_at: datetime.datetime,
    chair: User,
    information_shared: str,
    participants: list[dict[str, Any]],
    child_decisions: list[dict[str, Any]],
    actions: list[dict[str, Any]] = (),  # type: ignore[assignment]
    lead_social_worker: User | None = None,
) -> StrategyDiscussion:
    """Record a strategy discussion or meeting, a decision per child, and actions; start each
    section 47 enquiry decided; share the outcome with every agency involved.

    ``participants``: dicts with ``agency`` (Agency), ``name``, ``role``, optional ``user``.
    ``child_decisions``: dicts with ``child`` (ReportChild), ``s47`` (S47Kind), ``reasons``,
    ``other_actions``. ``actions``: dicts with ``description``, ``owner_agency``, ``due_on``.
    """
    _check_la(actor, report, SOCIAL_WORK_ROLES | MASH_ROLES)
    decision = getattr(report, "decision", None)
    if decision is None or not decision.is_final or decision.outcome != Outcome.STRATEGY_DISCUSSION:
        raise DomainError(_("A strategy discussion follows a decision to hold one."))
    if report.status == ReportStatus.CLOSED:
        raise DomainError(_("This report is closed."))
    if kind not in StrategyKind.values:
        raise DomainError(_("Choose a discussion or a meeting"), field="kind")
    if medium not in Medium.values:
        raise DomainError(_("Choose how it was held"), field="medium")
    if timezone.is_naive(held_at) or held_at > timezone.now():
        raise DomainError(_("The date it was held must be in the past"), field="held_at")
    # The time is entered to the minute: the minute the report arrived in is not "before" it.
    if report.received_at and held_at < report.received_at.replace(second=0, microsecond=0):
        raise DomainError(_("It cannot be held before the report arrived"), field="held_at")
    naming.check_user(authority_id=report.authority_id, user=chair, field="chair")
    if not (chair.is_local_authority_staff and chair.agency_id == report.authority_id):
        raise DomainError(
            _("The chair must be from the local authority's social services."), field="chair"
        )
    if len(information_shared.strip()) < 10:
        raise DomainError(_("Record the information shared"), field="information_shared")
    for p in participants:
        naming.check_agency(
            authority_id=report.authority_id, agency=p.get("agency"), field="participants"
        )
        if p.get("user") is not None:
            naming.check_user(
                authority_id=report.authority_id,
                user=p["user"],
                agency=p["agency"],
                field="participants",
            )
    for a in actions:
        naming.check_agency(
            authority_id=report.authority_id, agency=a.get("owner_agency"), field="actions"
        )
    if lead_social_worker is not None:
        naming.check_user(
            authority_id=report.authority_id, user=lead_social_worker, field="lead_social_worker"
        )
    kinds = {p["agency"].kind for p in participants}
    if AgencyKind.POLICE not in kinds or AgencyKind.LOCAL_AUTHORITY not in kinds:
        raise DomainError(
            _("Police and social services must both take part in a strategy discussion."),
            field="participants",
        )
    children = list(report.children.all())
    decided = {d["child"].pk for d in child_decisions}
    if decided != {c.pk for c in children}:
        raise DomainError(_("Record a decision for each child."), field="child_decisions")
    if any(c.person_id is None for c in children):
        raise DomainError(_("Link every child to a person first."), field="child_decisions")
    for d in child_decisions:
        if d["s47"] not in S47Kind.values:
            raise DomainError(
                _("Choose whether section 47 enquiries start"), field="child_decisions"
            )
        if len(str(d.get("reasons", "")).strip()) < 5:
            raise DomainError(
                _("Give the reasons for each child's decision"), field="child_decisions"
            )
    strategy = StrategyDiscussion.objects.create(
        report=report,
        kind=kind,
        medium=medium,
        held_at=held_at,
        chair=chair,
        information_shared=information_shared.strip()[:MAX_TEXT],
        recorded_by=actor,
    )
    for p in participants:
        name = str(p.get("name", "")).strip()
        if not name:
            raise DomainError(_("Enter each participant's name"), field="participants")
        StrategyParticipant.objects.create(
            strategy=strategy,
            agency=p["agency"],
            user=p.get("user"),
            name=name[:200],
            role=str(p.get("role", ""))[:200],
            authorised_to_decide=bool(p.get("authorised_to_decide", True)),
        )
    for a in actions:
        if not str(a.get("description", "")).strip() or not isinstance(
            a.get("due_on"), datetime.date
        ):
            raise DomainError(_("Each action needs a description and a date"), field="actions")
        StrategyAction.objects.create(
            strategy=strategy,
            description=str(a["description"]).strip()[:500],
            owner_agency=a["owner_agency"],
            due_on=a["due_on"],
        )
    partner_agencies = {
        p["agency"] for p in participants if p["agency"].kind != AgencyKind.LOCAL_AUTHORITY
    }
    for d in child_decisions:
        child: ReportChild = d["child"]
        assert child.person_id is not None
        child_decision = StrategyChildDecision.objects.create(
            strategy=strategy,
            child=child,
            person_id=child.person_id,
            s47=d["s47"],
            reasons=str(d["reasons"]).strip()[:MAX_TEXT],
            other_actions=str(d.get("other_actions", "")).strip()[:MAX_TEXT],
        )
        add_case_event(
            actor=actor,
            person_id=child.person_id,
            kind=EventKind.STRATEGY,
            title=msg(
                gettext_noop("%(kind)s: %(s47)s"),
                kind=choice_of(strategy, "kind"),
                s47=choice_of(child_decision, "s47"),
            ),
            occurred_at=held_at,
            detail=child_decision.reasons[:2000],
            audience=Audience.ALL_INVOLVED,
            is_significant=True,
        )
        for agency in partner_agencies:
            if (
                not Involvement.objects.active()
                .filter(person_id=child.person_id, agency=agency)
                .exists()
            ):
                Involvement.objects.create(
                    person_id=child.person_id,
                    agency=agency,
                    reason=InvolvementReason.STRATEGY_PARTICIPANT,
                    parts=[Part.SUMMARY, Part.FAMILY, Part.CHRONOLOGY],
                    recorded_by=actor,
                )
        if d["s47"] != S47Kind.NONE:
            lead = lead_social_worker or actor
            if not lead.has_role(*SOCIAL_WORK_ROLES) or lead.agency_id != report.authority_id:
                raise DomainError(
                    _("The lead must be a social worker of the authority."),
                    field="lead_social_worker",
                )
            due = procedures.due("s47.assessment", held_at)
            Section47Enquiry.objects.create(
                decision=child_decision,
                person_id=child.person_id,
                report=report,
                kind=d["s47"],
                lead_social_worker=lead,
                started_on=timezone.localtime(held_at).date(),
                due_at=due.due_at,
                due_rule_version=due.rule.version,
            )
    report_hooks.share_outcome("strategy", actor=actor, strategy=strategy)
    # Child protection work has started: the oversight apps open each child's case.
    hooks.workflow_event(
        hooks.WorkflowEvent(
            name=hooks.WORK_STARTED,
            kind="CHILD_PROTECTION",
            source=f"enquiries.strategy:{strategy.pk}",
            person_ids=tuple(d["child"].person_id for d in child_decisions),
            authority_id=report.authority_id,
            actor=actor,
            at=held_at,
            worker=lead_social_worker,
            reason=str(strategy.get_kind_display()),
            link=f"/strategy/{strategy.pk}/",
        )
    )
    return strategy


def _tell_oversight_d1(name: str, actor: User, enquiry: Section47Enquiry, reason: str) -> None:
    """Tell the oversight apps (without importing them) about a determination 1 and its
    ratification."""
    hooks.workflow_event(
        hooks.WorkflowEvent(
            name=name,
            kind="DETERMINATION_1",
            source=f"enquiries.determination:{enquiry.pk}",
            person_ids=(enquiry.person_id,),
            authority_id=enquiry.report.authority_id,
            actor=actor,
            at=timezone.now(),
            proposed_by=enquiry.determined_by,
            reason=reason,
            link=f"/enquiries/{enquiry.pk}/",
        )
    )


def _check_lead(actor: User, enquiry: Section47Enquiry) -> None:
    _check_la(actor, enquiry.report, SOCIAL_WORK_ROLES)


@transaction.atomic
def record_child_seen(
    *,
    actor: User,
    enquiry: Section47Enquiry,
    seen_at: datetime.datetime,
    seen_alone: bool,
    child_views: str,
    not_alone_reason: str = "",
) -> Section47Enquiry:
    """Record that the child was seen, whether alone, and their wishes and feelings."""
    _check_lead(actor, enquiry)
    if enquiry.is_determined:
        raise DomainError(_("This enquiry has a determination."))
    if timezone.is_naive(seen_at) or seen_at > timezone.now():
        raise DomainError(_("The date the child was seen must be in the past"), field="seen_at")
    if not seen_alone and len(not_alone_reason.strip()) < 5:
        raise DomainError(_("Say why the child was not seen alone"), field="not_alone_reason")
    if len(child_views.strip()) < 2:
        raise DomainError(
            _("Record the child's wishes and feelings in their own words"), field="child_views"
        )
    enquiry.child_seen_at = seen_at
    enquiry.child_seen_by = actor
    enquiry.child_seen_alone = seen_alone
    enquiry.child_not_seen_alone_reason = not_alone_reason.strip()[:MAX_TEXT]
    enquiry.child_views = child_views.strip()[:MAX_TEXT]
    enquiry.save()
    add_case_event(
        actor=actor,
        person_id=enquiry.person_id,
        kind=EventKind.ENQUIRY,
        title=msg(gettext_noop("Child seen alone") if seen_alone else gettext_noop("Child seen")),
        occurred_at=seen_at,
        detail=enquiry.child_views[:2000],
        audience=Audience.LOCAL_AUTHORITY,
    )
    return enquiry


@transaction.atomic
def record_determination(
    *,
    actor: User,
    enquiry: Section47Enquiry,
    determination: str,
    rationale: str,
    agency_contributions: str = "",
) -> Section47Enquiry:
    """Determine the enquiry (1, 2 or 3). The child must have been seen. Determination 3 sets the
    initial conference due within 15 working days of the last strategy discussion; determination 1
    waits for a manager to ratify it before it is shared."""
    _check_lead(actor, enquiry)
    if enquiry.is_determined:
        raise DomainError(_("This enquiry already has a determination."))
    if determination not in Determination.values:
        raise DomainError(_("Choose a determination"), field="determination")
    if enquiry.child_seen_at is None:
        raise DomainError(
            _("Record that the child was seen before the determination."), field="determination"
        )
    if len(rationale.strip()) < 10:
        raise DomainError(_("Explain the reasons for the determination"), field="rationale")
    now = timezone.now()
    enquiry.determination = determination
    enquiry.determination_rationale = rationale.strip()[:MAX_TEXT]
    enquiry.agency_contributions = agency_contributions.strip()[:MAX_TEXT]
    enquiry.determined_by = actor
    enquiry.determined_at = now
    if determination == Determination.CONTINUING_RISK:
        last = enquiry.report.strategy_discussions.order_by("-held_at").first()
        assert last is not None
        enquiry.conference_due_at = procedures.due("icpc.convene", last.held_at).due_at
    enquiry.save()
    add_case_event(
        actor=actor,
        person_id=enquiry.person_id,
        kind=EventKind.ENQUIRY,
        title=msg(gettext_noop("Section 47 determination %(det)s"), det=determination),
        occurred_at=now,
        detail=enquiry.determination_rationale[:2000],
        audience=Audience.ALL_INVOLVED,
        is_significant=True,
    )
    if determination != Determination.NOT_SUBSTANTIATED:
        report_hooks.share_outcome("determination", actor=actor, enquiry=enquiry)
    else:
        _tell_oversight_d1(hooks.APPROVAL_PROPOSED, actor, enquiry, enquiry.determination_rationale)
    return enquiry


@transaction.atomic
def ratify_determination(*, actor: User, enquiry: Section47Enquiry) -> Section47Enquiry:
    """A manager ratifies determination 1 ("not substantiated"); then it is shared."""
    _check_la(actor, enquiry.report, frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}))
    if enquiry.determination != Determination.NOT_SUBSTANTIATED or enquiry.ratified_at is not None:
        raise DomainError(_("Only an unratified determination 1 is ratified."))
    if enquiry.determined_by_id == actor.pk:
        raise NotPermittedError(_("You cannot ratify your own determination."))
    enquiry.ratified_by = actor
    enquiry.ratified_at = timezone.now()
    enquiry.save(update_fields=["ratified_by", "ratified_at"])
    _tell_oversight_d1(hooks.APPROVAL_APPROVED, actor, enquiry, "")
    report_hooks.share_outcome("determination", actor=actor, enquiry=enquiry)
    return enquiry


@transaction.atomic
def return_determination(
    *, actor: User, enquiry: Section47Enquiry, reason: str
) -> Section47Enquiry:
    """A manager returns determination 1 (not their own) with a reason instead of ratifying it:
    the determination is cleared so the lead determines again, the lead is told, and the return
    stays on the child's chronology (the local authority's) and in the oversight approvals."""
    _check_la(actor, enquiry.report, frozenset({Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}))
    if enquiry.determination != Determination.NOT_SUBSTANTIATED or enquiry.ratified_at is not None:
        raise DomainError(_("Only an unratified determination 1 is returned."))
    if enquiry.determined_by_id == actor.pk:
        raise NotPermittedError(_("You cannot return your own determination."))
    why = reason.strip()
    if len(why) < 10:
        raise DomainError(_("Explain why the determination is returned"), field="reason")
    now = timezone.now()
    _tell_oversight_d1(hooks.APPROVAL_RETURNED, actor, enquiry, why[:MAX_TEXT])
    lead = enquiry.determined_by
    enquiry.determination = ""
    enquiry.determination_rationale = ""
    enquiry.agency_contributions = ""
    enquiry.determined_by = None
    enquiry.determined_at = None
    enquiry.save(
        update_fields=[
            "determination",
            "determination_rationale",
            "agency_contributions",
            "determined_by",
            "determined_at",
        ]
    )
    add_case_event(
        actor=actor,
        person_id=enquiry.person_id,
        kind=EventKind.ENQUIRY,
        title=_("Section 47 determination 1 returned by a manager"),
        occurred_at=now,
        detail=why[:2000],
        audience=Audience.LOCAL_AUTHORITY,
    )
    if lead is not None:
        from django.utils.translation import gettext_noop

        from diogelu.notifications.models import Kind
        from diogelu.notifications.services import enqueue

        enqueue(
            kind=Kind.REMINDER,
            dedupe_key=f"determination-returned:{enquiry.pk}:{now.isoformat()}",
            subject="",
            subject_key=gettext_noop(
                "Your determination 1 was returned: determine the enquiry again"
            ),
            body=why[:500],
            link=f"/enquiries/{enquiry.pk}/",
            user=lead,
            people=[enquiry.person_id],
        )
    return enquiry


def participants_from(agencies: list[Agency], names: list[str]) -> list[dict[str, Any]]:
    """Helper for forms: pair agencies with participant names."""
    return [{"agency": a, "name": n} for a, n in zip(agencies, names, strict=True)]
