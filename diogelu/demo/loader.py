"""Load the synthetic Glanrafon demo authority, from a fixed seed, idempotently.

Agencies, teams and users are matched on their codes and usernames; people on their local authority
reference. A second run adds nothing twice.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from diogelu.access.models import (
    Involvement,
    InvolvementReason,
    Part,
    RestrictedAccessGrant,
)
from diogelu.accounts.models import Agency, AgencyKind, RoleAssignment, Team, User
from diogelu.chronology.models import Audience, ChronologyEvent, EventKind
from diogelu.demo import data
from diogelu.people.models import (
    Address,
    Ethnicity,
    Language,
    NameKind,
    Person,
    PersonName,
    Relationship,
    RelationshipKind,
    Sex,
)
from diogelu.people.validators import upn_check_letter

SEED = 20261124
TODAY = datetime.date(2026, 11, 24)

Progress = Callable[[str], None]


@dataclass
class LoadResult:
    agencies: int = 0
    users: int = 0
    people: int = 0
    skipped_people: bool = False
    messages: list[str] = field(default_factory=list)


def nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the 999 range the NHS reserves for testing."""
    while True:
        body = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return body + str(check)


def upn(rng: random.Random) -> str:
    """A valid UPN for local authority number 999 (which no authority has)."""
    body = "999" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return upn_check_letter(body) + body


def load_agencies(result: LoadResult) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for spec in data.AGENCIES:
        agency, created = Agency.objects.get_or_create(
            code=spec["code"],
            defaults={"kind": spec["kind"], "name": spec["name"], "name_cy": spec["name_cy"]},
        )
        result.agencies += int(created)
        agencies[spec["code"]] = agency
    authority = agencies[data.AUTHORITY_CODE]
    for agency in agencies.values():
        if agency.kind != AgencyKind.LOCAL_AUTHORITY:
            agency.partner_of.add(authority)
    for code, name, is_mash in data.TEAMS:
        Team.objects.get_or_create(agency=agencies[code], name=name, defaults={"is_mash": is_mash})
    return agencies


def load_users(
    agencies: dict[str, Agency], result: LoadResult, password: str = data.DEMO_PASSWORD
) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, first, last, code, team_name, roles, title in data.USERS:
        agency = agencies[code]
        team = Team.objects.filter(agency=agency, name=team_name).first() if team_name else None
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.invalid",
                agency=agency,
                team=team,
                job_title=title,
            )
            user.set_password(password)
            user.save()
            result.users += 1
        for role in roles:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        users[username] = user
    return users


class FamilyMaker:
    """Makes households of adults and children with names, identifiers and relationships."""

    def __init__(self, rng: random.Random, authority: Agency) -> None:
        self.rng = rng
        self.authority = authority
        self.counter = 0

    def _ref(self) -> str:
        self.counter += 1
        return f"{data.REFERENCE_PREFIX}-{self.counter:06d}"

    def _child_name(self, sex: str, welsh: bool) -> str:
        if sex == Sex.FEMALE:
            pool = data.WELSH_GIVEN_FEMALE if welsh else data.ENGLISH_GIVEN_FEMALE
        else:
            pool = data.WELSH_GIVEN_MALE if welsh else data.ENGLISH_GIVEN_MALE
        return self.rng.choice(pool)

    def person(self, **fields: object) -> Person:
        person = Person(authority=self.authority, la_reference=self._ref(), **fields)
        person.save()
        return person

    def address(self, people: list[Person]) -> None:
        town, district = self.rng.choice(data.TOWNS)
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        inward = f"{self.rng.randint(1, 9)}{self.rng.choice(letters)}{self.rng.choice(letters)}"
        postcode = f"{district} {inward}"
        line = f"{self.rng.randint(1, 120)} {self.rng.choice(data.STREETS)}"
        moved_in = TODAY - datetime.timedelta(days=self.rng.randint(60, 3000))
        for person in people:
            Address.objects.create(
                person=person,
                line_1=line,
                town=town,
                county="Glanrafon",
                postcode=postcode,
                moved_in_on=moved_in,
            )

    def household(self) -> list[Person]:
        rng = self.rng
        family = rng.choice(data.FAMILY_NAMES)
        welsh = rng.random() < 0.45
        language = Language.WELSH if welsh and rng.random() < 0.6 else Language.ENGLISH
        mother = self.person(
            given_name=rng.choice(data.ADULT_FEMALE),
            family_name=family,
            date_of_birth=TODAY - datetime.timedelta(days=rng.randint(20 * 365, 45 * 365)),
            sex=Sex.FEMALE,
            preferred_language=language,
            ethnicity=rng.choice([Ethnicity.WHITE] * 8 + [Ethnicity.MIXED, Ethnicity.ASIAN]),
            nhs_number=nhs_number(rng),
        )
        adults = [mother]
        if rng.random() < 0.6:
            partner_family = family if rng.random() < 0.6 else rng.choice(data.FAMILY_NAMES)
            partner = self.person(
                given_name=rng.choice(data.ADULT_MALE),
                family_name=partner_family,
                date_of_birth=TODAY - datetime.timedelta(days=rng.randint(21 * 365, 50 * 365)),
                sex=Sex.MALE,
                preferred_language=language,
                ethnicity=mother.ethnicity,
                nhs_number=nhs_number(rng),
            )
            adults.append(partner)
        children: list[Person] = []
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
            sex = rng.choice([Sex.FEMALE, Sex.MALE])
            age_days = rng.randint(30, 17 * 365)
            born = TODAY - datetime.timedelta(days=age_days)
            child = self.person(
                given_name=self._child_name(sex, welsh),
                family_name=family,
                date_of_birth=born,
                sex=sex,
                preferred_language=language,
                ethnicity=mother.ethnicity,
                nhs_number=nhs_number(rng),
                upn=upn(rng) if age_days > 4 * 365 else "",
                disability=rng.choice(
                    ["", "", "", "", "Autism spectrum condition", "Hearing impairment"]
                ),
            )
            children.append(child)
        if rng.random() < 0.08:
            children.append(
                self.person(
                    given_name="",
                    family_name=family,
                    is_unborn=True,
                    expected_date_of_birth=TODAY + datetime.timedelta(days=rng.randint(20, 150)),
                    sex=Sex.NOT_KNOWN,
                    preferred_language=language,
                )
            )
        for child in children:
            Relationship.objects.create(
                person=child,
                relative=mother,
                kind=RelationshipKind.MOTHER,
                has_parental_responsibility=True,
                lives_with=True,
            )
            if len(adults) > 1:
                is_father = adults[1].family_name == family
                Relationship.objects.create(
                    person=child,
                    relative=adults[1],
                    kind=RelationshipKind.FATHER if is_father else RelationshipKind.PARENTS_PARTNER,
                    has_parental_responsibility=is_father,
                    lives_with=True,
                )
        for i, older in enumerate(children):
            for younger in children[i + 1 :]:
                Relationship.objects.create(
                    person=older, relative=younger, kind=RelationshipKind.SIBLING, lives_with=True
                )
        if rng.random() < 0.15 and children and children[0].given_name:
            nickname = {"Dafydd": "Dai", "Gwilym": "Gwil", "William": "Bill", "Thomas": "Tom"}
            given = children[0].given_name
            PersonName.objects.create(
                person=children[0],
                kind=NameKind.NICKNAME,
                given_name=nickname.get(given, given[:3]),
                family_name=family,
            )
        if len(adults) > 1 and adults[1].family_name != family and rng.random() < 0.5:
            PersonName.objects.create(
                person=mother,
                kind=NameKind.PREVIOUS,
                given_name=mother.given_name,
                family_name=rng.choice(data.FAMILY_NAMES),
            )
        self.address(adults + children)
        return adults + children


def _events(
    rng: random.Random, child: Person, agencies: dict[str, Agency], users: dict[str, User]
) -> None:
    now = timezone.now()
    la = agencies[data.AUTHORITY_CODE]
    specs = [
        (
            EventKind.SCHOOL,
            "Attendance below 80% this term",
            "ysgol-y-dderwen",
            Audience.ALL_INVOLVED,
        ),
        (
            EventKind.HEALTH,
            "Missed health visitor appointment",
            "glanrafon-health",
            Audience.ALL_INVOLVED,
        ),
        (
            EventKind.POLICE,
            "Domestic incident attended at home address",
            "dyffryn-police",
            Audience.SOURCE_AGENCY,
        ),
        (
            EventKind.CONTACT,
            "Contact from neighbour about shouting at night",
            data.AUTHORITY_CODE,
            Audience.LOCAL_AUTHORITY,
        ),
        (
            EventKind.NOTE,
            "Family support offered and accepted",
            data.AUTHORITY_CODE,
            Audience.ALL_INVOLVED,
        ),
    ]
    for kind, title, code, audience in rng.sample(specs, k=rng.randint(2, len(specs))):
        ChronologyEvent.objects.create(
            person=child,
            occurred_at=now
            - datetime.timedelta(days=rng.randint(3, 400), hours=rng.randint(0, 12)),
            kind=kind,
            title=title,
            source_agency=agencies.get(code, la),
            recorded_by=None,
            audience=audience,
            is_significant=kind == EventKind.POLICE,
        )


@transaction.atomic
def load_demo(
    households: int = 135, progress: Progress | None = None, password: str = data.DEMO_PASSWORD
) -> LoadResult:
    """Load the demo authority. Safe to run again: nothing is added twice. New demo accounts get
    ``password`` (the published one unless the command chose a random one)."""
    say = progress or (lambda _msg: None)
    result = LoadResult()
    rng = random.Random(SEED)
    agencies = load_agencies(result)
    say(f"Agencies: {len(agencies)} ({result.agencies} new)")
    users = load_users(agencies, result, password)
    say(f"Users: {len(users)} ({result.users} new)")
    authority = agencies[data.AUTHORITY_CODE]
    if Person.objects.filter(la_reference__startswith=f"{data.REFERENCE_PREFIX}-").exists():
        result.skipped_people = True
        say("People: already loaded, nothing added")
        # A demo loaded before the registered child existed gets it (once) on the next run.
        result.messages.extend(_load_conference_case(authority, agencies, users, say))
        result.messages.extend(_load_oversight_case(authority, agencies, users))
        result.messages.extend(_load_audit_case(authority, users))
        result.messages.extend(_load_exploitation_case(authority, agencies, users))
        return result
    maker = FamilyMaker(rng, authority)
    households_made: list[list[Person]] = []
    for i in range(households):
        households_made.append(maker.household())
        if (i + 1) % 20 == 0 or i + 1 == households:
            say(f"People: {maker.counter} in {i + 1}/{households} households")
    result.people = maker.counter
    _involve(rng, households_made, agencies, users, result)
    say("Involvements, chronology and a restricted record: done")
    from diogelu.demo.casework import load_casework

    mothers = [h[0] for h in households_made[2:] if not h[0].is_restricted]
    result.messages.extend(load_casework(authority, agencies, users, mothers))
    say("Reports at each stage of the MASH workflow: done")
    result.messages.extend(_load_conference_case(authority, agencies, users, say))
    result.messages.extend(_load_oversight_case(authority, agencies, users))
    from diogelu.demo.measures_case import load_measures_case

    result.messages.extend(load_measures_case(authority, agencies, users))
    result.messages.extend(_load_audit_case(authority, users))
    result.messages.extend(_load_exploitation_case(authority, agencies, users))
    return result


def _load_audit_case(authority: Agency, users: dict[str, User]) -> list[str]:
    from diogelu.demo.audit_case import load_audit_case

    return load_audit_case(authority, users)


def _load_exploitation_case(
    authority: Agency, agencies: dict[str, Agency], users: dict[str, User]
) -> list[str]:
    from diogelu.demo.exploitation_case import load_exploitation_case

    return load_exploitation_case(authority, agencies, users)


def _load_oversight_case(
    authority: Agency, agencies: dict[str, Agency], users: dict[str, User]
) -> list[str]:
    from diogelu.demo.oversight_case import load_oversight_case

    return load_oversight_case(authority, agencies, users)


def _load_conference_case(
    authority: Agency, agencies: dict[str, Agency], users: dict[str, User], say: Progress
) -> list[str]:
    from diogelu.demo.conference_case import load_conference_case

    made = load_conference_case(authority, agencies, users)
    if made:
        say("A registered child with a conference, plan, core group and visits: done")
    from diogelu.demo.daily_casework import load_daily_casework

    return made + load_daily_casework(authority, users)


def _involve(
    rng: random.Random,
    households: list[list[Person]],
    agencies: dict[str, Agency],
    users: dict[str, User],
    result: LoadResult,
) -> None:
    recorder = users["mash.practitioner"]
    schools = ["ysgol-y-dderwen", "afonwen-primary", "glanrafon-high"]
    for index, household in enumerate(households):
        children = [p for p in household if p.upn or p.is_unborn or (p.age_on(TODAY) or 99) < 18]
        if not children:
            continue
        if index % 3 == 0:
            for child in children:
                if child.upn:
                    age = child.age_on(TODAY) or 0
                    school = agencies[schools[index % 2] if age < 11 else schools[2]]
                    Involvement.objects.create(
                        person=child,
                        agency=school,
                        reason=InvolvementReason.EDUCATION_PROVIDER,
                        parts=[Part.SUMMARY, Part.CHRONOLOGY],
                        recorded_by=recorder,
                    )
                _events(rng, child, agencies, users)
        if index % 4 == 0:
            for child in children:
                Involvement.objects.create(
                    person=child,
                    agency=agencies["dyffryn-police"],
                    reason=InvolvementReason.ASKED_FOR_INFORMATION,
                    parts=[Part.SUMMARY, Part.FAMILY, Part.CHRONOLOGY],
                    recorded_by=recorder,
                )
        if index % 5 == 0:
            for child in children:
                Involvement.objects.create(
                    person=child,
                    agency=agencies["glanrafon-health"],
                    user=users["health.visitor"],
                    reason=InvolvementReason.HEALTH_PROVIDER,
                    parts=[Part.SUMMARY, Part.CHRONOLOGY],
                    recorded_by=recorder,
                )
    # The first household's eldest child is a known, worked example across every agency.
    showcase = next(p for h in households[2:] for p in h if p.upn)
    if not showcase.chronology.exists():
        _events(rng, showcase, agencies, users)
    for code in ("ysgol-y-dderwen", "dyffryn-police"):
        if not Involvement.objects.filter(person=showcase, agency=agencies[code]).exists():
            Involvement.objects.create(
                person=showcase,
                agency=agencies[code],
                reason=InvolvementReason.REPORTER,
                parts=[Part.SUMMARY, Part.CHRONOLOGY],
                recorded_by=recorder,
            )
    # A restricted record: a child related to a member of staff.
    restricted_household = households[1]
    for person in restricted_household:
        Person.objects.filter(pk=person.pk).update(is_restricted=True)
        RestrictedAccessGrant.objects.create(
            person=person,
            user=users["team.manager"],
            granted_by=users["head.of.service"],
            reason="Family member of a Glanrafon children's services employee",
        )
    result.messages.append(f"Showcase child: {showcase.la_reference}")
    result.messages.append(f"Restricted household: {restricted_household[0].la_reference} …")
