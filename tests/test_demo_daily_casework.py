"""The demo's daily casework: a corrected case note and two missing episodes, made once."""

from __future__ import annotations

from diogelu.chronology.models import CaseNote
from diogelu.demo.loader import load_demo
from diogelu.people.models import MissingEpisode


def _episodes():
    """The daily-casework demo's episodes (the exploitation case has its own: demo/exploitation_case)."""
    return MissingEpisode.objects.exclude(person__la_reference__contains="-EXP")


def test_demo_has_daily_casework_once(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(households=12)
    assert CaseNote.objects.count() == 2
    assert CaseNote.objects.filter(replaces__isnull=False).count() == 1
    assert _episodes().count() == 2
    assert _episodes().exclude(debrief_held_on=None).count() == 1
    load_demo(households=12)
    assert CaseNote.objects.count() == 2 and _episodes().count() == 2
