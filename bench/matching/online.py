"""Online benchmark: build the index on a synthetic population, then ask it about referrals.

Queries (held out of the index):
* known: another record of a person who is in the index (a corrupted copy) -> top-1/top-5 recall;
* new: every record of a person held out whole (20-30% of queries) -> should find no one;
* hard: a twin, a sibling, or a parent/child of the same name, whose own records are all held
  out while the relative is in the index -> must not be matched to the relative.
Latency is per query (one core, one thread) and per referral (a child and up to 6 relatives).
"""

from __future__ import annotations

import gc
import random
import resource
import statistics
import time
from collections import defaultdict
from typing import Any

from diogelu.matching.index import MatchIndex
from diogelu.matching.record import Record
from diogelu.matching.synth import Population, generate


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    n = len(values)
    return {
        "p50_ms": 1000 * values[n // 2],
        "p95_ms": 1000 * values[min(n - 1, int(n * 0.95))],
        "p99_ms": 1000 * values[min(n - 1, int(n * 0.99))],
        "mean_ms": 1000 * statistics.fmean(values),
    }


def split(pop: Population, n_known: int, n_new: int, n_hard: int, seed: int = 5) -> dict[str, Any]:
    """Choose held-out queries; return them with the records that go in the index."""
    rng = random.Random(seed)
    by_person: dict[str, list[int]] = defaultdict(list)
    for i, pid in enumerate(pop.truth):
        by_person[pid].append(i)
    people = list(by_person)
    rng.shuffle(people)
    held: set[int] = set()
    hard: list[tuple[str, int, str]] = []  # (kind, query record, relative person id)
    relatives = pop.hard_negative_pairs()
    candidates = [(kind, a, b) for kind, pairs in relatives.items() for a, b in pairs]
    rng.shuffle(candidates)
    per_kind: dict[str, int] = defaultdict(int)
    held_people: set[str] = set()
    for kind, a, b in candidates:
        if per_kind[kind] >= n_hard // 3 or a in held_people or b in held_people:
            continue
        per_kind[kind] += 1
        held_people.add(a)
        hard.append((kind, by_person[a][0], b))
        held.update(by_person[a])
    new: list[int] = []
    known: list[tuple[int, str]] = []
    for pid in people:
        if pid in held_people:
            continue
        records = by_person[pid]
        if len(new) < n_new and len(records) >= 1 and rng.random() < 0.5:
            new.append(records[0])
            held.update(records)
            held_people.add(pid)
        elif len(known) < n_known and len(records) >= 2:
            q = rng.choice(records)
            known.append((q, pid))
            held.add(q)
        if len(new) >= n_new and len(known) >= n_known:
            break
    indexed = [i for i in range(len(pop.records)) if i not in held]
    return {"known": known, "new": new, "hard": hard, "indexed": indexed}


def run(n_records: int, n_queries: int = 2000, seed: int = 20260101) -> dict[str, Any]:
    t0 = time.perf_counter()
    pop = generate(n_records, seed=seed)
    gen_s = time.perf_counter() - t0
    n_new = n_queries // 4
    plan = split(pop, n_known=n_queries - n_new, n_new=n_new, n_hard=600)
    gc.collect()
    rss0 = _rss_mb()
    index = MatchIndex.load_default()
    t0 = time.perf_counter()
    for i in plan["indexed"]:
        index.add(pop.records[i])
    build_s = time.perf_counter() - t0
    rss1 = _rss_mb()
    # A long-lived index: move it out of the cyclic garbage collector's way, as a server would
    # after loading (gc.freeze), so collections do not stall queries.
    gc.collect()
    gc.freeze()
    truth = pop.truth
    top1 = top5 = 0
    latencies: list[float] = []
    for q, pid in plan["known"]:
        t = time.perf_counter()
        found = index.query(pop.records[q], top_k=5)
        latencies.append(time.perf_counter() - t)
        ids = [truth[int(c.record_id[1:])] for c in found]
        top1 += bool(ids) and ids[0] == pid
        top5 += pid in ids
    new_false = 0
    for q in plan["new"]:
        t = time.perf_counter()
        found = index.query(pop.records[q], top_k=5, min_probability=0.5)
        latencies.append(time.perf_counter() - t)
        new_false += bool(found)
    hard_false: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, q, relative in plan["hard"]:
        t = time.perf_counter()
        found = index.query(pop.records[q], top_k=5, min_probability=0.5)
        latencies.append(time.perf_counter() - t)
        hard_false[kind][1] += 1
        hard_false[kind][0] += any(truth[int(c.record_id[1:])] == relative for c in found)
    # A referral: a child and up to six relatives from one household, queried together.
    households: dict[int, list[Record]] = defaultdict(list)
    for p in pop.people[:20000]:
        households[p.household].append(
            Record(p.person_id, p.given, p.family, (), p.dob, p.sex, p.postcode, p.address)
        )
    referral_latencies = []
    for members in list(households.values())[:300]:
        t = time.perf_counter()
        for record in members[:7]:
            index.query(record, top_k=5)
        referral_latencies.append(time.perf_counter() - t)
    # Insert latency: new records into the full index.
    insert: list[float] = []
    for i, q in enumerate(plan["new"][:300]):
        record = pop.records[q]
        r = Record(f"new{i}", *[getattr(record, f) for f in Record.__dataclass_fields__][1:])
        t = time.perf_counter()
        index.add(r)
        insert.append(time.perf_counter() - t)
    n_known = len(plan["known"])
    return {
        "records": n_records,
        "indexed": len(index),
        "generate_s": gen_s,
        "build_s": build_s,
        "bytes_per_record": (rss1 - rss0) * 1024 * 1024 / max(len(plan["indexed"]), 1),
        "top1_recall": top1 / n_known,
        "top5_recall": top5 / n_known,
        "known_queries": n_known,
        "new_queries": len(plan["new"]),
        "new_false_match_rate": new_false / max(len(plan["new"]), 1),
        "hard_negatives": {
            k: {"queries": v[1], "false_matches": v[0]} for k, v in hard_false.items()
        },
        "query": _percentiles(latencies),
        "referral": _percentiles(referral_latencies),
        "insert": _percentiles(insert),
        "index": index.stats(),
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000), indent=1))
