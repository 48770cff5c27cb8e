"""The fictional Glanrafon County Borough: its agencies, staff and names. Never real people.

NHS numbers come from the 999 range, which the NHS reserves for testing; UPNs use local authority
number 999, which no authority has.
"""

from __future__ import annotations

from diogelu.accounts.models import AgencyKind, Role

DEMO_PASSWORD = "Diogelu-demo-2026"  # noqa: S105 - published demo password for synthetic users
AUTHORITY_CODE = "glanrafon"
REFERENCE_PREFIX = "GLN"

AGENCIES: list[dict[str, str]] = [
    {
        "code": AUTHORITY_CODE,
        "kind": AgencyKind.LOCAL_AUTHORITY,
        "name": "Glanrafon County Borough Council Children's Services",
        "name_cy": "Gwasanaethau Plant Cyngor Bwrdeistref Sirol Glanrafon",
    },
    {
        "code": "dyffryn-police",
        "kind": AgencyKind.POLICE,
        "name": "Dyffryn Police",
        "name_cy": "Heddlu Dyffryn",
    },
    {
        "code": "glanrafon-health",
        "kind": AgencyKind.HEALTH,
        "name": "Glanrafon University Health Board",
        "name_cy": "Bwrdd Iechyd Prifysgol Glanrafon",
    },
    {
        "code": "ysgol-y-dderwen",
        "kind": AgencyKind.SCHOOL,
        "name": "Ysgol Gynradd y Dderwen",
        "name_cy": "Ysgol Gynradd y Dderwen",
    },
    {
        "code": "afonwen-primary",
        "kind": AgencyKind.SCHOOL,
        "name": "Afonwen Primary School",
        "name_cy": "Ysgol Gynradd Afonwen",
    },
    {
        "code": "glanrafon-high",
        "kind": AgencyKind.SCHOOL,
        "name": "Glanrafon High School",
        "name_cy": "Ysgol Uwchradd Glanrafon",
    },
    {
        "code": "glanrafon-yjs",
        "kind": AgencyKind.YOUTH_JUSTICE,
        "name": "Glanrafon Youth Justice Service",
        "name_cy": "Gwasanaeth Cyfiawnder Ieuenctid Glanrafon",
    },
]

TEAMS: list[tuple[str, str, bool]] = [
    (AUTHORITY_CODE, "MASH", True),
    (AUTHORITY_CODE, "North Locality Team", False),
    (AUTHORITY_CODE, "South Locality Team", False),
    (AUTHORITY_CODE, "Safeguarding and Quality", False),
    ("dyffryn-police", "Public Protection Unit", True),
    ("glanrafon-health", "Safeguarding Children Team", True),
]

# username, first, last, agency code, team, roles, job title
USERS: list[tuple[str, str, str, str, str, list[str], str]] = [
    ("mash.practitioner", "Ffion", "Prydderch", AUTHORITY_CODE, "MASH", [Role.MASH_PRACTITIONER], "MASH social worker"),
    ("mash.manager", "Gareth", "Llewelyn", AUTHORITY_CODE, "MASH", [Role.TEAM_MANAGER], "MASH team manager"),
    ("social.worker", "Nia", "Pritchard", AUTHORITY_CODE, "North Locality Team", [Role.SOCIAL_WORKER], "Social worker"),
    ("social.worker2", "Owain", "Bevan", AUTHORITY_CODE, "South Locality Team", [Role.SOCIAL_WORKER], "Social worker (agency)"),
    ("team.manager", "Carys", "Huws", AUTHORITY_CODE, "North Locality Team", [Role.TEAM_MANAGER], "Team manager"),
    ("conference.chair", "Bethan", "Rowlands", AUTHORITY_CODE, "Safeguarding and Quality", [Role.CONFERENCE_CHAIR], "Independent conference chair"),
    ("head.of.service", "Rhodri", "Gwynfor", AUTHORITY_CODE, "Safeguarding and Quality", [Role.HEAD_OF_SERVICE], "Head of children's services"),
    ("auditor", "Eluned", "Parry", AUTHORITY_CODE, "Safeguarding and Quality", [Role.AUDITOR], "Quality assurance officer"),
    ("ig.lead", "Meirion", "Tudur", AUTHORITY_CODE, "Safeguarding and Quality", [Role.IG_LEAD], "Information governance lead"),
    ("admin", "Sioned", "Caradog", AUTHORITY_CODE, "", [Role.ADMINISTRATOR], "System administrator"),
    ("police.officer", "Dylan", "Harries", "dyffryn-police", "Public Protection Unit", [Role.POLICE_OFFICER], "Detective constable"),
    ("police.officer2", "Hannah", "Mostyn", "dyffryn-police", "Public Protection Unit", [Role.POLICE_OFFICER], "Police sergeant"),
    ("health.visitor", "Angharad", "Vaughan", "glanrafon-health", "Safeguarding Children Team", [Role.HEALTH_PRACTITIONER], "Health visitor"),
    ("health.nurse", "Lowri", "Maddocks", "glanrafon-health", "Safeguarding Children Team", [Role.HEALTH_PRACTITIONER], "Named nurse for safeguarding"),
    ("school.dsp", "Iestyn", "Penry", "ysgol-y-dderwen", "", [Role.SCHOOL_DSP], "Designated safeguarding person"),
    ("school.dsp2", "Catrin", "Lloyd-Rees", "afonwen-primary", "", [Role.SCHOOL_DSP], "Designated safeguarding person"),
    ("school.dsp3", "Aled", "Mathias", "glanrafon-high", "", [Role.SCHOOL_DSP], "Head of year and DSP"),
    ("yjs.worker", "Tomos", "Eynon", "glanrafon-yjs", "", [Role.PARTNER_PRACTITIONER], "Youth justice officer"),
    ("mash.practitioner2", "Mared", "Gethin", AUTHORITY_CODE, "MASH", [Role.MASH_PRACTITIONER], "MASH social worker (agency)"),
    ("chair.manager", "Hywel", "Bowen", AUTHORITY_CODE, "Safeguarding and Quality", [Role.CONFERENCE_CHAIR, Role.TEAM_MANAGER], "Safeguarding service manager"),
]

# What each role can do, for the README and the sign-in help.
ROLE_SUMMARY: dict[str, str] = {
    "mash.practitioner": "MASH practitioner: searches and reads every unrestricted child of Glanrafon",
    "mash.manager": "Team manager: as above, plus each record's access log",
    "social.worker": "Social worker: reads the authority's children",
    "team.manager": "Team manager: reads children and access logs; named on a restricted record",
    "conference.chair": "Conference chair",
    "head.of.service": "Head of service: reads children and access logs",
    "auditor": "Auditor: reads children and access logs",
    "ig.lead": "Information governance lead: reviews break-glass access; reads access logs",
    "admin": "Administrator: manages agencies and users",
    "police.officer": "Police officer: sees only children Dyffryn Police is involved with",
    "health.visitor": "Health practitioner: sees only children the health board is involved with",
    "health.nurse": "Health practitioner with no involvements: sees nobody",
    "school.dsp": "School DSP (Ysgol y Dderwen): sees only its pupils it is involved with",
}

WELSH_GIVEN_FEMALE = [
    "Cerys", "Seren", "Megan", "Ffion", "Lowri", "Mali", "Elin", "Nia", "Alaw", "Erin",
    "Gwen", "Heledd", "Manon", "Non", "Tegan", "Eira", "Lili", "Cadi", "Efa", "Siân",
]
WELSH_GIVEN_MALE = [
    "Osian", "Rhys", "Dafydd", "Tomos", "Ioan", "Gethin", "Iwan", "Cai", "Harri", "Llŷr",
    "Macsen", "Gruffudd", "Elis", "Siôn", "Deio", "Twm", "Morgan", "Emyr", "Gwilym", "Aled",
]
ENGLISH_GIVEN_FEMALE = [
    "Olivia", "Amelia", "Isla", "Ava", "Ella", "Grace", "Lily", "Freya", "Ruby", "Evie",
    "Chloe", "Sophie", "Jessica", "Holly", "Ellie", "Poppy", "Daisy", "Millie", "Zara", "Leah",
]
ENGLISH_GIVEN_MALE = [
    "Oliver", "Jack", "Harry", "Charlie", "Jacob", "Thomas", "George", "Noah", "Oscar", "Leo",
    "Alfie", "Freddie", "Theo", "Archie", "Mason", "Logan", "Kai", "Ethan", "Liam", "Dylan",
]
ADULT_FEMALE = [
    "Rhian", "Sian", "Catrin", "Bethan", "Ceri", "Gemma", "Kelly", "Emma", "Sarah", "Lisa",
    "Rachel", "Nicola", "Donna", "Leanne", "Samantha", "Carys", "Angharad", "Delyth", "Hayley", "Stacey",
]
ADULT_MALE = [
    "Gareth", "Rhodri", "Huw", "Dai", "Steffan", "Wayne", "Craig", "Lee", "Darren", "Mark",
    "Jason", "Ryan", "Gavin", "Carwyn", "Geraint", "Emlyn", "Neil", "Paul", "Scott", "Dean",
]
FAMILY_NAMES = [
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Lewis", "Hughes", "Morgan",
    "Griffiths", "Edwards", "Owen", "Price", "Jenkins", "Rees", "Phillips", "James", "Powell",
    "Watkins", "Pugh", "Bowen", "Howells", "Llewellyn", "Pritchard", "Vaughan", "Meredith",
    "ap Dafydd", "O'Neill", "Smith", "Taylor", "Walker", "Cooper", "Ward", "Hopkins", "Mathias",
    "Parry-Jones", "Gwynne", "Tudor", "Probert", "Beynon",
]
STREETS = [
    "Heol y Nant", "Ffordd yr Afon", "Maes y Coed", "Stryd Fawr", "Clos Derwen", "Lôn Las",
    "Station Road", "Church Street", "Park View", "Hillside Terrace", "Brynteg Avenue",
    "Cae Glas", "Ger y Llan", "Tŷ Gwyn Close", "Gwaun Road", "Coedcae Lane",
]
TOWNS = [("Glanrafon", "CF31"), ("Pentre Afon", "CF32"), ("Cwm Derwen", "CF34"), ("Porth Tywyn", "CF36")]
