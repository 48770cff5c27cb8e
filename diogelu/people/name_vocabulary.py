"""The folded names an authority's people are recorded under, kept in memory and in step: which
stored spellings a name typed into people search answers (``search._name_filter``).

Search read the whole vocabulary on every request (a step through the index of folded names for
each distinct value, four times) and compared every stored name with the typed one in Python.
Both grow with the number of different names. The generated data has few (76 surnames at a
county), which hid it: a real authority of 300,000 people has tens of thousands, and 20,000
surnames cost about 160 ms of index steps and 140 ms of comparing per search.

Now each process keeps each authority's folded family and given names, built on first use (or
before gunicorn forks, with the matching index: ``matching_index.warm_indexes``) and brought up
to date before each search from the people changed and the other names added since, through
their time indexes, as the matching index is. The names are indexed by what can make a stored
name answer a typed one (each part, the part without a patronymic particle, the spelling key,
the Welsh/English tables' groups, and the start of a part), so a search looks up the few stored
names that may answer and lets ``family_matches`` and ``given_matches`` decide, as before. The
answer is the same as comparing every name (a test compares them on random vocabularies).

A name no longer used stays in the vocabulary until the process restarts. That is harmless: the
vocabulary only says which spellings to ask for; the people are then chosen from those the user
may see.
"""

from __future__ import annotations

import abc
import bisect
import datetime
import threading
from collections.abc import Iterable, Set
from dataclasses import dataclass, field

from diogelu.matching.names import given_name_groups, surname_groups

#: Each sync reads back this far before the last one: a row is stamped when it is written but
#: seen only when its transaction commits (a request's transaction, an import's), and app
#: servers' clocks may differ a little.
OVERLAP = datetime.timedelta(seconds=60)
#: And the names are read afresh this often, which bounds anything the overlap missed (a
#: transaction committed later still, a clock further out) to this long.
REBUILD_AFTER = datetime.timedelta(hours=1)


def _key(text: str) -> tuple[str, str] | None:
    """The spelling key of a part, with its first letter (``search._same_key`` asks both)."""
    from diogelu.people.search import MIN_KEY_LETTERS, spelling_key

    if len(text) < MIN_KEY_LETTERS:
        return None
    return text[0], spelling_key(text)


class _Lookup:
    """Stored names filed under keys, and sorted texts for "starts with"."""

    def __init__(self) -> None:
        self.by: dict[object, set[str]] = {}
        self.starts: list[tuple[str, str]] = []  # (text, stored name), sorted
        self._unsorted = False

    def file(self, key: object, stored: str) -> None:
        self.by.setdefault(key, set()).add(stored)

    def file_start(self, text: str, stored: str) -> None:
        self.starts.append((text, stored))
        self._unsorted = True

    def get(self, key: object) -> Set[str]:
        return self.by.get(key, _EMPTY)

    def starting_with(self, prefix: str) -> set[str]:
        if self._unsorted:
            self.starts.sort()
            self._unsorted = False
        found: set[str] = set()
        i = bisect.bisect_left(self.starts, (prefix, ""))
        while i < len(self.starts) and self.starts[i][0].startswith(prefix):
            found.add(self.starts[i][1])
            i += 1
        return found


_EMPTY: frozenset[str] = frozenset()


class _Names(abc.ABC):
    """Stored names, each filed once under its keys (``_file``)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self._lookup = _Lookup()

    def add(self, stored: str) -> None:
        if stored and stored not in self.names:
            self.names.add(stored)
            self._file(stored, self._lookup)

    @abc.abstractmethod
    def _file(self, stored: str, look: _Lookup) -> None:
        """File ``stored`` under every key a lookup of its kind asks."""


class FamilyNames(_Names):
    """Stored folded family names, looked up by what ``search.family_matches`` compares."""

    def _file(self, stored: str, look: _Lookup) -> None:
        from diogelu.people.search import _bare, name_units

        look.file(("whole", stored.replace(" ", "")), stored)
        for unit in name_units(stored):
            bare = _bare(unit)
            look.file(("unit", unit), stored)
            look.file(("bare", bare), stored)
            for text in {unit, bare}:
                key = _key(text)
                if key is not None:
                    look.file(("key", key), stored)
                look.file_start(text, stored)
            for group in surname_groups(unit):
                look.file(("surname", group), stored)
            for group in given_name_groups(bare):
                look.file(("given", group), stored)

    def answering(self, query: str, least: int = 1) -> list[str]:
        """The stored names that answer ``query`` at ``least`` or better, sorted."""
        from diogelu.people.search import _bare, family_matches, name_units

        if not query:
            return []
        look = self._lookup
        maybe = set(look.get(("whole", query.replace(" ", ""))))
        units = name_units(query)
        for unit in units:
            bare = _bare(unit)
            maybe |= look.get(("unit", unit))
            maybe |= look.get(("bare", bare))
            maybe |= look.get(("unit", bare))
            for text in {unit, bare}:
                key = _key(text)
                if key is not None:
                    maybe |= look.get(("key", key))
            for group in surname_groups(unit):
                maybe |= look.get(("surname", group))
            for group in given_name_groups(bare):
                maybe |= look.get(("given", group))
        if len(units) == 1 and len(units[0]) >= 3:
            maybe |= look.starting_with(units[0])
        return sorted(s for s in maybe if family_matches(query, s) >= least)


class GivenNames(_Names):
    """Stored folded given names (a first name and any middle names), looked up by what
    ``search.given_matches`` compares."""

    def _file(self, stored: str, look: _Lookup) -> None:
        words = stored.split()
        first = words[0]
        look.file(("whole", stored), stored)
        look.file(("first", first), stored)
        for word in words[1:]:
            look.file(("word", word), stored)
        for group in given_name_groups(first):
            look.file(("group", group), stored)
        key = _key(first)
        if key is not None:
            look.file(("key", key), stored)
        look.file_start(first, stored)

    def answering(self, query: str, least: int = 1) -> list[str]:
        """The stored names that answer ``query`` at ``least`` or better, sorted."""
        from diogelu.matching.normalise import fold
        from diogelu.people.search import given_matches

        if not query:
            return []
        look = self._lookup
        folded = fold(query)
        maybe = set(look.get(("whole", query))) | look.get(("first", query))
        maybe |= look.get(("first", folded))
        maybe |= look.get(("word", query))
        for group in given_name_groups(folded):
            maybe |= look.get(("group", group))
        key = _key(query)
        if key is not None:
            maybe |= look.get(("key", key))
        if len(query) >= 3:
            maybe |= look.starting_with(query)
        return sorted(s for s in maybe if given_matches(query, s) >= least)


@dataclass
class Vocabulary:
    """One authority's names, and when they were last brought up to date."""

    family: FamilyNames = field(default_factory=FamilyNames)
    given: GivenNames = field(default_factory=GivenNames)
    synced_at: datetime.datetime | None = None
    built_at: datetime.datetime | None = None

    def add(self, family: Iterable[str], given: Iterable[str]) -> None:
        for name in family:
            self.family.add(name)
        for name in given:
            self.given.add(name)


_lock = threading.Lock()
_vocabularies: dict[int, Vocabulary] = {}


def _read(authority_id: int, since: datetime.datetime | None) -> tuple[set[str], set[str]]:
    """The folded names of the authority's people and their other names (changed or added
    since ``since``, or all)."""
    from diogelu.people.models import Person, PersonName

    people = Person.objects.filter(authority_id=authority_id)
    others = PersonName.objects.filter(person__authority_id=authority_id)
    if since is not None:
        # ``updated_at`` is set when a row is added and when it is corrected (``save_versioned``
        # stamps it too): both through their time indexes.
        people = people.filter(updated_at__gte=since)
        others = others.filter(updated_at__gte=since)
    family: set[str] = set()
    given: set[str] = set()
    for query in (people, others):
        for f, g in query.order_by().values_list("family_folded", "given_folded").distinct():
            family.add(f)
            given.add(g)
    return family, given


def vocabulary(authority_id: int) -> Vocabulary:
    """The authority's names, brought up to date with the database."""
    from django.utils import timezone

    with _lock:
        entry = _vocabularies.get(authority_id)
        now = timezone.now()
        if entry is None or entry.built_at is None or now - entry.built_at > REBUILD_AFTER:
            entry = Vocabulary()
            entry.add(*_read(authority_id, None))
            entry.synced_at = entry.built_at = now
            _vocabularies[authority_id] = entry
            return entry
        assert entry.synced_at is not None
        entry.add(*_read(authority_id, entry.synced_at - OVERLAP))
        entry.synced_at = now
        return entry


def vocabularies(authority_ids: Iterable[int]) -> list[Vocabulary]:
    return [vocabulary(a) for a in sorted(set(authority_ids))]


def answering(vocabularies: list[Vocabulary], kind: str, query: str, least: int) -> list[str]:
    """The stored names (of ``kind``: ``family`` or ``given``) in any of the vocabularies that
    answer ``query`` at ``least`` or better, sorted. Under the lock that guards the names'
    updates: a lookup never sees them half made."""
    found: set[str] = set()
    with _lock:
        for v in vocabularies:
            names: FamilyNames | GivenNames = v.family if kind == "family" else v.given
            found.update(names.answering(query, least))
    return sorted(found)


def forget() -> None:
    """Drop every kept vocabulary (tests, and after bulk imports)."""
    with _lock:
        _vocabularies.clear()
