"""A held-out probe: a UK population that our own generator (``diogelu.matching.synth``) did not
make, matched by ours through the CLI's path and by Splink with its recipes for the synthetic
population (issue 16: "the CLI with defaults on held-out data sets that are not named here").

Households drawn with Faker's ``en_GB`` provider (names, postcodes, streets; MIT licence):
one or two parents, one to four children born at least 18 years after the younger parent, 4%
of children a twin, 3% named after a parent of their sex, no two children of one family with
one first name. Each person has one to four records from different agencies, written with noise
chosen here, not by our generator: a typing error in the first name (8%) or surname (6%); a
common English short form (4%: Bill, Peggy, Ted; from a short list below), an initial (2%) or
"Baby" for a child (1%); no date of birth (10%), day and month swapped (4% where both can be),
or a date a day, ten days or a year off (4%); an NHS number on 40% of records (2% of those one
digit wrong, so invalid); no postcode (25%) or an old home (7.5%); no address (30%); no sex (20%).

    python -m bench.matching.uk_probe ours|splink|extract [HOUSEHOLDS] [SEED] [--recipe documented]

``extract``: the same records written as a legacy system's CSV export would hold them
(``write_extract``: "Client ID", "Forename", "D.O.B." in four date formats, "Gender" as
"Male" or "Not known", NHS numbers with spaces, a third of names in capitals, a byte-order mark,
CRLF line ends) and matched by the CLI itself with its defaults and no ``--map``
(``python -m diogelu.matching dedupe``), as a new user would run it.

Needs ``faker`` (requirements/bench.txt). Prints clustered and pairwise scores and the pairs of
relatives put in one cluster (twins, brothers and sisters, a parent and child of one name).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diogelu.matching import Record

TODAY = dt.date(2026, 1, 1)
SHORT_FORMS = {
    "William": "Bill",
    "Robert": "Bob",
    "Elizabeth": "Liz",
    "Margaret": "Peggy",
    "Richard": "Dick",
    "Edward": "Ted",
    "Katherine": "Kate",
    "Thomas": "Tom",
    "James": "Jim",
    "Michael": "Mike",
    "Christopher": "Chris",
    "Jennifer": "Jenny",
    "Rebecca": "Becky",
    "Samuel": "Sam",
    "Daniel": "Dan",
    "Joseph": "Joe",
    "Alexander": "Alex",
    "Victoria": "Vicky",
    "Charlotte": "Lottie",
    "Anthony": "Tony",
}


@dataclass(frozen=True, slots=True)
class Person:
    pid: str
    household: int
    role: str
    given: str
    family: str
    dob: dt.date
    sex: str
    nhs: str
    postcode: str
    address: str
    twin_of: str = ""


def _nhs(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum((10 - i) * d for i, d in enumerate(digits)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(len(text))
    kind = rng.random()
    if kind < 0.33:
        return text[:i] + text[i + 1 :]
    if kind < 0.66:
        return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1 :]
    if i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text


def people(households: int, seed: int) -> list[Person]:
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)

    def first(sex: str, used: set[str]) -> str:
        while True:
            name: str = fake.first_name_female() if sex == "F" else fake.first_name_male()
            if name not in used:
                used.add(name)
                return name

    out: list[Person] = []
    for h in range(households):
        family, postcode = fake.last_name(), fake.postcode()
        address = f"{fake.street_address()}, {fake.city()}"
        used: set[str] = set()
        parents = []
        for k in range(rng.choice((1, 2, 2))):
            sex = "F" if k == 0 else "M"
            dob = TODAY - dt.timedelta(days=rng.randrange(22 * 365, 50 * 365))
            parents.append(
                Person(
                    f"H{h}P{k}", h, "parent", first(sex, used), family, dob, sex, _nhs(rng),
                    postcode, address,
                )
            )  # fmt: skip
        youngest = max(p.dob for p in parents)
        children: list[Person] = []
        for k in range(rng.choice((1, 1, 2, 2, 3, 4))):
            sex = rng.choice("MF")
            given = first(sex, used)
            if rng.random() < 0.03 and (same := [p for p in parents if p.sex == sex]):
                given = same[0].given
            dob = TODAY - dt.timedelta(days=rng.randrange(0, 17 * 365))
            if (dob - youngest).days < 18 * 365:
                dob = min(youngest + dt.timedelta(days=18 * 365 + rng.randrange(3000)), TODAY)
            child = Person(
                f"H{h}C{k}", h, "child", given, family, dob, sex, _nhs(rng), postcode, address
            )
            children.append(child)
            if rng.random() < 0.04:
                sex = rng.choice("MF")
                children.append(
                    Person(
                        f"H{h}C{k}T", h, "child", first(sex, used), family, dob, sex, _nhs(rng),
                        postcode, address, child.pid,
                    )
                )  # fmt: skip
        out += parents + children
    return out


def records(population: Sequence[Person], seed: int) -> tuple[list[Record], list[str]]:
    from faker import Faker

    rng = random.Random(seed + 1)
    fake = Faker("en_GB")
    fake.seed_instance(seed + 1)
    out: list[Record] = []
    truth: list[str] = []
    for p in population:
        for _ in range(rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]):
            given: str | None = p.given
            family = p.family
            dob: dt.date | None = p.dob
            roll = rng.random()
            if roll < 0.08:
                given = _typo(rng, p.given)
            elif roll < 0.12 and p.given in SHORT_FORMS:
                given = SHORT_FORMS[p.given]
            elif roll < 0.14:
                given = p.given[0]
            elif roll < 0.16 and p.role == "child" and rng.random() < 0.5:
                given = "Baby"
            if rng.random() < 0.06:
                family = _typo(rng, family)
            roll = rng.random()
            if roll < 0.10:
                dob = None
            elif roll < 0.14 and p.dob.day <= 12:
                dob = dt.date(p.dob.year, p.dob.day, p.dob.month)
            elif roll < 0.18:
                dob = p.dob + dt.timedelta(days=rng.choice((-1, 1, 10, -10, 365, -365)))
            nhs: str | None = p.nhs if rng.random() >= 0.6 else None
            if nhs and rng.random() < 0.02:
                nhs = nhs[:-1] + str((int(nhs[-1]) + 1) % 10)
            postcode: str | None = p.postcode
            address: str | None = p.address
            if rng.random() < 0.25:
                postcode = None
            elif rng.random() < 0.1:
                postcode, address = fake.postcode(), fake.street_address()
            if rng.random() < 0.3:
                address = None
            out.append(
                Record(
                    f"R{len(out)}",
                    given,
                    family,
                    date_of_birth=dob,
                    sex=None if rng.random() < 0.2 else p.sex,
                    postcode=postcode,
                    address=address,
                    nhs_number=nhs,
                )
            )
            truth.append(p.pid)
    return out, truth


def relatives_merged(
    population: Sequence[Person], labels: Sequence[object], truth: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Pairs of relatives whose records share a cluster: twins, brothers and sisters, and a
    parent and child of one first name."""
    clusters: dict[str, set[object]] = {}
    for label, pid in zip(labels, truth, strict=True):
        clusters.setdefault(pid, set()).add(label)
    homes: dict[int, list[Person]] = {}
    for p in population:
        homes.setdefault(p.household, []).append(p)
    out = {k: {"pairs": 0, "merged": 0} for k in ("twins", "siblings", "parent_child")}

    def count(kind: str, a: Person, b: Person) -> None:
        if a.pid in clusters and b.pid in clusters:
            out[kind]["pairs"] += 1
            out[kind]["merged"] += bool(clusters[a.pid] & clusters[b.pid])

    for members in homes.values():
        children = [p for p in members if p.role == "child"]
        for i, a in enumerate(children):
            for b in children[i + 1 :]:
                count("twins" if b.twin_of == a.pid else "siblings", a, b)
            for parent in members:
                if parent.role == "parent" and parent.given == a.given:
                    count("parent_child", parent, a)
    return out


EXTRACT_HEADER = (
    "Client ID",
    "Forename",
    "Surname",
    "D.O.B.",
    "Gender",
    "Post Code",
    "Address Line 1",
    "NHS No.",
)


def write_extract(path: Path, recs: Sequence[Record], seed: int) -> None:
    """Write ``recs`` as a legacy system's CSV export (see the module's docstring)."""
    rng = random.Random(seed + 2)
    formats = ("%d/%m/%Y", "%d-%b-%Y", "%Y-%m-%d 00:00:00", "%d.%m.%Y")
    sexes = {"M": ("Male", "M", "male"), "F": ("Female", "F", "female"), None: ("", "Unknown")}
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(EXTRACT_HEADER)
        for r in recs:
            born = r.date_of_birth.strftime(rng.choice(formats)) if r.date_of_birth else ""
            nhs = r.nhs_number or ""
            if nhs and rng.random() < 0.5:
                nhs = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
            given, family = r.given_name or "", r.family_name or ""
            if rng.random() < 0.3:
                given, family = given.upper(), family.upper()
            sex = rng.choice(sexes[r.sex])
            out.writerow((r.record_id, given, family, born, sex, r.postcode, r.address, nhs))


def through_the_cli(recs: Sequence[Record], seed: int) -> dict[str, Any]:
    """Match ``recs`` written as an extract, by the CLI with its defaults; index pairs and
    labels as ``tasks.ours_dedupe`` returns them."""
    import time

    from diogelu.matching.cli import main

    index = {r.record_id: i for i, r in enumerate(recs)}
    with tempfile.TemporaryDirectory() as tmp:
        src, out, clusters = Path(tmp, "extract.csv"), Path(tmp, "p.csv"), Path(tmp, "c.csv")
        write_extract(src, recs, seed)
        t0 = time.perf_counter()
        if main(["dedupe", str(src), "--out", str(out), "--clusters", str(clusters)]) != 0:
            raise SystemExit("the CLI refused the extract")
        seconds = time.perf_counter() - t0
        with out.open(newline="") as f:
            pairs = [(index[row[0]], index[row[1]]) for row in list(csv.reader(f))[1:]]
        with clusters.open(newline="") as f:
            label = {row[0]: row[1] for row in list(csv.reader(f))[1:]}
    labels = [label.get(r.record_id, r.record_id) for r in recs]
    return {"pairs": pairs, "labels": labels, "seconds": seconds}


def run(engine: str, households: int, seed: int, recipe: str = "example") -> dict[str, Any]:
    from bench.matching import tasks

    population = people(households, seed)
    recs, truth = records(population, seed)
    if engine == "extract":
        result = through_the_cli(recs, seed)
    elif engine == "ours":
        result = tasks.ours_dedupe(recs)
    else:
        from bench.matching import splink_runner

        raw = splink_runner.people(tasks._people_frame(recs), recipe=recipe)
        result = tasks._splink_labels(raw, [r.record_id for r in recs])
        result["seconds"] = 0.0
    out = tasks._scores(result, truth)
    out["records"] = len(recs)
    out["false_merges"] = relatives_merged(population, result["labels"], truth)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("engine", choices=("ours", "splink", "extract"))
    parser.add_argument("households", nargs="?", type=int, default=3000)
    parser.add_argument("seed", nargs="?", type=int, default=1)
    parser.add_argument("--recipe", default="example", choices=("example", "documented"))
    args = parser.parse_args()
    print(json.dumps(run(args.engine, args.households, args.seed, args.recipe)))


if __name__ == "__main__":
    main()
