"""What every conference service shares: the role sets, the checks, the chronology event."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.access.models import Part
from diogelu.accounts import roles
from diogelu.accounts.models import AgencyKind, Role, User
from diogelu.chronology.models import Audience, EventKind
from diogelu.chronology.services import add_case_event
from diogelu.conferences.models import (
    Conference,
    ConferenceChild,
)
from diogelu.core.exceptions import DomainError, NotPermittedError

MAX_TEXT = 20_000
MIN_REASONS = 10
SOCIAL_WORK_ROLES = roles.CONFERENCE_STAFF_ROLES
CHAIR_ROLES = frozenset({Role.CONFERENCE_CHAIR, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE})
LEAD_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
#: Parts of the record a conference invitee or core group member agency sees.
PARTNER_PARTS = [Part.SUMMARY, Part.CHRONOLOGY]
#: Partner roles that may check the register (health and police, in the spirit of CP-IS).
REGISTER_CHECK_KINDS = frozenset({AgencyKind.HEALTH, AgencyKind.POLICE})
REGISTER_CHECK_ROLES = frozenset(
    {Role.HEALTH_PRACTITIONER, Role.POLICE_OFFICER, Role.AGENCY_SAFEGUARDING_LEAD}
)


# --- checks -------------------------------------------------------------------------------


def _check_staff(actor: User, authority_id: int, roles: frozenset[str] = SOCIAL_WORK_ROLES) -> None:
    if not (
        actor.is_local_authority_staff
        and actor.agency_id == authority_id
        and actor.has_role(*roles)
    ):
        raise NotPermittedError(_("Only the local authority's social services can do this."))


def _past(moment: datetime.datetime | None, field: str, message: str) -> datetime.datetime:
    if moment is None or timezone.is_naive(moment) or moment > timezone.now():
        raise DomainError(message, field=field)
    return moment


def _text(value: Any, minimum: int, message: str, field: str) -> str:
    text = str(value or "").strip()
    if len(text) < minimum:
        raise DomainError(message, field=field)
    return text[:MAX_TEXT]


def _event(
    actor: User,
    person_id: int,
    title: str | dict[str, Any],
    *,
    kind: str = EventKind.CONFERENCE,
    occurred_at: datetime.datetime | None = None,
    detail: str | dict[str, Any] = "",
    audience: str = Audience.LOCAL_AUTHORITY,
    significant: bool = False,
) -> None:
    add_case_event(
        actor=actor,
        person_id=person_id,
        kind=kind,
        title=title,
        occurred_at=occurred_at or timezone.now(),
        detail=detail if isinstance(detail, dict) else detail[:2000],
        audience=audience,
        is_significant=significant,
    )


def _note(conference: Conference) -> str:
    return f"conference:{conference.pk}"


@dataclass
class _Checked:
    child: ConferenceChild
    data: dict[str, Any]
    categories: list[str]
    core_group: list[dict[str, Any]]
