"""An identifier that the file shows to be one person's (ADR 0843, issue 16).

A register's duplicates (one person's creation and death records) share a social security
number, but one may carry a fake first name, a date of birth a generation off or none: family
patterns that the household rules held against the match, because a generic identifier was
never evidence that tells a person from their relatives (ADR 0814: a family shares an e-mail
address). Where the records that share the file's identifier show no relatives, it is one
person's, and a family pattern between records that share it is noise, unless both the first
names and the births say two people. Where relatives share it, nothing changes.
"""

import dataclasses
import datetime as dt

import pytest

from diogelu.matching import Record, batch
from diogelu.matching.cli import main
from diogelu.matching.cluster import cluster
from diogelu.matching.compare import comparison_vector
from diogelu.matching.households import (
    FEW_PAIRS_CHANCE,
    IDENTIFIER_FAMILY_SHARE,
    MIN_IDENTIFIER_PAIRS,
    _at_most,
    family_evidence,
)
from diogelu.matching.model import (
    PERSONAL_IDENTIFIER,
    Model,
    distinguishing,
    household_pattern,
    two_people,
)
from diogelu.matching.record import prepare
from diogelu.matching.synth import generate

D = dt.date
PERSONAL = frozenset({PERSONAL_IDENTIFIER})


def _vector(a: Record, b: Record) -> tuple[int, ...]:
    return comparison_vector(prepare(a), prepare(b))


def _record(rid, given, dob, identifier, surname="Kaplan", postcode="SA1 8PP"):
    return Record(rid, given, surname, date_of_birth=dob, postcode=postcode, identifier=identifier)


def test_a_shared_personal_identifier_makes_a_family_pattern_noise():
    one_birthday = _vector(
        _record("a", "Diane", D(1963, 5, 7), "087-63-6895"),
        _record("b", "Ffion", D(1963, 5, 7), "087 63 6895"),
    )
    assert household_pattern(one_birthday) == "twins"
    assert household_pattern(one_birthday, True, PERSONAL) is None
    assert not distinguishing(one_birthday)
    assert distinguishing(one_birthday, PERSONAL)

    generation = _vector(
        _record("a", "George", D(1974, 3, 3), "106-23-3153"),
        _record("b", "George", D(1943, 12, 15), "106-23-3153"),
    )
    assert household_pattern(generation) == "generation"
    assert household_pattern(generation, True, PERSONAL) is None
    assert two_people(generation) and not two_people(generation, PERSONAL)


def test_different_names_born_years_apart_stay_two_people_whatever_they_share():
    """A brother and sister, a mother and daughter given one number: no typing error makes both
    fields differ at once."""
    mother_and_daughter = _vector(
        _record("a", "Carys", D(1961, 4, 2), "AB123456C"),
        _record("b", "Nia", D(1990, 8, 19), "AB123456C"),
    )
    assert household_pattern(mother_and_daughter, True, PERSONAL) == "generation"
    assert not distinguishing(mother_and_daughter, PERSONAL)
    assert two_people(mother_and_daughter, PERSONAL)


def test_different_nhs_numbers_are_never_noise():
    a = dataclasses.replace(_record("a", "Diane", D(1963, 5, 7), "X1"), nhs_number="4010232137")
    b = dataclasses.replace(_record("b", "Ffion", D(1963, 5, 7), "X1"), nhs_number="9434765919")
    assert household_pattern(_vector(a, b), True, PERSONAL) == "identifiers"


def _population(identifier: str) -> list[Record]:
    """The synthetic population (families, twins, namesakes) with an identifier on its records:
    each person's own ("person"), or the household's ("household", as a parent's e-mail
    address given for every child)."""
    pop = generate(3000, seed=7)
    household = {p.person_id: p.household for p in pop.people}
    return [
        dataclasses.replace(
            r, identifier=f"ID{t}" if identifier == "person" else f"H{household[t]}"
        )
        for r, t in zip(pop.records, pop.truth, strict=True)
    ]


def test_the_file_shows_whether_its_identifier_is_one_persons():
    personal = family_evidence([prepare(r) for r in _population("person")])
    assert personal.identifier_pairs >= MIN_IDENTIFIER_PAIRS
    assert personal.identifier_relatives == 0
    assert personal.personal_identifier
    assert PERSONAL_IDENTIFIER in personal.noise
    assert "one person's in this file" in (personal.identifier_text() or "")

    shared = family_evidence([prepare(r) for r in _population("household")])
    assert shared.identifier_relatives > shared.identifier_pairs * IDENTIFIER_FAMILY_SHARE
    assert not shared.personal_identifier
    assert PERSONAL_IDENTIFIER not in shared.noise
    assert "relatives share it" in (shared.identifier_text() or "")

    none = family_evidence([prepare(r) for r in generate(500, seed=7).records])
    assert (none.identifier_pairs, none.identifier_text()) == (0, None)


def test_a_few_relatives_among_many_pairs_still_rule_it_out():
    """At IDENTIFIER_FAMILY_SHARE, a file whose identifier relatives share now and then must not
    pass: 3% of thousands of pairs is no chance event (and the sum neither overflows nor
    underflows to nought)."""
    assert _at_most(0, 178, IDENTIFIER_FAMILY_SHARE) < FEW_PAIRS_CHANCE
    assert _at_most(150, 5000, IDENTIFIER_FAMILY_SHARE) > 0.4
    assert _at_most(40, 5000, IDENTIFIER_FAMILY_SHARE) < FEW_PAIRS_CHANCE
    assert _at_most(2000, 30000, 0.1) < 1e-50
    assert _at_most(3000, 30000, 0.1) > 0.4


# A register's two records of one person: a fake first name on one, one birthday, one number;
# and twins at one home without any number.
REGISTER = [
    _record("r1", "Anwen", D(1963, 5, 7), "087-63-6895", "Prydderch", None),
    _record("r2", "Bethan", D(1963, 5, 7), "087-63-6895", "Prydderch", None),
    _record("t1", "Osian", D(2019, 7, 1), None, "Pryce", "SA1 8PP"),
    _record("t2", "Dafydd", D(2019, 7, 1), None, "Pryce", "SA1 8PP"),
    _record("t3", "Osian", D(2019, 7, 1), None, "Pryce", "SA1 8PP"),
    _record("t4", "Dafydd", D(2019, 7, 1), None, "Pryce", "SA1 8PP"),
]


def _labels(records: list[Record]) -> dict[str, int]:
    prepared = [prepare(r) for r in records]
    evidence = family_evidence(prepared)
    assert evidence.families  # the household rules are on
    model = Model.load_default().for_population(len(prepared))
    model.sibling_rule = True
    model.noise_patterns = evidence.noise
    pairs = batch.dedupe(prepared, model, min_probability=0.01)
    labels = cluster(prepared, pairs, model, batch.term_frequencies(prepared))
    return {r.record_id: label for r, label in zip(records, labels, strict=True)}


def test_a_register_duplicate_with_a_fake_first_name_merges_where_the_identifier_is_personal():
    labels = _labels(_population("person") + REGISTER)
    assert labels["r1"] == labels["r2"]
    # Twins without a number stay apart, each with their own records.
    assert labels["t1"] == labels["t3"] != labels["t2"] == labels["t4"]


def test_where_relatives_share_the_identifier_the_pattern_still_holds():
    labels = _labels(_population("household") + REGISTER)
    assert labels["r1"] != labels["r2"]
    assert labels["t1"] == labels["t3"] != labels["t2"] == labels["t4"]


@pytest.mark.parametrize(
    ("identifier", "said"), [("person", "one person's"), ("household", "relatives share it")]
)
def test_the_cli_says_what_the_identifier_is_in_this_file(tmp_path, capfd, identifier, said):
    path = tmp_path / "people.csv"
    rows = ["id,forename,surname,dob,postcode,ssn"]
    for r in _population(identifier) + REGISTER:
        dob = r.date_of_birth.isoformat() if r.date_of_birth else ""
        rows.append(
            f"{r.record_id},{r.given_name or ''},{r.family_name or ''},{dob},"
            f"{r.postcode or ''},{r.identifier or ''}"
        )
    path.write_text("\n".join(rows) + "\n")
    out = tmp_path / "clusters.csv"
    mapping = (
        "record_id=id,given_name=forename,family_name=surname,date_of_birth=dob,"
        "postcode=postcode,identifier=ssn"
    )
    assert main(["dedupe", str(path), "--out", str(out), "--map", mapping]) == 0
    err = capfd.readouterr().err
    line = next(x for x in err.splitlines() if "sharing an identifier" in x)
    assert said in line
