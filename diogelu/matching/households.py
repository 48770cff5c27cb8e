"""Does a file hold families? The evidence that decides whether the household rules apply.

The household rules (ADR 0101, 0108) keep twins, brothers and sisters, and a parent and child of
one name apart, at a cost in recall: a record missing its first name or date of birth is not
merged without an identifier. That cost is worth paying only where relatives are in the file. A
file of families shows them: among records that share a surname and a home (the same postcode,
or the same street address where there is no postcode), many pairs have first names that are
different names *and* dates of birth years apart, which no typing error explains. In a list of
unrelated individuals such pairs are noise, well under one in ten (ADR 0620).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable

from diogelu.matching.compare import DOB, GIVEN, comparison_vector
from diogelu.matching.model import DIFFERENT_NAMES, GENERATION_APART, YEARS_APART
from diogelu.matching.record import Prepared

# Fewer pairs than this say nothing either way: the rules stay on.
MIN_PAIRS = 100
# A file in which at least this share of same-surname, same-home pairs look like relatives is
# family data. Measured: historical_50k 0.5%, the synthetic Welsh population 70%.
FAMILY_SHARE = 0.10
# Records compared per surname-and-home group (a large group is an institution, not a family).
MAX_GROUP = 30
APART = YEARS_APART | {GENERATION_APART}


@dataclasses.dataclass(frozen=True, slots=True)
class FamilyEvidence:
    """Pairs of records that share a surname and a home, both with a first name and a date of
    birth; and how many of them look like relatives (different names, born years apart)."""

    pairs: int
    relatives: int

    @property
    def share(self) -> float:
        return self.relatives / self.pairs if self.pairs else 0.0

    @property
    def families(self) -> bool | None:
        """True: family data; False: no families; None: too few pairs to tell."""
        if self.pairs < MIN_PAIRS:
            return None
        return self.share >= FAMILY_SHARE

    def text(self) -> str:
        if self.pairs < MIN_PAIRS:
            return (
                f"only {self.pairs} pairs of records share a surname and a home, too few to tell "
                "whether the file holds families"
            )
        return (
            f"{self.relatives:,} of {self.pairs:,} pairs of records sharing a surname and a home "
            f"({100 * self.share:.1f}%) have different first names and births years apart"
        )


def family_evidence(records: Iterable[Prepared]) -> FamilyEvidence:
    """Count same-surname, same-home pairs and those that look like relatives."""
    groups: dict[tuple[str, str], list[Prepared]] = {}
    for p in records:
        if not (p.f and p.g and p.dob):
            continue
        # A full postcode, or an address with a house number: a town or a birthplace is not a home.
        home = p.pc or (p.addr if any(c.isdigit() for c in p.addr) else "")
        if home:
            groups.setdefault((p.f, home), []).append(p)
    pairs = relatives = 0
    for members in groups.values():
        for a, b in itertools.combinations(members[:MAX_GROUP], 2):
            vector = comparison_vector(a, b)
            pairs += 1
            if vector[GIVEN] == DIFFERENT_NAMES and vector[DOB] in APART:
                relatives += 1
    return FamilyEvidence(pairs, relatives)


def household_rules(records: Iterable[Prepared]) -> tuple[bool, FamilyEvidence]:
    """Whether the household rules should apply to these records, and the evidence: on unless
    the file shows that it holds no families."""
    evidence = family_evidence(records)
    return evidence.families is not False, evidence
