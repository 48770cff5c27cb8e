"""Holding a conference and recording its decisions: one decision per child (register or not,
categories, lead practitioner, core group), and the review and transfer-in outcomes.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from diogelu import procedures
from diogelu.access import naming
from diogelu.access.models import Involvement, InvolvementReason
from diogelu.accounts.models import User
from diogelu.chronology.models import Audience
from diogelu.conferences.models import (
    REGISTERING_KINDS,
    Category,
    Conference,
    ConferenceChild,
    ConferenceDecision,
    ConferenceKind,
    ConferenceStatus,
    EndReason,
    RegisterEpisode,
    ViewsMethod,
)
from diogelu.conferences.services._common import (
    CHAIR_ROLES,
    LEAD_ROLES,
    MAX_TEXT,
    MIN_REASONS,
    _check_staff,
    _Checked,
    _event,
    _note,
    _past,
    _text,
)
from diogelu.conferences.services.invitations import _check_convened, quorum_for
from diogelu.conferences.services.register import _continue, _end_episode, _register
from diogelu.core.exceptions import DomainError
from diogelu.core.texts import choice, msg, on_date
from diogelu.notifications.models import Kind
from diogelu.notifications.services import enqueue

# --- holding the conference ---------------------------------------------------------------


def _check_member(member: dict[str, Any], authority_id: int) -> dict[str, Any]:
    user = member.get("user")
    agency = member.get("agency") or (user.agency if user is not None else None)
    person = member.get("person")
    name = str(member.get("name", "")).strip() or str(user or person or agency or "")
    if not name:
        raise DomainError(_("Name each core group member"), field="core_group")
    if user is not None and agency is not None and user.agency_id != agency.pk:
        raise DomainError(_("A member must belong to their agency."), field="core_group")
    if agency is not None:
        naming.check_agency(authority_id=authority_id, agency=agency, field="core_group")
    if user is not None:
        naming.check_user(authority_id=authority_id, user=user, field="core_group")
    if person is not None and person.authority_id != authority_id:
        raise DomainError(_("Choose a person known to this authority."), field="core_group")
    return {"user": user, "agency": agency, "person": person, "name": name[:200]} | {
        "role": str(member.get("role", ""))[:200]
    }


def _check_decision(
    conference: Conference, child: ConferenceChild, data: dict[str, Any]
) -> _Checked:
    held_at: datetime.datetime = data["_held_at"]
    held_on = procedures.local_date(held_at)
    method = data.get("views_method", "")
    if method not in ViewsMethod.values:
        raise DomainError(_("Say how the child's views were obtained"), field="views_method")
    data["child_views"] = _text(
        data.get("child_views"),
        2,
        _("Record the child's views, or why they could not be obtained"),
        "child_views",
    )
    data["parents_views"] = str(data.get("parents_views", "")).strip()[:MAX_TEXT]
    register = data.get("register")
    if not isinstance(register, bool):
        raise DomainError(_("Choose whether the child is registered"), field="register")
    is_review = conference.kind == ConferenceKind.REVIEW
    if is_review and not register:
        data["reasons"] = _text(
            data.get("reasons"),
            MIN_REASONS,
            _(
                "Give the reasons for removing the child from the register, with the evidence "
                "of change in their lived experience"
            ),
            "reasons",
        )
    else:
        data["reasons"] = _text(
            data.get("reasons"), MIN_REASONS, _("Give the reasons for the decision"), "reasons"
        )
    categories = sorted(set(data.get("categories") or []))
    if not register:
        if categories:
            raise DomainError(
                _("Categories are chosen only when the child is registered"), field="categories"
            )
        return _Checked(child, data, [], [])
    if not categories:
        raise DomainError(
            _("Choose at least one category of abuse or neglect to register the child"),
            field="categories",
        )
    if any(c not in Category.values for c in categories):
        raise DomainError(_("Choose categories from the list"), field="categories")
    lead = data.get("lead_practitioner")
    if (
        not isinstance(lead, User)
        or not lead.is_active
        or lead.agency_id != conference.authority_id
        or not lead.has_role(*LEAD_ROLES)
    ):
        raise DomainError(
            _("Name the lead practitioner, a social worker of the authority"),
            field="lead_practitioner",
        )
    data["contingency_plan"] = _text(
        data.get("contingency_plan"), MIN_REASONS, _("Set a contingency plan"), "contingency_plan"
    )
    if is_review:
        review_rule = "review.interval"
    else:
        review_rule = "review.first"
        first_cg = data.get("first_core_group_on")
        latest_cg = procedures.due("core_group.first", held_at).due_on
        if not isinstance(first_cg, datetime.date) or not held_on <= first_cg <= latest_cg:
            raise DomainError(
                _("Set the first core group no later than %(date)s (%(rule)s)")
                % {
                    "date": latest_cg.isoformat(),
                    "rule": procedures.get_rule("core_group.first").describe(),
                },
                field="first_core_group_on",
            )
    review_on = data.get("review_on")
    latest_review = procedures.due(review_rule, held_at).due_on
    if not isinstance(review_on, datetime.date) or not held_on < review_on <= latest_review:
        raise DomainError(
            _("Set the review conference no later than %(date)s (%(rule)s)")
            % {
                "date": latest_review.isoformat(),
                "rule": procedures.get_rule(review_rule).describe(),
            },
            field="review_on",
        )
    if is_review:
        if child.episode is None or not child.episode.is_open:
            raise DomainError(_("This child is not on the register."))
    elif RegisterEpisode.objects.filter(person_id=child.person_id, ended_at__isnull=True).exists():
        raise DomainError(_("This child is already on the register."), field="register")
    members = [_check_member(m, conference.authority_id) for m in data.get("core_group") or []]
    if not is_review and not members:
        raise DomainError(_("Name the core group members"), field="core_group")
    return _Checked(child, data, categories, members)


def hold_conference(
    *,
    actor: User,
    conference: Conference,
    held_at: datetime.datetime,
    chair: User,
    decisions: Sequence[dict[str, Any]],
    quorum_reason: str = "",
    summary: str = "",
) -> Conference:
    """Record a conference held: the chair, the quorum, each child's views and the decision for
    each child, registering (or, at a review, keeping on or removing from) the register.

    ``decisions``: one dict per child with ``child`` (ConferenceChild), ``child_views``,
    ``views_method`` (ViewsMethod), ``parents_views``, ``register`` (bool), ``categories``,
    ``reasons``, ``lead_practitioner`` (User), ``core_group`` (dicts with ``user``/``agency``/
    ``person``, ``name``, ``role``), ``first_core_group_on``, ``review_on`` (dates),
    ``contingency_plan``, ``dissent``, ``progress`` (review), ``decided_by_chair``.
    """
    _check_staff(actor, conference.authority_id)
    _check_convened(conference)
    _past(held_at, "held_at", _("The date the conference was held must be in the past"))
    if not (
        chair.is_local_authority_staff
        and chair.agency_id == conference.authority_id
        and chair.has_role(*CHAIR_ROLES)
    ):
        raise DomainError(
            _("The chair must be a conference chair of the authority."), field="chair"
        )
    enquiries = list(conference.enquiries.all())
    if any(e.determined_at and held_at < e.determined_at for e in enquiries):
        raise DomainError(_("A conference follows the determination."), field="held_at")
    if conference.kind == ConferenceKind.REVIEW:
        for child in conference.children.select_related("episode__conference"):
            episode = child.episode
            registered_at = episode.conference.held_at if episode is not None else None
            if registered_at is not None and held_at <= registered_at:
                raise DomainError(
                    _("A review follows the conference that registered the child."),
                    field="held_at",
                )
    if conference.invitations.filter(attendance="").exists():
        raise DomainError(_("Record attendance for every invitee first."), field="attendance")
    quorum = quorum_for(conference, chair_reason=quorum_reason)
    if not quorum.is_quorate:
        raise DomainError(quorum.message, field="quorum_reason")
    children = {c.pk: c for c in conference.children.select_related("episode")}
    given = {d["child"].pk for d in decisions}
    if given != set(children) or len(decisions) != len(children):
        raise DomainError(_("Record a decision for each child."), field="decisions")
    checked = []
    for d in decisions:
        child = children[d["child"].pk]
        try:
            checked.append(_check_decision(conference, child, {**d, "_held_at": held_at}))
        except DomainError as exc:
            exc.item = child
            raise
    conference.status = ConferenceStatus.HELD
    conference.held_at = held_at
    conference.chair = chair
    conference.quorum_groups = quorum.groups
    conference.is_quorate = True
    conference.quorum_reason = quorum_reason.strip()[:MAX_TEXT] if quorum.needs_chair_reason else ""
    conference.summary = summary.strip()[:MAX_TEXT]
    record_due = procedures.due("icpc.circulate_record", held_at)
    conference.record_due_at = record_due.due_at
    conference.record_due_rule_version = record_due.rule.version
    conference.save()
    for c in checked:
        child, data = c.child, c.data
        child.child_views = data["child_views"]
        child.views_method = data["views_method"]
        child.parents_views = data["parents_views"]
        child.save(update_fields=["child_views", "views_method", "parents_views"])
        ConferenceDecision.objects.create(
            child=child,
            register=data["register"],
            categories=c.categories,
            reasons=data["reasons"],
            progress=str(data.get("progress", "")).strip()[:MAX_TEXT],
            lead_practitioner=data.get("lead_practitioner") if data["register"] else None,
            first_core_group_on=data.get("first_core_group_on") if data["register"] else None,
            review_on=data.get("review_on") if data["register"] else None,
            contingency_plan=data.get("contingency_plan", "") if data["register"] else "",
            dissent=str(data.get("dissent", "")).strip()[:MAX_TEXT],
            decided_by_chair=bool(data.get("decided_by_chair")),
        )
        _event(
            actor,
            child.person_id,
            msg(gettext_noop("%(kind)s held"), kind=choice(ConferenceKind(conference.kind).label)),
            occurred_at=held_at,
            detail=data["reasons"],
            audience=Audience.ALL_INVOLVED,
            significant=True,
        )
        if conference.kind in REGISTERING_KINDS:
            if data["register"]:
                episode = _register(actor, conference, c, held_at)
                enqueue(
                    kind=Kind.REMINDER,
                    dedupe_key=f"registered:{episode.pk}",
                    subject="",
                    subject_key=gettext_noop(
                        "You are the lead practitioner for a registered child"
                    ),
                    body=msg(
                        gettext_noop("First core group by %(date)s."),
                        date=on_date(data["first_core_group_on"]),
                    ),
                    user=data["lead_practitioner"],
                )
            else:
                # Not registered: invitees keep sight of the child only until the record is
                # due to have been circulated.
                _end_conference_involvements_for(conference, child.person_id, record_due.due_at)
        elif data["register"]:
            _continue(actor, conference, c, held_at)
        else:
            assert child.episode is not None
            _end_episode(
                actor,
                child.episode,
                reason=EndReason.REVIEW_DECISION,
                at=held_at,
                note=data["reasons"],
                conference=conference,
            )
    return conference


def _end_conference_involvements_for(
    conference: Conference, person_id: int, at: datetime.datetime
) -> None:
    Involvement.objects.filter(
        person_id=person_id,
        reason=InvolvementReason.CONFERENCE_INVITEE,
        note=_note(conference),
        ended_at__isnull=True,
    ).update(ended_at=at)


@transaction.atomic
def record_review_conference(
    *,
    actor: User,
    conference: Conference,
    held_at: datetime.datetime,
    chair: User,
    decisions: Sequence[dict[str, Any]],
    quorum_reason: str = "",
    summary: str = "",
) -> Conference:
    """Record a review conference: progress against the plan and the same decision set; a child
    comes off the register only with reasons."""
    if conference.kind != ConferenceKind.REVIEW:
        raise DomainError(_("This is not a review conference."))
    return hold_conference(
        actor=actor,
        conference=conference,
        held_at=held_at,
        chair=chair,
        decisions=decisions,
        quorum_reason=quorum_reason,
        summary=summary,
    )


@transaction.atomic
def record_transfer_in_conference(
    *,
    actor: User,
    conference: Conference,
    held_at: datetime.datetime,
    chair: User,
    decisions: Sequence[dict[str, Any]],
    quorum_reason: str = "",
    summary: str = "",
) -> Conference:
    """Record the receiving authority's transfer-in conference (same decision set as an ICPC)."""
    if conference.kind != ConferenceKind.TRANSFER_IN:
        raise DomainError(_("This is not a transfer-in conference."))
    return hold_conference(
        actor=actor,
        conference=conference,
        held_at=held_at,
        chair=chair,
        decisions=decisions,
        quorum_reason=quorum_reason,
        summary=summary,
    )
