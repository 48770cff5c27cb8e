"""Does a file hold families? The evidence that decides whether the household rules apply.

The household rules (ADR 0101, 0108) keep twins, brothers and sisters, and a parent and child of
one name apart, at a cost in recall: a record missing its first name or date of birth is not
merged without an identifier. That cost is worth paying only where relatives are in the file. A
file of families shows them: among records that share a surname and a home (the same postcode,
or the same street address where there is no postcode), many pairs have first names that are
different names *and* dates of birth years apart, which no typing error explains. In a list of
unrelated individuals such pairs are noise, well under one in ten (ADR 0620).

The same pairs say which other family patterns are evidence in this file (ADR 0822). Twins (one
birthday, different first names), a pair with a date of birth missing on one, a pair born within
a year, alike names born years apart: each is a relative in a family file, in proportion to the
relatives it holds (pairs with different names born years apart, which no typing error makes),
and one person's noise in a file of individuals whose records carry other names, nicknames the
name table does not know and dates typed wrong. Where a kind turns up far more often than the
file's relatives could explain, it is noise there, and the household rules leave it out.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable

from diogelu.matching.compare import DOB, GIVEN, comparison_vector
from diogelu.matching.model import (
    DIFFERENT_NAMES,
    GENERATION_APART,
    PATTERN_KINDS,
    PERSONAL_IDENTIFIER,
    YEARS_APART,
    household_pattern,
    pattern_kind,
)
from diogelu.matching.record import Prepared

# From this many pairs on, the share decides. Fewer pairs decide only that a file holds no
# families, and only when a file of families would show so few relatives less than once in
# FEW_PAIRS_CHANCE (ADR 0829: at 10%, none among 44 pairs, or 2 among 97); else the rules stay
# on.
MIN_PAIRS = 100
FEW_PAIRS_CHANCE = 0.01
# Fewer pairs also decide that a file holds no families when its share of relatives is below a
# family file's and twins far outnumber them, counted in homes (surname-and-home groups; one
# family's or one person's records make several pairs): among the homes with relatives and those
# with twins, a family file (at most NOISE_RATIO["twins"] homes with twins per home with
# relatives; measured 0.055) would show as few with relatives less than once in
# OUTNUMBERED_CHANCE, stricter than FEW_PAIRS_CHANCE because the ratio is less well known than
# the share (ADR 0831: FEBRL1's 24 pairs, none relatives, "twins" at 5 homes, every one a
# duplicate; 4 homes would do). Other kinds are not used: couples born within a year of each
# other make "near" pairs in a family file as often as relatives.
OUTNUMBERED_CHANCE = 1 / 300
# Relatives born years apart can show only where the births of the records that share a surname
# and a home span years: where their middle 80% (10th to 90th percentile) fall within MIN_SPREAD
# years (a school year group, a nursery) a file shows none even if it is all families, so there
# nothing decides "no families". Fewer than MIN_SPREAD_RECORDS such dated records cannot show a
# spread, and count as narrow. Records with no home or no one of their surname there are left
# out: they make no pairs, and a few adults without an address beside a year group of twins
# would otherwise widen the spread (review of ADR 0831).
MIN_SPREAD = 5
MIN_SPREAD_RECORDS = 20
# A file in which at least this share of same-surname, same-home pairs look like relatives is
# family data. Measured: historical_50k 0.5%, the synthetic Welsh population 70%.
FAMILY_SHARE = 0.10
# Records compared per surname-and-home group (a large group is an institution, not a family).
MAX_GROUP = 30
APART = YEARS_APART | {GENERATION_APART}
# The most pairs of each kind of family pattern that a file of families shows for each pair of
# relatives (different first names, born years apart), with a wide margin: measured on the
# synthetic Welsh population, twins 0.02, born within a year 0.10 (mostly couples), alike names
# 0.003; on historical_50k (one person's records) 6.9, 2.0 and 0.26 (ADR 0822).
NOISE_RATIO = {"twins": 0.25, "near": 0.5, "alike": 0.1}
# A date of birth missing on one or both of a pair: a family file shows about (2m - m²) / (1 - m)²
# such pairs per pair of relatives with both dates (m the share of records without one); noise
# beyond this many times that (synthetic population 1.1; historical_50k 9.3). Only a file that
# shows no families is judged at all (``FamilyEvidence.noise``).
UNDATED_MARGIN = 3.0
# Fewer pairs of a kind than this decide nothing.
MIN_KIND = 20
# The file's other identifier (ADR 0843). Records sharing one, compared in groups of at most
# MAX_IDENTIFIER_GROUP (a larger group is a placeholder such as "unknown", or an institution's
# address); from MIN_IDENTIFIER_PAIRS such pairs with first names and dates on both, the
# identifier is one person's when a file in which IDENTIFIER_FAMILY_SHARE of those pairs were
# relatives (different first names, born years apart) would show as few less than once in
# FEW_PAIRS_CHANCE. Measured: pseudopeople's Social Security register 0 of 178 (its duplicates:
# one person's creation and death records); FEBRL1-3's soc_sec_id 0.4-1.0%, fake_1000's e-mail
# addresses 1.7% (9 of 521: heavy noise in both fields at once). An identifier shared by a family
# (a parent's e-mail address or phone, a family's case number) shows its brothers, sisters,
# parents and children: far more.
MAX_IDENTIFIER_GROUP = 10
MIN_IDENTIFIER_PAIRS = 20
IDENTIFIER_FAMILY_SHARE = 0.03


@dataclasses.dataclass(frozen=True, slots=True)
class FamilyEvidence:
    """Pairs of records that share a surname and a home, both with a first name and a date of
    birth; how many of them look like relatives (different names, born years apart); and how
    many pairs sharing a surname and a home (dated or not) show each kind of family pattern
    (``model.pattern_kind``)."""

    pairs: int
    relatives: int
    kinds: tuple[tuple[str, int], ...] = ()
    undated_share: float = 0.0
    # Years between the 10th and 90th percentile of the births of the dated records that share a
    # surname and a home (0 for fewer than MIN_SPREAD_RECORDS); None: not measured.
    spread: int | None = None
    # How many surname-and-home groups show relatives ("relatives") and each kind of pattern.
    homes: tuple[tuple[str, int], ...] = ()
    # Pairs of records sharing the other identifier, both with a first name and a date of
    # birth, and how many of them look like relatives (ADR 0843).
    identifier_pairs: int = 0
    identifier_relatives: int = 0

    @property
    def share(self) -> float:
        return self.relatives / self.pairs if self.pairs else 0.0

    @property
    def families(self) -> bool | None:
        """True: family data; False: no families; None: too few pairs to tell, or births too
        close together for relatives years apart to show."""
        return self.decision[0]

    @property
    def decision(self) -> tuple[bool | None, str]:
        """``families`` and which test decided it: "share" (from MIN_PAIRS pairs), "narrow"
        (births within too few years), "few" (ADR 0829's binomial tail), "outnumbered" (twins
        beside too few relatives, ADR 0831) or "too few"."""
        if self.pairs >= MIN_PAIRS and self.share >= FAMILY_SHARE:
            return True, "share"
        verdict: tuple[bool | None, str]
        if self.pairs >= MIN_PAIRS:
            verdict = False, "share"
        # Few pairs: no families only if a file with the lowest share of relatives that a file of
        # families has would rarely show as few (a binomial tail; ADR 0829), or if twins far
        # outnumber them (ADR 0831).
        elif _at_most(self.relatives, self.pairs, FAMILY_SHARE) < FEW_PAIRS_CHANCE:
            verdict = False, "few"
        elif self.outnumbered:
            verdict = False, "outnumbered"
        else:
            return None, "too few"
        # "No families" from births too close together for relatives years apart to show
        # decides nothing.
        return (None, "narrow") if self.narrow else verdict

    @property
    def narrow(self) -> bool:
        """The file's births fall within too few years for relatives born years apart to show
        (ADR 0831)."""
        return self.spread is not None and self.spread < MIN_SPREAD

    @property
    def outnumbered(self) -> tuple[str, int] | None:
        """("twins", the homes that show them) if twins outnumber the homes with relatives
        beyond what a family file would show by chance, with a share of relatives below a
        family file's (ADR 0831); else None."""
        if self.share >= FAMILY_SHARE:
            return None
        homes = dict(self.homes)
        relatives, twins = homes.get("relatives", 0), homes.get("twins", 0)
        # Among the homes with relatives or with twins, one with relatives has a chance of at
        # least 1 / (1 + ratio) in a family file.
        chance = _at_most(relatives, relatives + twins, 1 / (1 + NOISE_RATIO["twins"]))
        return ("twins", twins) if chance < OUTNUMBERED_CHANCE else None

    @property
    def personal_identifier(self) -> bool:
        """Is the file's other identifier one person's: do the records that share it show so
        few relatives that a file with an identifier shared by families would rarely show as few
        (ADR 0843)? Then a shared identifier tells a person from their relatives
        (``model.one_identifier``)."""
        return (
            self.identifier_pairs >= MIN_IDENTIFIER_PAIRS
            and _at_most(self.identifier_relatives, self.identifier_pairs, IDENTIFIER_FAMILY_SHARE)
            < FEW_PAIRS_CHANCE
        )

    def identifier_text(self) -> str | None:
        """What the records that share an identifier show, in one line (None: too few)."""
        if not self.identifier_pairs:
            return None
        found = (
            f"{self.identifier_relatives:,} of {self.identifier_pairs:,} pairs of records sharing "
            "an identifier have different first names and births years apart"
        )
        if self.personal_identifier:
            return (
                f"{found}: the identifier is one person's in this file, and records sharing it "
                "are not held apart by a family pattern unless both their first names and their "
                "births differ"
            )
        if self.identifier_pairs < MIN_IDENTIFIER_PAIRS:
            return f"{found}: too few to tell whether the identifier is one person's"
        return (
            f"{found}: relatives share it, so a shared identifier does not tell a person from "
            "their relatives"
        )

    def expected(self, kind: str) -> float:
        """The most pairs of ``kind`` that this file's relatives would explain."""
        relatives = max(self.relatives, 1)
        if kind == "undated":
            # Pairs with a date missing on one or both, per pair with both: (2m - m²) / (1 - m)².
            m = min(self.undated_share, 0.99)
            return UNDATED_MARGIN * relatives * (2 * m - m * m) / (1 - m) ** 2
        return NOISE_RATIO[kind] * relatives

    @property
    def noise(self) -> frozenset[str]:
        """The kinds of family pattern that this file shows to be noise, not relatives: in a
        file that shows no families (``families`` False), far more pairs of the kind than its
        few relatives explain (ADR 0822). Empty in a file of families, or with too few pairs to
        tell: there a missing date or an unknown nickname may hide a relative, and the rules
        keep every pattern. With ``model.PERSONAL_IDENTIFIER`` in either case when the file's
        other identifier is one person's (``personal_identifier``, ADR 0843)."""
        noise = {PERSONAL_IDENTIFIER} if self.personal_identifier else set()
        if self.families is not False:
            return frozenset(noise)
        noise |= {
            kind for kind, count in self.kinds if count >= MIN_KIND and count > self.expected(kind)
        }
        # A file of individuals: a namesake at another home is a stranger.
        noise.add("namesakes")
        return frozenset(noise)

    def text(self) -> str:
        _, reason = self.decision
        if reason == "narrow":
            years = "under a year" if not self.spread else f"only {self.spread} year(s)"
            return (
                f"the births of the records sharing a surname and a home span {years} (10th to "
                "90th percentile; or too few of them are dated), too few for brothers and sisters "
                "born years apart to show: no way to tell whether the file holds families"
            )
        if reason == "too few":
            return (
                f"only {self.pairs} pairs of records share a surname and a home, too few to tell "
                "whether the file holds families"
            )
        found = (
            f"{self.relatives:,} of {self.pairs:,} pairs of records sharing a surname and a home "
            f"({100 * self.share:.1f}%) have different first names and births years apart"
        )
        if reason == "few":
            return (
                f"{found} (a file of families would show at least {100 * FAMILY_SHARE:.0f}%: so "
                f"few would be a chance of less than 1 in {1 / FEW_PAIRS_CHANCE:.0f})"
            )
        if reason == "outnumbered":
            _, count = self.outnumbered or ("", 0)
            relatives = dict(self.homes).get("relatives", 0)
            return (
                f"{found}; {count:,} homes show {KIND_TEXTS['twins']} and {relatives:,} "
                "relatives: a file of families would show so many beside so few less than once "
                f"in {1 / OUTNUMBERED_CHANCE:.0f}"
            )
        return found

    def noise_text(self) -> str:
        """What the household rules leave out as this file's noise, and why, in one line."""
        noise = self.noise - {PERSONAL_IDENTIFIER}
        if not noise:
            return "every family pattern counts as evidence of relatives in this file"
        counts = dict(self.kinds)
        parts = "; ".join(
            f"{KIND_TEXTS[k]} ({counts[k]:,} pairs, where its relatives explain at most "
            f"{self.expected(k):,.0f})"
            if k in counts
            else KIND_TEXTS[k]
            for k in PATTERN_KINDS
            if k in noise
        )
        return (
            "in this file these family patterns are one person's noise, not relatives, and are "
            f"not held against a match: {parts}"
        )


KIND_TEXTS = {
    "twins": "one birthday with different first names",
    "undated": "different first names at one home with a date of birth missing",
    "near": "different first names at one home, born within a year",
    "alike": "alike first names at one home, born years apart",
    "namesakes": "a namesake of another generation at another home (the file shows no families)",
}


def _at_most(k: int, n: int, p: float) -> float:
    """The chance of at most ``k`` successes in ``n`` trials of chance ``p`` (summed in logs, so
    that thousands of trials neither overflow nor underflow to a false nought)."""
    if k >= n:
        return 1.0
    logs = [
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * math.log(p)
        + (n - i) * math.log1p(-p)
        for i in range(k + 1)
    ]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(x - top) for x in logs))


def family_evidence(records: Iterable[Prepared]) -> FamilyEvidence:
    """Count same-surname, same-home pairs, those that look like relatives, and each kind of
    family pattern among them; and the pairs that share an identifier, and the relatives among
    them (ADR 0843)."""
    groups: dict[tuple[str, str], list[Prepared]] = {}
    named = undated = 0
    identified: dict[str, list[Prepared]] = {}
    for p in records:
        if p.ident:
            identified.setdefault(p.ident, []).append(p)
        if not (p.f and p.g):
            continue
        # A full postcode, or an address with a house number: a town or a birthplace is not a home.
        home = p.pc or (p.addr if any(c.isdigit() for c in p.addr) else "")
        if home:
            groups.setdefault((p.f, home), []).append(p)
            named += 1
            undated += p.dob is None
    pairs = relatives = 0
    kinds: dict[str, int] = {}
    homes: dict[str, int] = {}
    years: list[int] = []  # of the dated records in groups that make pairs

    def dated_pair(vector: tuple[int, ...], shown: set[str]) -> None:
        """Count a pair with both dates; a pair of relatives marks its home in ``shown``."""
        nonlocal pairs, relatives
        pairs += 1
        if vector[GIVEN] == DIFFERENT_NAMES and vector[DOB] in APART:
            relatives += 1
            shown.add("relatives")

    for members in groups.values():
        if len(members) < 2:
            continue
        shown: set[str] = set()
        years.extend(p.dob.year for p in members if p.dob is not None)
        # Dated pairs among the first MAX_GROUP dated records; patterns among the first MAX_GROUP
        # records. In a group no larger than that, one comparison serves both.
        whole = len(members) <= MAX_GROUP
        for a, b in itertools.combinations(members[:MAX_GROUP], 2):
            vector = comparison_vector(a, b)
            if whole and a.dob and b.dob:
                dated_pair(vector, shown)
            kind = pattern_kind(vector, household_pattern(vector))
            if kind is not None:
                kinds[kind] = kinds.get(kind, 0) + 1
                shown.add(kind)
        if not whole:
            dated = [p for p in members if p.dob][:MAX_GROUP]
            for a, b in itertools.combinations(dated, 2):
                dated_pair(comparison_vector(a, b), shown)
        for what in shown:
            homes[what] = homes.get(what, 0) + 1
    return FamilyEvidence(
        pairs,
        relatives,
        tuple((k, kinds.get(k, 0)) for k in PATTERN_KINDS if k != "namesakes"),
        undated / named if named else 0.0,
        _spread(years),
        tuple(sorted(homes.items())),
        *_identifier_evidence(identified),
    )


def _identifier_evidence(groups: dict[str, list[Prepared]]) -> tuple[int, int]:
    """Pairs of records that share an identifier, both with a first name and a date of birth
    (in groups of at most MAX_IDENTIFIER_GROUP), and how many of them look like relatives."""
    pairs = relatives = 0
    for members in groups.values():
        if not 2 <= len(members) <= MAX_IDENTIFIER_GROUP:
            continue
        for a, b in itertools.combinations(members, 2):
            if a.g and b.g and a.dob and b.dob:
                pairs += 1
                vector = comparison_vector(a, b)
                relatives += vector[GIVEN] == DIFFERENT_NAMES and vector[DOB] in APART
    return pairs, relatives


def _spread(years: list[int]) -> int:
    """Years between the 10th and the 90th percentile of these years (0 for fewer than
    MIN_SPREAD_RECORDS: too few to show a spread)."""
    if len(years) < MIN_SPREAD_RECORDS:
        return 0
    years.sort()
    last = len(years) - 1
    return years[round(0.9 * last)] - years[round(0.1 * last)]


def household_rules(records: Iterable[Prepared]) -> tuple[bool, FamilyEvidence]:
    """Whether the household rules should apply to these records, and the evidence: on unless
    the file shows that it holds no families."""
    evidence = family_evidence(records)
    return evidence.families is not False, evidence
