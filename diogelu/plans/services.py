"""Care and support protection plans, core groups and statutory visits: the practice actions.

Keyword-only, ``actor`` first, one transaction; validate → write → chronology → outbox.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.access import naming
from diogelu.accounts.models import MANAGER_ROLES, Agency, Role, User
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.conferences.models import CoreGroupMember, RegisterEpisode
from diogelu.conferences.services import SOCIAL_WORK_ROLES, _check_staff
from diogelu.core import extensions as hooks
from diogelu.core.concurrency import save_versioned
from diogelu.core.exceptions import DomainError, NotPermittedError, StaleEditError
from diogelu.core.texts import lines, msg
from diogelu.notifications.models import Kind
from diogelu.notifications.services import enqueue
from diogelu.plans.due import core_group_due
from diogelu.plans.models import (
    ActionStatus,
    ActionUpdate,
    CoreGroupAttendance,
    CoreGroupMeeting,
    OutcomeProgress,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanVersion,
    Progress,
    VersionStatus,
    Visit,
)
from diogelu.plans.quality import plan_quality

MAX_TEXT = 20_000


def _open(episode: RegisterEpisode) -> None:
    if not episode.is_open:
        raise DomainError(_("This child is no longer on the register."))


# --- plan versions ------------------------------------------------------------------------


def _copy(version: PlanVersion, *, actor: User) -> PlanVersion:
    draft = PlanVersion.objects.create(
        plan=version.plan,
        number=version.plan.versions.count() + 1,
        based_on=version,
        child_words=version.child_words,
        contingency=version.contingency,
        created_by=actor,
    )
    for outcome in version.outcomes.prefetch_related("actions"):
        copy = PlanOutcome.objects.create(
            version=draft,
            position=outcome.position,
            what_must_change=outcome.what_must_change,
            measure=outcome.measure,
        )
        for action in outcome.actions.all():
            PlanAction.objects.create(
                outcome=copy,
                position=action.position,
                description=action.description,
                responsible_name=action.responsible_name,
                responsible_user=action.responsible_user,
                responsible_agency=action.responsible_agency,
                target_date=action.target_date,
            )
    return draft


@transaction.atomic
def draft_plan(*, actor: User, plan: Plan) -> PlanVersion:
    """The plan's open draft; else a new draft copied from the current published version; else
    an empty version 1."""
    _check_staff(actor, plan.episode.authority_id)
    _open(plan.episode)
    Plan.objects.select_for_update().get(pk=plan.pk)
    draft = plan.draft()
    if draft is not None:
        return draft
    current = plan.current_version()
    if current is not None:
        return _copy(current, actor=actor)
    # A child registered again: the child's words and the contingency plan of their last plan
    # carry forward into the new plan's first version, to be reviewed rather than retyped.
    earlier = (
        PlanVersion.objects.filter(plan__person_id=plan.person_id, status=VersionStatus.PUBLISHED)
        .exclude(plan=plan)
        .order_by("-published_at")
        .first()
    )
    return PlanVersion.objects.create(
        plan=plan,
        number=1,
        created_by=actor,
        child_words=earlier.child_words if earlier else "",
        contingency=earlier.contingency if earlier else "",
    )


def _check_outcomes(
    outcomes: Sequence[Mapping[str, Any]], authority_id: int
) -> list[dict[str, Any]]:
    clean: list[dict[str, Any]] = []
    for o in outcomes:
        what = str(o.get("what_must_change", "")).strip()
        if len(what) < 5:
            raise DomainError(
                _("Say what must change for the child, in plain words"), field="outcomes"
            )
        actions = []
        for a in o.get("actions") or []:
            description = str(a.get("description", "")).strip()
            if len(description) < 3:
                raise DomainError(_("Describe each action"), field="outcomes")
            user = a.get("responsible_user")
            agency = a.get("responsible_agency") or (user.agency if user is not None else None)
            if user is not None and not isinstance(user, User):
                raise DomainError(_("Choose the responsible person"), field="outcomes")
            if agency is not None and not isinstance(agency, Agency):
                raise DomainError(_("Choose the responsible agency"), field="outcomes")
            if agency is not None:
                naming.check_agency(authority_id=authority_id, agency=agency, field="outcomes")
            if user is not None:
                naming.check_user(
                    authority_id=authority_id, user=user, agency=agency, field="outcomes"
                )
            target = a.get("target_date")
            if target is not None and not isinstance(target, datetime.date):
                raise DomainError(_("Enter a real target date"), field="outcomes")
            actions.append(
                {
                    "description": description[:MAX_TEXT],
                    "responsible_name": str(a.get("responsible_name", "")).strip()[:200]
                    or (str(user) if user else ""),
                    "responsible_user": user,
                    "responsible_agency": agency,
                    "target_date": target,
                }
            )
        clean.append(
            {
                "what_must_change": what[:MAX_TEXT],
                "measure": str(o.get("measure", "")).strip()[:MAX_TEXT],
                "actions": actions,
            }
        )
    return clean


@transaction.atomic
def edit_plan(
    *,
    actor: User,
    version: PlanVersion,
    expected_version: int,
    child_words: str,
    contingency: str,
    outcomes: Sequence[Mapping[str, Any]],
) -> PlanVersion:
    """Save the plan's content. A draft is changed in place (optimistic check); a published
    version is never changed: the edit goes into a new draft copied from it, which is returned.

    ``outcomes``: dicts with ``what_must_change``, ``measure`` and ``actions`` (dicts with
    ``description``, ``responsible_name``, ``responsible_user``, ``responsible_agency``,
    ``target_date``); they replace the draft's outcomes.
    """
    plan = version.plan
    _check_staff(actor, plan.episode.authority_id)
    _open(plan.episode)
    clean = _check_outcomes(outcomes, plan.episode.authority_id)
    if version.status == VersionStatus.PUBLISHED:
        if version.version != expected_version:
            raise StaleEditError(_("Someone else changed this plan while you were editing it."))
        existing = plan.draft()
        if existing is not None:
            raise DomainError(
                _("Version %(n)s is already being drafted: edit that draft.")
                % {"n": existing.number}
            )
        if plan.current_version() != version:
            raise DomainError(_("Edit the current version of the plan."))
        version = _copy(version, actor=actor)
        expected_version = version.version
    version.child_words = child_words.strip()[:MAX_TEXT]
    version.contingency = contingency.strip()[:MAX_TEXT]
    version.last_edited_by = actor
    save_versioned(
        version,
        expected_version=expected_version,
        fields=["child_words", "contingency", "last_edited_by"],
    )
    version.outcomes.all().delete()
    for o_pos, o in enumerate(clean):
        outcome = PlanOutcome.objects.create(
            version=version,
            position=o_pos,
            what_must_change=o["what_must_change"],
            measure=o["measure"],
        )
        for a_pos, a in enumerate(o["actions"]):
            PlanAction.objects.create(outcome=outcome, position=a_pos, **a)
    return version


def core_group_users(episode: RegisterEpisode) -> list[User]:
    return [
        m.user
        for m in CoreGroupMember.objects.filter(
            episode=episode, ended_at__isnull=True, user__isnull=False
        ).select_related("user")
        if m.user is not None
    ]


def quality_threshold() -> int:
    """The authority's plan quality threshold (``PLAN_QUALITY_THRESHOLD``, 0 turns it off)."""
    return max(0, min(100, int(settings.PLAN_QUALITY_THRESHOLD)))


def needs_sign_off(score: int) -> bool:
    """True when a version with this quality score needs a manager's sign-off to be published."""
    return score < quality_threshold()


def may_sign_off(user: User, version: PlanVersion | None = None) -> bool:
    """Team managers and heads of service sign off a plan below the quality threshold, never one
    they wrote or last changed themselves (four eyes)."""
    if not user.has_role(*MANAGER_ROLES):
        return False
    return version is None or user.pk not in version.authors()


def _check_not_author(actor: User, version: PlanVersion) -> None:
    if actor.pk in version.authors():
        raise NotPermittedError(
            _(
                "You wrote or last changed this plan, so you cannot sign it off yourself: "
                "ask another manager"
            )
        )


@transaction.atomic
def publish_plan(
    *,
    actor: User,
    version: PlanVersion,
    expected_version: int,
    sign_off_reason: str = "",
) -> PlanVersion:
    """Publish a draft: its quality score and issues are kept with it, and every core group
    member is told. Quality issues do not stop publication (the author has seen them on the
    confirmation page), but a version scoring below the authority's threshold is published only
    by a team manager or head of service, who signs it off with a reason (kept on the version)."""
    plan = version.plan
    episode = plan.episode
    _check_staff(actor, episode.authority_id)
    _open(episode)
    if version.status != VersionStatus.DRAFT:
        raise DomainError(_("This version has already been published."))
    if not version.outcomes.exists():
        raise DomainError(_("Add at least one outcome before publishing."), field="outcomes")
    if version.version != expected_version:
        raise StaleEditError(
            _("The draft changed after you checked it: check it again before publishing.")
        )
    report = plan_quality(version)
    threshold = quality_threshold()
    reason = sign_off_reason.strip()
    if report.score < threshold:
        if may_sign_off(actor):
            _check_not_author(actor, version)
        else:
            raise NotPermittedError(
                _(
                    "The plan's quality score is %(score)s%%, below the threshold of "
                    "%(threshold)s%%: a team manager or head of service must sign it off"
                )
                % {"score": report.score, "threshold": threshold}
            )
        if len(reason) < 5:
            raise DomainError(
                _("Say why the plan should be published below the quality threshold"),
                field="sign_off_reason",
            )
        if len(reason) > 2000:
            raise DomainError(
                _("The reason must be 2,000 characters or fewer"), field="sign_off_reason"
            )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.quality_score = report.score
    version.quality_issues = [i.as_dict() for i in report.issues]
    version.quality_threshold = threshold
    if report.score < threshold:
        version.signed_off_by = actor
        version.sign_off_reason = reason
    version.returned_by = None
    version.returned_at = None
    version.return_reason = ""
    save_versioned(
        version,
        expected_version=expected_version,
        fields=[
            "status",
            "published_at",
            "published_by",
            "quality_score",
            "quality_issues",
            "quality_threshold",
            "signed_off_by",
            "sign_off_reason",
            "returned_by",
            "returned_at",
            "return_reason",
        ],
    )
    add_case_event(
        actor=actor,
        person_id=plan.person_id,
        kind=EventKind.PLAN,
        title=msg(
            gettext_noop("Care and support protection plan version %(n)s published"),
            n=version.number,
        ),
        detail=(
            _("Signed off below the quality threshold (%(score)s%%) by %(name)s: %(reason)s")
            % {"score": report.score, "name": actor, "reason": reason}
            if version.signed_off_by_id
            else ""
        ),
        occurred_at=version.published_at,
        audience=Audience.ALL_INVOLVED,
        is_significant=True,
    )
    if version.signed_off_by_id:
        _tell_oversight(hooks.APPROVAL_APPROVED, actor, version, reason)
    notified: set[tuple[str, int]] = set()
    for member in CoreGroupMember.objects.filter(episode=episode, ended_at__isnull=True):
        if member.user_id == actor.pk:
            continue
        if member.user_id is not None:
            key = ("user", member.user_id)
        elif member.agency_id is not None:
            key = ("agency", member.agency_id)
        else:
            continue  # family members get their copy from the social worker
        if key in notified:
            continue
        notified.add(key)
        enqueue(
            kind=Kind.REMINDER,
            dedupe_key=f"plan-published:{version.pk}:{key[0]}:{key[1]}",
            subject="",
            subject_key=gettext_noop(
                "A care and support protection plan you are part of has been published"
            ),
            body=msg(gettext_noop("Version %(n)s."), n=version.number),
            user=member.user,
            agency=None if member.user_id else member.agency,
        )
    return version


@transaction.atomic
def ask_for_sign_off(*, actor: User, version: PlanVersion) -> int:
    """A social worker asks the managers of their team (or, with none, of the authority) to sign
    off a draft below the quality threshold; returns how many were asked."""
    plan = version.plan
    _check_staff(actor, plan.episode.authority_id)
    _open(plan.episode)
    if version.status != VersionStatus.DRAFT:
        raise DomainError(_("This version has already been published."))
    managers = User.objects.filter(
        agency_id=plan.episode.authority_id,
        is_active=True,
        role_assignments__role__in=[Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE],
    ).distinct()
    authors = version.authors() | {actor.pk}
    managers = managers.exclude(pk__in=authors)
    team = managers.filter(team_id=actor.team_id) if actor.team_id else managers.none()
    chosen = list(team if team.exists() else managers)
    if version.returned_at is not None:
        version.returned_by = None
        version.returned_at = None
        version.return_reason = ""
        save_versioned(
            version,
            expected_version=version.version,
            fields=["returned_by", "returned_at", "return_reason"],
        )
    for manager in chosen:
        enqueue(
            kind=Kind.REMINDER,
            dedupe_key=f"plan-sign-off:{version.pk}:{version.version}:{manager.pk}",
            subject="",
            subject_key=gettext_noop(
                "Sign-off asked for: care and support protection plan version %(n)s"
            ),
            subject_params={"n": version.number},
            body=msg(
                gettext_noop("%(name)s asks you to sign off a plan below the quality threshold."),
                name=str(actor),
            ),
            link=f"/plans/{plan.pk}/publish/",
            user=manager,
        )
    _tell_oversight(
        hooks.APPROVAL_PROPOSED,
        actor,
        version,
        _("Sign-off asked for: quality score %(score)s%%, below the threshold of %(threshold)s%%")
        % {"score": plan_quality(version).score, "threshold": quality_threshold()},
        proposed_by=actor,
    )
    return len(chosen)


@transaction.atomic
def return_plan(*, actor: User, version: PlanVersion, reason: str) -> PlanVersion:
    """A manager returns a draft below the quality threshold to its author instead of signing it
    off: the reason is shown on the plan, the author is told, and the approval history records
    the return. Never a draft the manager wrote or last changed themselves."""
    plan = version.plan
    _check_staff(actor, plan.episode.authority_id)
    _open(plan.episode)
    if version.status != VersionStatus.DRAFT:
        raise DomainError(_("This version has already been published."))
    if not may_sign_off(actor):
        raise NotPermittedError(_("Only a team manager or head of service can return a plan"))
    _check_not_author(actor, version)
    if not needs_sign_off(plan_quality(version).score):
        raise DomainError(_("This plan meets the quality threshold: it needs no sign-off"))
    reason = reason.strip()
    if len(reason) < 5:
        raise DomainError(
            _("Say what the author should change before the plan is signed off"),
            field="return_reason",
        )
    if len(reason) > 2000:
        raise DomainError(_("The reason must be 2,000 characters or fewer"), field="return_reason")
    version.returned_by = actor
    version.returned_at = timezone.now()
    version.return_reason = reason
    save_versioned(
        version,
        expected_version=version.version,
        fields=["returned_by", "returned_at", "return_reason"],
    )
    author = version.last_edited_by or version.created_by
    if author.pk != actor.pk:
        enqueue(
            kind=Kind.REMINDER,
            dedupe_key=f"plan-returned:{version.pk}:{version.version}:{author.pk}",
            subject="",
            subject_key=gettext_noop(
                "Returned to you: care and support protection plan version %(n)s"
            ),
            subject_params={"n": version.number},
            body=msg(
                gettext_noop("%(name)s returned the plan: %(reason)s"),
                name=str(actor),
                reason=reason,
            ),
            link=f"/plans/{plan.pk}/edit/",
            user=author,
        )
    _tell_oversight(hooks.APPROVAL_RETURNED, actor, version, reason, proposed_by=author)
    return version


def _tell_oversight(
    name: str, actor: User, version: PlanVersion, reason: str, proposed_by: User | None = None
) -> None:
    """Tell the oversight apps (without importing them) about a plan version below the quality
    threshold: sign-off asked for, or signed off (the draft's author proposed it)."""
    plan = version.plan
    hooks.workflow_event(
        hooks.WorkflowEvent(
            name=name,
            kind="PLAN_SIGN_OFF",
            source=f"plans.version:{version.pk}",
            person_ids=(plan.person_id,),
            authority_id=plan.episode.authority_id,
            actor=actor,
            at=timezone.now(),
            proposed_by=proposed_by or version.created_by,
            reason=reason,
            link=f"/plans/{plan.pk}/publish/",
        )
    )


# --- core groups --------------------------------------------------------------------------


@transaction.atomic
def record_core_group(
    *,
    actor: User,
    episode: RegisterEpisode,
    held_at: datetime.datetime,
    attended: Sequence[CoreGroupMember],
    child_attended: bool = False,
    child_views: str = "",
    risks: str = "",
    access_denied: bool = False,
    notes: str = "",
    progress: Sequence[Mapping[str, Any]] = (),
    action_updates: Sequence[Mapping[str, Any]] = (),
) -> CoreGroupMeeting:
    """Record a core group meeting: who came, the child's views, progress against each outcome
    of the current plan and each action's status. A denial of access to the child or home is
    reported to the lead practitioner and the authority's team managers."""
    _check_staff(actor, episode.authority_id)
    _open(episode)
    if timezone.is_naive(held_at) or held_at > timezone.now():
        raise DomainError(_("The date of the meeting must be in the past"), field="held_at")
    if held_at < episode.started_at:
        raise DomainError(_("A core group meets after registration."), field="held_at")
    if len(child_views.strip()) < 2:
        raise DomainError(
            _("Record the child's views, or how they were sought"), field="child_views"
        )
    members = {m.pk: m for m in episode.core_group.filter(ended_at__isnull=True)}
    if any(m.pk not in members for m in attended):
        raise DomainError(_("Choose members of this core group"), field="attended")
    current = episode.plan.current_version() if hasattr(episode, "plan") else None
    outcomes = {o.pk: o for o in current.outcomes.all()} if current else {}
    for p in progress:
        if p["outcome"].pk not in outcomes or p.get("rating") not in Progress.values:
            raise DomainError(_("Rate progress against the plan's outcomes"), field="progress")
    actions = {a.pk: a for a in PlanAction.objects.filter(outcome__version=current)}
    for u in action_updates:
        if u["action"].pk not in actions or u.get("status") not in ActionStatus.values:
            raise DomainError(_("Update the plan's actions"), field="action_updates")
    due = core_group_due(episode)
    meeting = CoreGroupMeeting.objects.create(
        episode=episode,
        plan_version=current,
        held_at=held_at,
        due_at=due.due_at,
        due_rule=due.rule.key,
        due_rule_version=due.rule.version,
        child_attended=child_attended,
        child_views=child_views.strip()[:MAX_TEXT],
        risks=risks.strip()[:MAX_TEXT],
        access_denied=access_denied,
        notes=notes.strip()[:MAX_TEXT],
        recorded_by=actor,
    )
    came = {m.pk for m in attended}
    for member in members.values():
        CoreGroupAttendance.objects.create(
            meeting=meeting, member=member, attended=member.pk in came
        )
    for p in progress:
        OutcomeProgress.objects.create(
            meeting=meeting,
            outcome=p["outcome"],
            rating=p["rating"],
            note=str(p.get("note", "")).strip()[:MAX_TEXT],
        )
    for u in action_updates:
        ActionUpdate.objects.create(
            meeting=meeting,
            action=u["action"],
            status=u["status"],
            note=str(u.get("note", "")).strip()[:MAX_TEXT],
        )
    add_case_event(
        actor=actor,
        person_id=episode.person_id,
        kind=EventKind.CORE_GROUP,
        title=msg(gettext_noop("Core group meeting")),
        occurred_at=held_at,
        detail=meeting.child_views[:2000],
        audience=Audience.ALL_INVOLVED,
    )
    if access_denied:
        enqueue(
            kind=Kind.REMINDER,
            dedupe_key=f"access-denied:{meeting.pk}:lead",
            subject=_("Access to a registered child or their home was denied"),
            user=episode.lead_practitioner,
        )
        from diogelu.accounts.models import Role

        enqueue(
            kind=Kind.REMINDER,
            dedupe_key=f"access-denied:{meeting.pk}:managers",
            subject=_("Access to a registered child or their home was denied"),
            agency=episode.authority,
            roles=[Role.TEAM_MANAGER],
        )
    return meeting


def latest_action_statuses(version: PlanVersion) -> dict[int, str]:
    """Each action of ``version`` → its status from the latest core group update (or not
    started). Actions carried into a new version keep their history by description."""
    actions = list(PlanAction.objects.filter(outcome__version=version))
    updates = (
        ActionUpdate.objects.filter(
            meeting__episode_id=version.plan.episode_id,
        )
        .select_related("action", "meeting")
        .order_by("meeting__held_at", "pk")
    )
    by_text: dict[str, str] = {}
    for u in updates:
        by_text[u.action.description.strip()] = u.status
    return {a.pk: by_text.get(a.description.strip(), ActionStatus.NOT_STARTED) for a in actions}


def latest_action_status(action: PlanAction) -> str:
    """An action's status from the latest core group update."""
    update = action.updates.order_by("-meeting__held_at", "-pk").first()
    return update.status if update else ActionStatus.NOT_STARTED


# --- visits -------------------------------------------------------------------------------


@transaction.atomic
def record_visit(
    *,
    actor: User,
    episode: RegisterEpisode,
    visited_at: datetime.datetime,
    child_seen: bool,
    observations: str,
    seen_alone: bool = False,
    not_alone_reason: str = "",
    seen_at_home: bool = False,
    bedroom_seen: bool = False,
    child_words: str = "",
    visitor: User | None = None,
) -> Visit:
    """Record a statutory visit. Not in the future; a child seen alone or at home must have been
    seen; a child seen but not alone needs the reason; the child's words are recorded when seen."""
    _check_staff(actor, episode.authority_id, SOCIAL_WORK_ROLES)
    who = visitor or actor
    if not who.is_active or who.agency_id != episode.authority_id:
        raise DomainError(_("The visitor must work for the authority."), field="visitor")
    if visited_at is None or timezone.is_naive(visited_at):
        raise DomainError(_("Enter the date and time of the visit"), field="visited_at")
    if visited_at > timezone.now():
        raise DomainError(_("The date of the visit cannot be in the future"), field="visited_at")
    if visited_at < episode.started_at or (
        episode.ended_at is not None and visited_at > episode.ended_at
    ):
        raise DomainError(
            _("The visit must fall while the child is on the register"), field="visited_at"
        )
    if (seen_alone or seen_at_home) and not child_seen:
        raise DomainError(
            _("A child seen alone or at home must have been seen"), field="child_seen"
        )
    if child_seen and not seen_alone and len(not_alone_reason.strip()) < 5:
        raise DomainError(_("Say why the child was not seen alone"), field="not_alone_reason")
    if child_seen and len(child_words.strip()) < 2:
        raise DomainError(
            _("Record what the child said or showed, in their own words"), field="child_words"
        )
    if len(observations.strip()) < 5:
        raise DomainError(_("Record what you saw"), field="observations")
    visit = Visit.objects.create(
        person_id=episode.person_id,
        episode=episode,
        visited_at=visited_at,
        visitor=who,
        child_seen=child_seen,
        seen_alone=seen_alone,
        not_alone_reason=not_alone_reason.strip()[:MAX_TEXT],
        seen_at_home=seen_at_home,
        bedroom_seen=bedroom_seen,
        child_words=child_words.strip()[:MAX_TEXT],
        observations=observations.strip()[:MAX_TEXT],
        recorded_by=actor,
    )
    bits = [
        msg(label)
        for flag, label in (
            (seen_alone, gettext_noop("seen alone")),
            (seen_at_home, gettext_noop("seen at home")),
            (bedroom_seen, gettext_noop("bedroom seen")),
        )
        if flag
    ]
    head = msg(
        gettext_noop("Statutory visit: child seen")
        if child_seen
        else gettext_noop("Statutory visit: child not seen")
    )
    title = lines(head, lines("(", lines(*bits, sep=", "), ")", sep=""), sep=" ") if bits else head
    add_case_event(
        actor=actor,
        person_id=episode.person_id,
        kind=EventKind.VISIT,
        title=title,
        occurred_at=visited_at,
        detail=visit.child_words[:2000],
        audience=Audience.LOCAL_AUTHORITY,
    )
    return visit


def next_visit_due(episode: RegisterEpisode) -> procedures.Due:
    """The earliest of the visit deadlines (for the "next visit due" on the visit record)."""
    from diogelu.plans.due import visits_due

    return min((d.due for d in visits_due(episode)), key=lambda d: d.due_at)
