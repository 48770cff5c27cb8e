"""Case notes: any practitioner who may see a child's chronology records what happened.

A note lands in the chronology as a ``NOTE`` event. It is corrected only by a new version that
keeps the old one; a manager may mark the note a significant event.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from diogelu.access.models import Part
from diogelu.accounts.models import MANAGER_ROLES
from diogelu.chronology.models import Audience, CaseNote, ChronologyEvent, EventKind, NoteKind
from diogelu.core.exceptions import DomainError, NotPermittedError

if TYPE_CHECKING:
    from diogelu.access.services import PersonAccess
    from diogelu.accounts.models import User

MAX_TEXT = 20_000


@dataclass(frozen=True)
class NoteDetails:
    kind: str
    contact_at: datetime.datetime
    what_happened: str
    child_seen: bool = False
    childs_words: str = ""
    audience: str = Audience.ALL_INVOLVED


def may_write(user: User, access: PersonAccess) -> bool:
    return access.may_see(Part.CHRONOLOGY) and user.agency_id is not None


def may_mark_significant(user: User) -> bool:
    return bool(user.is_local_authority_staff and user.has_role(*MANAGER_ROLES))


def _validate(actor: User, d: NoteDetails) -> None:
    if d.kind not in NoteKind.values:
        raise DomainError(_("Choose what kind of note this is"), field="kind")
    if d.audience not in Audience.values or (
        not actor.is_local_authority_staff and d.audience == Audience.LOCAL_AUTHORITY
    ):
        raise DomainError(_("Choose who can see this note"), field="audience")
    if d.contact_at > timezone.now():
        raise DomainError(_("The date of the contact must be in the past"), field="contact_at")
    if not d.what_happened.strip():
        raise DomainError(_("Enter what happened"), field="what_happened")
    if len(d.what_happened) > MAX_TEXT or len(d.childs_words) > MAX_TEXT:
        raise DomainError(_("The note must be 20,000 characters or fewer"), field="what_happened")
    if d.childs_words.strip() and not d.child_seen:
        raise DomainError(
            _("Record the child's words only when the child was seen or spoken to"),
            field="childs_words",
        )


def _detail(d: NoteDetails) -> str:
    text = d.what_happened.strip()
    if d.childs_words.strip():
        text += "\n\n" + _("The child said: %(words)s") % {"words": d.childs_words.strip()}
    return text


def _new_version(
    actor: User,
    access: PersonAccess,
    d: NoteDetails,
    event: ChronologyEvent,
    replaces: CaseNote | None,
    reason: str,
) -> CaseNote:
    assert actor.agency_id is not None
    return CaseNote.objects.create(
        person=access.person,
        event=event,
        replaces=replaces,
        kind=d.kind,
        contact_at=d.contact_at,
        what_happened=d.what_happened.strip(),
        child_seen=d.child_seen,
        childs_words=d.childs_words.strip(),
        audience=d.audience,
        correction_reason=reason,
        agency_id=actor.agency_id,
        recorded_by=actor,
    )


@transaction.atomic
def record_case_note(*, actor: User, access: PersonAccess, details: NoteDetails) -> CaseNote:
    if not may_write(actor, access):
        raise NotPermittedError(_("You cannot write a case note for this child."))
    _validate(actor, details)
    assert actor.agency_id is not None
    event = ChronologyEvent.objects.create(
        person=access.person,
        occurred_at=details.contact_at,
        kind=EventKind.NOTE,
        title=str(NoteKind(details.kind).label),
        detail=_detail(details),
        source_agency_id=actor.agency_id,
        recorded_by=actor,
        audience=details.audience,
    )
    return _new_version(actor, access, details, event, None, "")


@transaction.atomic
def correct_case_note(
    *, actor: User, access: PersonAccess, note: CaseNote, details: NoteDetails, reason: str
) -> CaseNote:
    """A new version of ``note`` (which must be the latest); the old one is kept and shown.
    Only the recording agency corrects its notes."""
    locked = CaseNote.objects.select_for_update().get(pk=note.pk)
    if not may_write(actor, access) or locked.agency_id != actor.agency_id:
        raise NotPermittedError(_("Only the agency that wrote a note can correct it."))
    if CaseNote.objects.filter(replaces=locked).exists():
        raise DomainError(
            _("This note has been corrected since you opened it. Correct the latest version.")
        )
    if not reason.strip():
        raise DomainError(_("Enter why you are correcting the note"), field="reason")
    _validate(actor, details)
    ChronologyEvent.objects.filter(pk=locked.event_id).update(
        occurred_at=details.contact_at,
        title=str(_("%(kind)s (corrected)") % {"kind": NoteKind(details.kind).label}),
        detail=_detail(details),
        audience=details.audience,
    )
    return _new_version(actor, access, details, locked.event, locked, reason.strip())


@transaction.atomic
def mark_significant(
    *, actor: User, access: PersonAccess, note: CaseNote, significant: bool = True
) -> ChronologyEvent:
    if not may_mark_significant(actor) or not may_write(actor, access):
        raise NotPermittedError(_("Only a manager can mark a significant event."))
    event = ChronologyEvent.objects.select_for_update().get(pk=note.event_id)
    event.is_significant = significant
    event.save(update_fields=["is_significant"])
    return event


def visible_notes(viewer: User, access: PersonAccess) -> list[CaseNote]:
    """Every version of the notes the viewer may see, newest contact first."""
    if not access.may_see(Part.CHRONOLOGY):
        return []
    notes = CaseNote.objects.filter(person=access.person).select_related(
        "event", "agency", "recorded_by"
    )
    if not viewer.is_local_authority_staff:
        notes = notes.filter(
            Q(event__audience=Audience.ALL_INVOLVED)
            | Q(event__audience=Audience.SOURCE_AGENCY, event__source_agency_id=viewer.agency_id)
        )
    return list(notes.order_by("-contact_at", "-id"))


def note_of(viewer: User, access: PersonAccess, note_id: object) -> CaseNote:
    try:
        pk = int(str(note_id))
    except (TypeError, ValueError):
        raise DomainError(_("Choose a note")) from None
    for note in visible_notes(viewer, access):
        if note.pk == pk:
            return note
    raise DomainError(_("Choose a note"))
