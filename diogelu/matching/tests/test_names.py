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
