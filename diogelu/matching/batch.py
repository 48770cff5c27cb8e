"""Batch linkage: every likely pair within one file (dedupe) or across two (link)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence

from diogelu.matching.blocking import blocking_keys
from diogelu.matching.compare import comparison_vector
from diogelu.matching.model import Model, TermFrequencies
from diogelu.matching.record import Prepared

DEFAULT_BATCH_BLOCK_CAP = 150
# Above this many records, candidate pairs are chosen as the online index chooses them.
LARGE_FILE = 250_000
Progress = Callable[[str], None]
ScoredPair = tuple[int, int, float]


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


def dedupe_candidates_multi(
    records: Sequence[Prepared],
    cap: int = DEFAULT_BATCH_BLOCK_CAP,
    max_candidates: int = 30,
    min_hits: int = 3,
    progress: Progress = _quiet,
) -> set[int]:
    """Candidate pairs for large files: as the online index chooses them.

    A pair must share two or more keys, or one decisive key (same NHS number, UPN, date of
    birth, identical record); at most ``max_candidates`` per record. Far fewer pairs to score
    than every pair in every block, at a small cost in recall.
    """
    n = len(records)
    keys_of = [blocking_keys(p) for p in records]
    blocks: dict[str, list[int]] = {}
    for i, keys in enumerate(keys_of):
        for key in keys:
            members = blocks.get(key)
            if members is None:
                blocks[key] = [i]
            elif members[-1] != i:
                members.append(i)
    found: set[int] = set()
    ticker = _Ticker(progress, "choosing candidate pairs", n)
    for i, keys in enumerate(keys_of):
        hits: Counter[int] = Counter()
        for key in keys:
            members = blocks[key]
            size = len(members)
            if size < 2:
                continue
            kind = key[0]
            if kind in "nu" or (kind in "dx" and size <= cap):
                hits.update(members)
                hits.update(members)
            elif size <= cap:
                hits.update(members)
        del hits[i]
        base = i * n
        for j, count in hits.most_common(max_candidates):
            if count < min_hits:
                break
            found.add(base + j if i < j else j * n + i)
        if not i & 0x3FFF:
            ticker.tick(i)
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


def score_pairs(
    left: Sequence[Prepared],
    right: Sequence[Prepared],
    codes: set[int],
    model: Model,
    tf: TermFrequencies | None,
    min_weight: float,
    progress: Progress = _quiet,
) -> list[ScoredPair]:
    """Score candidate pair codes; keep those at or above ``min_weight``."""
    m = len(right)
    out: list[ScoredPair] = []
    weight_of = model.vector_weight
    ticker = _Ticker(progress, "scoring pairs", len(codes))
    for done, code in enumerate(codes):
        i, j = divmod(code, m)
        a = left[i]
        w = weight_of(comparison_vector(a, right[j]), a, tf)
        if w >= min_weight:
            out.append((i, j, w))
        if not done & 0xFFFF:
            ticker.tick(done)
    out.sort(key=lambda t: (-t[2], t[0], t[1]))
    return out


def dedupe(
    records: Sequence[Prepared],
    model: Model,
    min_probability: float = 0.5,
    cap: int = DEFAULT_BATCH_BLOCK_CAP,
    progress: Progress = _quiet,
) -> list[ScoredPair]:
    """Likely duplicate pairs ``(i, j, weight)`` with ``i < j``, best first."""
    progress(f"blocking {len(records):,} records")
    if len(records) > LARGE_FILE:
        codes = dedupe_candidates_multi(records, cap, progress=progress)
    else:
        codes = dedupe_candidates(records, cap)
    progress(f"{len(codes):,} candidate pairs")
    tf = term_frequencies(records)
    return score_pairs(
        records, records, codes, model, tf, Model.weight_for(min_probability), progress
    )


def link(
    left: Sequence[Prepared],
    right: Sequence[Prepared],
    model: Model,
    min_probability: float = 0.5,
    cap: int = DEFAULT_BATCH_BLOCK_CAP,
    progress: Progress = _quiet,
) -> list[ScoredPair]:
    """Likely pairs ``(i, j, weight)`` across two lists, best first."""
    progress(f"blocking {len(left):,} and {len(right):,} records")
    codes = link_candidates(left, right, cap)
    progress(f"{len(codes):,} candidate pairs")
    tf = term_frequencies(left, right)
    return score_pairs(left, right, codes, model, tf, Model.weight_for(min_probability), progress)
