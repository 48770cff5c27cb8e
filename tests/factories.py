"""Factories for tests: Faker-free fixed synthetic values, never real people."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from diogelu.access.models import Involvement, InvolvementReason, Part
from diogelu.accounts.models import Agency, AgencyKind, ApiToken, RoleAssignment, User, hash_token
from diogelu.chronology.models import Audience, ChronologyEvent, EventKind
from diogelu.people.models import Address, Person, Relationship, RelationshipKind, Sex

PASSWORD = "correct-horse-battery-staple-42"
_seq = itertools.count(1)


def agency(kind: str = AgencyKind.LOCAL_AUTHORITY, name: str | None = None, **kw: Any) -> Agency:
    n = next(_seq)
    return Agency.objects.create(
        kind=kind, name=name or f"Agency {n}", code=kw.pop("code", f"agency-{n}"), **kw
    )


def user(agency: Agency, *roles: str, username: str | None = None, **kw: Any) -> User:
    n = next(_seq)
    u = User(
        username=username or f"user{n}",
        agency=agency,
        first_name="Test",
        last_name=f"User{n}",
        **kw,
    )
    u.set_password(PASSWORD)
    u.save()
    for role in roles:
        RoleAssignment.objects.create(user=u, role=role)
    return u


def person(authority: Agency, **kw: Any) -> Person:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "given_name": "Test",
        "family_name": f"Person{n}",
        "date_of_birth": datetime.date(2015, 3, 27),
        "sex": Sex.FEMALE,
        "la_reference": f"TST-{n:06d}",
    }
    defaults.update(kw)
    p = Person(authority=authority, **defaults)
    p.save()
    return p


def address(p: Person, postcode: str = "CF31 1AA", **kw: Any) -> Address:
    fields: dict[str, Any] = {"line_1": "1 Heol y Nant", "town": "Glanrafon"}
    fields.update(kw)
    return Address.objects.create(person=p, postcode=postcode, **fields)


def relate(
    p: Person, relative: Person, kind: str = RelationshipKind.MOTHER, **kw: Any
) -> Relationship:
    return Relationship.objects.create(person=p, relative=relative, kind=kind, **kw)


def involve(
    p: Person,
    agency: Agency,
    parts: list[str] | None = None,
    user: User | None = None,
    **kw: Any,
) -> Involvement:
    return Involvement.objects.create(
        person=p,
        agency=agency,
        user=user,
        reason=kw.pop("reason", InvolvementReason.ASKED_FOR_INFORMATION),
        parts=parts or [Part.SUMMARY, Part.CHRONOLOGY],
        **kw,
    )


def event(
    p: Person,
    source: Agency,
    audience: str = Audience.ALL_INVOLVED,
    title: str = "Event",
    **kw: Any,
) -> ChronologyEvent:
    return ChronologyEvent.objects.create(
        person=p,
        occurred_at=kw.pop(
            "occurred_at", datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.UTC)
        ),
        kind=kw.pop("kind", EventKind.NOTE),
        title=title,
        source_agency=source,
        audience=audience,
        **kw,
    )


def token(u: User, days: int = 30) -> str:
    from datetime import timedelta

    from django.utils import timezone

    lookup, full = ApiToken.generate()
    ApiToken.objects.create(
        user=u,
        name="test",
        lookup=lookup,
        token_hash=hash_token(full),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return full
