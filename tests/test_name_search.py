"""People search finds Welsh and English name forms as practitioners type them.

Regression (issue 10): "Parry-Jones" and "ap Dafydd" found nobody, and "Llywelyn" did not find
"Llewellyn". The table below is synthetic people only: each row is a person as recorded and a name
as a practitioner might type it. The first 60 rows must find the person (through the search page's
service, as a social worker of the authority); the last rows are forms that are different names and
must not be read as the same.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from diogelu.people.search import (
    NameQuery,
    SearchCriteria,
    family_matches,
    name_units,
    search_people,
    spelling_key,
)
from tests import factories as f

# (given name as recorded, family name as recorded, what is typed)
FOUND: list[tuple[str, str, str]] = [
    # hyphenated and double family names
    ("Catrin", "Parry-Jones", "Parry-Jones"),
    ("Catrin", "Parry-Jones", "Parry Jones"),
    ("Catrin", "Parry-Jones", "parry-jones"),
    ("Catrin", "Parry-Jones", "PARRY JONES"),
    ("Catrin", "Parry-Jones", "ParryJones"),
    ("Catrin", "Parry-Jones", "Catrin Parry-Jones"),
    ("Catrin", "Parry-Jones", "Catrin Parry Jones"),
    ("Catrin", "Parry-Jones", "Jones-Parry"),
    ("Catrin", "Parry-Jones", "Parry-Jones, Catrin"),
    ("Catrin", "Parry-Jones", "Kate Parry-Jones"),
    ("Catrin", "Parry-Jones", "Catrin Jones"),
    ("Catrin", "Parry-Jones", "Parry"),
    ("Bethan", "Williams-Hughes", "Williams Hughes"),
    ("Bethan", "Williams-Hughes", "Hughes"),
    ("Bethan", "Williams-Hughes", "Beth Williams-Hughes"),
    ("Bethan", "Williams-Hughes", "Bethan Williams Huws"),
    ("Alys", "Morgan-Rees", "Morgan Rhys"),
    ("Jac", "Jones-Evans", "Jac Jones Ifans"),
    ("Dafydd", "Wyn Jones", "Dafydd Jones"),
    ("Dafydd", "Wyn Jones", "Dafydd Wyn Jones"),
    ("Llinos", "Jones", "Llinos Wyn Jones"),
    # Welsh patronymic particles: ap / ab (son of), ferch / verch (daughter of)
    ("Gethin", "ap Dafydd", "ap Dafydd"),
    ("Gethin", "ap Dafydd", "ab Dafydd"),
    ("Gethin", "ap Dafydd", "AP DAFYDD"),
    ("Gethin", "ap Dafydd", "Gethin ap Dafydd"),
    ("Gethin", "ap Dafydd", "ap David"),
    ("Gethin", "ap Dafydd", "Gethin Dafydd"),
    ("Gethin", "ap Dafydd", "ap Dafydd, Gethin"),
    ("Elis", "ab Owain", "ab Owain"),
    ("Elis", "ab Owain", "ap Owain"),
    ("Elis", "ab Owain", "Elis ab Owen"),
    ("Ieuan", "ab Ithel", "ap Ithel"),
    ("Gwenllian", "ferch Huw", "ferch Huw"),
    ("Gwenllian", "ferch Huw", "verch Huw"),
    ("Gwenllian", "ferch Huw", "Gwenllian verch Hugh"),
    ("Angharad", "verch Ifan", "ferch Ifan"),
    # Welsh and English spellings of one name
    ("Nia", "Llewellyn", "Llywelyn"),
    ("Nia", "Llewellyn", "Llewelyn"),
    ("Nia", "Llewellyn", "Lewellyn"),
    ("Nia", "Llewellyn", "Nia Llywelyn"),
    ("Osian", "Llywelyn", "Llewellyn"),
    ("Dylan", "Smyth", "Smith"),
    ("Mari", "Pryce", "Price"),
    ("Rhodri", "Rees", "Rhys"),
    ("Tomos", "Davies", "Davis"),
    ("Tomos", "Davies", "Thomas Davies"),
    ("Ffion", "Griffiths", "Gruffydd"),
    ("Aled", "Vaughan", "Fychan"),
    ("Sioned", "Lloyd", "Llwyd"),
    ("Iwan", "Evans", "Ifans"),
    ("Iwan", "Evans", "Ieuan Evans"),
    ("Cerys", "Hughes", "Huws"),
    ("Angharad", "Phillips", "Philips"),
    ("Megan", "Powell", "Powel"),
    ("Gareth", "Bowen", "Bowin"),
    ("Lowri", "Jenkins", "Jenkyns"),
    ("Owain", "Thomas", "Tomos"),
    ("Elen", "Roberts", "Ellen Roberts"),
    ("Siân", "O'Brien", "Sian OBrien"),
    ("Siân", "O'Brien", "O Brien"),
    ("Siân", "Prydderch", "Prydd"),
    ("Gwilym", "Pritchard", "William Pritchard"),
    ("Llŷr", "Parri", "Llyr Parry"),
]

# Different names that must not be read as one (family name typed, family name recorded).
NOT_THE_SAME: list[tuple[str, str]] = [
    ("Jones", "Johnson"),
    ("Powell", "Howell"),
    ("Price", "Rees"),
    ("ap Dafydd", "ferch Dafydd"),
    ("Davies", "Dafydd"),
    ("Parry-Jones", "Parry-Evans"),
    ("Lee", "Leigh-Jones"),
    ("Hughes", "Hughson"),
]


def test_the_table_is_large_enough() -> None:
    assert len(FOUND) >= 50
    assert len({(g, fam, q) for g, fam, q in FOUND}) == len(FOUND)


def test_every_name_form_finds_the_person(world) -> None:
    people = {
        (given, family): f.person(world.authority, given_name=given, family_name=family)
        for given, family, _ in FOUND
    }
    missed = []
    for given, family, typed in FOUND:
        found = search_people(world.social_worker, SearchCriteria(name=typed))
        if people[(given, family)] not in found:
            missed.append(f"{typed!r} did not find {given} {family}")
    assert not missed, "\n".join(missed)


@pytest.mark.parametrize(("typed", "recorded"), NOT_THE_SAME)
def test_different_names_are_not_joined(typed: str, recorded: str) -> None:
    from diogelu.matching.normalise import fold

    assert family_matches(fold(typed), fold(recorded)) == 0


def test_the_exact_name_comes_first(world) -> None:
    exact = f.person(world.authority, given_name="Catrin", family_name="Parry-Jones")
    half = f.person(world.authority, given_name="Catrin", family_name="Jones")
    variant = f.person(world.authority, given_name="Kate", family_name="Parry Jones")
    found = search_people(world.social_worker, SearchCriteria(name="Catrin Parry-Jones"))
    assert found[:3] == [exact, variant, half]


def test_search_page_finds_a_hyphenated_and_a_patronymic_name(world) -> None:
    catrin = f.person(world.authority, given_name="Catrin", family_name="Parry-Jones")
    gethin = f.person(world.authority, given_name="Gethin", family_name="ap Dafydd")
    client = world.client_for(world.social_worker)
    for typed, who in (("Parry-Jones", catrin), ("ap Dafydd", gethin)):
        body = client.post(reverse("search_people"), {"name": typed}).content.decode()
        assert f'href="/people/{who.pk}/"' in body, typed


def test_a_police_officer_still_sees_only_involved_people(world) -> None:
    f.person(world.authority, given_name="Catrin", family_name="Parry-Jones")
    assert search_people(world.police_officer, SearchCriteria(name="Parry-Jones")) == []


def test_parsing() -> None:
    assert name_units("gethin ap dafydd") == ("gethin", "ap dafydd")
    assert name_units("gwen verch huw") == ("gwen", "ferch huw")
    assert spelling_key("llywelyn") == spelling_key("llewellyn")
    assert NameQuery.parse("Parry-Jones, Catrin").readings == (("catrin", "parry jones", ""),)
    assert NameQuery.parse("Catrin Parry-Jones").readings == (
        ("", "catrin parry jones", ""),
        ("catrin", "parry jones", ""),
        ("catrin", "jones", "parry"),
    )


def test_names_only_other_people_have_find_nobody_the_user_may_not_see(world) -> None:
    """The spellings a typed name answers are read from every name in the authority, not only from
    the people the user may see (issue 17: joining every visible person cost 0.86 s of a search at
    a county). A name only hidden people have selects nobody; visible people are found as
    before."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.person(world.other_authority, given_name="Tangwystl", family_name="Cadwaladr")
    mine = f.person(world.authority, given_name="Ffraid", family_name="Pritchard")
    # Another authority's child: their names are in the vocabulary, yet select nobody.
    assert search_people(world.social_worker, SearchCriteria(name="Cadwaladr")) == []
    assert search_people(world.social_worker, SearchCriteria(name="Tangwystl")) == []
    found = search_people(world.social_worker, SearchCriteria(name="Ffraid Pritchard"))
    assert found[0] == mine
    with CaptureQueriesContext(connection) as queries:
        search_people(world.social_worker, SearchCriteria(name="Ffraid Pritchard"))
    # The names are kept in memory (``name_vocabulary``) and brought up to date from what
    # changed since, through the time indexes: two reads, never joined to the people the user
    # may see, and no step through every distinct name.
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not any("WITH RECURSIVE" in sql for sql in sqls)
    synced = [sql for sql in sqls if sql.startswith("SELECT DISTINCT") and "_folded" in sql]
    assert len(synced) == 2
    assert not any("access_" in sql for sql in synced)


def test_people_of_one_name_come_in_one_order(world) -> None:
    """Ties in name and score are broken by record, so the same search lists the same people in
    the same order every time (before, a database could return them in any order)."""
    made = [f.person(world.authority, given_name="Sian", family_name="Evans") for _ in range(6)]
    found = search_people(world.social_worker, SearchCriteria(name="Sian Evans"))
    evans = [p.pk for p in found if p.family_name == "Evans" and p.given_name == "Sian"]
    assert evans == sorted(p.pk for p in made)


def test_the_name_vocabulary_is_every_distinct_name_kept_in_step(world) -> None:
    """The names kept for search (``name_vocabulary``) are exactly the distinct names of the
    authority's people and of their other names, and a person added or renamed after they were
    read is found by the next search (issue 17: they were read from the database on every
    search, a step through the index for each distinct name)."""
    from diogelu.people.models import Person, PersonName
    from diogelu.people.name_vocabulary import vocabulary

    for given, family in [("Aled", "Evans"), ("Aled", "Evans"), ("Bethan", "Ab Owen")]:
        f.person(world.authority, given_name=given, family_name=family)
    person = f.person(world.authority, given_name="Cai", family_name="Zeller")
    PersonName.objects.create(
        person=person, kind="PREVIOUS", given_name="Zac", family_name="Abbott"
    )
    kept = vocabulary(world.authority.pk)
    mine = Person.objects.filter(authority=world.authority)
    theirs = PersonName.objects.filter(person__authority=world.authority)
    for field, names in (("family_folded", kept.family.names), ("given_folded", kept.given.names)):
        expected = {v for v in mine.values_list(field, flat=True) if v} | {
            v for v in theirs.values_list(field, flat=True) if v
        }
        assert names == expected, field
    assert not search_people(world.social_worker, SearchCriteria(name="Quibbleworth"))
    new = f.person(world.authority, given_name="Nia", family_name="Quibbleworth")
    assert new in search_people(world.social_worker, SearchCriteria(name="Quibbleworth"))
    person.family_name = "Yarrowby"
    person.save()
    assert person in search_people(world.social_worker, SearchCriteria(name="Cai Yarrowby"))
    PersonName.objects.create(person=new, kind="PREVIOUS", given_name="Nia", family_name="Wexcombe")
    assert new in search_people(world.social_worker, SearchCriteria(name="Wexcombe"))


def test_names_corrected_in_place_are_found_after_the_names_were_kept(world) -> None:
    """A person renamed through the versioned edit (an ``update()``, which skips ``auto_now``)
    and another name corrected in place keep their ``created_at``: the kept names synced by it,
    or by an unstamped ``updated_at``, never saw the new spellings (review of ADR 0834)."""
    import datetime

    import time_machine

    from diogelu.core.concurrency import save_versioned
    from diogelu.matching.normalise import fold
    from diogelu.people.models import PersonName

    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        person = f.person(world.authority, given_name="Nia", family_name="Smith")
        other = PersonName.objects.create(
            person=person, kind="PREVIOUS", given_name="Nia", family_name="Jonz"
        )
        clock.move_to(start + datetime.timedelta(minutes=10))
        assert person in search_people(world.social_worker, SearchCriteria(name="Nia Smith"))
        clock.move_to(start + datetime.timedelta(minutes=20))
        person.family_name = "Quarrington"
        person.family_folded = fold(person.family_name)
        save_versioned(
            person, expected_version=person.version, fields=["family_name", "family_folded"]
        )
        other.family_name = "Wexley-Hughes"
        other.save()
        clock.move_to(start + datetime.timedelta(minutes=21))
        assert person in search_people(world.social_worker, SearchCriteria(name="Quarrington"))
        assert person in search_people(world.social_worker, SearchCriteria(name="Wexley-Hughes"))
