"""First-name variants learned from the file being matched (ADR 0813).

The name table (``names.py``) knows Welsh and English forms and the usual nicknames. A legacy
extract has its own: "Ian" for John, "Jacob" for James, "Nessie" for Agnes, "Harold" for Henry. To
the table these are different names, and with the household rules on, two records of one person
with different first names, one birthday and one surname look like twins.

The file itself says which pairs are one name. Take every group of records with one surname and
one full date of birth (not a placeholder). Two people of one surname born on one day are twins
or strangers, and their first names are chosen independently of any other such group's. So a
pair of first names that turns up together in many groups, far more often than the two names'
own frequencies explain, is not a pair of twins' names but one name written two ways. A pair is
learned when it is seen in at least ``MIN_GROUPS`` groups (of either kind: one surname and one
birthday, or one surname and one postcode, each kind against its own chance) and a Poisson tail
probability of seeing it that often by chance is below ``ALPHA``.

On the synthetic Welsh population (relatives, twins of the same popular names in the same years)
almost nothing but typing errors of one name is learned at this bar; on historical_50k, 51 pairs,
every one of them one person's names in the truth (docs/performance.md, 2026-12-05 afternoon).

Learned pairs count as variants (the comparison's level 2) only for this run's records: they are
kept on the prepared records' ``g_groups``, never in the table or in a shared cache.

The same groups also tell the other way (``learn_distinct``): first names spelt alike (level 6:
Owain and Osian) that are both common in the file and meet in its groups no more often than
chance are two names, not one mistyped; for this run's records they count as different names
(level 8, kept on ``g_apart``), so that twins of those names are twins.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import Counter
from collections.abc import Sequence

from diogelu.matching.record import Prepared

MIN_GROUPS = 3
ALPHA = 1e-5
# A surname-and-birthday group larger than this is a placeholder date or an institution.
MAX_GROUP = 30
# Learned pairs' group ids start here, far above the table's.
LEARNED_BASE = 1_000_000


@dataclasses.dataclass(frozen=True, slots=True)
class NamePair:
    """Two first names, the groups of one kind in which both appear, and how many such groups
    chance alone would give."""

    a: str
    b: str
    groups: int
    expected: float


class LearnedVariant(NamePair):
    """Two first names that the file shows to be one name (``learn``)."""

    __slots__ = ()


def _tail(count: int, mean: float) -> float:
    """P(X >= count) for X Poisson with the given mean."""
    if mean <= 0:
        return 0.0
    term = math.exp(-mean + count * math.log(mean) - math.lgamma(count + 1))
    total = 0.0
    for k in range(count, count + 200):
        total += term
        term *= mean / (k + 1)
        if term < total * 1e-12:
            break
    return total


def _different_names(a: Prepared, b: Prepared) -> bool:
    """Two first names that the table, spelling and sound do not join (the comparison's level 8
    from the table alone)."""
    from diogelu.matching.compare import DIFFERENT_GIVEN_NAMES, table_given_level

    return table_given_level(a, b) == DIFFERENT_GIVEN_NAMES


def _groups_of(records: Sequence[Prepared], by_home: bool) -> list[dict[str, Prepared]]:
    """The first names (one record each) of every group of records with one surname and one
    birthday, or one surname and one postcode, that has two or more first names."""
    groups: dict[tuple[str, str], dict[str, Prepared]] = {}
    sizes: Counter[tuple[str, str]] = Counter()
    for p in records:
        if not (p.f and p.g and len(p.g) > 1):
            continue
        if by_home:
            if not p.pc:
                continue
            key = (p.f, p.pc)
        else:
            if p.dob is None or p.dob_ph:
                continue
            key = (p.f, p.dob_s)
        sizes[key] += 1
        groups.setdefault(key, {}).setdefault(p.g, p)
    return [names for key, names in groups.items() if len(names) > 1 and sizes[key] <= MAX_GROUP]


@dataclasses.dataclass(frozen=True, slots=True)
class _Counts:
    """One kind of group, counted once for both ways of learning: how many groups, how many
    hold each first name, how many hold each pair of them (every pair, alike or not), and one
    record of each name (the comparison depends on the name alone)."""

    n: int
    seen: Counter[str]
    together: Counter[tuple[str, str]]
    one: dict[str, Prepared]


def _counts(groups: list[dict[str, Prepared]]) -> _Counts:
    seen: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    one: dict[str, Prepared] = {}
    for names in groups:
        ordered = sorted(names)
        seen.update(ordered)
        for name in ordered:
            one.setdefault(name, names[name])
        together.update(itertools.combinations(ordered, 2))
    return _Counts(len(groups), seen, together, one)


def _learn_from(counts: _Counts) -> dict[tuple[str, str], LearnedVariant]:
    out: dict[tuple[str, str], LearnedVariant] = {}
    n = max(counts.n, 1)
    seen, one = counts.seen, counts.one
    for (a, b), count in counts.together.items():
        if count < MIN_GROUPS or not _different_names(one[a], one[b]):
            continue
        expected = seen[a] * seen[b] / n
        if _tail(count, expected) < ALPHA:
            out[(a, b)] = LearnedVariant(a, b, count, expected)
    return out


def learn(records: Sequence[Prepared]) -> list[LearnedVariant]:
    """First-name pairs that this file shows to be one name, commonest first.

    Two kinds of group are read separately, each against its own chance: one surname and one
    birthday (twins or strangers), and one surname and one postcode (a household: brothers and
    sisters, whose names are chosen independently of other households' children)."""
    return _learn(*_kinds(records))


def _kinds(records: Sequence[Prepared]) -> tuple[_Counts, _Counts]:
    """The two kinds of group, counted: one surname and one birthday; one surname and one
    postcode."""
    return _counts(_groups_of(records, by_home=False)), _counts(_groups_of(records, by_home=True))


def _learn(by_birthday: _Counts, by_home: _Counts) -> list[LearnedVariant]:
    found = _learn_from(by_birthday)
    for key, variant in _learn_from(by_home).items():
        if key not in found or found[key].groups < variant.groups:
            found[key] = variant
    out = list(found.values())
    out.sort(key=lambda v: (-v.groups, v.a, v.b))
    return out


def apply(records: Sequence[Prepared], learned: Sequence[LearnedVariant]) -> None:
    """Give each record whose first name is in a learned pair that pair's group (in place)."""
    extra: dict[str, set[int]] = {}
    for k, v in enumerate(learned):
        extra.setdefault(v.a, set()).add(LEARNED_BASE + k)
        extra.setdefault(v.b, set()).add(LEARNED_BASE + k)
    if not extra:
        return
    for p in records:
        more = extra.get(p.g)
        if more:
            p.g_groups = p.g_groups | more


# -- alike first names that the file shows to be two names ------------------------------------
#
# The other way round: two first names spelt alike (the comparison's level 6: Owain and Osian,
# Gethin and Ethan, Laura and Lauren) may be one name mistyped or two names, which twins and
# brothers and sisters are given. The same groups tell. One name written two ways turns up
# together far above chance (William and Willie in historical_50k: 130 surname-and-postcode
# groups where chance gives 14). Two names turn up together only as often as chance puts them
# side by side. That is evidence only where chance would put them together often: both names
# common among the groups, which a mistyping never is, and room between chance and "always
# together" for the file to have told one name. So a pair is two names when, in one kind of
# group at least, chance alone would put them together in ``MIN_EXPECTED`` groups or more and
# finding both in every group of the rarer name would have cleared a learned variant's bar
# (``ALPHA``), and in neither kind are they found together more often than chance explains (a
# Poisson tail probability of at least ``NOT_ABOVE_CHANCE``). Between this and a learned
# variant's bar lies a band where the file decides nothing, and the table's level stands.
MIN_EXPECTED = 1.0
NOT_ABOVE_CHANCE = 0.01


class DistinctNames(NamePair):
    """Two alike first names that the file shows to be two names (``learn_distinct``); the
    groups are of the kind where chance would put them together most."""

    __slots__ = ()


def _alike_names(a: Prepared, b: Prepared) -> bool:
    """Two first names that the table, spelling and sound find alike (level 6), not a variant."""
    from diogelu.matching.compare import ALIKE_GIVEN_NAMES, table_given_level

    return table_given_level(a, b) == ALIKE_GIVEN_NAMES


def learn_distinct(records: Sequence[Prepared]) -> list[DistinctNames]:
    """Pairs of alike first names (level 6) that this file shows to be two names, commonest
    first."""
    return _learn_distinct(*_kinds(records))


def _learn_distinct(by_birthday: _Counts, by_home: _Counts) -> list[DistinctNames]:
    kinds = [(k.n, k.seen, k.together) for k in (by_birthday, by_home)]
    one: dict[str, Prepared] = {}
    for k in (by_birthday, by_home):
        for name, p in k.one.items():
            one.setdefault(name, p)
    # Candidates: pairs that chance would put together MIN_EXPECTED times in some kind of group.
    candidates: set[tuple[str, str]] = set()
    for n, seen, _ in kinds:
        common = sorted(seen, key=lambda name: (-seen[name], name))
        for i, a in enumerate(common):
            if seen[a] * seen[common[0]] < MIN_EXPECTED * n:
                break
            for b in common[i + 1 :]:
                if seen[a] * seen[b] < MIN_EXPECTED * n:
                    break
                candidates.add((a, b) if a < b else (b, a))
    out: list[DistinctNames] = []
    for a, b in sorted(candidates):
        if not _alike_names(one[a], one[b]):
            continue
        shown: DistinctNames | None = None
        for n, seen, together in kinds:
            expected = seen[a] * seen[b] / max(n, 1)
            count = together[(a, b)]
            if count and _tail(count, expected) < NOT_ABOVE_CHANCE:
                shown = None  # together more often than chance: perhaps one name
                break
            # Could this kind of group have shown them to be one name? Both common, and the
            # rarer's groups all holding both would be a learned variant.
            if (
                expected >= MIN_EXPECTED
                and _tail(min(seen[a], seen[b]), expected) < ALPHA
                and (shown is None or expected > shown.expected)
            ):
                shown = DistinctNames(a, b, count, expected)
        if shown is not None:
            out.append(shown)
    out.sort(key=lambda d: (-d.expected, d.a, d.b))
    return out


def apply_distinct(records: Sequence[Prepared], distinct: Sequence[DistinctNames]) -> None:
    """Give each record whose first name is in such a pair the other name (in place)."""
    apart: dict[str, set[str]] = {}
    for d in distinct:
        apart.setdefault(d.a, set()).add(d.b)
        apart.setdefault(d.b, set()).add(d.a)
    if not apart:
        return
    frozen = {name: frozenset(others) for name, others in apart.items()}
    for p in records:
        others = frozen.get(p.g)
        if others:
            p.g_apart = p.g_apart | others


@dataclasses.dataclass(frozen=True, slots=True)
class Learned:
    """What a file shows about its first names: variants (one name) and alike names that are
    two."""

    variants: list[LearnedVariant]
    distinct: list[DistinctNames]


def learn_all(*lists: Sequence[Prepared]) -> Learned:
    """Learn from all the lists together (both sides of a link), and apply to each."""
    everything = [p for records in lists for p in records]
    kinds = _kinds(everything)  # counted once for both ways of learning
    learned = Learned(_learn(*kinds), _learn_distinct(*kinds))
    for records in lists:
        apply(records, learned.variants)
        apply_distinct(records, learned.distinct)
    return learned


def learn_and_apply(*lists: Sequence[Prepared]) -> list[LearnedVariant]:
    """Learn from all the lists together (both sides of a link), and apply to each: variants,
    and alike names that are two (``learn_all``). Returns the variants."""
    return learn_all(*lists).variants


def _log_line(items: Sequence[str], shown: int, empty: str, head: str) -> str:
    """One line for the progress log: ``head`` and the first ``shown`` items, or ``empty``."""
    if not items:
        return empty
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return f"{head}: {', '.join(items[:shown])}{more}"


def summary(learned: Sequence[LearnedVariant], shown: int = 8) -> str:
    """One line for the progress log."""
    return _log_line(
        [f"{v.a}~{v.b} ({v.groups})" for v in learned],
        shown,
        "learned no first-name variants from this file",
        f"learned {len(learned)} first-name variants from this file (pairs of names found "
        f"together, in groups of one surname and one birthday or postcode, far more often than "
        f"chance; the count of groups in brackets)",
    )


def distinct_summary(distinct: Sequence[DistinctNames], shown: int = 8) -> str:
    """One line for the progress log."""
    return _log_line(
        [f"{d.a}/{d.b} ({d.groups}, {d.expected:.1f})" for d in distinct],
        shown,
        "found no alike first names that this file shows to be two names",
        f"{len(distinct)} pairs of first names spelt alike are two names in this file (both "
        f"common, and found together in groups of one surname and one birthday or postcode no "
        f"more often than chance; groups with both, and chance's count, in brackets)",
    )
