"""The Fellegi–Sunter model: m and u probabilities per comparison level, saved as versioned JSON.

A pair's match weight is ``log2(prior odds) + sum over fields of log2(m / u)`` for the level each
field reached; the match probability is that weight turned back into a probability. ``m`` is the
chance of the level among true matches, ``u`` among non-matches. Exact name matches are adjusted
for how common the name is (term frequency): two records that are both "Jones" say less than two
that are both "Prydderch".
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from diogelu.matching.compare import (
    ADDRESS,
    DOB,
    FAMILY,
    FIELDS,
    GIVEN,
    IDENT,
    NHS,
    OTHER,
    SEX,
    UPN,
    comparison_vector,
)
from diogelu.matching.record import Prepared

MODEL_FORMAT = "diogelu.matching.model/1"
DEFAULT_MODEL_FILE = "model_default.json"
# The smallest share of the population a name is taken to have for term-frequency adjustment:
# a name seen once in a small index is not evidence that it is one in a million.
TF_MIN_FREQUENCY = 2e-4
# Below this many records, name frequencies are noise: no term-frequency adjustment.
TF_MIN_POPULATION = 1000
# Fellegi–Sunter treats fields as independent, which twins break: they agree on surname, date of
# birth and address, and differ only in first name; siblings share surname and address; a son
# may share his father's name. A pair showing one of these patterns gets this many bits less,
# enough to outweigh everything else short of a shared NHS number.
DEFAULT_TWIN_PENALTY = -30.0
GENERATION_APART = 10  # the date-of-birth level "a generation apart"
HOUSEHOLD_TEXTS = {
    "twins": (
        "Twins",
        "first names differ although date of birth and surname or address agree: could be twins",
    ),
    "siblings": (
        "Brothers or sisters",
        "first names clearly differ although surname or address agree: could be brothers or "
        "sisters",
    ),
    "identifiers": (
        "Identifiers",
        "both have a valid NHS number or unique pupil number and they differ: different people, "
        "unless one was mistyped",
    ),
    "generation": (
        "Parent and child",
        "dates of birth a generation apart: could be a parent and child with the same name",
    ),
}


# Address levels that mean the same home: the same full postcode with no different address (see
# ADDRESS_LEVELS). An address alone may be only a town.
SAME_HOME = frozenset({1, 2, 4})
# Address levels where the address text is the same, whatever the postcode says.
SAME_ADDRESS = frozenset({1, 5, 9, 13, 17})
# Date-of-birth levels that are the same recorded date (a placeholder 1 January included) or
# one a typing error of the other.
SAME_DATE = frozenset({1, 2, 3, 4})


def corroborated(vector: Sequence[int]) -> bool:
    """Does anything but the names agree: date of birth, home, NHS number, UPN, other names?"""
    return (
        vector[DOB] in SAME_DATE
        or vector[ADDRESS] in SAME_HOME
        or vector[ADDRESS] in SAME_ADDRESS
        or vector[NHS] == 1
        or vector[UPN] == 1
        or vector[OTHER] == 1
    )


# First-name levels that tell a person from a brother or sister: the same name, a known variant,
# names swapped round, one letter different. Not "a middle name" (a twin may carry the co-twin's
# name as a middle name), "similar or sounds alike" (Gethin and Ethan, Laura and Lauren are
# brothers' and sisters' names), an initial or a different name.
DISTINGUISHING_GIVEN = frozenset({1, 2, 3, 4})
# Date-of-birth levels that tell a person from a parent or child of the same name: recorded on
# both and within a year.
DISTINGUISHING_DOB = frozenset({1, 2, 3, 4, 5, 6, 7})


def distinguishing(vector: Sequence[int], noise: frozenset[str] = frozenset()) -> bool:
    """Does the evidence tell the person apart from their own relatives?

    Brothers and sisters share a surname and a home; twins also the date of birth; a parent and
    a child of one name also the first name. So in family data only a shared NHS number or UPN,
    or the first name *and* the date of birth agreeing (and something else besides the names,
    see ``corroborated``), say "this person, not a relative". So does the file's other
    identifier where the file shows it to be one person's (``PERSONAL_IDENTIFIER`` in
    ``noise``; ``one_identifier``, ADR 0843).
    """
    if vector[NHS] == 1 or vector[UPN] == 1:
        return True
    if one_identifier(vector, noise):
        return True
    return (
        vector[GIVEN] in DISTINGUISHING_GIVEN
        and vector[DOB] in DISTINGUISHING_DOB
        and corroborated(vector)
    )


def two_people(vector: Sequence[int], noise: frozenset[str] = frozenset()) -> bool:
    """Does the evidence say the two records are two people, family or not (ADR 0838)?

    Different valid NHS numbers or UPNs, first names that are different names (level 8), or
    dates of birth more than a year apart (levels 8 to 10; a year mistyped with one other digit
    is among them, as for brothers and sisters born years apart). A missing field, a variant, an
    initial or a typing error says nothing, as for ``household_pattern``, and nor does a sex
    (records of one person disagree on it). Unlike a family pattern, no shared home is needed:
    this is what rules one record out as another person's, not a sign of a relative. Nor do
    records that share an identifier the file shows to be one person's (``one_identifier``).
    """
    if vector[NHS] == 1 or vector[UPN] == 1 or one_identifier(vector, noise):
        return False
    return (
        vector[NHS] == 2
        or vector[UPN] == 2
        or vector[GIVEN] == DIFFERENT_NAMES
        or vector[DOB] in APART
    )


def identified(vector: Sequence[int]) -> bool:
    """The two records share a valid NHS number or unique pupil number."""
    return vector[NHS] == 1 or vector[UPN] == 1


# What tells relatives apart, and what is only noise in one person's records (ADR 0620).
#
# Evidence of two people: first names that are different names (level 8: not the same, not a
# known variant, not swapped round, not one letter out, not a middle name, not spelt or sounding
# alike, not an initial); dates of birth more than a year apart in a way no typing error explains
# (a one-digit edit or two digits swapped is level 4, day and month swapped level 3); both sexes
# recorded and different; different valid NHS numbers or UPNs.
# Noise: a field not recorded, a placeholder first name or date, an initial, a nickname or a
# Welsh/English form, a spelling variant, a one-digit date error.
DIFFERENT_NAMES = 8
# Names that may be one person's (a short form, a sound-alike, a middle name) but may also be a
# brother's and sister's (Gethin and Ethan, Laura and Lauren): evidence only with another sign.
ALIKE_NAMES = frozenset({5, 6})
# Names that are alike, one letter out, or an initial: with both sexes recorded and different,
# and one date of birth, a boy and a girl (Osian and Siân are one letter apart).
NOT_THE_SAME_NAME = frozenset({4, 5, 6, 7})
SAME_DAY = frozenset({1, 3, 4})  # the same date of birth, or one a typing error of the other
YEARS_APART = frozenset({8, 9})  # more than a year, less than a generation apart
APART = YEARS_APART | {GENERATION_APART}  # more than a year apart


# Kinds of family pattern whose evidence depends on the file (ADR 0822): how often a file shows
# each, against the pairs that only relatives explain, says whether it is evidence there.
# "siblings" (different first names, born years apart), "generation" and "identifiers" are always
# evidence: no typing error or missing field makes them. "namesakes" is not a pattern between two
# records but what a namesake of another generation at another home is: in a file that shows no
# families, a stranger, not a father or son who might be anyone's unseen relative
# (``cluster.Relatives``).
PATTERN_KINDS = ("twins", "undated", "near", "alike", "namesakes")
NO_NOISE: frozenset[str] = frozenset()
# Beside the kinds: the file's other identifier (``Record.identifier``: a social security or
# national insurance number, a client number, an e-mail address) is one person's in this file
# (``households.FamilyEvidence.personal_identifier``, ADR 0843), so a family pattern between
# records that share it is that person's noise, unless the pair shows relatives outright.
PERSONAL_IDENTIFIER = "identifier"
NOISE_KINDS = (*PATTERN_KINDS, PERSONAL_IDENTIFIER)


def one_identifier(vector: Sequence[int], noise: frozenset[str] = NO_NOISE) -> bool:
    """Do the two records share an identifier that the file shows to be one person's
    (``PERSONAL_IDENTIFIER`` in ``noise``), without first names that are different names *and*
    births years apart?

    An identifier is no NHS number: nothing checks it, and a parent may give their own for a
    child. So it is taken as one person's only where the file's own records that share it show
    no relatives (ADR 0843), and even there a pair with different first names born years apart
    (a brother and sister, a mother and daughter given one number) stays two people: no typing
    error makes both at once. A fake first name, a date of birth a generation off or missing, an
    unknown nickname, each alone, is that person's noise.
    """
    return (
        PERSONAL_IDENTIFIER in noise
        and vector[IDENT] == 1
        and not (vector[GIVEN] == DIFFERENT_NAMES and vector[DOB] in APART)
    )


def pattern_kind(vector: Sequence[int], pattern: str | None) -> str | None:
    """The kind of a family pattern, for telling the file's noise from its relatives:

    * ``twins``: one birthday, different first names (or a boy and a girl of alike names);
    * ``undated``: one home, different first names, a date of birth missing on one;
    * ``near``: one home, different first names, born within a year but not on one recorded
      day (a placeholder 1 January on both counts here: it is no evidence of one birthday);
    * ``alike``: one home, alike first names (a short form, a sound-alike, a middle name), born
      years apart;
    * None: a pattern that is always evidence (different names born years apart, a generation
      apart, different identifiers), or no pattern.
    """
    if pattern == "twins":
        return "twins"
    if pattern != "siblings":
        return None
    dob = vector[DOB]
    if dob == 0:
        return "undated"
    if dob in YEARS_APART:
        return None if vector[GIVEN] == DIFFERENT_NAMES else "alike"
    return "near"


def household_pattern(
    vector: Sequence[int], siblings: bool = True, noise: frozenset[str] = NO_NOISE
) -> str | None:
    """Which family pattern, if any, a comparison vector shows *on evidence*: twins, siblings,
    a parent and child of the same name, or different identifiers.

    Records sharing an NHS number or UPN never show one. A missing field, an initial, a name
    variant or a date with a typing error is not evidence (ADR 0620). With ``siblings`` (the
    household rules) off, only different identifiers count. A pattern of a kind in ``noise``
    (``pattern_kind``: a kind that the file shows far more often than its relatives explain,
    ``households.FamilyEvidence.noise``, ADR 0822) is not evidence either, nor is a pattern
    between records that share an identifier the file shows to be one person's
    (``one_identifier``, ADR 0843).
    """
    pattern = _household_pattern(vector, siblings)
    if noise and pattern is not None:
        if pattern_kind(vector, pattern) in noise:
            return None
        if pattern != "identifiers" and one_identifier(vector, noise):
            return None  # one person's identifier, shared: the pattern is their noise
    return pattern


def _household_pattern(vector: Sequence[int], siblings: bool) -> str | None:
    if vector[NHS] == 1 or vector[UPN] == 1:
        return None
    if vector[NHS] == 2 or vector[UPN] == 2:
        return "identifiers"
    if not siblings:  # household rules off: data with no families in it
        return None
    given, dob = vector[GIVEN], vector[DOB]
    if dob == GENERATION_APART:
        return "generation"
    home = vector[ADDRESS] in SAME_HOME
    if dob in SAME_DAY and (home or 1 <= vector[FAMILY] <= 4):
        # Twins share a birthday and a surname or a home.
        if given == DIFFERENT_NAMES:
            return "twins"
        if given in NOT_THE_SAME_NAME and vector[SEX] == 2:
            return "twins"  # a boy and a girl born the same day (Osian and Siân)
        return None
    if not home:
        # Brothers and sisters are told by one home. A shared surname alone is no sign of one:
        # two records of one person with a first name the table does not know (Agnes and
        # Nessie) share a surname too, and strangers of one surname differ in first name.
        return None
    if given == DIFFERENT_NAMES:
        return "siblings"
    if given in ALIKE_NAMES and dob in YEARS_APART:
        return "siblings"  # Gethin and Ethan, born years apart
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class FieldComparison:
    """One line of an explanation: a field, what was found, and how much it counted.

    ``weight`` is in bits: positive says "same person", negative says "different people"; each
    bit doubles (or halves) the odds.
    """

    field: str
    title: str
    level: str
    weight: float

    @property
    def text(self) -> str:
        """``"Date of birth: day and month swapped"``."""
        return f"{self.title}: {self.level}"

    def as_dict(self) -> dict[str, object]:
        return {"field": self.field, "level": self.text, "weight": round(self.weight, 2)}


# Fields added after models were first saved; a model file without one loads with it neutral.
OPTIONAL_FIELDS = frozenset({"identifier"})


class TermFrequencies:
    """Counts of first names and surnames in a population, for term-frequency adjustment."""

    __slots__ = ("family", "given", "total")

    def __init__(self) -> None:
        self.given: dict[str, int] = {}
        self.family: dict[str, int] = {}
        self.total = 0

    def add(self, p: Prepared, delta: int = 1) -> None:
        self.total += delta
        if p.g:
            self.given[p.g] = self.given.get(p.g, 0) + delta
        if p.f:
            self.family[p.f] = self.family.get(p.f, 0) + delta

    def given_frequency(self, value: str) -> float:
        return max(self.given.get(value, 0) / max(self.total, 1), TF_MIN_FREQUENCY)

    def family_frequency(self, value: str) -> float:
        return max(self.family.get(value, 0) / max(self.total, 1), TF_MIN_FREQUENCY)


def _noise_kinds(value: object) -> frozenset[str]:
    """The ``rules.noise_patterns`` of a model file: a list of kinds (or none). Which kinds are
    known is checked where every model gets them, ``Model.noise_patterns``."""
    if value is None:
        return NO_NOISE
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise ValueError("rules.noise_patterns must be a list of family pattern kinds")
    return frozenset(value)


class Model:
    """Fellegi–Sunter parameters and the scoring that uses them."""

    def __init__(
        self,
        m: Sequence[Sequence[float]],
        u: Sequence[Sequence[float]],
        prior: float,
        version: str = "untrained",
        trained_on: str = "",
        twin_penalty: float = DEFAULT_TWIN_PENALTY,
        sibling_rule: bool = True,
        population: int = 0,
        noise_patterns: frozenset[str] = NO_NOISE,
    ) -> None:
        if len(m) != len(FIELDS) or len(u) != len(FIELDS):
            raise ValueError("model has the wrong number of fields")
        for spec, ms, us in zip(FIELDS, m, u, strict=True):
            if len(ms) != len(spec.levels) or len(us) != len(spec.levels):
                raise ValueError(f"model has the wrong number of levels for {spec.name}")
        if not 0.0 < prior < 1.0:
            raise ValueError("prior must be between 0 and 1")
        self.m = [list(map(float, ms)) for ms in m]
        self.u = [list(map(float, us)) for us in u]
        self.prior = prior
        # The size of the population the prior belongs to (0: unknown). The prior of a pair is
        # about "other records of the same person per record" over the population, so it is
        # rescaled when the model is used on a file or index of another size.
        self.population = population
        # Base weights of comparison vectors (prior, levels and household penalty; everything
        # but term frequencies), cached: a file holds few distinct vectors. Cleared whenever a
        # rule changes.
        self._base: dict[tuple[int, ...], float] = {}
        self._twin_penalty = twin_penalty
        self._sibling_rule = sibling_rule
        self._noise: frozenset[str] = NO_NOISE
        self.noise_patterns = frozenset(noise_patterns)
        self.version = version
        self.trained_on = trained_on
        self.prior_weight = math.log2(prior / (1.0 - prior))
        # Level 0 (not recorded) carries no weight by definition.
        self.weights: list[list[float]] = [
            [0.0]
            + [
                math.log2(max(mi, 1e-9) / max(ui, 1e-9))
                for mi, ui in zip(ms[1:], us[1:], strict=False)
            ]
            for ms, us in zip(self.m, self.u, strict=True)
        ]
        self._given_m_exact = self.m[0][1]
        self._family_m_exact = self.m[1][1]

    @property
    def twin_penalty(self) -> float:
        """Bits added when a pair shows a family pattern (negative)."""
        return self._twin_penalty

    @twin_penalty.setter
    def twin_penalty(self, value: float) -> None:
        self._twin_penalty = value
        self._base = {}

    @property
    def sibling_rule(self) -> bool:
        """The household rules (twins, siblings, parent and child) are on."""
        return self._sibling_rule

    @sibling_rule.setter
    def sibling_rule(self, value: bool) -> None:
        self._sibling_rule = value
        self._base = {}

    @property
    def noise_patterns(self) -> frozenset[str]:
        """Kinds of family pattern that the file being matched shows to be noise, not relatives
        (``pattern_kind``; ADR 0822). Empty: every pattern is evidence."""
        return self._noise

    @noise_patterns.setter
    def noise_patterns(self, value: frozenset[str]) -> None:
        unknown = set(value) - set(NOISE_KINDS)
        if unknown:
            raise ValueError(f"unknown family pattern kinds: {sorted(unknown)}")
        self._noise = frozenset(value)
        self._base = {}

    def pattern(self, vector: Sequence[int]) -> str | None:
        """The family pattern a comparison vector shows under this model's rules."""
        return household_pattern(vector, self._sibling_rule, self._noise)

    def for_population(self, size: int) -> Model:
        """This model with its prior rescaled to a population of ``size`` records."""
        if not self.population or size < 2:
            return self
        per_record = self.prior * (self.population - 1)
        prior = min(max(per_record / (size - 1), 1e-12), 0.5)
        return Model(
            self.m,
            self.u,
            prior,
            self.version,
            self.trained_on,
            self.twin_penalty,
            self.sibling_rule,
            size,
            self._noise,
        )

    # -- scoring --------------------------------------------------------------------------

    def vector_weight(
        self,
        vector: Sequence[int],
        a: Prepared,
        tf: TermFrequencies | None = None,
    ) -> float:
        """The match weight of a comparison vector (``a`` gives values for term frequency)."""
        total = self._base.get(tuple(vector))
        if total is None:
            total = self.base_weight(vector)
        if tf is not None and tf.total >= TF_MIN_POPULATION:
            if vector[0] == 1:
                total += self._tf_delta(0, tf.given_frequency(a.g))
            if vector[1] == 1:
                total += self._tf_delta(1, tf.family_frequency(a.f))
        return total

    def base_weight(self, vector: Sequence[int]) -> float:
        """The weight of a comparison vector before term-frequency adjustment: the prior, the
        levels and any household penalty."""
        key = tuple(vector)
        total = self._base.get(key)
        if total is not None:
            return total
        weights = self.weights
        total = self.prior_weight
        for i, level in enumerate(key):
            total += weights[i][level]
        if (
            key[GIVEN] >= 4 or key[DOB] == GENERATION_APART or key[NHS] == 2 or key[UPN] == 2
        ) and household_pattern(key, self._sibling_rule, self._noise):
            total += self._twin_penalty
        if len(self._base) >= 1 << 16:
            self._base = {}
        self._base[key] = total
        return total

    def _tf_delta(self, field: int, frequency: float) -> float:
        # Replace the average u of an exact match with the frequency of this value; a value
        # commoner than average counts for less, a rarer one for more (Splink's adjustment).
        return math.log2(self.u[field][1] / frequency)

    def score(self, a: Prepared, b: Prepared, tf: TermFrequencies | None = None) -> float:
        """The match weight of two prepared records."""
        return self.vector_weight(comparison_vector(a, b), a, tf)

    def explain(
        self, a: Prepared, b: Prepared, tf: TermFrequencies | None = None
    ) -> list[FieldComparison]:
        """Field by field: what was found and the weight it added (positive: same person)."""
        vector = comparison_vector(a, b)
        out: list[FieldComparison] = []
        for i, (spec, level) in enumerate(zip(FIELDS, vector, strict=True)):
            weight = self.weights[i][level]
            label = spec.levels[level]
            if tf is not None and tf.total >= TF_MIN_POPULATION and spec.tf_level == level == 1:
                frequency = tf.given_frequency(a.g) if i == 0 else tf.family_frequency(a.f)
                delta = self._tf_delta(i, frequency)
                weight += delta
                if delta < -0.5:
                    label += " (a common name, so it counts for less)"
                elif delta > 0.5:
                    label += " (an uncommon name, so it counts for more)"
            out.append(FieldComparison(spec.name, spec.title, label, weight))
        pattern = self.pattern(vector)
        if pattern is not None:
            title, text = HOUSEHOLD_TEXTS[pattern]
            out.append(FieldComparison("household", title, text, self.twin_penalty))
        return out

    @staticmethod
    def probability(weight: float) -> float:
        """A match weight as a probability."""
        if weight > 60:
            return 1.0
        if weight < -60:
            return 0.0
        odds: float = 2.0**weight
        return odds / (1.0 + odds)

    @staticmethod
    def weight_for(probability: float) -> float:
        """The match weight at which a pair reaches ``probability``."""
        probability = min(max(probability, 1e-15), 1 - 1e-15)
        return math.log2(probability / (1 - probability))

    # -- persistence ----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "version": self.version,
            "trained_on": self.trained_on,
            "prior": self.prior,
            "population": self.population,
            "rules": {
                "household_penalty": self.twin_penalty,
                "sibling_rule": self.sibling_rule,
                "noise_patterns": sorted(self._noise),
            },
            "fields": [
                {
                    "name": spec.name,
                    "levels": [
                        {"label": label, "m": round(m, 8), "u": round(u, 10)}
                        for label, m, u in zip(spec.levels, ms, us, strict=True)
                    ],
                }
                for spec, ms, us in zip(FIELDS, self.m, self.u, strict=True)
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Model:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"not a {MODEL_FORMAT} model file")
        by_name = {f["name"]: f for f in data["fields"]}
        m: list[list[float]] = []
        u: list[list[float]] = []
        for spec in FIELDS:
            if spec.name not in by_name:
                if spec.name in OPTIONAL_FIELDS:
                    # A model saved before the field existed: it carries no weight either way.
                    m.append([0.0] + [1.0] * (len(spec.levels) - 1))
                    u.append([0.0] + [1.0] * (len(spec.levels) - 1))
                    continue
                raise ValueError(f"model file has no field {spec.name}")
            levels = by_name[spec.name]["levels"]
            m.append([float(level["m"]) for level in levels])
            u.append([float(level["u"]) for level in levels])
        rules = data.get("rules", {})
        return cls(
            m,
            u,
            float(data["prior"]),
            str(data["version"]),
            str(data.get("trained_on", "")),
            float(rules.get("household_penalty", DEFAULT_TWIN_PENALTY)),
            bool(rules.get("sibling_rule", True)),
            int(data.get("population", 0)),
            _noise_kinds(rules.get("noise_patterns")),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Model:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def load_default(cls) -> Model:
        """The model shipped with the package (trained on the synthetic Welsh population)."""
        text = resources.files("diogelu.matching").joinpath(DEFAULT_MODEL_FILE).read_text("utf-8")
        return cls.from_dict(json.loads(text))


def starting_model() -> Model:
    """Hand-set parameters: the starting point for training, and its fallback."""
    m = [
        [0, 0.80, 0.06, 0.005, 0.05, 0.02, 0.03, 0.015, 0.02],
        [0, 0.80, 0.03, 0.02, 0.03, 0.005, 0.05, 0.03, 0.035],
        [0, 0.85, 0.01, 0.02, 0.04, 0.005, 0.02, 0.02, 0.015, 0.015, 0.005],
        [0, 0.97, 0.03],
        [
            0,
            0.5,
            0.05,
            0.05,
            0.1,
            0.02,
            0.01,
            0.01,
            0.01,
            0.005,
            0.005,
            0.005,
            0.005,
            0.01,
            0.01,
            0.03,
            0.03,
            0.05,
            0.05,
            0.05,
        ],
        [0, 0.5, 0.5],
        [0, 0.995, 0.005],
        [0, 0.99, 0.01],
        [0, 0.9, 0.1],
    ]
    u = [
        [0, 0.01, 0.003, 0.0002, 0.002, 0.002, 0.02, 0.06, 0.90],
        [0, 0.005, 0.0005, 0.0005, 0.0005, 0.0001, 0.002, 0.01, 0.98],
        [0, 0.0001, 0.00005, 0.00005, 0.0005, 0.0005, 0.002, 0.02, 0.08, 0.20, 0.70],
        [0, 0.5, 0.5],
        [
            0,
            0.00005,
            0.00001,
            0.0001,
            0.0001,
            0.00001,
            0.0001,
            0.001,
            0.001,
            0.0001,
            0.001,
            0.01,
            0.01,
            0.0001,
            0.01,
            0.3,
            0.3,
            0.001,
            0.05,
            0.3,
        ],
        [0, 0.01, 0.99],
        [0, 0.0000001, 0.9999999],
        [0, 0.0000001, 0.9999999],
        [0, 0.00001, 0.99999],
    ]
    return Model(m, u, prior=1e-5, version="start")
