"""Learning m and u probabilities without labels (expectation maximisation), as Splink does.

* ``u`` (how often a level occurs between different people) comes from random pairs, which are
  almost all non-matches.
* ``m`` (how often a level occurs between records of the same person) comes from EM on pairs that
  share a blocking key. A field used to pick the pairs would look perfect among them, so two
  training passes are made: pairs with the same date of birth teach the name, sex and address
  fields; pairs with the same surname and first name sound teach the date of birth.
* The prior (the share of all pairs that match) follows from the matches among *all* pairs with
  the same date of birth (a uniform sample, big blocks included, scored with the learned m and
  u), divided by how often matches share a date of birth.

EM runs on the counts of distinct comparison vectors, so it costs nothing next to comparing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import combinations

from diogelu.matching.compare import FIELD_INDEX, FIELDS, IDENT, NHS, UPN, comparison_vector
from diogelu.matching.model import Model, starting_model
from diogelu.matching.record import Prepared

Vector = tuple[int, ...]
KeyFunction = Callable[[Prepared], str | None]

_SMOOTH = 0.5  # pseudo-count per level: no level is ever impossible


def estimate_u(
    records: Sequence[Prepared],
    rng: random.Random,
    pairs: int = 200_000,
    other: Sequence[Prepared] | None = None,
) -> list[list[float]]:
    """u from random pairs (from ``records`` with itself, or across to ``other`` when linking)."""
    counts = [[0.0] * len(spec.levels) for spec in FIELDS]
    right = other if other is not None else records
    if len(records) < 2 or not right:
        return starting_model().u
    for _ in range(pairs):
        a = records[rng.randrange(len(records))]
        b = right[rng.randrange(len(right))]
        if a is b:
            continue
        for i, level in enumerate(comparison_vector(a, b)):
            counts[i][level] += 1
    u = _normalise(counts, starting_model().u)
    # An identifier shared by two different people is (nearly) impossible; a random sample
    # cannot show how rare, and smoothing would overstate it.
    for i in (NHS, UPN, IDENT):
        same = counts[i][1] / max(sum(counts[i][1:]), 1.0)
        u[i] = [0.0, max(same, 1e-7), 1.0 - max(same, 1e-7)]
    return u


def _normalise(counts: list[list[float]], fallback: list[list[float]]) -> list[list[float]]:
    out = []
    for i, row in enumerate(counts):
        total = sum(row[1:])
        if total < 50:  # too little evidence: keep the hand-set values
            out.append(list(fallback[i]))
            continue
        smoothed = [0.0] + [c + _SMOOTH for c in row[1:]]
        norm = sum(smoothed)
        out.append([x / norm for x in smoothed])
    return out


def block_pairs(
    records: Sequence[Prepared],
    key: KeyFunction,
    max_pairs: int,
    rng: random.Random,
    cap: int = 60,
    other: Sequence[Prepared] | None = None,
) -> tuple[list[tuple[Prepared, Prepared]], int]:
    """Pairs sharing ``key`` (within ``records``, or across to ``other``), sampled to a limit,
    and how many there were before sampling."""
    blocks: dict[str, list[Prepared]] = {}
    for p in records:
        k = key(p)
        if k:
            blocks.setdefault(k, []).append(p)
    pairs: list[tuple[Prepared, Prepared]] = []
    if other is None:
        for members in blocks.values():
            if 2 <= len(members) <= cap:
                pairs.extend(combinations(members, 2))
    else:
        right: dict[str, list[Prepared]] = {}
        for p in other:
            k = key(p)
            if k and k in blocks:
                right.setdefault(k, []).append(p)
        for k, members in right.items():
            left = blocks[k]
            if len(left) * len(members) <= cap * cap:
                pairs.extend((a, b) for a in left for b in members)
    total = len(pairs)
    if total > max_pairs:
        pairs = rng.sample(pairs, max_pairs)
    return pairs, total


_PRIOR_SAMPLE = 100_000


def sample_block_pairs(
    records: Sequence[Prepared],
    key: KeyFunction,
    size: int,
    rng: random.Random,
    other: Sequence[Prepared] | None = None,
) -> tuple[list[tuple[Prepared, Prepared]], int]:
    """A uniform sample (with replacement) of *all* pairs sharing ``key``, however big their
    blocks, without listing them; and how many such pairs there are."""
    blocks: dict[str, list[Prepared]] = {}
    for p in records:
        k = key(p)
        if k:
            blocks.setdefault(k, []).append(p)
    groups: list[tuple[list[Prepared], list[Prepared] | None]] = []
    weights: list[int] = []
    if other is None:
        for members in blocks.values():
            if len(members) >= 2:
                groups.append((members, None))
                weights.append(len(members) * (len(members) - 1) // 2)
    else:
        right: dict[str, list[Prepared]] = {}
        for p in other:
            k = key(p)
            if k and k in blocks:
                right.setdefault(k, []).append(p)
        for k, members in right.items():
            groups.append((blocks[k], members))
            weights.append(len(blocks[k]) * len(members))
    total = sum(weights)
    if not total:
        return [], 0
    pairs: list[tuple[Prepared, Prepared]] = []
    for left, rmembers in rng.choices(groups, weights=weights, k=size):
        if rmembers is None:
            a, b = rng.sample(left, 2)
        else:
            a, b = rng.choice(left), rng.choice(rmembers)
        pairs.append((a, b))
    return pairs, total


def match_share(
    vectors: Counter[Vector],
    m: list[list[float]],
    u: list[list[float]],
    fields: Sequence[int],
    start: float,
    iterations: int = 50,
) -> float:
    """The share of matches among the pairs ``vectors`` counts, by EM with m and u fixed."""
    items = list(vectors.items())
    total = sum(vectors.values())
    if not items:
        return start
    ratios = []
    for vector, count in items:
        ratio = 1.0  # P(vector | match) / P(vector | non-match)
        for i in fields:
            level = vector[i]
            if level:
                ratio *= m[i][level] / max(u[i][level], 1e-12)
        ratios.append((ratio, count))
    lam = start
    for _ in range(iterations):
        odds = lam / (1.0 - lam)
        new = sum(count * odds * r / (1.0 + odds * r) for r, count in ratios) / total
        new = min(max(new, 1e-6), 1 - 1e-6)
        if abs(new - lam) < 1e-7:
            return new
        lam = new
    return lam


def run_em(
    vectors: Counter[Vector],
    m: list[list[float]],
    u: list[list[float]],
    fields: Sequence[int],
    prior: float = 0.1,
    iterations: int = 30,
) -> tuple[list[list[float]], float]:
    """EM over vector counts with ``u`` fixed; returns new m (for ``fields`` only) and the share
    of the pairs that match."""
    m = [list(row) for row in m]
    items = list(vectors.items())
    total = sum(vectors.values())
    if not items:
        return m, prior
    lam = prior
    for _ in range(iterations):
        new_counts = [[0.0] * len(row) for row in m]
        matched = 0.0
        for vector, count in items:
            pm = lam
            pu = 1.0 - lam
            for i in fields:
                level = vector[i]
                if level:
                    pm *= m[i][level]
                    pu *= u[i][level]
            r = pm / (pm + pu) if pm + pu > 0 else 0.0
            weight = r * count
            matched += weight
            for i in fields:
                level = vector[i]
                if level:
                    new_counts[i][level] += weight
        new_lam = min(max(matched / total, 1e-6), 1 - 1e-6)
        for i in fields:
            row = new_counts[i]
            if sum(row[1:]) < 5:
                continue
            smoothed = [0.0] + [c + _SMOOTH * 0.1 for c in row[1:]]
            norm = sum(smoothed)
            m[i] = [x / norm for x in smoothed]
        if abs(new_lam - lam) < 1e-6:
            lam = new_lam
            break
        lam = new_lam
    return m, lam


# Ceilings on how often two records of one person have dates of birth this far apart: EM on pairs
# that share a surname and first name also sees parents and children named alike, and would
# learn that a date of birth a generation apart is nothing unusual.
_DOB_CEILINGS = {8: 0.02, 9: 0.01, 10: 0.002}


def _constrain_dob(row: list[float]) -> list[float]:
    row = list(row)
    for level, ceiling in _DOB_CEILINGS.items():
        row[level] = min(row[level], ceiling)
    total = sum(row[1:])
    return [0.0] + [x / total for x in row[1:]]


def _dob_key(p: Prepared) -> str | None:
    return p.dob_s or None


def _name_key(p: Prepared) -> str | None:
    if not p.f_mp or not p.g:
        return None
    return f"{p.f_mp}|{p.g_mp}"


def _postcode_key(p: Prepared) -> str | None:
    return p.pc or None


def _nhs_key(p: Prepared) -> str | None:
    return p.nhs or p.upn or None


def _ident_key(p: Prepared) -> str | None:
    return p.ident


# The first EM pass blocks on a field that one person's records usually share and strangers
# rarely do, and learns every other field from those pairs; the prior is the matches found there
# over the chance that a match shares the key. Date of birth where most records have one; else
# the postcode or an identifier, whichever most records have (a register without dates).
# Each plan: (name, key, compared field, its levels that mean "the key is the same").
_BLOCK_PLANS: tuple[tuple[str, KeyFunction, int, tuple[int, ...]], ...] = (
    ("the same date of birth", _dob_key, FIELD_INDEX["date_of_birth"], (1, 2)),
    ("the same postcode", _postcode_key, FIELD_INDEX["address"], (1, 2, 3, 4)),
    ("the same NHS number or UPN", _nhs_key, NHS, (1,)),
    ("the same other identifier", _ident_key, IDENT, (1,)),
)
# Date of birth is used when both sides have it on at least this share of records.
_DOB_COVERAGE = 0.25


def _coverage(
    records: Sequence[Prepared], other: Sequence[Prepared] | None, key: KeyFunction
) -> float:
    def share(rs: Sequence[Prepared]) -> float:
        return sum(1 for p in rs if key(p)) / max(len(rs), 1)

    return share(records) * share(other if other is not None else records)


def block_plan(
    records: Sequence[Prepared], other: Sequence[Prepared] | None = None
) -> tuple[str, KeyFunction, int, tuple[int, ...]]:
    """The first-pass blocking rule that suits the fields present."""
    if _coverage(records, other, _dob_key) >= _DOB_COVERAGE:
        return _BLOCK_PLANS[0]
    return max(_BLOCK_PLANS, key=lambda plan: _coverage(records, other, plan[1]))


def train(
    records: Sequence[Prepared],
    seed: int = 42,
    other: Sequence[Prepared] | None = None,
    version: str = "trained",
    trained_on: str = "",
    max_pairs: int = 300_000,
    progress: Callable[[str], None] | None = None,
    sibling_rule: bool = True,
    max_records: int = 200_000,
) -> Model:
    """A model learned from unlabelled records (deduplication, or linking to ``other``)."""
    rng = random.Random(seed)  # noqa: S311 - sampling pairs, not secrets
    if len(records) > max_records:  # a sample teaches as much, far faster
        # Indices, not the records: the same choice, without touching every record (a forked
        # learner would otherwise copy each record's page; ADR 0828).
        records = [records[i] for i in rng.sample(range(len(records)), max_records)]
    if other is not None and len(other) > max_records:
        other = [other[i] for i in rng.sample(range(len(other)), max_records)]
    start = starting_model()
    say = progress or (lambda _msg: None)
    say("training: estimating u from random pairs")
    u = estimate_u(records, rng, other=other)
    m = [list(row) for row in start.m]
    all_fields = range(len(FIELDS))
    dob = FIELD_INDEX["date_of_birth"]
    given = FIELD_INDEX["given_name"]
    family = FIELD_INDEX["family_name"]

    plan_name, key, block_field, same_levels = block_plan(records, other)
    say(f"training: EM on pairs with {plan_name}")
    first_pairs, _ = block_pairs(records, key, max_pairs, rng, other=other)
    first_vectors = Counter(comparison_vector(a, b) for a, b in first_pairs)
    fields_a = [i for i in all_fields if i != block_field]
    m_a, lam_a = run_em(first_vectors, m, u, fields_a)
    for i in fields_a:
        m[i] = m_a[i]

    say("training: EM on pairs with the same name sounds")
    name_pairs, _ = block_pairs(records, _name_key, max_pairs, rng, other=other)
    name_vectors = Counter(comparison_vector(a, b) for a, b in name_pairs)
    fields_b = [i for i in all_fields if i not in (given, family)]
    m_b, _ = run_em(name_vectors, m, u, fields_b)
    m[dob] = _constrain_dob(m_b[dob])
    if block_field != dob:
        m[block_field] = m_b[block_field]
    # Two records of one person rarely carry different valid identifiers; EM on a sample with
    # few identifiers cannot learn that, so it is floored here.
    for i in (NHS, UPN):
        different = min(max(m[i][2], 0.0005), 0.002)
        m[i] = [0.0, 1.0 - different, different]

    # Prior: matches among pairs sharing the key / P(same key | match) / all pairs. The EM pass
    # above saw only blocks of up to 60 records; the match share is estimated again over a
    # sample of *all* pairs sharing the key (big blocks, such as placeholder dates, included),
    # with the m and u just learned, so the matches in big blocks are counted too.
    say(f"training: the share of matches among all pairs with {plan_name}")
    sample, key_total = sample_block_pairs(records, key, _PRIOR_SAMPLE, rng, other=other)
    lam_all = match_share(
        Counter(comparison_vector(a, b) for a, b in sample), m, u, fields_a, lam_a
    )
    n = len(records)
    all_pairs = n * len(other) if other is not None else n * (n - 1) / 2
    right = other if other is not None else records
    has_key = _coverage(records, other, key)
    same_key_share = sum(m[block_field][level] for level in same_levels) * has_key
    matches = lam_all * key_total / max(same_key_share, 0.05)
    prior = min(max(matches / max(all_pairs, 1), 1e-9), 0.5)
    return Model(
        m,
        u,
        prior,
        version=version,
        trained_on=trained_on,
        sibling_rule=sibling_rule,
        population=len(right) if other is not None else n,
    )
