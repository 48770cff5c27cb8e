"""People search's kept names (``name_vocabulary``) answer a typed name exactly as comparing it
with every stored name did (issue 17: that comparison, and reading every name from the database,
ran on every search and grew with the number of different names).

No database: the lookups are compared with the old way on random vocabularies built from the
name tables' Welsh and English names, their spelling variants, patronymics and double names."""

from __future__ import annotations

import random

import pytest

from diogelu.matching.names import _GIVEN_MEMBERSHIP, _SURNAME_MEMBERSHIP
from diogelu.people.name_vocabulary import FamilyNames, GivenNames
from diogelu.people.search import family_matches, given_matches

SURNAMES = sorted(_SURNAME_MEMBERSHIP)
GIVEN = sorted(_GIVEN_MEMBERSHIP)


def _misspell(rng: random.Random, name: str) -> str:
    """A spelling variant: a letter doubled or dropped, a vowel changed, a digraph written
    another way."""
    if len(name) < 3:
        return name
    i = rng.randrange(1, len(name))
    choice = rng.randrange(5)
    if choice == 0:
        return name[:i] + name[i] + name[i:]
    if choice == 1:
        return name[:i] + name[i + 1 :]
    if choice == 2:
        return name[:i] + rng.choice("aeiouy") + name[i + 1 :]
    if choice == 3:
        return name.replace("ph", "f").replace("c", "k")
    return name + rng.choice(["s", "e", "son"])


def _family(rng: random.Random) -> str:
    base = rng.choice(SURNAMES) if rng.random() < 0.7 else _misspell(rng, rng.choice(SURNAMES))
    roll = rng.random()
    if roll < 0.15:
        return f"{rng.choice(['ap', 'ab', 'ferch', 'verch'])} {rng.choice(GIVEN)}"
    if roll < 0.3:
        return f"{base} {rng.choice(SURNAMES)}"  # a double name
    if roll < 0.35:
        return base + rng.choice(SURNAMES)  # written as one word
    return base


def _given(rng: random.Random) -> str:
    first = rng.choice(GIVEN) if rng.random() < 0.7 else _misspell(rng, rng.choice(GIVEN))
    if rng.random() < 0.3:
        return f"{first} {rng.choice(GIVEN)}"  # with a middle name
    return first


def _queries(rng: random.Random, stored: list[str], made: list[str]) -> list[str]:
    """Stored names, new ones, parts of stored ones and their starts."""
    out = list(made)
    for name in rng.sample(stored, min(len(stored), 60)):
        words = name.split()
        out.append(name)
        out.append(rng.choice(words))
        out.append(name.replace(" ", ""))
        part = rng.choice(words)
        out.append(part[: rng.randrange(1, len(part) + 1)])
        if len(words) > 1:
            out.append(" ".join(reversed(words)))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_family_names_answer_as_every_stored_name_compared(seed: int) -> None:
    rng = random.Random(seed)
    stored = sorted({_family(rng) for _ in range(1500)})
    kept = FamilyNames()
    for name in stored:
        kept.add(name)
    assert kept.names == set(stored)
    queries = _queries(rng, stored, [_family(rng) for _ in range(60)])
    for query in queries:
        for least in (1, 2):
            old = sorted(s for s in stored if family_matches(query, s) >= least)
            assert kept.answering(query, least) == old, (query, least)


@pytest.mark.parametrize("seed", range(6))
def test_given_names_answer_as_every_stored_name_compared(seed: int) -> None:
    rng = random.Random(100 + seed)
    stored = sorted({_given(rng) for _ in range(1200)})
    kept = GivenNames()
    for name in stored:
        kept.add(name)
    queries = [q.split()[0] for q in _queries(rng, stored, [_given(rng) for _ in range(60)]) if q]
    for query in queries:
        for least in (1, 2):
            old = sorted(s for s in stored if given_matches(query, s) >= least)
            assert kept.answering(query, least) == old, (query, least)


def test_names_added_later_are_answered_too() -> None:
    kept = FamilyNames()
    kept.add("jones")
    assert kept.answering("jones") == ["jones"]
    kept.add("parry jones")
    kept.add("ap dafydd")
    kept.add("jonesy")
    assert kept.answering("jones") == sorted(
        s for s in ["jones", "parry jones", "jonesy"] if family_matches("jones", s)
    )
    assert "ap dafydd" in kept.answering("ap david") or not family_matches("ap david", "ap dafydd")
    assert kept.answering("dafydd") == (
        ["ap dafydd"] if family_matches("dafydd", "ap dafydd") else []
    )
