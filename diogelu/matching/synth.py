"""A synthetic Welsh population with ground truth, for tests and benchmarks. Never real people.

Households of parents and children (siblings, twins, a parent and child sharing a name, a
step-parent, a mother's new surname) are generated from a fixed seed; each person is then recorded
by one or more agencies, each with its own habits: the police type a nickname and swap day and
month, health records carry the NHS number and the register's "Baby" record, schools carry the
unique pupil number and the name the child is known by, and the legacy social-care system has
gaps, placeholder dates and old addresses.

The names are common Welsh and English first names and surnames drawn at random: any resemblance
of a generated person to a real one is chance.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Sequence

from diogelu.matching.names import GIVEN_NAME_GROUPS_SOURCE, curated_given_names_equivalent
from diogelu.matching.normalise import fold, upn_check_letter
from diogelu.matching.record import Record

BOYS = [
    "Dafydd",
    "Rhys",
    "Siôn",
    "Gwilym",
    "Osian",
    "Ioan",
    "Gethin",
    "Tomos",
    "Harri",
    "Iwan",
    "Cai",
    "Dylan",
    "Owain",
    "Llŷr",
    "Elis",
    "Huw",
    "Aled",
    "Steffan",
    "Morgan",
    "Emyr",
    "Rhodri",
    "Macsen",
    "Tristan",
    "Ifan",
    "Jac",
    "Lewis",
    "Evan",
    "Gruffudd",
    "Hywel",
    "Iestyn",
    "Oliver",
    "Jack",
    "Harry",
    "Noah",
    "George",
    "Charlie",
    "Jacob",
    "Alfie",
    "Freddie",
    "Oscar",
    "Leo",
    "Thomas",
    "James",
    "William",
    "Joshua",
    "Daniel",
    "Samuel",
    "Joseph",
    "Benjamin",
    "Max",
    "Riley",
    "Archie",
    "Henry",
    "Ethan",
    "Mason",
    "Logan",
    "Tyler",
    "Callum",
    "Kieran",
    "Liam",
    "Connor",
    "Luke",
    "Ryan",
    "Nathan",
    "Matthew",
    "David",
    "John",
    "Michael",
    "Robert",
    "Christopher",
    "Andrew",
]
GIRLS = [
    "Elin",
    "Siân",
    "Cerys",
    "Ffion",
    "Megan",
    "Carys",
    "Seren",
    "Alys",
    "Mali",
    "Nia",
    "Lowri",
    "Catrin",
    "Gwen",
    "Eira",
    "Mabli",
    "Efa",
    "Hanna",
    "Lili",
    "Swyn",
    "Heledd",
    "Angharad",
    "Bethan",
    "Rhiannon",
    "Sioned",
    "Manon",
    "Non",
    "Anwen",
    "Eleri",
    "Tegan",
    "Nel",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Evie",
    "Poppy",
    "Ella",
    "Emily",
    "Charlotte",
    "Ruby",
    "Chloe",
    "Jessica",
    "Sophie",
    "Holly",
    "Amber",
    "Leah",
    "Katie",
    "Lauren",
    "Hannah",
    "Sarah",
    "Emma",
    "Rebecca",
    "Laura",
    "Rachel",
    "Nicola",
    "Claire",
    "Helen",
    "Elizabeth",
    "Catherine",
    "Margaret",
    "Jane",
    "Susan",
    "Joanne",
]
SURNAMES: tuple[tuple[str, int], ...] = tuple(
    (name, int(weight))
    for name, weight in (
        item.split(":")
        for item in [
            "Jones:570",
            "Williams:400",
            "Davies:380",
            "Evans:270",
            "Thomas:250",
            "Roberts:160",
            "Hughes:140",
            "Lewis:130",
            "Morgan:120",
            "Griffiths:110",
            "Edwards:100",
            "Rees:90",
            "Jenkins:90",
            "Price:80",
            "Phillips:80",
            "Lloyd:70",
            "Owen:70",
            "James:70",
            "Parry:60",
            "Powell:60",
            "Morris:60",
            "Watkins:50",
            "Harris:50",
            "Richards:50",
            "Smith:100",
            "Brown:50",
            "Taylor:50",
            "Wilson:40",
            "Walker:30",
            "Johnson:30",
            "Wright:30",
            "Green:30",
            "Hall:30",
            "Wood:30",
            "Clarke:30",
            "Baker:30",
            "Pritchard:30",
            "Bowen:30",
            "Pugh:30",
            "Vaughan:25",
            "Howells:25",
            "Jenkin:10",
            "Prosser:15",
            "Prydderch:5",
            "Llywelyn:10",
            "Gruffydd:10",
            "Bevan:20",
            "Meredith:20",
            "Probert:15",
            "Gwynne:10",
            "Ellis:30",
            "Mathias:15",
            "Gibbs:15",
            "Matthews:40",
            "Mason:20",
            "Murphy:25",
            "Kelly:20",
            "Khan:25",
            "Ahmed:20",
            "Ali:20",
            "Begum:15",
            "Kowalski:10",
            "Nowak:10",
            "Santos:8",
            "Silva:8",
            "O'Neill:15",
            "O'Brien:15",
            "Fitzgerald:10",
            "McCarthy:10",
            "Ap-Rhys:3",
            "Wyn:8",
            "Glyn:8",
            "Tudor:10",
            "Beynon:15",
            "Gealy:5",
            "Trehearne:3",
        ]
    )
)
STREETS = [
    "Heol y Bont",
    "Heol Fawr",
    "Ffordd y Llan",
    "Stryd Fawr",
    "Heol y Parc",
    "Lôn Glan",
    "Heol Pen y Bryn",
    "Station Road",
    "Church Street",
    "High Street",
    "Park View",
    "Mill Lane",
    "Victoria Road",
    "Bridge Street",
    "Castle Street",
    "New Road",
    "Chapel Street",
    "Heol Tir Du",
    "Maes y Coed",
    "Cwrt y Felin",
    "Ael y Bryn",
    "Clos Cae Mawr",
    "Teras Bethel",
    "Windsor Road",
    "Oakfield Avenue",
    "Brynglas",
    "Pant y Celyn",
]
AREAS = (
    ("CF", 99, 60),
    ("SA", 73, 30),
    ("NP", 44, 20),
    ("LL", 78, 25),
    ("SY", 25, 8),
    ("LD", 8, 4),
    ("CH", 8, 6),
)

AGENCIES = ("police", "health", "school", "social_care")


@dataclasses.dataclass(slots=True)
class Person:
    """A generated person: the truth the records are made from."""

    person_id: str
    household: int
    role: str  # "parent" or "child"
    given: str
    middle: str
    family: str
    previous_family: str
    dob: dt.date
    sex: str
    nhs: str
    upn: str
    postcode: str
    address: str
    old_postcode: str
    old_address: str
    twin_of: str = ""
    unborn: bool = False


@dataclasses.dataclass(slots=True)
class Population:
    """Records with their truth (``truth[i]`` is the person id of ``records[i]``)."""

    people: list[Person]
    records: list[Record]
    truth: list[str]
    sources: list[str]

    def hard_negative_pairs(self) -> dict[str, list[tuple[str, str]]]:
        """Person-id pairs that must never merge: twins, siblings, and a parent and child who
        share a first name."""
        out: dict[str, list[tuple[str, str]]] = {"twins": [], "siblings": [], "parent_child": []}
        households: dict[int, list[Person]] = {}
        for p in self.people:
            households.setdefault(p.household, []).append(p)
        for members in households.values():
            children = [p for p in members if p.role == "child"]
            parents = [p for p in members if p.role == "parent"]
            for i, a in enumerate(children):
                for b in children[i + 1 :]:
                    kind = "twins" if a.twin_of == b.person_id else "siblings"
                    out[kind].append((a.person_id, b.person_id))
                for parent in parents:
                    if fold(parent.given) == fold(a.given):
                        out["parent_child"].append((parent.person_id, a.person_id))
        return out


class _Maker:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        names, weights = zip(*SURNAMES, strict=True)
        self.surnames: list[str] = list(names)
        self.cum = self._cumulative(weights)
        self.variants: dict[str, list[str]] = {}
        for group in GIVEN_NAME_GROUPS_SOURCE:
            for name in group:
                self.variants.setdefault(fold(name), []).extend(
                    n for n in group if fold(n) != fold(name)
                )
        self.serial = 0

    @staticmethod
    def _cumulative(weights: Sequence[int]) -> list[int]:
        out, total = [], 0
        for w in weights:
            total += w
            out.append(total)
        return out

    def surname(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self.cum)[0]

    def given(self, sex: str) -> str:
        return self.rng.choice(BOYS if sex == "m" else GIRLS)

    def nhs(self) -> str:
        while True:
            body = f"{self.rng.randrange(400_000_000, 999_999_999):09d}"
            total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
            check = (11 - total % 11) % 11
            if check != 10:
                return body + str(check)

    def upn(self) -> str:
        self.serial += 1
        body = f"{self.rng.choice((660, 661, 662, 663, 670, 672, 673, 674, 676, 677)):03d}"
        body += f"{self.rng.randrange(1000, 9999):04d}{self.rng.randrange(10, 25):02d}"
        body += f"{self.serial % 1000:03d}"
        return upn_check_letter(body) + body

    def place(self) -> tuple[str, str]:
        area, districts, _ = self.rng.choice(AREAS)
        district = self.rng.randrange(1, districts + 1)
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        postcode = (
            f"{area}{district} {self.rng.randrange(1, 10)}"
            f"{self.rng.choice(letters)}{self.rng.choice(letters)}"
        )
        address = f"{self.rng.randrange(1, 120)} {self.rng.choice(STREETS)}"
        return postcode, address

    def date(self, youngest: int, oldest: int) -> dt.date:
        days = self.rng.randrange(youngest * 365, oldest * 365 + 1)
        return self.today - dt.timedelta(days=days)


def _clashes(name: str, taken: set[str]) -> bool:
    """Parents do not give two children the same name, or two forms of one name."""
    return any(curated_given_names_equivalent(name, other) for other in taken)


def _household(mk: _Maker, hid: int, people: list[Person]) -> None:
    rng = mk.rng
    postcode, address = mk.place()
    moved = rng.random() < 0.25
    old_postcode, old_address = mk.place() if moved else (postcode, address)
    family = mk.surname()
    mother_previous = mk.surname() if rng.random() < 0.6 else ""
    parents: list[Person] = []
    mother_dob = mk.date(19, 50)

    def person(role: str, given: str, fam: str, prev: str, dob: dt.date, sex: str) -> Person:
        p = Person(
            person_id=f"P{len(people):07d}",
            household=hid,
            role=role,
            given=given,
            middle=mk.given(sex) if rng.random() < 0.5 else "",
            family=fam,
            previous_family=prev,
            dob=dob,
            sex=sex,
            nhs=mk.nhs(),
            upn="",
            postcode=postcode,
            address=address,
            old_postcode=old_postcode,
            old_address=old_address,
        )
        people.append(p)
        return p

    parents.append(person("parent", mk.given("f"), family, mother_previous, mother_dob, "f"))
    if rng.random() < 0.7:
        father_dob = mother_dob - dt.timedelta(days=rng.randrange(-3 * 365, 8 * 365))
        father = person("parent", mk.given("m"), family, "", father_dob, "m")
        parents.append(father)
    step_family = ""
    if rng.random() < 0.12:  # a step-father whose surname the children may be known by
        step_family = mk.surname()
        person("parent", mk.given("m"), step_family, "", mk.date(20, 55), "m")
    n_children = rng.choices((1, 2, 3, 4, 5), weights=(30, 35, 20, 10, 5))[0]
    taken = {fold(p.given) for p in parents}
    for _ in range(n_children):
        sex = rng.choice("mf")
        dob = mk.date(0, 17)
        if dob < mother_dob + dt.timedelta(days=16 * 365):
            dob = mother_dob + dt.timedelta(days=rng.randrange(16 * 365, 19 * 365))
        if dob > mk.today:
            dob = mk.today - dt.timedelta(days=rng.randrange(0, 300))
        given = mk.given(sex)
        while _clashes(given, taken):  # no two children of a family share a first name
            given = mk.given(sex)
        if rng.random() < 0.03 and len(parents) > 1 and sex == "m":
            given = parents[1].given  # a son named after his father
        taken.add(fold(given))
        child = person("child", given, family, step_family, dob, sex)
        if dob < mk.today - dt.timedelta(days=4 * 365):
            child.upn = mk.upn()
        if rng.random() < 0.015:
            child.unborn = True
            child.dob = mk.today + dt.timedelta(days=rng.randrange(10, 200))
        if rng.random() < 0.035:  # twins
            twin_sex = rng.choice("mf")
            twin_given = mk.given(twin_sex)
            while _clashes(twin_given, taken):
                twin_given = mk.given(twin_sex)
            taken.add(fold(twin_given))
            twin = person("child", twin_given, family, step_family, child.dob, twin_sex)
            twin.upn = mk.upn() if child.upn else ""
            twin.twin_of, child.twin_of = child.person_id, twin.person_id


# --- corruption ----------------------------------------------------------------------------

_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + rng.choice(_KEYBOARD) + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + rng.choice(_KEYBOARD) + text[i:]
    if i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text


def _case(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.15:
        return text.upper()
    if roll < 0.25:
        return text.lower()
    if roll < 0.3:
        return fold(text).title()  # accents dropped: Sian for Siân
    return text


def _record(mk: _Maker, p: Person, agency: str, rid: str) -> Record:
    rng = mk.rng
    r = rng.random
    given = p.given
    family = p.family
    other: list[str] = []
    if p.middle and r() < 0.6:
        given = f"{given} {p.middle}"
    rate = {"police": 0.25, "health": 0.08, "school": 0.1, "social_care": 0.18}[agency]
    if r() < rate * 0.6 and fold(p.given) in mk.variants:
        given = rng.choice(mk.variants[fold(p.given)])
    if r() < rate * 0.5:
        given = _typo(rng, given)
    if r() < rate * 0.4:
        family = _typo(rng, family)
    if p.previous_family:
        if p.role == "parent" and r() < 0.3:
            family = p.previous_family
        elif p.role == "child" and r() < 0.25:
            family = p.previous_family  # known by the step-parent's surname
        if r() < 0.4:
            other.append(p.previous_family if family == p.family else p.family)
    if r() < 0.03:
        family = f"{family}-{mk.surname()}"
    dob: dt.date = p.dob
    if r() < rate * 0.3:
        swapped = dt.date(dob.year, dob.day, dob.month) if dob.day <= 12 else dob
        dob = swapped if swapped != dob else dob + dt.timedelta(days=rng.choice((1, -1, 10)))
    elif r() < rate * 0.3:
        try:
            dob = dob.replace(year=dob.year + rng.choice((1, -1)))
        except ValueError:
            dob = dob + dt.timedelta(days=365)
    elif agency == "social_care" and r() < 0.05:
        dob = dob.replace(month=1, day=1)
    postcode, address = p.postcode, p.address
    if r() < (0.5 if agency == "social_care" else 0.2):
        postcode, address = p.old_postcode, p.old_address
    if r() < rate * 0.2:
        postcode = _typo(rng, postcode)
    if r() < 0.2:
        address = address.replace("Road", "Rd").replace("Street", "St")
    sex: str | None = p.sex if r() > 0.03 else None
    nhs = p.nhs if (agency == "health" and r() < 0.97) or r() < 0.35 else None
    if nhs and r() < 0.01:
        nhs = nhs[:9] + str((int(nhs[9]) + 1) % 10)  # a typo the check digit catches
    upn = p.upn if p.upn and (agency == "school" and r() < 0.95) else None
    if p.unborn:
        given = "Baby" if r() < 0.5 else "Unborn"
        sex = None
        upn = None
    # Agency-specific gaps.
    missing = {"police": 0.15, "health": 0.05, "school": 0.05, "social_care": 0.25}[agency]
    return Record(
        record_id=rid,
        given_name=None if r() < missing * 0.1 else _case(rng, given),
        family_name=None if r() < missing * 0.1 else _case(rng, family),
        other_names=tuple(other),
        date_of_birth=None if r() < missing * 0.5 else dob,
        sex=sex if r() > missing else None,
        postcode=None if r() < missing else postcode,
        address=None if r() < missing * 1.5 else address,
        nhs_number=nhs,
        upn=upn,
    )


def generate(
    n_records: int, seed: int = 20260101, today: dt.date = dt.date(2026, 1, 1)
) -> Population:
    """About ``n_records`` records (exactly that many) of a synthetic population."""
    mk = _Maker(seed, today)
    rng = mk.rng
    people: list[Person] = []
    records: list[Record] = []
    truth: list[str] = []
    sources: list[str] = []
    hid = 0
    cursor = 0
    while len(records) < n_records:
        if cursor >= len(people):
            _household(mk, hid, people)
            hid += 1
            continue
        p = people[cursor]
        cursor += 1
        n = rng.choices((1, 2, 3, 4, 5), weights=(45, 25, 15, 10, 5))[0]
        if p.role == "parent":
            n = max(1, n - 1)
        for k in range(n):
            agency = AGENCIES[0] if k == 0 and p.role == "parent" else rng.choice(AGENCIES)
            rid = f"R{len(records):08d}"
            records.append(_record(mk, p, agency, rid))
            truth.append(p.person_id)
            sources.append(agency)
            if len(records) >= n_records:
                break
    used = set(truth)
    return Population([p for p in people if p.person_id in used], records, truth, sources)


def generate_people(
    n_people: int, seed: int = 20260101, today: dt.date = dt.date(2026, 1, 1)
) -> list[Person]:
    """At least ``n_people`` people in whole households (the truth, without the agencies'
    records): for a synthetic authority (``manage.py load_synthetic``)."""
    mk = _Maker(seed, today)
    people: list[Person] = []
    hid = 0
    while len(people) < n_people:
        _household(mk, hid, people)
        hid += 1
    return people
