"""A family pattern between two records of one person, and the third record that shows it is
noise (ADR 0820): the clusterer weighs it, and twins and a parent and child stay apart."""

from __future__ import annotations

import datetime as dt

from diogelu.matching import Record
from diogelu.matching.cluster import _agree, _ambiguous, cluster, one_person
from diogelu.matching.model import Model
from diogelu.matching.record import prepare

D = dt.date
HOME = {"postcode": "SA1 8PP", "address": "1 Heol y Nant"}


def _r(rid: str, given: str | None, dob: dt.date | None, sex: str = "m") -> Record:
    return Record(rid, given, "Price", date_of_birth=dob, sex=sex, **HOME)  # type: ignore[arg-type]


def _clusters(records: list[Record]) -> dict[str, int]:
    prepared = [prepare(r) for r in records]
    model = Model.load_default().for_population(1000)
    model.sibling_rule = True
    n = len(prepared)
    pairs = [
        (i, j, model.score(prepared[i], prepared[j])) for i in range(n) for j in range(i + 1, n)
    ]
    labels = cluster(prepared, pairs, model)
    return {r.record_id: label for r, label in zip(records, labels, strict=True)}


def test_a_title_for_a_first_name_at_one_home_stays_one_cluster():
    born = D(2014, 6, 3)
    labels = _clusters(
        [
            _r("t1", "Thomas", born),
            _r("t2", "Mr", born),
            _r("t3", "Thomas", born),
            _r("t4", "Tom", born),
        ]
    )
    assert len(set(labels.values())) == 1


def test_one_persons_names_joined_by_a_third_record_stay_one_cluster():
    """Jack and Siôn are both forms of John, not of each other (level 8, "different names", the
    twins pattern). A John of the same birthday at the same home is each of them: one boy."""
    born = D(2014, 6, 3)
    records = [
        _r("j1", "Jack", born),
        _r("j2", "Jack", born),
        _r("s1", "Sion", born),
        _r("o", "John", born),
    ]
    prepared = [prepare(r) for r in records]
    assert one_person(prepared, 0, 2, [1, 3])
    assert not one_person(prepared, 0, 2, [1])  # another Jack is no witness for Siôn
    labels = _clusters(records)
    assert len(set(labels.values())) == 1


def test_twins_at_one_home_with_different_first_names_stay_apart():
    born = D(2016, 2, 9)
    labels = _clusters(
        [
            _r("o1", "Osian", born),
            _r("o2", "Osian", born),
            _r("d1", "Dafydd", born),
            _r("d2", "Dafydd", born),
            _r("n", None, born),  # no first name: links to both, witness for neither
        ]
    )
    assert labels["o1"] == labels["o2"]
    assert labels["d1"] == labels["d2"]
    assert labels["o1"] != labels["d1"]
    assert labels["n"] not in (labels["o1"], labels["d1"])


def test_a_girl_and_boy_twin_one_letter_apart_have_no_witness():
    """Sian and Sion: another Sian agrees with Sian, and is one letter from Sion, but shows the
    boy-and-girl twins pattern with him, so she is no witness that they are one."""
    born = D(2016, 2, 9)
    records = [_r("s1", "Sian", born, "f"), _r("s2", "Sian", born, "f"), _r("b1", "Sion", born)]
    prepared = [prepare(r) for r in records]
    assert not one_person(prepared, 0, 2, [1])
    labels = _clusters([*records, _r("b2", "Sion", born)])
    assert labels["s1"] != labels["b1"]


def test_a_parent_and_child_of_one_name_stay_apart():
    labels = _clusters(
        [
            _r("f1", "Rhys", D(1985, 2, 2)),
            _r("f2", "Rhys", D(1985, 2, 2)),
            _r("c1", "Rhys", D(2012, 9, 9)),
            _r("c2", "Rhys", D(2012, 9, 9)),
            _r("u", "Rhys", None),
        ]
    )
    assert labels["f1"] == labels["f2"]
    assert labels["c1"] == labels["c2"]
    assert labels["f1"] != labels["c1"]
    assert labels["u"] not in (labels["f1"], labels["c1"])


def test_different_nhs_numbers_are_never_noise_whatever_a_third_record_says():
    """Regression: twins Hanna and Hannah (one letter apart, one sex, one birthday) with their
    own NHS numbers were merged at synthetic 100,000 through a record "Hannah"
    without a number, which agreed with each."""
    born = D(2025, 3, 23)

    def hanna(rid: str, given: str, nhs: str | None) -> Record:
        return Record(
            rid,
            given,
            "Thomas",
            date_of_birth=born,
            sex="f",
            nhs_number=nhs,
            postcode=HOME["postcode"],
            address=HOME["address"],
        )

    a, b, z = (
        hanna("a", "Hanna", "9434765919"),
        hanna("b", "Hannah", "9434765870"),
        hanna("z", "Hannah", None),
    )
    prepared = [prepare(r) for r in (a, b, z)]
    assert not one_person(prepared, 0, 1, [2])


def test_a_witnessed_pattern_is_not_vetoed_by_its_own_penalty():
    """Jack and Siôn, one birthday, one home, with a John that is each of them: the twins pattern
    between Jack and Siôn is noise (ADR 0820), so the household penalty that the pattern put on
    their weight is no evidence either and must not veto the merge on its own (issue 16). Without
    the witness the pattern still refuses it."""
    born = D(2014, 6, 3)
    prepared = [
        prepare(r) for r in (_r("j", "Jack", born), _r("o", "John", born), _r("s", "Sion", born))
    ]
    model = Model.load_default()
    penalty = model.twin_penalty

    def weight(a: int, b: int) -> tuple[float, int]:
        # Jack–Siôn: everything but the first name agrees (+10 bits), less the twins penalty.
        return (10.0 + penalty, 1) if {a, b} == {0, 2} else (10.0, 0)

    assert _agree(prepared, [0, 1], [2], weight, 0.2, -20.0, penalty)
    assert not _agree(prepared, [0], [2], weight, 0.2, -20.0, penalty)  # no witness: two boys


def test_a_record_told_apart_by_first_name_and_birthday_is_not_ambiguous():
    """Two Isla Joneses with different NHS numbers cannot be one person. A record that agrees
    with one of them on first name and date of birth, and links to the other only on the name
    (that one has no date of birth), is the first one's: the evidence that tells a person from
    their relatives (ADR 0108) tells it from the other, so the ambiguity check leaves it be
    (issue 16). Without a date of birth it links to both alike and stays on its own."""
    born = D(2025, 4, 22)

    def isla(rid: str, dob: dt.date | None, nhs: str | None) -> Record:
        return Record(rid, "Isla", "Jones", date_of_birth=dob, sex="f", nhs_number=nhs)

    model = Model.load_default()
    model.sibling_rule = True
    a, b = isla("a", born, "9092891347"), isla("b", None, "9866107302")
    pairs = [(0, 1, 15.0), (0, 2, 12.0)]
    told = [prepare(r) for r in (isla("x", born, None), a, b)]
    assert _ambiguous(told, pairs, Model.weight_for(0.5), model) == set()
    undated = [prepare(r) for r in (isla("x", None, None), a, b)]
    assert _ambiguous(undated, pairs, Model.weight_for(0.5), model) == {0}


def test_a_relative_in_view_that_the_cluster_shows_to_be_the_person_is_none():
    """Jack and Siôn Price, one birthday, one home: the twins pattern, and no witness at the home.
    A John Price of that birthday elsewhere is each of them, so the clusterer joins the three
    (ADR 0820). Siôn is then no relative in view of Jack's cluster: a record of the cluster shows
    the two to be one boy. So an undated Jack at John's address, linked after those merges,
    joins on the fields that agree, as for anyone with no relative in view (ADR 0800; issue
    16)."""
    born = D(2014, 6, 3)
    elsewhere = Record("o", "John", "Price", date_of_birth=born, sex="m", postcode="LL11 2AB")
    undated = Record("u", "Jack", "Price", sex="m", postcode="LL11 2AB")
    records = [_r("j1", "Jack", born), _r("s1", "Sion", born), elsewhere, undated]
    prepared = [prepare(r) for r in records]
    model = Model.load_default().for_population(1000)
    model.sibling_rule = True
    pairs = [
        (i, j, 5.0 if j == 3 and i != 1 else model.score(prepared[i], prepared[j]))
        for i in range(4)
        for j in range(i + 1, 4)
    ]
    labels = cluster(prepared, pairs, model)
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] == labels[0]


def test_an_undated_record_at_the_home_of_twins_still_stays_on_its_own():
    born = D(2016, 2, 9)
    labels = _clusters(
        [
            _r("o1", "Osian", born),
            _r("o2", "Osian", born),
            _r("d1", "Dafydd", born),
            _r("u", "Osian", None),
        ]
    )
    assert labels["o1"] == labels["o2"] != labels["d1"]
    assert labels["u"] not in (labels["o1"], labels["d1"])


def test_a_witness_is_looked_for_among_the_records_linked_to_either():
    """The John Price who is both Jack and Siôn need not be among the records at hand (the
    surname-and-home group, the two clusters): a record linked to either of them is evidence
    too (issue 16). Another Jack linked to Jack is still no witness for Siôn."""
    born = D(2014, 6, 3)
    records = [
        _r("j", "Jack", born),
        _r("s", "Sion", born),
        Record("o", "John", "Price", date_of_birth=born, sex="m", postcode="LL11 2AB"),
        _r("j2", "Jack", born),
    ]
    prepared = [prepare(r) for r in records]
    assert not one_person(prepared, 0, 1, [0, 1])
    assert one_person(prepared, 0, 1, [0, 1], {0: [2], 2: [0, 1]})
    assert not one_person(prepared, 0, 1, [0, 1], {0: [3], 3: [0]})
