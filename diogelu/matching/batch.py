"""Batch linkage: every likely pair within one file (dedupe) or across two (link).

Large files can use several processes (``workers``): candidate pairs are chosen, and then scored,
in chunks by forked worker processes that share the prepared records read-only. The result is
the same whatever the number of workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
import traceback
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import chain
from typing import Any, Generic, TypeVar

from diogelu.matching.blocking import blocking_keys
from diogelu.matching.compare import comparison_vector
from diogelu.matching.model import TF_MIN_POPULATION, Model, TermFrequencies
from diogelu.matching.record import Prepared

DEFAULT_BATCH_BLOCK_CAP = 150
# Above this many records, candidate pairs are chosen as the online index chooses them.
LARGE_FILE = 250_000
# Below this many candidate pairs, worker processes cost more than they save.
PARALLEL_MINIMUM_PAIRS = 200_000
Progress = Callable[[str], None]
ScoredPair = tuple[int, int, float]
T = TypeVar("T")

_CHOOSE_CHUNK = 1 << 14  # records per chunk when choosing candidate pairs
_SCORE_CHUNK = 1 << 17  # pairs per chunk when scoring
_BUCKETS = 64  # chunks of candidate pairs from large files, by the pair's first record


def _quiet(_message: str) -> None:
    return None


class _Ticker:
    """Progress messages at most every few seconds."""

    def __init__(self, say: Progress, what: str, total: int) -> None:
        self.say, self.what, self.total = say, what, total
        self.next_at = time.monotonic() + 2.0

    def tick(self, done: int) -> None:
        now = time.monotonic()
        if now >= self.next_at:
            self.next_at = now + 5.0
            share = 100.0 * done / max(self.total, 1)
            self.say(f"{self.what}: {done:,} of {self.total:,} ({share:.0f}%)")


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _fork_context() -> Any:
    """The fork start method, or None where there is none or forking is unsafe (workers then run
    in-process): outside the main thread (a threaded web server: forking copies other threads'
    locks and database connections) and in a daemon process (a Celery prefork child may not have
    children)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    if multiprocessing.current_process().daemon:
        return None
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


# -- the state worker processes inherit --------------------------------------------------------
# Set in the parent just before forking, read by the workers; never pickled. One pool at a time
# (the lock), so threads that run batch jobs side by side do not mix their states.
_shared: dict[str, Any] = {}
_fork_lock = threading.Lock()


def _in_worker(task: Callable[[dict[str, Any], Any], Any], chunk: Any) -> Any:
    return task(_shared, chunk)


def run(
    task: Callable[[dict[str, Any], Any], Any],
    chunks: Sequence[Any],
    workers: int,
    state: dict[str, Any],
) -> Iterator[Any]:
    """``task(state, chunk)`` over ``chunks`` (results in any order), in ``workers`` forked
    processes that inherit ``state``, or in this process."""
    context = _fork_context() if workers > 1 and len(chunks) > 1 else None
    if context is None:
        for chunk in chunks:
            yield task(state, chunk)
        return
    with _fork_lock:
        _shared.clear()
        _shared.update(state)
        # Objects that exist now are left alone by the workers' garbage collector: it would
        # otherwise touch (and so copy) every page of the shared records in every worker.
        frozen = not gc.get_freeze_count()
        if frozen:
            gc.freeze()
        try:
            with context.Pool(min(workers, len(chunks))) as pool:
                yield from pool.imap_unordered(partial(_in_worker, task), chunks)
        finally:
            _shared.clear()
            if frozen:
                gc.unfreeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Build large structures of plain objects without the cycle collector walking the heap.

    Each collection of the oldest generation visits every object of a file's records (a
    million ``Prepared`` and their strings at 1M), and building an index of them sets it off
    again and again: building the clusterer's index of relatives at 1M took 10 s with it and
    4 s without (ADR 0847). What is built holds no reference cycles, so nothing is left
    uncollected; the collector runs as before afterwards. The switch is the process's: in a
    threaded server, other threads go without collection for as long (seconds at 1M)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Beside(Generic[T]):
    """``fn()`` worked out in a forked process while this one goes on, its result pickled back
    when it is asked for (ADR 0828): a large file's model is learned on one core while the other
    blocks the file. Where there is no fork, one worker, or a file too small for it to pay, ``fn``
    runs here, at once, and its exception is raised at once. In a child, its exception is raised
    again by ``result`` (with the child's traceback as a note). ``seconds`` is how long ``fn``
    took, wherever it ran. Used as a context manager, a child not yet waited for is stopped on
    the way out (the caller failed first)."""

    def __init__(self, fn: Callable[[], T], workers: int, size: int) -> None:
        self.seconds = 0.0
        self._value: T | None = None
        self._error: BaseException | None = None
        self._process: Any = None
        self._reader: Any = None
        context = _fork_context() if workers > 1 and size > LARGE_FILE else None
        if context is None:  # here, at once; an exception is raised at once too
            started = time.perf_counter()
            self._value = fn()
            self.seconds = time.perf_counter() - started
            return
        reader, writer = context.Pipe(duplex=False)
        # As for the pool: the child's garbage collector leaves the shared records alone.
        frozen = not gc.get_freeze_count()
        if frozen:
            gc.freeze()
        try:
            self._process = context.Process(target=_beside_child, args=(fn, writer), daemon=True)
            self._process.start()
        finally:
            if frozen:
                gc.unfreeze()
        writer.close()
        self._reader = reader

    @property
    def in_child(self) -> bool:
        """Whether ``fn`` runs in another process."""
        return self._process is not None

    def result(self) -> T:
        reader, self._reader = self._reader, None
        if reader is not None:
            try:
                ok, self.seconds, payload = reader.recv()
            except EOFError:
                ok, payload = False, RuntimeError("the process working beside this one died")
            except Exception as exc:  # a result that cannot be unpickled here
                ok, payload = False, exc
            finally:
                reader.close()
                self._process.join()
            if ok:
                self._value = payload
            else:
                self._error = payload
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set when no error was

    def close(self) -> None:
        """Stop a child whose result was not asked for."""
        reader, self._reader = self._reader, None
        if reader is not None:
            self._process.terminate()
            self._process.join()
            reader.close()

    def __enter__(self) -> Beside[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _beside_child(fn: Callable[[], Any], writer: Any) -> None:
    started = time.perf_counter()
    try:
        ok, payload = True, fn()
    except Exception as exc:  # raised again by Beside.result() in the parent
        ok, payload = False, exc
    seconds = time.perf_counter() - started
    if not ok:
        payload.add_note(
            "in the process working beside the main one:\n"
            + "".join(traceback.format_exception(payload))
        )
    try:
        writer.send((ok, seconds, payload))
    except Exception as exc:  # a result or an exception that cannot be pickled
        what = "result" if ok else f"error ({payload!r})"
        writer.send((False, seconds, RuntimeError(f"its {what} could not be sent back: {exc!r}")))
    writer.close()


# -- blocking ------------------------------------------------------------------------------------


def _blocks(records: Sequence[Prepared]) -> dict[str, list[int]]:
    blocks: dict[str, list[int]] = {}
    for i, p in enumerate(records):
        for key in blocking_keys(p):
            members = blocks.get(key)
            if members is None:
                blocks[key] = [i]
            elif members[-1] != i:
                members.append(i)
    return blocks


def dedupe_candidates(records: Sequence[Prepared], cap: int = DEFAULT_BATCH_BLOCK_CAP) -> set[int]:
    """Candidate pairs within one list, as ``i * n + j`` with ``i < j``."""
    n = len(records)
    found: set[int] = set()
    add = found.add
    for key, members in _blocks(records).items():
        size = len(members)
        if size < 2 or (size > cap and key[0] not in "nu"):
            continue
        for x in range(size):
            base = members[x] * n
            for y in range(x + 1, size):
                add(base + members[y])
    return found


def _choose_chunk(shared: dict[str, Any], bounds: tuple[int, int]) -> list[bytes]:
    """Candidate pair codes chosen by records ``lo`` to ``hi`` (a worker's share), sorted into
    buckets by the pair's first record. A pair chosen from both sides appears twice."""
    lo, hi = bounds
    n: int = shared["n"]
    members: list[list[int]] = shared["members"]
    weight: bytearray = shared["weight"]
    flat: array[int] = shared["flat"]
    offsets: array[int] = shared["offsets"]
    max_candidates: int = shared["max_candidates"]
    min_hits: int = shared["min_hits"]
    per_bucket: int = shared["per_bucket"]
    buckets = [array("q") for _ in range(shared["buckets"])]
    from_iterable = chain.from_iterable
    for i in range(lo, hi):
        # The blocks to count, decisive ones twice.
        lists: list[list[int]] = []
        for b in flat[offsets[i] : offsets[i + 1]]:
            w = weight[b]
            if w:
                lists.append(members[b])
                if w == 2:
                    lists.append(members[b])
        if not lists:
            continue
        hits = Counter(from_iterable(lists))
        del hits[i]
        strong = [j for j, count in hits.items() if count >= min_hits]
        if len(strong) > max_candidates:
            # The most shared keys first; among equals, the first found (as most_common does).
            strong = sorted(strong, key=hits.__getitem__, reverse=True)[:max_candidates]
        base = i * n
        mine = buckets[i // per_bucket]
        for j in strong:
            if i < j:
                mine.append(base + j)
            else:
                buckets[j // per_bucket].append(j * n + i)
    return [bucket.tobytes() for bucket in buckets]


def _candidate_buckets(
    records: Sequence[Prepared],
    cap: int,
    max_candidates: int,
    min_hits: int,
    progress: Progress,
    workers: int,
) -> list[bytes]:
    """Candidate pair codes as the online index chooses them, in buckets by first record
    (each bucket unsorted, with repeats)."""
    n = len(records)
    # Keys become block numbers as they are met; the strings are dropped once blocks are built.
    ids: dict[str, int] = {}
    members: list[list[int]] = []
    kinds = bytearray()
    offsets = array("q", [0])
    flat = array("i")
    ticker = _Ticker(progress, "blocking", n)
    with collector_paused():  # ten million lists and more at 1M
        for i, p in enumerate(records):
            for key in blocking_keys(p):
                b = ids.get(key)
                if b is None:
                    b = ids[key] = len(members)
                    members.append([i])
                    kinds.append(2 if key[0] in "nu" else 1 if key[0] in "dxi" else 0)
                else:
                    block = members[b]
                    if block[-1] != i:
                        block.append(i)
                flat.append(b)
            offsets.append(len(flat))
            if not i & 0x3FFF:
                ticker.tick(i)
    del ids
    # How much each block counts: 0 (a single record, or over the cap), 1, or 2 (decisive).
    weight = bytearray(len(members))
    for b, block in enumerate(members):
        size = len(block)
        if size < 2:
            continue
        kind = kinds[b]
        if kind == 2 or (kind == 1 and size <= cap):
            weight[b] = 2
        elif size <= cap:
            weight[b] = 1
    del kinds
    buckets = max(1, min(_BUCKETS, n))
    per_bucket = -(-n // buckets)
    state = {
        "n": n,
        "members": members,
        "weight": weight,
        "flat": flat,
        "offsets": offsets,
        "max_candidates": max_candidates,
        "min_hits": min_hits,
        "buckets": buckets,
        "per_bucket": per_bucket,
    }
    chunks = [(lo, min(lo + _CHOOSE_CHUNK, n)) for lo in range(0, n, _CHOOSE_CHUNK)]
    pieces: list[list[bytes]] = [[] for _ in range(buckets)]
    ticker = _Ticker(progress, "choosing candidate pairs", n)
    done = 0
    for result in run(_choose_chunk, chunks, workers, state):
        for k, data in enumerate(result):
            if data:
                pieces[k].append(data)
        done += _CHOOSE_CHUNK
        ticker.tick(min(done, n))
    return [b"".join(bucket) for bucket in pieces]


def dedupe_candidates_multi(
    records: Sequence[Prepared],
    cap: int = DEFAULT_BATCH_BLOCK_CAP,
    max_candidates: int = 30,
    min_hits: int = 3,
    progress: Progress = _quiet,
    workers: int = 1,
) -> set[int]:
    """Candidate pairs for large files: as the online index chooses them.

    A pair must share three keys, counting a decisive key (same NHS number, UPN, date of birth,
    identical record) twice; at most ``max_candidates`` per record, those sharing the most keys.
    Far fewer pairs to score than every pair in every block, at a small cost in recall.
    """
    found: set[int] = set()
    for data in _candidate_buckets(records, cap, max_candidates, min_hits, progress, workers):
        found.update(array("q", data))
    return found


def link_candidates(
    left: Sequence[Prepared], right: Sequence[Prepared], cap: int = DEFAULT_BATCH_BLOCK_CAP
) -> set[int]:
    """Candidate pairs across two lists, as ``i * len(right) + j``."""
    m = len(right)
    left_blocks = _blocks(left)
    found: set[int] = set()
    for key, rmembers in _blocks(right).items():
        lmembers = left_blocks.get(key)
        if lmembers is None:
            continue
        if (len(lmembers) > cap or len(rmembers) > cap) and key[0] not in "nu":
            continue
        for i in lmembers:
            base = i * m
            found.update(base + j for j in rmembers)
    return found


def term_frequencies(*lists: Sequence[Prepared]) -> TermFrequencies:
    tf = TermFrequencies()
    for records in lists:
        for p in records:
            tf.add(p)
    return tf


# -- scoring -------------------------------------------------------------------------------------


def _score_chunk(shared: dict[str, Any], chunk: tuple[bytes, bool]) -> tuple[int, list[ScoredPair]]:
    """Score pair codes (a worker's share; ``unique``: without repeats and sorted already);
    returns how many pairs were scored and those at or above the minimum weight."""
    data, unique = chunk
    left: Sequence[Prepared] = shared["left"]
    right: Sequence[Prepared] = shared["right"]
    model: Model = shared["model"]
    tf: TermFrequencies | None = shared["tf"]
    min_weight: float = shared["min_weight"]
    codes: Sequence[int] = array("q", data)
    if not unique:
        codes = sorted(set(codes))  # in order of the left record: fewer cache misses
    m = len(right)
    base_cache = model._base
    base_weight = model.base_weight
    # Term-frequency adjustments of exact name matches, per name (as Model.vector_weight).
    names = tf if tf is not None and tf.total >= TF_MIN_POPULATION else None
    given_delta: dict[str, float] = {}
    family_delta: dict[str, float] = {}
    out: list[ScoredPair] = []
    for code in codes:
        i, j = divmod(code, m)
        a = left[i]
        vector = comparison_vector(a, right[j])
        w = base_cache.get(vector)
        if w is None:
            w = base_weight(vector)
            base_cache = model._base
        if names is not None:
            if vector[0] == 1:
                delta = given_delta.get(a.g)
                if delta is None:
                    delta = given_delta[a.g] = model._tf_delta(0, names.given_frequency(a.g))
                w += delta
            if vector[1] == 1:
                delta = family_delta.get(a.f)
                if delta is None:
                    delta = family_delta[a.f] = model._tf_delta(1, names.family_frequency(a.f))
                w += delta
        if w >= min_weight:
            out.append((i, j, w))
    return len(codes), out


def _score(
    left: Sequence[Prepared],
    right: Sequence[Prepared],
    chunks: Sequence[tuple[bytes, bool]],
    model: Model,
    tf: TermFrequencies | None,
    min_weight: float,
    progress: Progress,
    workers: int,
) -> list[ScoredPair]:
    total = sum(len(data) for data, _ in chunks) // 8
    if total < PARALLEL_MINIMUM_PAIRS:
        workers = 1
    state = {"left": left, "right": right, "model": model, "tf": tf, "min_weight": min_weight}
    out: list[ScoredPair] = []
    ticker = _Ticker(progress, "scoring pairs", len(chunks))
    scored = 0
    for done, (count, kept) in enumerate(run(_score_chunk, chunks, workers, state), start=1):
        out.extend(kept)
        scored += count
        ticker.tick(done)
    progress(f"scored {scored:,} candidate pairs")
    out.sort(key=lambda t: (-t[2], t[0], t[1]))
    return out


def score_pairs(
    left: Sequence[Prepared],
    right: Sequence[Prepared],
    codes: set[int],
    model: Model,
    tf: TermFrequencies | None,
    min_weight: float,
    progress: Progress = _quiet,
    workers: int = 1,
) -> list[ScoredPair]:
    """Score candidate pair codes; keep those at or above ``min_weight``, best first."""
    ordered = array("q", sorted(codes))
    chunks = [
        (ordered[lo : lo + _SCORE_CHUNK].tobytes(), True)
        for lo in range(0, len(ordered), _SCORE_CHUNK)
    ]
    del ordered
    return _score(left, right, chunks, model, tf, min_weight, progress, workers)


def dedupe(
    records: Sequence[Prepared],
    model: Model | Beside[Model],
    min_probability: float = 0.5,
    cap: int = DEFAULT_BATCH_BLOCK_CAP,
    progress: Progress = _quiet,
    workers: int = 1,
) -> list[ScoredPair]:
    """Likely duplicate pairs ``(i, j, weight)`` with ``i < j``, best first.

    ``workers`` processes (forked; 1 means this process only) share the work on large files.
    ``model`` may still be being learned (``Beside``): it is waited for once the candidate pairs
    are chosen, when scoring needs it.
    """
    progress(f"blocking {len(records):,} records")
    tf = term_frequencies(records)
    min_weight = Model.weight_for(min_probability)
    if len(records) <= LARGE_FILE:
        codes = dedupe_candidates(records, cap)
        progress(f"{len(codes):,} candidate pairs")
        return score_pairs(
            records, records, codes, _model(model), tf, min_weight, progress, workers
        )
    buckets = _candidate_buckets(records, cap, 30, 3, progress, workers)
    chunks = [(data, False) for data in buckets if data]
    return _score(records, records, chunks, _model(model), tf, min_weight, progress, workers)


def _model(model: Model | Beside[Model]) -> Model:
    return model.result() if isinstance(model, Beside) else model


def link(
    left: Sequence[Prepared],
    right: Sequence[Prepared],
    model: Model,
    min_probability: float = 0.5,
    cap: int = DEFAULT_BATCH_BLOCK_CAP,
    progress: Progress = _quiet,
    workers: int = 1,
) -> list[ScoredPair]:
    """Likely pairs ``(i, j, weight)`` across two lists, best first."""
    progress(f"blocking {len(left):,} and {len(right):,} records")
    codes = link_candidates(left, right, cap)
    progress(f"{len(codes):,} candidate pairs")
    tf = term_frequencies(left, right)
    return score_pairs(
        left,
        right,
        codes,
        model,
        tf,
        Model.weight_for(min_probability),
        progress,
        workers=workers,
    )
