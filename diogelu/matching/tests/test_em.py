"""Learning without labels: the prior counts matches in big blocks too."""

import datetime as dt
import random
from collections import Counter

from diogelu.matching.em import match_share, sample_block_pairs, train
from diogelu.matching.record import Record, prepare
from diogelu.matching.synth import generate


def test_pairs_are_sampled_from_every_block_however_big():
    records = [
        prepare(Record(str(i), "A", "B", date_of_birth=dt.date(2000, 1, 1 + i % 3)))
        for i in range(300)
    ]
    pairs, total = sample_block_pairs(records, lambda p: p.dob_s, 3000, random.Random(1))
    assert total == 3 * (100 * 99 // 2)  # three blocks of 100, all counted (EM's cap is 60)
    assert len(pairs) == 3000
    assert all(a is not b and a.dob == b.dob for a, b in pairs)
    assert len({a.dob for a, _ in pairs}) == 3


def test_match_share_recovers_the_mixture():
    m = [[0.0, 0.9, 0.1]]
    u = [[0.0, 0.05, 0.95]]
    # 1,000 pairs, 200 of them matches: levels as m and u say (180 + 40 agree, 20 + 760 not).
    vectors: Counter[tuple[int, ...]] = Counter({(1,): 220, (2,): 780})
    assert abs(match_share(vectors, m, u, [0], start=0.5) - 0.2) < 0.01


def test_learned_prior_is_near_the_true_one():
    pop = generate(4000, seed=11)
    prepared = [prepare(r) for r in pop.records]
    model = train(prepared)
    people = Counter(pop.truth)
    true_pairs = sum(c * (c - 1) // 2 for c in people.values())
    n = len(prepared)
    true_prior = true_pairs / (n * (n - 1) / 2)
    assert 0.5 * true_prior <= model.prior <= 2 * true_prior, (model.prior, true_prior)


def test_training_blocks_on_the_fields_present():
    """A register without dates of birth: EM blocks on the postcode instead, and the prior is
    learned, not the floor (it was 1e-9, and almost nothing linked)."""
    import dataclasses

    from diogelu.matching.em import block_plan

    records = generate(3000).records
    with_dob = [prepare(r) for r in records]
    assert block_plan(with_dob)[0] == "the same date of birth"
    no_dob = [prepare(dataclasses.replace(r, date_of_birth=None)) for r in records]
    assert block_plan(no_dob)[0] == "the same postcode"
    model = train(no_dob)
    assert 1e-5 < model.prior < 1e-2
    full = train(with_dob)
    assert 1e-5 < full.prior < 1e-2
