"""Personas (after healthchecks and STYLE.md): who is who around one child.

* ``social_worker`` and ``manager`` — staff of the child's local authority.
* ``police_officer`` and ``school_lead`` — partner agencies involved with the child.
* ``health_practitioner`` — a partner agency user who was never involved.
* ``other_la_worker`` — a social worker of another local authority.
* anonymous — the plain ``client``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from diogelu.access.models import Part
from diogelu.accounts.models import Agency, AgencyKind, Role, User
from diogelu.chronology.models import Audience
from diogelu.people.models import Person, RelationshipKind
from tests import factories as f


@dataclass
class World:
    authority: Agency
    other_authority: Agency
    police: Agency
    school: Agency
    health: Agency
    social_worker: User
    manager: User
    mash: User
    police_officer: User
    school_lead: User
    health_practitioner: User
    other_la_worker: User
    child: Person
    sibling: Person
    mother: Person
    other_child: Person

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def world(db: None) -> World:
    authority = f.agency(AgencyKind.LOCAL_AUTHORITY, "Glanrafon Children's Services")
    other = f.agency(AgencyKind.LOCAL_AUTHORITY, "Aberdewi Children's Services")
    police = f.agency(AgencyKind.POLICE, "Dyffryn Police")
    school = f.agency(AgencyKind.SCHOOL, "Ysgol y Dderwen")
    health = f.agency(AgencyKind.HEALTH, "Glanrafon Health Board")
    for partner in (police, school, health):
        partner.partner_of.add(authority)
    child = f.person(
        authority, given_name="Siân", family_name="Prydderch", nhs_number="9990000018", upn=""
    )
    sibling = f.person(authority, given_name="Dafydd", family_name="Prydderch")
    mother = f.person(authority, given_name="Rhian", family_name="Prydderch", date_of_birth=None)
    f.address(child, "CF31 4AB")
    f.relate(child, mother, RelationshipKind.MOTHER, has_parental_responsibility=True)
    f.relate(child, sibling, RelationshipKind.SIBLING)
    f.involve(child, police, [Part.SUMMARY, Part.FAMILY, Part.CHRONOLOGY])
    f.involve(child, school, [Part.SUMMARY, Part.CHRONOLOGY])
    f.event(child, authority, Audience.LOCAL_AUTHORITY, "LA only note")
    f.event(child, police, Audience.SOURCE_AGENCY, "Police intelligence")
    f.event(child, school, Audience.ALL_INVOLVED, "Attendance concern")
    other_child = f.person(other, given_name="Osian", family_name="Beynon")
    return World(
        authority=authority,
        other_authority=other,
        police=police,
        school=school,
        health=health,
        social_worker=f.user(authority, Role.SOCIAL_WORKER, username="sw"),
        manager=f.user(authority, Role.TEAM_MANAGER, username="manager"),
        mash=f.user(authority, Role.MASH_PRACTITIONER, username="mash"),
        police_officer=f.user(police, Role.POLICE_OFFICER, username="police"),
        school_lead=f.user(school, Role.SCHOOL_DSP, username="school"),
        health_practitioner=f.user(health, Role.HEALTH_PRACTITIONER, username="health"),
        other_la_worker=f.user(other, Role.SOCIAL_WORKER, username="otherla"),
        child=child,
        sibling=sibling,
        mother=mother,
        other_child=other_child,
    )
