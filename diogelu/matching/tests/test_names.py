import pytest

from diogelu.matching.names import (
    GIVEN_NAME_GROUPS_SOURCE,
    given_name_variants,
    given_names_equivalent,
    surnames_equivalent,
)
from diogelu.matching.normalise import fold


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siôn", "John"),
        ("Sion", "Shon"),
        ("Dafydd", "David"),
        ("Dafydd", "Dai"),
        ("David", "Dave"),
        ("Dewi", "Dafydd"),
        ("Rhys", "Rees"),
        ("Gwilym", "William"),
        ("Gwilym", "Bill"),
        ("Elin", "Ellen"),
        ("Siân", "Jane"),
        ("Ioan", "John"),
        ("Ifan", "Evan"),
        ("Huw", "Hugh"),
        ("Owain", "Owen"),
        ("Tomos", "Tom"),
        ("Catrin", "Kate"),
        ("Elizabeth", "Bethan"),
        ("Mair", "Mary"),
        ("Iestyn", "Justin"),
        ("Harri", "Henry"),
        ("Lowri", "Laura"),
    ],
)
def test_equivalent_given_names(a, b):
    assert given_names_equivalent(a, b)
    assert given_names_equivalent(b, a)
    assert fold(b) in given_name_variants(a)


@pytest.mark.parametrize(("a", "b"), [("Dafydd", "John"), ("Rhys", "William"), ("Elin", "Mary")])
def test_different_given_names(a, b):
    assert not given_names_equivalent(a, b)


def test_variants_include_the_name_itself_even_if_unknown():
    assert given_name_variants("Zebedee") == frozenset({"zebedee"})
    assert "sion" in given_name_variants("SIÔN")


def test_table_is_well_formed():
    for group in GIVEN_NAME_GROUPS_SOURCE:
        assert len(group) >= 2, group
        folded = [fold(n) for n in group]
        assert len(set(folded)) == len(folded), f"duplicate in {group}"


@pytest.mark.parametrize(
    ("a", "b"), [("Davies", "Davis"), ("Evans", "Ifans"), ("Rees", "Rhys"), ("Lloyd", "Llwyd")]
)
def test_equivalent_surnames(a, b):
    assert surnames_equivalent(a, b)


def test_derived_but_different_surnames_are_not_joined():
    # Price comes from "ap Rhys" but is a different family name from Rees.
    assert not surnames_equivalent("Price", "Rees")
    assert not surnames_equivalent("Powell", "Howell")


def test_groups_are_not_transitive():
    # Evan (through Ioan) and Jack are both forms of John, and also names brothers are given.
    assert given_names_equivalent("Evan", "Ioan")
    assert given_names_equivalent("Ioan", "John")
    assert given_names_equivalent("Jack", "John")
    assert not given_names_equivalent("Evan", "Jack")
    assert not given_names_equivalent("Evan", "John")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Patty", "Patricia"),
        ("Sammy", "Samantha"),
        ("Ronny", "Ronald"),
        ("Ronnie", "Ronald"),
        ("Kenny", "Kendrick"),
        ("Debby", "Deborah"),
        ("Gabby", "Gabrielle"),
        ("Kathy", "Kathleen"),
        ("Jimmie", "James"),  # Jimmy's other spelling
        ("Miky", "Mikey"),
    ],
)
def test_diminutives_from_the_public_list_and_their_spellings(a, b):
    """English diminutives (-y, -ie, -ey, -i) of the names they shorten (ADR 0840)."""
    assert given_names_equivalent(a, b)
    assert given_names_equivalent(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Edwin", "Edwina"),  # two names in their own right, of different sexes
        ("Amelia", "Amy"),
        ("Gareth", "Gary"),
        ("Marilyn", "Mary"),
        ("Leslie", "Lesley"),  # a full name is not respelt
        ("Robert", "William"),  # the public list's "Bill" is short for both
        ("Samuel", "Samantha"),  # Sammy is short for both: not transitive
        ("Terence", "Theresa"),
    ],
)
def test_names_in_their_own_right_are_not_joined_by_diminutives(a, b):
    assert not given_names_equivalent(a, b)


def test_the_synthetic_population_is_drawn_from_the_curated_table_alone():
    """The population the engine is measured on does not change when the matching table grows."""
    from diogelu.matching.names import curated_given_names_equivalent

    assert given_names_equivalent("Patty", "Patricia")
    assert not curated_given_names_equivalent("Patty", "Patricia")
    assert curated_given_names_equivalent("Patsy", "Patricia")


def test_diminutive_groups_are_well_formed():
    from diogelu.matching.diminutives import DIMINUTIVE_GROUPS

    for group in DIMINUTIVE_GROUPS:
        full, *short = (fold(n) for n in group)
        assert short, group
        for name in short:
            assert len(name) < len(full) and name.endswith(("y", "ie", "ey", "i")), group


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Charles", "Chuck"),
        ("Henry", "Hank"),
        ("Elizabeth", "Bess"),
        ("Elizabeth", "Bessie"),
        ("Margaret", "Peg"),
        ("Christine", "Tina"),
        ("Theodore", "Ted"),
        ("Edmund", "Ned"),
        ("Martha", "Patsy"),
    ],
)
def test_nicknames_that_do_not_shorten_the_name(a, b):
    """ADR 0846: a census writes Chuck for Charles; they were two different names."""
    assert given_names_equivalent(a, b)


def test_nicknames_do_not_join_the_names_they_share():
    """Ted is Edward's, Theodore's and Edmund's, which stay three names (not transitive), and
    Chuck is not Charlie."""
    assert not given_names_equivalent("Edward", "Theodore")
    assert not given_names_equivalent("Edmund", "Edward")
    assert not given_names_equivalent("Chuck", "Charlie")
