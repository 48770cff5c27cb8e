"""The demo's daily casework: a corrected case note and two missing episodes, made once."""

from __future__ import annotations

from diogelu.chronology.models import CaseNote
from diogelu.demo.loader import load_demo
from diogelu.people.models import MissingEpisode


def test_demo_has_daily_casework_once(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(households=12)
    assert CaseNote.objects.count() == 2
    assert CaseNote.objects.filter(replaces__isnull=False).count() == 1
    assert MissingEpisode.objects.count() == 2
    assert MissingEpisode.objects.exclude(debrief_held_on=None).count() == 1
    load_demo(households=12)
    assert CaseNote.objects.count() == 2 and MissingEpisode.objects.count() == 2
