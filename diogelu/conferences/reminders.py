"""Reminders and escalation for conferences, the register and plans, and the 18th-birthday sweep.

Run by :func:`diogelu.notifications.reminders.run_reminders` (``manage.py tick`` and Celery
beat), like the MASH reminders: nothing here acts for a user, every message has a dedupe key that
names the thing, the stage and the deadline, so the sweep may run as often as wanted and sends
each message once. Messages name references (the child's local authority reference), never a
child's name, because they also go out by email.

Every deadline comes from a ``procedures`` rule, stored on the record or computed by
``conferences.due``; the visits' reminders (the last row) are the plan's own sweep,
``plans/reminders.py``, which uses the helpers here. Each has two stages, as
``procedures.timeliness`` counts days:

* **reminder**, from the day it is due (or when first found overdue): to whoever must act;
* **escalation**, once it is overdue (after the end of its due day): to the managers.

==========================  ===========================================  ===========================
Deadline                    Reminder                                     Escalation
==========================  ===========================================  ===========================
Conference held             who convened it                              conference chairs and team
(``icpc.convene``,                                                       managers of the authority
``transfer_in.conference``)
Record circulated           the chair                                    team managers
(``icpc.circulate_record``)
Record acknowledged         the recipient (for a family member or the    the recipient agency's
(``outcome.acknowledge``,   authority itself: the lead practitioner,     safeguarding lead; team
from when it was sent)      who records it for them)                     managers for the authority
Core group                  the lead practitioner                        team managers
(``core_group.*``)
Review conference           the lead practitioner                        conference chairs and team
(``review.*``)                                                           managers
Visits (``visit.*``)        the lead practitioner                        team managers
==========================  ===========================================  ===========================

The 18th-birthday sweep ends an open registration with ``end_registration`` (reason ``AGE_18``)
once the child is 18, as the authority's automatic-actions account (:func:`system_actor`), and
tells the lead practitioner.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diogelu import procedures
from diogelu.accounts.models import PARTNER_WORK_ROLES, Agency, Role, RoleAssignment, User
from diogelu.conferences.models import (
    REGISTERING_KINDS,
    Circulation,
    Conference,
    ConferenceStatus,
    EndReason,
    RecipientKind,
    RegisterEpisode,
)
from diogelu.core.exceptions import DomainError
from diogelu.notifications.models import Kind, OutboxMessage
from diogelu.notifications.services import enqueue

log = logging.getLogger(__name__)

#: The rule an acknowledgement of the conference record is due by, counted from when the record
#: was sent: the record goes out as an outcome to acknowledge (ADR 0012), so the outcome rule.
ACKNOWLEDGE_RULE = "outcome.acknowledge"
MANAGERS = (Role.TEAM_MANAGER,)
CHAIRS_AND_MANAGERS = (Role.CONFERENCE_CHAIR, Role.TEAM_MANAGER)
#: The role the automatic-actions account holds: the least a social-services action needs.
SYSTEM_ROLE = Role.SOCIAL_WORKER


@dataclass
class Counts:
    """How many things were reminded about and escalated, per kind of deadline."""

    values: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, made: bool) -> None:
        self.values[name] = self.values.get(name, 0) + int(made)


# --- helpers ------------------------------------------------------------------------------


def _stages(due_at: datetime.datetime, now: datetime.datetime) -> tuple[bool, bool]:
    """(remind, escalate): remind from the due day on, escalate once the deadline has passed."""
    return procedures.local_date(now) >= procedures.local_date(due_at), now > due_at


def _date(moment: datetime.datetime | datetime.date) -> str:
    return procedures.local_date(moment).strftime("%d/%m/%Y")


def _rule_text(rule: procedures.Rule | str) -> str:
    """The rule's title in the current language, and its timescale with its source."""
    found = procedures.get_rule(rule) if isinstance(rule, str) else rule
    return f"{found.title(get_language() or 'en')}: {found.describe()}"


def _refs(conference: Conference) -> str:
    """The local authority references of the conference's children (never their names)."""
    return ", ".join(c.person.la_reference for c in conference.children.select_related("person"))


def _send(
    key: str,
    *,
    subject: str,
    body: str,
    link: str,
    user: User | None = None,
    agency: Agency | None = None,
    roles: Iterable[str] = (),
    kind: str = Kind.REMINDER,
) -> bool:
    """Write one message to the outbox; False if this key was announced before."""
    if user is None and agency is None:
        return False
    made = enqueue(
        kind=kind,
        dedupe_key=key,
        subject=subject,
        body=body,
        link=link,
        user=user,
        agency=agency if user is None else None,
        roles=roles if user is None else (),
    )
    return made is not None


def _plan_link(episode: RegisterEpisode) -> str:
    plan = getattr(episode, "plan", None)
    return reverse("show_plan", args=[plan.pk]) if plan is not None else ""


def _open_episodes() -> Iterable[RegisterEpisode]:
    return RegisterEpisode.objects.filter(ended_at__isnull=True).select_related(
        "person", "authority", "lead_practitioner", "conference", "plan"
    )


# --- conferences --------------------------------------------------------------------------


def remind_conferences_due(now: datetime.datetime, counts: Counts) -> None:
    """An initial, pre-birth or transfer-in conference not yet held: who convened it is reminded
    on the due day; once overdue, the authority's conference chairs and team managers."""
    end_of_today = procedures.end_of_day(procedures.local_date(now))
    for conference in Conference.objects.filter(
        status=ConferenceStatus.CONVENED, kind__in=REGISTERING_KINDS, due_at__lte=end_of_today
    ).select_related("authority", "convened_by"):
        remind, escalate = _stages(conference.due_at, now)
        values = {
            "kind": conference.get_kind_display(),
            "refs": _refs(conference),
            "date": _date(conference.due_at),
        }
        body = _rule_text(conference.due_rule)
        link = reverse("show_conference", args=[conference.pk])
        with transaction.atomic():
            if remind:
                counts.add(
                    "conferences_reminded",
                    _send(
                        f"conference-due:{conference.pk}:remind:{conference.convened_by_id}",
                        subject=_("%(kind)s for %(refs)s is due by %(date)s") % values,
                        body=body,
                        link=link,
                        user=conference.convened_by,
                    ),
                )
            if escalate:
                counts.add(
                    "conferences_escalated",
                    _send(
                        f"conference-due:{conference.pk}:escalate",
                        subject=_("Overdue: %(kind)s for %(refs)s was due by %(date)s") % values,
                        body=body,
                        link=link,
                        agency=conference.authority,
                        roles=CHAIRS_AND_MANAGERS,
                    ),
                )


def remind_records_due(now: datetime.datetime, counts: Counts) -> None:
    """A held conference whose record has not been circulated (``icpc.circulate_record``): the
    chair is reminded on the due day; once overdue, the team managers."""
    end_of_today = procedures.end_of_day(procedures.local_date(now))
    for conference in Conference.objects.filter(
        status=ConferenceStatus.HELD,
        record_circulated_at__isnull=True,
        record_due_at__lte=end_of_today,
    ).select_related("authority", "chair", "convened_by"):
        assert conference.record_due_at is not None
        remind, escalate = _stages(conference.record_due_at, now)
        values = {"refs": _refs(conference), "date": _date(conference.record_due_at)}
        body = _rule_text("icpc.circulate_record")
        link = reverse("show_conference", args=[conference.pk])
        owner = conference.chair or conference.convened_by
        with transaction.atomic():
            if remind:
                counts.add(
                    "records_reminded",
                    _send(
                        f"record-circulate:{conference.pk}:remind:{owner.pk}",
                        subject=_("Circulate the conference record for %(refs)s by %(date)s")
                        % values,
                        body=body,
                        link=link,
                        user=owner,
                    ),
                )
            if escalate:
                counts.add(
                    "records_escalated",
                    _send(
                        f"record-circulate:{conference.pk}:escalate",
                        subject=_(
                            "Overdue: the conference record for %(refs)s was not circulated "
                            "by %(date)s"
                        )
                        % values,
                        body=body,
                        link=link,
                        agency=conference.authority,
                        roles=MANAGERS,
                    ),
                )


def _social_workers_for(circulation: Circulation) -> list[User]:
    """Who records an acknowledgement for a family member or the authority: the children's lead
    practitioners, or who convened the conference if no child is registered."""
    conference = circulation.conference
    leads = {
        c.episode.lead_practitioner
        for c in conference.children.select_related("episode__lead_practitioner")
        if c.episode is not None and c.episode.is_open
    }
    return sorted(leads, key=lambda u: u.pk) or [conference.convened_by]


def remind_acknowledgements_due(now: datetime.datetime, counts: Counts) -> None:
    """A circulated record not acknowledged by ``outcome.acknowledge`` from when it was sent:
    the recipient is reminded on the due day; once overdue, the recipient agency's safeguarding
    lead (the authority's team managers when the recipient is the authority or the family)."""
    for circulation in Circulation.objects.filter(
        acknowledged_at__isnull=True, sent_at__lte=now
    ).select_related(
        "conference__authority",
        "conference__convened_by",
        "recipient_agency",
        "recipient_user__agency",
    ):
        if OutboxMessage.objects.filter(
            dedupe_key=f"record-ack:{circulation.pk}:escalate"
        ).exists():
            continue  # both stages done (a family may never acknowledge: skip it cheaply)
        due = procedures.due(ACKNOWLEDGE_RULE, circulation.sent_at)
        remind, escalate = _stages(due.due_at, now)
        if not remind:
            continue
        conference = circulation.conference
        authority = conference.authority
        agency = circulation.recipient_agency or (
            circulation.recipient_user.agency if circulation.recipient_user else None
        )
        partner = agency is not None and agency.pk != authority.pk
        values = {"refs": _refs(conference), "date": _date(due.due_at)}
        link = reverse("acknowledge_record", args=[circulation.pk])
        body = _rule_text(ACKNOWLEDGE_RULE)
        with transaction.atomic():
            if circulation.recipient_user is not None:
                targets: list[tuple[str, User | None, Agency | None, Iterable[str]]] = [
                    (str(circulation.recipient_user.pk), circulation.recipient_user, None, ())
                ]
            elif partner:
                assert agency is not None
                targets = [(f"agency{agency.pk}", None, agency, PARTNER_WORK_ROLES)]
            else:
                targets = [(str(u.pk), u, None, ()) for u in _social_workers_for(circulation)]
            if remind:
                made = False
                for suffix, user, to_agency, roles in targets:
                    made |= _send(
                        f"record-ack:{circulation.pk}:remind:{suffix}",
                        subject=_(
                            "Please acknowledge the conference record for %(refs)s by %(date)s"
                        )
                        % values,
                        body=body,
                        link=link,
                        user=user,
                        agency=to_agency,
                        roles=roles,
                    )
                counts.add("acknowledgements_reminded", made)
            if escalate:
                # A practitioner or an agency by name; a family member's name (or the child's)
                # would name the child.
                who = (
                    circulation.recipient_label
                    if circulation.recipient_kind != RecipientKind.FAMILY
                    else _("a family member or the child")
                )
                subject = _(
                    "Not acknowledged: the conference record for %(refs)s sent to %(who)s "
                    "(due %(date)s)"
                ) % {**values, "who": who}
                counts.add(
                    "acknowledgements_escalated",
                    _send(
                        f"record-ack:{circulation.pk}:escalate",
                        subject=subject,
                        body=body,
                        link=link if partner else reverse("show_conference", args=[conference.pk]),
                        agency=agency if partner else authority,
                        roles=[Role.AGENCY_SAFEGUARDING_LEAD] if partner else MANAGERS,
                        kind=Kind.OUTCOME_UNACKNOWLEDGED,
                    ),
                )


# --- the register: core groups, reviews, visits -------------------------------------------


def _remind_episode(
    counts: Counts,
    name: str,
    *,
    episode: RegisterEpisode,
    key: str,
    due: procedures.Due,
    now: datetime.datetime,
    escalate_to: Iterable[str],
    timeliness: procedures.Timeliness | None = None,
) -> None:
    """The two stages of one deadline of a registered child: the lead practitioner, then the
    authority's ``escalate_to`` roles. ``timeliness`` if already known (a bedroom visit made in
    the cycle meets its deadline)."""
    status = (timeliness or procedures.timeliness(due, now)).status
    if status not in (procedures.Status.DUE_TODAY, procedures.Status.OVERDUE):
        return
    ref = episode.person.la_reference
    values = {"ref": ref, "what": due.rule.title(get_language() or "en"), "date": _date(due.due_at)}
    body = _rule_text(due.rule)
    link = _plan_link(episode)
    lead = episode.lead_practitioner
    with transaction.atomic():
        counts.add(
            f"{name}_reminded",
            _send(
                f"{key}:{due.due_on.isoformat()}:remind:{lead.pk}",
                subject=_("%(ref)s: %(what)s by %(date)s") % values,
                body=body,
                link=link,
                user=lead,
            ),
        )
        if status is procedures.Status.OVERDUE:
            counts.add(
                f"{name}_escalated",
                _send(
                    f"{key}:{due.due_on.isoformat()}:escalate",
                    subject=_("Overdue for %(ref)s: %(what)s by %(date)s") % values,
                    body=body,
                    link=link,
                    agency=episode.authority,
                    roles=escalate_to,
                ),
            )


def remind_register_due(now: datetime.datetime, counts: Counts) -> None:
    """For every child on the register: the next core group (``core_group.first``, then
    ``core_group.interval``) and the next review conference (``review.first``, then
    ``review.interval``). The statutory visits are the plan's sweep (``plans/reminders.py``)."""
    from diogelu.conferences.due import core_group_due, prefetch_conference_places, review_due

    # Every open registration's core groups and conference places in two queries, not two per
    # child (896 registrations at a county took 4-5 s of each tick one by one).
    episodes = list(_open_episodes().prefetch_related("core_groups"))  # type: ignore[attr-defined]
    prefetch_conference_places(episodes)
    for episode in episodes:
        _remind_episode(
            counts,
            "core_groups",
            episode=episode,
            key=f"core-group:{episode.pk}",
            due=core_group_due(episode),
            now=now,
            escalate_to=MANAGERS,
        )
        _remind_episode(
            counts,
            "reviews",
            episode=episode,
            key=f"review:{episode.pk}",
            due=review_due(episode),
            now=now,
            escalate_to=CHAIRS_AND_MANAGERS,
        )


# --- the 18th-birthday sweep --------------------------------------------------------------


def eighteenth_birthday(date_of_birth: datetime.date) -> datetime.date:
    """The day a child born on ``date_of_birth`` turns 18 (1 March for 29 February), as
    ``end_registration`` counts it."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + 18)
    except ValueError:  # 29 February, 18 years on is not a leap year
        return datetime.date(date_of_birth.year + 18, 3, 1)


def system_actor(authority: Agency) -> User:
    """The authority's account for automatic actions (the 18th-birthday sweep), so the register,
    the chronology and the audit trail say the change was automatic rather than naming a person.

    It never signs in and receives nothing: inactive, with no usable password and no email (the
    administration pages cannot reactivate an account). It holds the social worker role, the least
    a social-services action needs. Made on first use.
    """
    username = f"diogelu-automatic.{authority.code}"[:150]
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": "Diogelu",
                "last_name": "(automatic)",
                "agency": authority,
                "job_title": "Automatic actions (not a person)",
                "is_active": False,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        elif user.is_active or user.agency_id != authority.pk or user.has_usable_password():
            # Someone made an account with this name: never act as it, never give it a role.
            raise RuntimeError(
                f"user {user.pk} holds the automatic account's name but is not that account"
            )
        RoleAssignment.objects.get_or_create(user=user, role=SYSTEM_ROLE)
    return user


def end_registrations_at_18(now: datetime.datetime) -> int:
    """End each open registration of a child who has turned 18, from the start of their 18th
    birthday, and tell the lead practitioner. Running it again changes nothing (an ended
    registration is no longer open). Returns how many were ended."""
    from diogelu.conferences.services import end_registration

    today = procedures.local_date(now)
    try:
        latest_birth = today.replace(year=today.year - 18)
    except ValueError:  # today is 29 February
        latest_birth = datetime.date(today.year - 18, 2, 28)
    candidates = list(
        RegisterEpisode.objects.filter(
            ended_at__isnull=True, person__date_of_birth__lte=latest_birth
        ).values_list("pk", flat=True)
    )
    ended = 0
    for pk in candidates:
        try:
            with transaction.atomic():
                episode = (
                    RegisterEpisode.objects.select_for_update(of=("self",))
                    .filter(pk=pk, ended_at__isnull=True)
                    .select_related("person", "authority", "lead_practitioner")
                    .first()
                )
                if episode is None or episode.person.date_of_birth is None:
                    continue  # ended by another sweep meanwhile
                birthday = eighteenth_birthday(episode.person.date_of_birth)
                if birthday > today:
                    continue
                ended_at = max(
                    datetime.datetime.combine(
                        birthday, datetime.time.min, tzinfo=procedures.LONDON
                    ),
                    episode.started_at,
                )
                lead = episode.lead_practitioner
                ref = episode.person.la_reference
                # The key end_registration gives the message it sends each core group member, so
                # the lead practitioner gets this message in place of the general one.
                enqueue(
                    kind=Kind.REMINDER,
                    dedupe_key=f"deregistered:{episode.pk}:{lead.pk}",
                    subject=_("%(ref)s has turned 18: their registration has ended") % {"ref": ref},
                    # No date: the birthday would give away the date of birth in an email.
                    body=_(
                        "The registration of %(ref)s on the child protection register ended "
                        "automatically on their 18th birthday. Core group members have been told "
                        "and their access through the core group has ended."
                    )
                    % {"ref": ref},
                    link=_plan_link(episode),
                    user=lead,
                )
                end_registration(
                    actor=system_actor(episode.authority),
                    episode=episode,
                    reason=EndReason.AGE_18,
                    ended_at=ended_at,
                    note=_("Ended automatically on the child's 18th birthday."),
                )
                ended += 1
        except DomainError as exc:
            # Nothing was written for this child; the next sweep tries again.
            log.warning("18th-birthday sweep: register episode %s not ended: %s", pk, exc.message)
    return ended


# --- the sweep ----------------------------------------------------------------------------


def run_conference_reminders(now: datetime.datetime | None = None) -> dict[str, int]:
    """The 18th-birthday sweep first (no reminders for children it takes off the register),
    then every conference, record, core group and review reminder and escalation (the visits are
    the plan's sweep, registered after this one: ``plans/reminders.py``)."""
    moment = now or timezone.now()
    counts = Counts()
    counts.values["registrations_ended_at_18"] = end_registrations_at_18(moment)
    for name in (
        "conferences",
        "records",
        "acknowledgements",
        "core_groups",
        "reviews",
    ):
        for stage in ("reminded", "escalated"):
            counts.values[f"{name}_{stage}"] = 0
    remind_conferences_due(moment, counts)
    remind_records_due(moment, counts)
    remind_acknowledgements_due(moment, counts)
    remind_register_due(moment, counts)
    return counts.values
