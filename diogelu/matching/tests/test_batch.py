"""Batch linkage: the fast candidate choice and the worker processes give the same answers as
the plain algorithm, whatever the number of workers."""

import os
import time
from collections import Counter

import pytest

from diogelu.matching import batch
from diogelu.matching.blocking import blocking_keys
from diogelu.matching.compare import comparison_vector
from diogelu.matching.em import train
from diogelu.matching.model import Model
from diogelu.matching.record import prepare
from diogelu.matching.synth import generate
from diogelu.matching.tests.forking import require_fork


@pytest.fixture(scope="module")
def prepared():
    return [prepare(r) for r in generate(3000, seed=7).records]


@pytest.fixture(scope="module")
def model(prepared):
    return train(prepared).for_population(len(prepared))


@pytest.fixture
def forks(monkeypatch):
    """Small chunks, so that a small file is shared among workers; counts the pools started."""
    monkeypatch.setattr(batch, "_CHOOSE_CHUNK", 500)
    monkeypatch.setattr(batch, "_SCORE_CHUNK", 5000)
    monkeypatch.setattr(batch, "PARALLEL_MINIMUM_PAIRS", 0)
    started = []
    real = batch._fork_context

    def counting():
        context = real()
        started.append(context)
        return context

    monkeypatch.setattr(batch, "_fork_context", counting)
    return started


def _reference_candidates(records, cap=150, max_candidates=30, min_hits=3):
    """The candidate choice written plainly: count shared keys per record, decisive keys
    twice, keep the best ``max_candidates`` sharing at least ``min_hits``."""
    n = len(records)
    keys_of = [blocking_keys(p) for p in records]
    blocks: dict[str, list[int]] = {}
    for i, keys in enumerate(keys_of):
        for key in keys:
            members = blocks.setdefault(key, [])
            if not members or members[-1] != i:
                members.append(i)
    found = set()
    for i, keys in enumerate(keys_of):
        hits: Counter[int] = Counter()
        for key in keys:
            members = blocks[key]
            if len(members) < 2:
                continue
            if key[0] in "nu" or (key[0] in "dx" and len(members) <= cap):
                hits.update(members)
                hits.update(members)
            elif len(members) <= cap:
                hits.update(members)
        del hits[i]
        for j, count in hits.most_common(max_candidates):
            if count < min_hits:
                break
            found.add(i * n + j if i < j else j * n + i)
    return found


def test_candidate_choice_matches_the_plain_algorithm(prepared):
    expected = _reference_candidates(prepared)
    assert expected  # the synthetic file has duplicates to find
    assert batch.dedupe_candidates_multi(prepared) == expected
    # Few candidates per record: the cut to the best ones is exercised.
    assert batch.dedupe_candidates_multi(prepared, max_candidates=2) == _reference_candidates(
        prepared, max_candidates=2
    )


def test_worker_processes_give_the_same_candidates(prepared, forks):
    one = batch.dedupe_candidates_multi(prepared, workers=1)
    assert not forks
    assert batch.dedupe_candidates_multi(prepared, workers=2) == one
    assert len(forks) == 1


def test_scores_are_the_models_scores(prepared, model):
    tf = batch.term_frequencies(prepared)
    codes = batch.dedupe_candidates(prepared)
    n = len(prepared)
    scored = batch.score_pairs(prepared, prepared, codes, model, tf, -1000.0)
    assert len(scored) == len(codes)
    for i, j, w in scored[:: max(1, len(scored) // 500)]:
        assert w == model.vector_weight(
            comparison_vector(prepared[i], prepared[j]), prepared[i], tf
        )
        assert i * n + j in codes
    weights = [w for _, _, w in scored]
    assert weights == sorted(weights, reverse=True)


@pytest.mark.parametrize("large", [False, True])
def test_dedupe_is_the_same_with_workers(prepared, model, monkeypatch, forks, large):
    if large:  # take the large-file path (candidates chosen by shared keys) on a small file
        monkeypatch.setattr(batch, "LARGE_FILE", 1000)
    one = batch.dedupe(prepared, model, min_probability=0.01, workers=1)
    two = batch.dedupe(prepared, model, min_probability=0.01, workers=2)
    assert len(forks) == (2 if large else 1)  # choosing (large files only) and scoring
    assert one
    assert one == two
    assert all(i < j for i, j, _ in one)


def test_large_file_path_finds_what_the_reference_finds(prepared, model, monkeypatch):
    monkeypatch.setattr(batch, "LARGE_FILE", 1000)
    tf = batch.term_frequencies(prepared)
    reference = batch.score_pairs(
        prepared, prepared, _reference_candidates(prepared), model, tf, Model.weight_for(0.5)
    )
    assert batch.dedupe(prepared, model, workers=2) == reference


def test_cached_weights_follow_the_household_rule(prepared, model):
    # A twins-like vector: first names differ, same date of birth and surname.
    vector = (8, 1, 1, 1, 0, 0, 0, 0)
    on = Model.from_dict(model.to_dict())
    assert on.sibling_rule
    with_rule = on.base_weight(vector)
    on.sibling_rule = False
    without_rule = on.base_weight(vector)
    assert without_rule - with_rule == pytest.approx(-on.twin_penalty)
    on.twin_penalty = -10.0
    on.sibling_rule = True
    assert on.base_weight(vector) == pytest.approx(without_rule - 10.0)


def _learn(records):
    return lambda: train(records).for_population(len(records))


@pytest.fixture
def fork(monkeypatch):
    """Files over 10 records count as large; and forking must be possible here."""
    require_fork()
    monkeypatch.setattr(batch, "LARGE_FILE", 10)


def test_model_learned_beside_the_blocking_is_the_same(prepared, model, fork, forks):
    """ADR 0828: a large file's model is learned in a forked process while this one blocks;
    the pairs are those of the model learned here."""
    beside = batch.Beside(_learn(prepared), workers=2, size=len(prepared))
    assert beside.in_child
    here = batch.Beside(_learn(prepared), workers=1, size=len(prepared))
    assert not here.in_child
    two = batch.dedupe(prepared, beside, min_probability=0.01, workers=2)
    learned = beside.result()
    assert (learned.m, learned.u, learned.prior) == (model.m, model.u, model.prior)
    assert beside.seconds > 0
    assert two == batch.dedupe(prepared, here, min_probability=0.01, workers=1)
    assert two == batch.dedupe(prepared, model, min_probability=0.01, workers=1)
    # Really another process: what it reports is its own process id.
    assert batch.Beside(os.getpid, workers=2, size=len(prepared)).result() != os.getpid()
    # A file too small to pay for a process: worked out here.
    assert batch.Beside(os.getpid, workers=2, size=10).result() == os.getpid()


def test_the_blocking_goes_on_while_the_model_is_learned(prepared, model, fork, tmp_path):
    """The parent blocks and chooses candidate pairs while the child learns: the child is
    still learning (held back by a file the test removes) when the parent asks for the model."""
    gate = tmp_path / "gate"
    gate.touch()

    def slow():
        deadline = time.monotonic() + 30  # learned first (the old way): fail, do not hang
        while gate.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return model

    seen: list[bool] = []
    real = batch._candidate_buckets

    def choosing(*args, **kwargs):
        buckets = real(*args, **kwargs)
        seen.append(gate.exists())  # the child has not finished: it waits for the gate
        gate.unlink(missing_ok=True)
        return buckets

    import unittest.mock

    with (
        unittest.mock.patch.object(batch, "_candidate_buckets", choosing),
        batch.Beside(slow, workers=2, size=len(prepared)) as beside,
    ):
        pairs = batch.dedupe(prepared, beside, min_probability=0.01, workers=2)
    assert seen == [True]
    assert pairs == batch.dedupe(prepared, model, min_probability=0.01, workers=1)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_beside_is_raised_when_the_result_is_asked_for(monkeypatch, workers):
    monkeypatch.setattr(batch, "LARGE_FILE", 10)
    if workers == 2:
        require_fork()

    def fails():
        raise ValueError("--model: no such file model.json")

    if workers == 1:  # worked out here: said at once, before any other work
        with pytest.raises(ValueError, match="no such file"):
            batch.Beside(fails, workers=workers, size=100)
        return
    beside = batch.Beside(fails, workers=workers, size=100)
    assert beside.in_child
    with pytest.raises(ValueError, match="no such file") as raised:
        beside.result()
    # where it went wrong, in the child
    assert any("in fails" in note for note in raised.value.__notes__)
    with pytest.raises(ValueError):  # asked again: the same error, not None
        beside.result()


def test_a_learner_that_dies_or_cannot_send_is_an_error_not_a_hang(fork):
    beside = batch.Beside(lambda: os._exit(3), workers=2, size=100)
    with pytest.raises(RuntimeError, match="died"):
        beside.result()
    unpicklable = batch.Beside(lambda: lambda: None, workers=2, size=100)
    with pytest.raises(RuntimeError, match="result could not be sent back"):
        unpicklable.result()


def test_a_child_not_waited_for_is_stopped_when_the_caller_fails(fork):
    beside = batch.Beside(lambda: time.sleep(60), workers=2, size=100)
    process = beside._process

    def blocking_fails():
        with beside:
            raise KeyError("blocking failed")

    with pytest.raises(KeyError):
        blocking_fails()
    assert not process.is_alive()
    assert process.exitcode is not None


def test_clustering_is_the_same_with_workers(prepared, model, monkeypatch, forks):
    """The connected parts of the links are clustered apart, in worker processes (ADR 0847):
    the clusters are those of one process."""
    from diogelu.matching import cluster as clustering

    monkeypatch.setattr(clustering, "PARALLEL_MINIMUM_LINKS", 0)
    tf = batch.term_frequencies(prepared)
    pairs = batch.dedupe(prepared, model, min_probability=0.01, workers=1)
    one = clustering.cluster(prepared, pairs, model, tf, workers=1)
    assert not forks
    two = clustering.cluster(prepared, pairs, model, tf, workers=2)
    assert forks  # the parts were shared among worker processes
    assert two == one
    assert len(set(one)) < len(one)  # records were joined
    # Several parts in each share, and more than one share.
    shares = clustering._shares(
        len(prepared), sorted((t for t in pairs if t[2] >= 0), key=lambda t: -t[2]), 2
    )
    assert len(shares) > 1
    assert sum(map(len, shares)) == sum(1 for t in pairs if t[2] >= 0)


def test_the_cycle_collector_runs_again_after_a_pause():
    import gc

    seen: list[bool] = []

    def fails_while_paused():
        with batch.collector_paused():
            seen.append(gc.isenabled())
            raise ValueError("bad input")

    assert gc.isenabled()
    with pytest.raises(ValueError):
        fails_while_paused()
    assert seen == [False]
    assert gc.isenabled()  # even after an error
    gc.disable()
    try:
        with batch.collector_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is left as it was
    finally:
        gc.enable()
