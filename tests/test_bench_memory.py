"""The batch benchmark's peak memory sampler (bench/matching/memory.py, issue 16): it sees the
memory of worker processes (it reads /proc: Linux), and its own cost stays a small share of a core."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.matching import memory


def test_the_peak_counts_a_child_process():
    with memory.PeakMemory(interval=0.05) as peak:
        before = memory.tree_pss_mb()
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, time; b = bytearray(200 * 1024 * 1024); "
                "b[::4096] = b'x' * len(b[::4096]); print('ready', flush=True); time.sleep(120)",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        # Two whole samples after the child is ready: the sampler's pace follows what a sample
        # costs, and on a loaded machine that is a second or more.
        wanted = peak.samples + 2
        deadline = time.monotonic() + 60
        while peak.samples < wanted and time.monotonic() < deadline:
            time.sleep(0.05)
        child.kill()
        child.wait()
    assert peak.mb >= before + 150
    assert peak.samples >= 2


def test_the_sampler_waits_in_proportion_to_what_a_sample_costs(monkeypatch):
    def slow_sample(root: int | None = None) -> float:
        time.sleep(0.1)  # as a sample of a few gigabytes of page tables can take
        return 1.0

    monkeypatch.setattr(memory, "tree_pss_mb", slow_sample)
    with memory.PeakMemory(interval=0.01) as peak:
        time.sleep(1.0)
    # Waiting COST_SHARE (20) times the 0.1 s a sample took: one sample in the second, where
    # sampling at the interval alone would have taken about nine.
    assert 1 <= peak.samples <= 2
    assert peak.mb == 1.0
