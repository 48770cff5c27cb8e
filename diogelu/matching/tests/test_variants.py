"""First-name variants learned from the file (ADR 0813)."""

import datetime as dt
import random
from pathlib import Path

from diogelu.matching import Record, variants
from diogelu.matching.cli import main
from diogelu.matching.cluster import cluster
from diogelu.matching.compare import GIVEN, comparison_vector
from diogelu.matching.model import Model
from diogelu.matching.record import Prepared, prepare

SURNAMES = [f"Surname{chr(97 + i)}{chr(97 + j)}" for i in range(20) for j in range(20)]
# Names the table does not join to each other or to "Iain"/"Jon".
NAMES = ["Osian", "Cerys", "Dylan", "Ffion", "Gethin", "Alys", "Macsen", "Nia", "Rhodri", "Elin"]


def _one_person_two_names(k: int, first: str, second: str) -> list[Record]:
    """A person whose records carry two first names, in a family group of their own."""
    born = dt.date(1950, 1, 5) + dt.timedelta(days=97 * k)
    surname = SURNAMES[k]
    return [
        Record(f"{k}a", first, surname, date_of_birth=born, postcode=f"CF{k % 90 + 1} 1AA"),
        Record(f"{k}b", second, surname, date_of_birth=born, postcode=f"CF{k % 90 + 1} 1AA"),
    ]


def _background(n: int, seed: int = 7) -> list[Record]:
    """Strangers and twins with names chosen independently of each other."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        surname = SURNAMES[rng.randrange(len(SURNAMES))]
        for twin in range(2):
            out.append(
                Record(f"bg{k}-{twin}", rng.choice(NAMES), surname + "x", date_of_birth=born)
            )
    return out


def _prepared(records: list[Record]) -> list[Prepared]:
    return [prepare(r) for r in records]


def test_a_pair_of_names_that_many_families_use_for_one_person_is_learned():
    records = [r for k in range(12) for r in _one_person_two_names(k, "Iain", "Jon")]
    records += _background(300)
    prepared = _prepared(records)
    before = comparison_vector(prepared[0], prepared[1])[GIVEN]
    learned = variants.learn_and_apply(prepared)
    assert [(v.a, v.b) for v in learned] == [("iain", "jon")]
    assert learned[0].groups >= 12 and learned[0].expected < 1
    assert before == 8  # different names to the table
    assert comparison_vector(prepared[0], prepared[1])[GIVEN] == 2  # a variant, for this file
    assert "iain~jon" in variants.summary(learned)


def test_learning_stays_with_the_file_it_came_from():
    records = [r for k in range(12) for r in _one_person_two_names(k, "Iain", "Jon")]
    variants.learn_and_apply(_prepared(records))
    # The same names in another file (or the online index) are different names again, even
    # though the comparison of these two names is cached.
    other = _prepared(_one_person_two_names(0, "Iain", "Jon"))
    assert comparison_vector(other[0], other[1])[GIVEN] == 8


def test_names_that_meet_only_by_chance_are_not_learned():
    # 2,000 pairs of twins or strangers of one surname and birthday, their names drawn
    # independently from ten: every pair of names meets many times, as often as chance says.
    prepared = _prepared(_background(2000))
    assert variants.learn(prepared) == []


def test_a_pair_seen_in_too_few_families_is_not_learned():
    records = [
        r for k in range(variants.MIN_GROUPS - 1) for r in _one_person_two_names(k, "Iain", "Jon")
    ]
    assert variants.learn(_prepared(records + _background(200))) == []


def test_with_household_rules_one_persons_two_names_cluster_once_learned():
    """ "Iain" and "Jon" of one surname, birthday and postcode look like twins to the table; in a
    file where many families record one person under both, they are one person."""
    people = [r for k in range(12) for r in _one_person_two_names(k, "Iain", "Jon")]
    records = people + _background(300)
    model = Model.load_default().for_population(len(records))
    model.sibling_rule = True

    def clusters(learn: bool) -> list[int]:
        prepared = _prepared(records)
        if learn:
            variants.learn_and_apply(prepared)
        pairs = []
        for i in range(0, len(people), 2):
            v = comparison_vector(prepared[i], prepared[i + 1])
            pairs.append((i, i + 1, model.vector_weight(v, prepared[i])))
        return cluster(prepared, pairs, model)

    apart = clusters(learn=False)
    together = clusters(learn=True)
    assert all(apart[i] != apart[i + 1] for i in range(0, len(people), 2))
    assert all(together[i] == together[i + 1] for i in range(0, len(people), 2))


def _write(path: Path, records: list[Record]) -> None:
    lines = ["id,first,last,dob,postcode"]
    for r in records:
        born = r.date_of_birth.isoformat() if r.date_of_birth else ""
        lines.append(f"{r.record_id},{r.given_name},{r.family_name},{born},{r.postcode or ''}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_cli_says_what_it_learned_and_can_be_told_not_to(tmp_path: Path, capsys):
    records = [r for k in range(12) for r in _one_person_two_names(k, "Iain", "Jon")]
    source = tmp_path / "in.csv"
    _write(source, records + _background(100))
    mapping = "record_id=id,given_name=first,family_name=last,date_of_birth=dob,postcode=postcode"
    out = tmp_path / "pairs.csv"
    assert main(["dedupe", str(source), "--map", mapping, "--out", str(out)]) == 0
    log = capsys.readouterr().err
    assert "learned 1 first-name variants from this file" in log
    assert "iain~jon (12)" in log
    assert (
        main(["dedupe", str(source), "--map", mapping, "--out", str(out), "--no-name-learning"])
        == 0
    )
    log = capsys.readouterr().err
    assert "the name table only (--no-name-learning)" in log
    assert "iain~jon" not in log


# -- alike first names that the file shows to be two names ------------------------------------

# Twins' names: pairs spelt alike (the comparison's level 6) among names that are not.
TWINS_NAMES = ["Owain", "Osian", "Gethin", "Ethan", "Siôn", "Cian", "Rhys", "Nia", "Dylan", "Alys"]


def _year_group(families: int, seed: int = 3) -> list[Record]:
    """Families of twins born within one school year, two records of each child, names drawn
    independently from ``TWINS_NAMES``."""
    rng = random.Random(seed)
    out = []
    for k in range(families):
        born = dt.date(2016, 9, 1) + dt.timedelta(days=rng.randrange(365))
        for c, given in enumerate(rng.sample(TWINS_NAMES, 2)):
            for copy in range(2):
                out.append(
                    Record(
                        f"{k}-{c}-{copy}",
                        given,
                        SURNAMES[k],
                        date_of_birth=born,
                        postcode=f"LL{10 + k % 80} {1 + k % 9}AB",
                    )
                )
    return out


def _owain_and_osian(prepared: list[Prepared]) -> tuple[Prepared, Prepared]:
    owain = next(p for p in prepared if p.g == "owain")
    osian = next(p for p in prepared if p.g == "osian")
    return owain, osian


def test_alike_names_that_many_families_give_two_children_are_two_names():
    """Owain and Osian are spelt alike (level 6), which is no family pattern on one birthday, so
    twins of those names merged. In a file where each is common and they meet only as often as
    chance puts them side by side, they are two names (level 8): twins."""
    from diogelu.matching.model import household_pattern

    prepared = _prepared(_year_group(120))
    owain, osian = _owain_and_osian(prepared)
    before = comparison_vector(owain, osian)
    assert before[GIVEN] == 6
    learned = variants.learn_all(prepared)
    found = {(d.a, d.b) for d in learned.distinct}
    assert {("osian", "owain"), ("ethan", "gethin"), ("cian", "sion")} <= found
    assert all(d.expected >= variants.MIN_EXPECTED for d in learned.distinct)
    assert comparison_vector(owain, osian)[GIVEN] == 8
    twin_a, twin_b = (p for p in prepared if p.rid in ("0-0-0", "0-1-0"))
    assert household_pattern(comparison_vector(twin_a, twin_b)) == "twins"
    assert "osian/owain" in variants.distinct_summary(learned.distinct, shown=20)
    # Learned for this file only: the same names elsewhere are alike again.
    elsewhere = _prepared([Record("x", "Owain", "Pryce"), Record("y", "Osian", "Pryce")])
    assert comparison_vector(*elsewhere)[GIVEN] == 6


def test_alike_names_of_one_person_are_not_two_names():
    """Clifford and Cliff (alike, not in the table; William and Willie were, before ADR 0840 put
    Willie in it): many families record one person under both, so they meet far more often than
    chance, however common each is."""
    records = []
    for k in range(40):
        records += _one_person_two_names(k, "Clifford", "Cliff")
    rng = random.Random(5)
    for k in range(300):  # both names common in the file, on people of their own too
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        given = rng.choice(["Clifford", "Cliff", *NAMES])
        records.append(Record(f"o{k}", given, SURNAMES[k % 400] + "y", date_of_birth=born))
    prepared = _prepared(records)
    assert variants.learn_all(prepared).distinct == []
    assert comparison_vector(prepared[0], prepared[1])[GIVEN] == 6


def test_a_few_families_show_nothing_about_alike_names():
    """Too few groups for chance to put two names together even once: the table's level
    stands."""
    prepared = _prepared(_year_group(6))
    assert variants.learn_distinct(prepared) == []
