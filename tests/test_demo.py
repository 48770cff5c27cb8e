"""The demo authority loads from a fixed seed and a second load adds nothing."""

from __future__ import annotations

from diogelu.accounts.models import Agency, User
from diogelu.demo.loader import load_demo
from diogelu.people.models import Person, Relationship
from diogelu.people.validators import nhs_number_is_valid, upn_is_valid


def test_demo_load_is_idempotent_and_valid(db):
    first = load_demo(households=15)
    counts = (
        Agency.objects.count(),
        User.objects.count(),
        Person.objects.count(),
        Relationship.objects.count(),
    )
    second = load_demo(households=15)
    assert second.skipped_people
    assert counts == (
        Agency.objects.count(),
        User.objects.count(),
        Person.objects.count(),
        Relationship.objects.count(),
    )
    assert first.people == Person.objects.count() > 30
    assert User.objects.count() == 20
    for person in Person.objects.exclude(nhs_number=""):
        assert person.nhs_number.startswith("999")
        assert nhs_number_is_valid(person.nhs_number)
    for person in Person.objects.exclude(upn=""):
        assert upn_is_valid(person.upn)
    assert Person.objects.filter(is_restricted=True).exists()
