"""Demo data for daily casework (issue 10): on the registered child, a case note with the
child's words, a correction of it, and two missing episodes (one with its return interview).
Idempotent: nothing is added when the child already has a case note."""

from __future__ import annotations

import datetime

from django.utils import timezone

from diogelu.accounts.models import Agency, User
from diogelu.chronology import notes
from diogelu.chronology.models import CaseNote


def load_daily_casework(authority: Agency, users: dict[str, User]) -> list[str]:
    from diogelu.access.services import PersonAccess
    from diogelu.access.visibility import decide
    from diogelu.conferences.models import RegisterEpisode
    from diogelu.people import missing

    episode = (
        RegisterEpisode.objects.filter(authority=authority, ended_at__isnull=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if episode is None or CaseNote.objects.filter(person=episode.person).exists():
        return []
    child, worker = episode.person, users["social.worker"]
    decision = decide(worker, child)
    if decision is None:
        return []
    access = PersonAccess(person=child, decision=decision)
    now = timezone.now().replace(second=0, microsecond=0)
    note = notes.record_case_note(
        actor=worker,
        access=access,
        details=notes.NoteDetails(
            kind="VISIT",
            contact_at=now - datetime.timedelta(days=6, hours=3),
            what_happened="After-school visit. The child showed me their room; tidy, a new bed.",
            child_seen=True,
            childs_words="I sleep better now.",
        ),
    )
    notes.correct_case_note(
        actor=worker,
        access=access,
        note=note,
        details=notes.NoteDetails(
            kind="VISIT",
            contact_at=now - datetime.timedelta(days=6, hours=3),
            what_happened="After-school visit with the child's mother present. The child showed "
            "me their room; tidy, a new bed.",
            child_seen=True,
            childs_words="I sleep better now.",
        ),
        reason="The mother was present for the first part of the visit.",
    )
    first = missing.record_missing_episode(
        actor=worker,
        access=access,
        details=missing.EpisodeDetails(
            kind="MISSING",
            started_at=now - datetime.timedelta(days=20, hours=2),
            ended_at=now - datetime.timedelta(days=19, hours=14),
            reported_to_police=True,
            police_reference="DP-DEMO-0001",
            where_found="A friend's house in Aberdewi",
            debrief_offered_on=(now - datetime.timedelta(days=19)).date(),
            debrief_accepted=True,
            debrief_held_on=(now - datetime.timedelta(days=18)).date(),
            debrief_by="Independent return interviewer",
            childs_account="I went to my friend's because of the shouting at home.",
        ),
    )
    missing.record_missing_episode(
        actor=worker,
        access=access,
        details=missing.EpisodeDetails(
            kind="ABSENT", started_at=now - datetime.timedelta(days=3, hours=5)
        ),
    )
    return [
        f"Daily casework on {child.la_reference}: a corrected case note and two missing "
        f"episodes (the first, {first.pk}, with its return interview)"
    ]
