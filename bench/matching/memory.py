"""Peak memory of a process and its worker processes together (Linux).

``ru_maxrss`` counts one process only, and adding the peaks of a parent and its forked workers
would count the pages they share twice. This samples the proportional set size (PSS: each shared
page split between the processes sharing it) of this process and all its descendants, and keeps
the highest total seen.

Reading ``smaps_rollup`` walks a process's page tables: at the 1M batch (about 5 GB in three
processes) one sample costs 0.1-0.2 s of a core. Sampled every half second, that took a fifth of
one of the machine's two cores from the work being measured. So the wait after each sample is
at least ``COST_SHARE`` times what the sample took, keeping the sampler to about one twentieth
of a core; the batch's phases, where memory stands at a level for ten seconds and more, are
still sampled several times each.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
        except OSError:
            continue
        out.extend(int(c) for c in text.split())
    return out


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_mb(root: int | None = None) -> float:
    """PSS of a process and all its descendants now, in MB."""
    pending = [root if root is not None else os.getpid()]
    total = 0
    seen: set[int] = set()
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _pss_kb(pid)
        pending.extend(_children(pid))
    return total / 1024


#: The sampler waits at least this many times as long as its last sample took.
COST_SHARE = 20


class PeakMemory:
    """``with PeakMemory() as peak: ...``; then ``peak.mb`` is the highest total PSS seen."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.mb = 0.0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            started = time.perf_counter()
            self.mb = max(self.mb, tree_pss_mb())
            self.samples += 1
            took = time.perf_counter() - started
            if self._stop.wait(max(self.interval, COST_SHARE * took)):
                return

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.mb = max(self.mb, tree_pss_mb())
