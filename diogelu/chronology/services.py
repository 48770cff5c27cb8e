"""Recording chronology events, and reading them as a given viewer may."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.access.models import Part
from diogelu.chronology.models import Audience, ChronologyEvent, EventKind
from diogelu.core.exceptions import DomainError
from diogelu.core.texts import written

if TYPE_CHECKING:
    from diogelu.access.services import PersonAccess
    from diogelu.accounts.models import User

#: Nothing in a living child's chronology happened before this year (a typo such as 1457 is
#: refused rather than recorded).
EARLIEST_YEAR = 1900
MAX_TITLE = 200
MAX_DETAIL = 20_000


def visible_events(viewer: User, access: PersonAccess) -> QuerySet[ChronologyEvent]:
    """The events of ``access.person`` that ``viewer`` may see.

    Local authority staff see every event; a partner agency sees events shared with every agency
    involved, and its own agency's events.
    """
    if not access.may_see(Part.CHRONOLOGY):
        return ChronologyEvent.objects.none()
    events = ChronologyEvent.objects.filter(person=access.person).select_related("source_agency")
    if viewer.is_local_authority_staff:
        return events
    return events.filter(
        Q(audience=Audience.ALL_INVOLVED)
        | Q(audience=Audience.SOURCE_AGENCY, source_agency_id=viewer.agency_id)
    )


@transaction.atomic
def record_event(
    *,
    actor: User,
    access: PersonAccess,
    kind: str,
    title: str,
    occurred_at: datetime,
    detail: str = "",
    audience: str = Audience.ALL_INVOLVED,
    is_significant: bool = False,
) -> ChronologyEvent:
    """Add an event to a person's chronology, as ``actor``'s agency.

    A partner agency may record events only for people it is involved with (``access`` proves it)
    and cannot make an event visible to the local authority only.
    """
    if kind not in EventKind.values:
        raise DomainError(_("Choose what kind of event this is"), field="kind")
    if audience not in Audience.values:
        raise DomainError(_("Choose who can see this event"), field="audience")
    if not actor.is_local_authority_staff and audience == Audience.LOCAL_AUTHORITY:
        raise DomainError(_("Choose who can see this event"), field="audience")
    clean_title = title.strip()
    if not clean_title:
        raise DomainError(_("Enter a title for the event"), field="title")
    if len(clean_title) > MAX_TITLE:
        raise DomainError(_("The title must be 200 characters or fewer"), field="title")
    if len(detail) > MAX_DETAIL:
        raise DomainError(_("The details must be 20,000 characters or fewer"), field="detail")
    if timezone.is_naive(occurred_at):
        raise DomainError(_("Enter the date and time the event happened"), field="occurred_at")
    if occurred_at > timezone.now():
        raise DomainError(_("The date the event happened must be in the past"), field="occurred_at")
    if occurred_at.year < EARLIEST_YEAR:
        raise DomainError(
            _("The date the event happened must be in %(year)s or later") % {"year": EARLIEST_YEAR},
            field="occurred_at",
        )
    assert actor.agency_id is not None
    return ChronologyEvent.objects.create(
        person=access.person,
        occurred_at=occurred_at,
        kind=kind,
        title=clean_title,
        detail=detail.strip(),
        source_agency_id=actor.agency_id,
        recorded_by=actor,
        audience=audience,
        is_significant=is_significant,
    )


def add_case_event(
    *,
    actor: User,
    person_id: int,
    kind: str,
    title: str | dict[str, Any],
    occurred_at: datetime,
    detail: str | dict[str, Any] = "",
    audience: str = Audience.LOCAL_AUTHORITY,
    is_significant: bool = False,
) -> ChronologyEvent:
    """Record a step of casework on a person's chronology (called by other services, which have
    already checked the actor may take the step). Runs in the caller's transaction.

    ``title`` is plain text or a ``core.texts`` structure (rendered in each reader's language)."""
    assert actor.agency_id is not None
    title_text: dict[str, Any] | None = None
    if isinstance(title, dict):
        title_text, title = title, written(title)
    detail_text: dict[str, Any] | None = None
    if isinstance(detail, dict):
        detail_text, detail = detail, written(detail)
    return ChronologyEvent.objects.create(
        person_id=person_id,
        occurred_at=occurred_at,
        kind=kind,
        title=title[:MAX_TITLE],
        title_text=title_text,
        detail_text=detail_text,
        detail=detail[:MAX_DETAIL],
        source_agency_id=actor.agency_id,
        recorded_by=actor,
        audience=audience,
        is_significant=is_significant,
    )
