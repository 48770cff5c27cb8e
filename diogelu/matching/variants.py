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
class LearnedVariant:
    a: str
    b: str
    groups: int  # surname-and-birthday groups in which both names appear
    expected: float  # how many such groups chance alone would give


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


def _learn_from(groups: list[dict[str, Prepared]]) -> dict[tuple[str, str], LearnedVariant]:
    together: Counter[tuple[str, str]] = Counter()
    seen: Counter[str] = Counter()
    for names in groups:
        ordered = sorted(names)
        seen.update(ordered)
        for a, b in itertools.combinations(ordered, 2):
            if _different_names(names[a], names[b]):
                together[(a, b)] += 1
    out: dict[tuple[str, str], LearnedVariant] = {}
    n = max(len(groups), 1)
    for (a, b), count in together.items():
        if count < MIN_GROUPS:
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
    found = _learn_from(_groups_of(records, by_home=False))
    for key, variant in _learn_from(_groups_of(records, by_home=True)).items():
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


def learn_and_apply(*lists: Sequence[Prepared]) -> list[LearnedVariant]:
    """Learn from all the lists together (both sides of a link), and apply to each."""
    everything = [p for records in lists for p in records]
    learned = learn(everything)
    for records in lists:
        apply(records, learned)
    return learned


def summary(learned: Sequence[LearnedVariant], shown: int = 8) -> str:
    """One line for the progress log."""
    if not learned:
        return "learned no first-name variants from this file"
    pairs = ", ".join(f"{v.a}~{v.b} ({v.groups})" for v in learned[:shown])
    more = f" and {len(learned) - shown} more" if len(learned) > shown else ""
    return (
        f"learned {len(learned)} first-name variants from this file (pairs of names found "
        f"together, in groups of one surname and one birthday or postcode, far more often than "
        f"chance; the count of groups in brackets): {pairs}{more}"
    )
