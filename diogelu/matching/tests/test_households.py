"""Household rules that know evidence from noise (ADR 0620): each family pattern, and the noise in
one person's records that looks like it but is not evidence."""

import datetime as dt
import random

import pytest

from diogelu.matching import Record
from diogelu.matching.cluster import cluster
from diogelu.matching.compare import GIVEN, comparison_vector
from diogelu.matching.households import MIN_PAIRS, family_evidence, household_rules
from diogelu.matching.model import Model, household_pattern
from diogelu.matching.normalise import fold
from diogelu.matching.record import prepare
from diogelu.matching.synth import generate

D = dt.date


def _pattern(a: Record, b: Record) -> str | None:
    return household_pattern(comparison_vector(prepare(a), prepare(b)))


def _child(rid: str, given: str | None, dob: dt.date | None, sex: str | None = None) -> Record:
    return Record(
        rid,
        given,
        "Price",
        date_of_birth=dob,
        sex=sex,
        postcode="SA1 8PP",
        address="1 Heol y Nant",
    )


# -- twins -------------------------------------------------------------------------------


def test_twins_different_names_one_birthday():
    assert _pattern(_child("a", "Megan", D(2019, 7, 1)), _child("b", "Ffion", D(2019, 7, 1))) == (
        "twins"
    )


def test_twins_whose_names_share_only_the_first_letter():
    # Osian and Owen were "same initial only" (level 7) and not counted: they are two names.
    a, b = _child("a", "Osian", D(2019, 7, 1), "m"), _child("b", "Owen", D(2019, 7, 1), "m")
    assert comparison_vector(prepare(a), prepare(b))[GIVEN] == 8
    assert _pattern(a, b) == "twins"


def test_boy_and_girl_twins_with_names_one_letter_apart():
    a, b = _child("a", "Osian", D(2019, 7, 1), "m"), _child("b", "Siân", D(2019, 7, 1), "f")
    assert _pattern(a, b) == "twins"


def test_noise_an_initial_is_not_a_twin():
    assert _pattern(_child("a", "M", D(2019, 7, 1)), _child("b", "Megan", D(2019, 7, 1))) is None


def test_noise_a_nickname_or_welsh_form_is_not_a_twin():
    assert _pattern(_child("a", "Dai", D(2019, 7, 1)), _child("b", "Dafydd", D(2019, 7, 1))) is None
    assert _pattern(_child("a", "Siôn", D(2019, 7, 1)), _child("b", "John", D(2019, 7, 1))) is None


def test_noise_a_missing_first_name_is_not_a_twin():
    assert _pattern(_child("a", None, D(2019, 7, 1)), _child("b", "Megan", D(2019, 7, 1))) is None


def test_noise_one_letter_out_with_the_same_sex_is_not_a_twin():
    a, b = _child("a", "Osian", D(2019, 7, 1), "m"), _child("b", "Sian", D(2019, 7, 1), "m")
    assert _pattern(a, b) is None


# -- brothers and sisters ------------------------------------------------------------------


def test_siblings_different_names():
    assert _pattern(_child("a", "Megan", D(2015, 3, 1)), _child("b", "Ffion", D(2019, 7, 1))) == (
        "siblings"
    )


def test_siblings_with_alike_names_born_years_apart():
    a, b = _child("a", "Gethin", D(2012, 3, 1)), _child("b", "Ethan", D(2016, 9, 20))
    assert _pattern(a, b) == "siblings"


def test_noise_alike_names_one_birthday_is_not_siblings():
    a, b = _child("a", "Gethin", D(2012, 3, 1)), _child("b", "Ethan", D(2012, 3, 1))
    assert _pattern(a, b) is None


def test_noise_same_name_with_a_missing_date_is_not_siblings():
    assert _pattern(_child("a", "Megan", None), _child("b", "Megan", D(2019, 7, 1))) is None


def test_noise_different_names_in_different_homes_is_no_family_pattern():
    a = Record("a", "Megan", "Price", date_of_birth=D(2019, 7, 1), postcode="LL57 2DG")
    b = Record("b", "Ffion", "Morgan", date_of_birth=D(2019, 7, 1), postcode="SA1 8PP")
    assert _pattern(a, b) is None


# -- parent and child ----------------------------------------------------------------------


def test_parent_and_child_a_generation_apart():
    father = _child("f", "Rhys", D(1985, 2, 2))
    son = _child("s", "Rhys", D(2012, 9, 9))
    assert _pattern(father, son) == "generation"


def test_noise_a_one_digit_year_error_is_not_a_generation():
    assert _pattern(_child("a", "Rhys", D(1985, 2, 2)), _child("b", "Rhys", D(1955, 2, 2))) is None


def test_noise_day_and_month_swapped_is_not_a_family_pattern():
    assert _pattern(_child("a", "Rhys", D(2012, 3, 9)), _child("b", "Rhys", D(2012, 9, 3))) is None


def test_noise_a_missing_date_is_not_a_parent_or_child():
    assert _pattern(_child("a", "Rhys", None), _child("b", "Rhys", D(2012, 9, 9))) is None


# -- identifiers -----------------------------------------------------------------------------


def test_different_nhs_numbers_are_evidence_and_a_shared_one_outweighs_names():
    a = Record("a", "Siân", "Hughes", date_of_birth=D(2014, 1, 20), nhs_number="4010232137")
    b = Record("b", "Siân", "Hughes", date_of_birth=D(2014, 1, 20), nhs_number="9434765919")
    assert _pattern(a, b) == "identifiers"
    c = Record("c", "Megan", "Hughes", date_of_birth=D(2019, 7, 1), nhs_number="4010232137")
    assert _pattern(a, c) is None


# -- does the file hold families? ------------------------------------------------------------


def test_synthetic_population_is_family_data():
    pop = generate(5000)
    on, evidence = household_rules([prepare(r) for r in pop.records])
    assert on and evidence.families is True
    assert evidence.share > 0.3


def _unrelated(n: int) -> list[Record]:
    """Unrelated individuals, each with noisy copies: nicknames, initials, missing dates."""
    rng = random.Random(7)
    firsts = ["Rhys", "Megan", "Dafydd", "Elin", "Gareth", "Carys", "Owain", "Nia"]
    out: list[Record] = []
    for k in range(n):
        given = rng.choice(firsts)
        dob = D(1950 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
        surname = f"Jones{k}"  # each person's surname and postcode their own
        postcode = f"CF{10 + k % 80} {1 + k % 9}AB"
        for c in range(3):
            noisy_given = given[0] if c == 1 else given
            out.append(
                Record(
                    f"{k}-{c}",
                    noisy_given,
                    surname,
                    date_of_birth=None if c == 2 else dob,
                    postcode=postcode,
                )
            )
    return out


def test_unrelated_individuals_are_not_family_data():
    evidence = family_evidence(prepare(r) for r in _unrelated(400))
    assert evidence.pairs >= MIN_PAIRS
    assert evidence.families is False
    assert household_rules(prepare(r) for r in _unrelated(400))[0] is False


def test_too_few_pairs_keep_the_rules_on():
    records = [prepare(r) for r in _unrelated(5)]
    on, evidence = household_rules(records)
    assert evidence.families is None
    assert on


def test_few_pairs_and_no_relatives_among_them_is_no_family_file():
    """ADR 0829: FEBRL2 (5,000 records of individuals) has 97 pairs sharing a surname and a
    home and no relatives among them, and was judged "too few to tell": the household rules
    stayed on and its clustered F1 was 0.92 (0.997 with them off). A file of families would show
    so few relatives less than once in a hundred; with fewer pairs, or a share of relatives near
    a family file's, the rules stay on."""
    from diogelu.matching.households import FamilyEvidence

    assert FamilyEvidence(97, 0).families is False
    assert FamilyEvidence(97, 2).families is False
    assert "0 of 97 pairs" in FamilyEvidence(97, 0).text()
    assert FamilyEvidence(44, 0).families is False
    assert FamilyEvidence(43, 0).families is None  # 0.9 ** 43 = 0.011
    assert FamilyEvidence(24, 0).families is None
    assert "too few to tell" in FamilyEvidence(24, 0).text()
    assert FamilyEvidence(97, 6).families is None
    assert FamilyEvidence(60, 30).families is None
    # From MIN_PAIRS on, the share decides, as before.
    assert FamilyEvidence(100, 9).families is False
    assert FamilyEvidence(100, 10).families is True
    # Unrelated individuals with few pairs: the rules follow.
    records = [prepare(r) for r in _unrelated(60)]  # 60 pairs, none of them relatives
    on, evidence = household_rules(records)
    assert evidence.pairs < MIN_PAIRS
    assert (on, evidence.families) == (False, False)


def test_few_pairs_that_one_kind_of_pattern_outnumbers_are_no_family_file():
    """ADR 0831: FEBRL1 (1,000 records of individuals) has 24 pairs sharing a surname and a home,
    none of them relatives, which a family file would show 8 times in 100: "too few to tell",
    the household rules stayed on and its clustered F1 was 0.956 (0.996 with them off). Five of
    the 24, at five homes, show one birthday and different first names: each a duplicate whose
    first name was replaced. A family file shows at most a quarter of a pair of twins for each
    pair of relatives (measured 0.02); five homes beside none is a chance under 1 in 300. Homes,
    not pairs, are counted: one family's or one person's records make several pairs."""
    from diogelu.matching.households import FamilyEvidence

    def evidence(pairs: int, relatives: int, at: int = 0, **homes: int) -> FamilyEvidence:
        """``at``: the homes where the relatives are; ``homes``: each kind's."""
        seen = (("relatives", at), *homes.items())
        return FamilyEvidence(pairs, relatives, tuple(homes.items()), spread=40, homes=seen)

    assert evidence(24, 0, twins=5).families is False
    assert evidence(24, 0, twins=5).outnumbered == ("twins", 5)
    text = evidence(24, 0, twins=5).text()
    assert "0 of 24 pairs" in text
    assert "5 homes show one birthday with different first names and 0 relatives" in text
    assert evidence(24, 0, twins=3).families is None  # 0.2 ** 3 = 0.008
    assert evidence(30, 2, at=1, twins=10).families is False
    # A share of relatives that a family file has: the twins are twins, however many.
    assert evidence(24, 3, at=2, twins=20).families is None
    assert evidence(24, 0, twins=4).families is False  # 0.2 ** 4 = 0.0016
    # Only twins: couples born within a year make "near" pairs in a family file, and undated
    # pairs are weighed against the file's missing dates.
    assert evidence(24, 0, near=12, alike=12, undated=12).families is None


def _school_year(families: int) -> list[Record]:
    """A year group: each family's twins, born on one day within one school year, with a second
    record of each child as another system wrote it."""
    rng = random.Random(11)
    firsts = ["Rhys", "Megan", "Dafydd", "Elin", "Gareth", "Carys", "Owain", "Nia", "Osian"]
    out: list[Record] = []
    for k in range(families):
        born = D(2016, 9, 1) + dt.timedelta(days=rng.randrange(365))
        names = rng.sample(firsts, 2)
        for c, given in enumerate(names):
            for copy in range(2):
                out.append(
                    Record(
                        f"{k}-{c}-{copy}",
                        given,
                        f"Pryce{k}",
                        date_of_birth=born,
                        postcode=f"LL{10 + k % 80} {1 + k % 9}AB",
                    )
                )
    return out


@pytest.mark.parametrize("families", [4, 12, 120])
@pytest.mark.parametrize("adults", [0, 300])
def test_a_school_year_of_twins_keeps_the_rules_on(families, adults):
    """ADR 0831: in a year group every brother and sister is a twin, and none is born years
    apart. "No relatives born years apart" says nothing there: with 120 families of twins the
    household rules were turned off (0 relatives among 720 pairs) and twins could merge; with 12
    families (72 pairs, twins at 12 homes) the twins would outnumber the relatives. Births
    whose middle 80% span under MIN_SPREAD years decide nothing. The spread is of the records
    that share a surname and a home: staff or carers on file without an address (``adults``)
    make no pairs and must not widen it (review of ADR 0831). With 4 families too few records
    are dated to show a spread at all."""
    staff = [
        Record(f"s{i}", "Rhian", f"Staff{i}", date_of_birth=D(1960 + i % 40, 3, 3))
        for i in range(adults)
    ]
    records = [prepare(r) for r in _school_year(families) + staff]
    on, evidence = household_rules(records)
    assert evidence.spread is not None and evidence.spread <= 1
    assert evidence.relatives == 0
    assert (on, evidence.families) == (True, None)
    assert evidence.decision[1] == "narrow"
    assert "too few for brothers and sisters born years apart to show" in evidence.text()
    # The same file with its births spread over the years of a whole school is judged as before.
    import dataclasses

    wide = dataclasses.replace(evidence, spread=12)
    assert wide.families is False


def test_homes_not_pairs_are_counted():
    """One person's four records under two first names make four "twin" pairs at one home: one
    home, which decides nothing (review of ADR 0831)."""
    one = [
        Record(f"r{i}", given, "Pryce", date_of_birth=D(1980, 4, 2), postcode="LL23 7AA")
        for i, given in enumerate(["Rhodri", "Rhodri", "Iolo", "Iolo"])
    ]
    evidence = family_evidence(prepare(r) for r in one)
    assert dict(evidence.kinds)["twins"] == 4
    assert dict(evidence.homes) == {"twins": 1}
    assert evidence.outnumbered is None


@pytest.mark.parametrize("rules", [True, False])
def test_clusters_keep_twins_apart_with_the_rules_on(rules):
    """Regression: Osian and Siân (one letter apart, boy and girl, one birthday) were merged
    once the first name counted as 'one letter different'."""
    records = [
        prepare(_child("o1", "Osian", D(2024, 5, 7), "m")),
        prepare(_child("o2", "Osian Elis", D(2024, 5, 7), "m")),
        prepare(_child("s1", "Siân", D(2024, 5, 7), "f")),
        prepare(_child("s2", "Sian", D(2024, 5, 7), "f")),
    ]
    model = Model.load_default().for_population(4)
    model.sibling_rule = rules
    pairs = [(i, j, model.score(records[i], records[j])) for i in range(4) for j in range(i + 1, 4)]
    labels = cluster(records, pairs, model)
    assert labels[0] == labels[1] and labels[2] == labels[3]
    if rules:
        assert labels[0] != labels[2]


def test_alike_first_names_on_one_birthday_do_not_tell_twins_apart():
    """Regression: letting names spelt alike (level 6) on one birthday merge put twins Gethin and
    Ethan, and Siôn and Cian, in one cluster on the synthetic 100,000 (3 of 1,122 pairs of
    twins). Only the same name, a known variant, names swapped or one letter out distinguish."""
    from diogelu.matching.model import distinguishing

    def vector(a: Record, b: Record) -> tuple[int, ...]:
        return comparison_vector(prepare(a), prepare(b))

    same_day = vector(_child("a", "Gethin", D(2016, 5, 6)), _child("b", "Ethan", D(2016, 5, 6)))
    assert same_day[GIVEN] == 6
    assert not distinguishing(same_day)
    assert distinguishing(
        vector(_child("a", "Elin", D(2016, 5, 6)), _child("b", "Ellen", D(2016, 5, 6)))
    )
    assert not distinguishing(vector(_child("a", "Rhys", None), _child("b", "Rhys", D(2016, 5, 6))))


# -- what the clusterer may merge: only what the evidence in view forbids (ADR 0800) ---------


def test_noise_same_surname_and_different_names_without_a_shared_home_is_not_siblings():
    # Agnes and Nessie: one person, a nickname the table does not know, recorded at two homes.
    a = Record("a", "Agnes", "Beaumont", postcode="SG18 9TB")
    b = Record("b", "Nessie", "Beaumont", date_of_birth=D(1952, 1, 4), postcode="LL57 2DG")
    assert _pattern(a, b) is None
    assert _pattern(a, Record("c", "Nessie", "Beaumont", postcode="SG18 9TB")) == "siblings"


def test_twins_need_no_home_on_record():
    a = Record("a", "Megan", "Price", date_of_birth=D(2019, 7, 1))
    b = Record("b", "Ffion", "Price", date_of_birth=D(2019, 7, 1))
    assert _pattern(a, b) == "twins"


def test_noise_a_year_mistyped_with_another_digit_is_not_a_generation():
    # 1856-08-17 and 1826-08-14: one digit of the year and one of the day.
    a, b = _child("a", "Uchter", D(1856, 8, 17)), _child("b", "Uchter", D(1826, 8, 14))
    assert comparison_vector(prepare(a), prepare(b))[2] == 9
    assert _pattern(a, b) is None


def test_parent_and_child_whose_years_differ_in_one_digit_are_still_a_generation():
    # 1950-03-04 and 1980-07-21: the year differs in one digit, but month and day too.
    assert _pattern(_child("f", "Rhys", D(1950, 3, 4)), _child("s", "Rhys", D(1980, 7, 21))) == (
        "generation"
    )


def _clusters(records: list[Record]) -> dict[str, int]:
    prepared = [prepare(r) for r in records]
    model = Model.load_default().for_population(1000)
    assert model.sibling_rule
    n = len(prepared)
    pairs = [
        (i, j, model.score(prepared[i], prepared[j])) for i in range(n) for j in range(i + 1, n)
    ]
    labels = cluster(prepared, pairs, model)
    return {r.record_id: label for r, label in zip(records, labels, strict=True)}


def _rhys(rid: str, dob: dt.date | None, **fields: str) -> Record:
    defaults = {"postcode": "SA1 8PP", "address": "1 Heol y Nant", "sex": "m"}
    defaults.update(fields)
    return Record(rid, "Rhys", "Price", date_of_birth=dob, **defaults)  # type: ignore[arg-type]


def test_a_missing_date_of_birth_merges_when_no_relative_is_in_view():
    """A person living alone, one record without a date of birth: nothing in the file says a
    relative could be meant, so the missing date is no bar (it was, ADR 0108)."""
    labels = _clusters([_rhys("r1", D(2012, 9, 9)), _rhys("r2", None), _rhys("r3", D(2012, 9, 9))])
    assert labels["r1"] == labels["r2"] == labels["r3"]


def test_a_missing_date_of_birth_stays_apart_where_a_father_of_the_name_lives():
    labels = _clusters(
        [
            _rhys("son", D(2012, 9, 9)),
            _rhys("son2", D(2012, 9, 9)),
            _rhys("father", D(1985, 2, 2)),
            _rhys("nodob", None),
        ]
    )
    assert labels["son"] == labels["son2"]
    assert labels["nodob"] not in (labels["son"], labels["father"])
    assert labels["son"] != labels["father"]


def test_a_missing_date_of_birth_stays_apart_in_a_household_with_a_relative():
    # Only the son has a dated record; his sister at the same home is the relative in view.
    labels = _clusters(
        [
            _rhys("son", D(2012, 9, 9)),
            _rhys("nodob", None),
            Record("sister", "Carys", "Price", date_of_birth=D(2015, 1, 3), postcode="SA1 8PP"),
        ]
    )
    assert labels["nodob"] != labels["son"]


def test_a_relative_is_in_view_through_the_street_address_when_the_postcode_is_mistyped():
    labels = _clusters(
        [
            _rhys("son", D(2012, 9, 9), postcode="SA1 8PP"),
            _rhys("nodob", None, postcode="SA1 8PP"),
            # His mother, a generation older, under a mistyped postcode: found by the address.
            Record(
                "mother",
                "Heledd",
                "Price",
                date_of_birth=D(1988, 1, 3),
                postcode="SA1 8PB",
                address="1 Heol y Nant",
            ),
        ]
    )
    assert labels["nodob"] != labels["son"]


def test_a_baby_record_stays_apart_from_twins():
    labels = _clusters(
        [
            _child("megan", "Megan", D(2019, 7, 1), "f"),
            _child("ffion", "Ffion", D(2019, 7, 1), "f"),
            _child("baby", "Baby", D(2019, 7, 1), "f"),
        ]
    )
    assert len({labels["megan"], labels["ffion"]}) == 2
    assert labels["baby"] not in (labels["megan"], labels["ffion"])


def test_a_variant_first_name_without_a_date_merges_when_no_relative_is_in_view():
    labels = _clusters(
        [
            Record("a", "Arthur", "Pugh", date_of_birth=D(1990, 4, 4), postcode="LL57 2DG"),
            Record("b", "Artie", "Pugh", postcode="LL57 2DG"),
            Record("c", "Arthur", "Pugh", date_of_birth=D(1990, 4, 4), postcode="LL57 2DG"),
        ]
    )
    assert labels["a"] == labels["b"] == labels["c"]


# -- a mistyped variant is a variant, not a brother's name (ADR 0800) -------------------------


@pytest.mark.parametrize(
    ("a", "b"), [("Thonas", "Tom"), ("Rhomas", "Tom"), ("Feank", "Francis"), ("Dafudd", "Dai")]
)
def test_noise_a_mistyped_variant_is_not_a_different_name(a, b):
    x, y = _child("a", a, D(2019, 7, 1)), _child("b", b, D(2019, 7, 1))
    assert comparison_vector(prepare(x), prepare(y))[GIVEN] == 6
    assert _pattern(x, y) is None


@pytest.mark.parametrize(("a", "b"), [("Megan", "Ffion"), ("Evan", "Jack"), ("Dafydd", "Rhys")])
def test_names_in_the_table_keep_their_own_meaning(a, b):
    # Only a name the table does not know is read as a mistyped one: Evan and Jack are both
    # forms of John, and two names brothers are given.
    from diogelu.matching.names import misspelt_given_name_groups

    assert misspelt_given_name_groups(fold(a)) == frozenset()
    x, y = _child("a", a, D(2019, 7, 1)), _child("b", b, D(2019, 7, 1))
    assert _pattern(x, y) == "twins"


def test_two_undated_records_of_a_name_with_a_dated_namesake_stay_apart():
    """Regression (synthetic 100,000): a father's only record and his son's undated record, both
    "Emyr Prosser" at one home, merged; the son's dated records were elsewhere in the file."""
    from diogelu.matching.cluster import Relatives

    records = [
        prepare(Record("father", "Emyr Ifan", "Prosser", sex="m", postcode="LL63 2SE")),
        prepare(Record("son-undated", "Emyr", "Prosser", postcode="LL63 2SE")),
        prepare(Record("son", "Emyr", "Prosser", date_of_birth=D(2024, 8, 7), postcode="NP20 3YJ")),
        prepare(Record("other", "Emyr", "Davies", postcode="LL63 2SE")),
    ]
    relatives = Relatives(records)
    assert relatives.undated_namesakes([0], [1])
    assert not relatives.undated_namesakes([0], [1, 2])  # a date of birth in the cluster
    assert not relatives.undated_namesakes([3], [3])  # no dated Emyr Davies
    labels = _clusters([r.record for r in records])
    assert labels["father"] != labels["son-undated"]
