"""A register's record with no home, linked to a child's record at a home where relatives live
(ADR 0838): it joins the child when its own evidence rules out each relative in view, and stays
apart when a relative could be the one it names."""

from __future__ import annotations

import datetime as dt

from diogelu.matching import Record
from diogelu.matching.cluster import Relatives
from diogelu.matching.compare import comparison_vector
from diogelu.matching.model import Model, two_people
from diogelu.matching.record import prepare
from diogelu.matching.tests.test_cluster_witnesses import _clusters as _labels

D = dt.date
HOME = {"postcode": "SA1 8PP", "address": "1 Heol y Nant"}
CHILD_BORN = D(2015, 5, 5)


def _at_home(rid: str, given: str | None, born: dt.date | None, sex: str) -> Record:
    return Record(rid, given, "Price", ("Rhys",) if given == "Cai" else (), born, sex, **HOME)


def _register(rid: str, given: str | None, born: dt.date | None, sex: str = "m") -> Record:
    """A register keeps names, a date of birth and sex, and no address."""
    return Record(rid, given, "Price", ("Rhys",) if given == "Cai" else (), born, sex)


def _family(*others: Record) -> list[Record]:
    return [
        _at_home("c1", "Cai", CHILD_BORN, "m"),
        _at_home("c2", "Cai", CHILD_BORN, "m"),
        _at_home("mum", "Angharad", D(1984, 11, 2), "f"),
        _at_home("bro", "Dewi", D(2011, 1, 20), "m"),
        *others,
    ]


def _linked(records: list[Record], a: str, b: str) -> bool:
    by_id = {r.record_id: prepare(r) for r in records}
    model = Model.load_default().for_population(1000)
    return model.score(by_id[a], by_id[b]) >= Model.weight_for(0.5)


def test_two_people_is_evidence_of_another_person_not_noise():
    def v(a: Record, b: Record) -> tuple[int, ...]:
        return comparison_vector(prepare(a), prepare(b))

    child = _at_home("c", "Cai", CHILD_BORN, "m")
    assert two_people(v(_register("r", "Cai", None), _at_home("m", "Angharad", None, "f")))
    assert two_people(v(_register("r", None, CHILD_BORN), _at_home("b", None, D(2011, 1, 20), "m")))
    assert not two_people(v(_register("r", None, None), child))  # nothing recorded to tell
    assert not two_people(v(_register("r", "Kai", CHILD_BORN), child))  # a spelling variant
    assert not two_people(v(_register("r", "Cai", D(2015, 5, 6)), child))  # a typing error
    assert not two_people(v(_register("r", "Cai", CHILD_BORN, "f"), child))  # sex: no evidence


def test_an_undated_register_record_stays_apart_though_its_first_name_is_the_childs():
    """ "Cai Rhys Price" on a register, with no date of birth and no address, may be Cai's father
    of one name, whom the file shows only by this record: the same first name, without a date,
    does not rule out a relative that the file does not show (a generated population with half
    its records' homes taken away merged one such father and son before this was asked)."""
    records = _family(_register("r", "Cai", None))
    assert _linked(records, "r", "c1")
    labels = _labels(records)
    assert labels["r"] not in (labels["c1"], labels["mum"], labels["bro"])


def test_a_register_record_with_no_first_name_joins_the_child_of_its_birthday():
    """Regression: a register's record of Cai's birthday with no first name and no address was
    left on its own because Cai's home has a mother and a brother in view, though its date of
    birth is years from theirs."""
    records = _family(_register("r", None, CHILD_BORN))
    assert _linked(records, "r", "c1")
    labels = _labels(records)
    assert labels["r"] == labels["c1"]
    assert labels["r"] not in (labels["mum"], labels["bro"])


def test_a_twin_in_view_keeps_a_register_record_with_no_first_name_apart():
    """Cai's twin Nia is at the home: a record of their birthday with no first name may be
    either child's."""
    records = _family(_at_home("twin", "Nia", CHILD_BORN, "f"), _register("r", None, CHILD_BORN))
    labels = _labels(records)
    assert labels["r"] not in (labels["c1"], labels["twin"])


def test_a_father_of_one_name_in_view_keeps_an_undated_register_record_apart():
    records = _family(_at_home("dad", "Cai", D(1982, 3, 3), "m"), _register("r", "Cai", None))
    labels = _labels(records)
    assert labels["c1"] != labels["dad"]
    assert labels["r"] not in (labels["c1"], labels["dad"])


def test_a_record_at_the_home_still_needs_distinguishing_evidence():
    """An undated record *at* the home may be a relative the file does not show (a son of one
    name known only by it): the rule of ADR 0800 stands for it."""
    undated = Record("r", "Cai", "Price", ("Rhys",), None, "m", **HOME)
    labels = _labels(_family(undated))
    assert labels["r"] != labels["c1"]


def test_a_baby_record_without_a_home_stays_apart():
    """A "Baby" record is made at birth, when a twin not yet named elsewhere may be its own."""
    records = _family(_register("r", "Baby", CHILD_BORN))
    labels = _labels(records)
    assert labels["r"] != labels["c1"]


def test_ruled_out_is_asked_only_of_a_lone_record_without_a_home():
    records = _family(_register("r", None, CHILD_BORN))
    prepared = [prepare(r) for r in records]
    relatives = Relatives(prepared)
    child, mum, brother, register = 0, 2, 3, 4
    assert relatives.ruled_out(register, child, [register], [child])
    assert relatives.ruled_out(child, register, [child], [register])  # either side
    # Joined to the brother, the register's record may be Cai's, a relative in view of his.
    assert not relatives.ruled_out(register, brother, [register], [brother])
    assert not relatives.ruled_out(child, mum, [child], [mum])  # both at the home


def test_a_census_husband_joins_the_register_record_of_his_birthday():
    """Regression: "Husband" on a census form, beside "Gareth Price" of the same birthday on a
    register, read as two first names of one birthday and surname: twins, never merged. A role
    written for a name is no name (``normalise.ROLE_GIVEN``)."""
    born = D(1980, 1, 7)
    records = [
        _at_home("h", "Husband", born, "m"),
        _at_home("w", "Angharad", D(1984, 11, 2), "f"),
        _at_home("s", "Dewi", D(2011, 1, 20), "m"),
        _register("r", "Gareth", born),
    ]
    labels = _labels(records)
    assert labels["r"] == labels["h"]
    assert len({labels["h"], labels["w"], labels["s"]}) == 3
