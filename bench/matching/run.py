"""``make bench-matching``: this engine vs Splink 5 (DuckDB) vs an exact-identifier baseline.

    python -m bench.matching.run            # full: historical_50k, FEBRL1-4, fake_1000,
                                            # pseudopeople, synthetic 100k and 1M
    python -m bench.matching.run --quick    # a few minutes: smaller synthetic sizes

Each measurement runs in its own process (so its time and peak memory are its own) on one core at
a time. Results go to bench/out/matching.json and bench/out/matching.md (paste the latter into
docs/performance.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "out"


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
    }


def task(*args: str, timeout: int = 3600) -> dict[str, Any]:
    label = " ".join(args)
    print(f"  {label} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.matching.tasks", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"  {label}: {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    return result


def _f(x: Any, digits: int = 3) -> str:
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def summary(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"Python {m['python']} (`{results['command']}`).",
        "",
        "| data | engine | pairwise P | R | F1 | clustered P | R | F1 | time s | peak MB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for data, engines in results["quality"].items():
        for engine, r in engines.items():
            if "error" in r:
                lines.append(f"| {data} | {engine} | error: {r['error']} ||||||||")
                continue
            pw = r.get("pairwise", {})
            cl = r.get("clustered", {})
            lines.append(
                f"| {data} | {engine} | {_f(pw.get('precision'))} | {_f(pw.get('recall'))} | "
                f"**{_f(pw.get('f1'))}** | {_f(cl.get('precision', '-'))} | "
                f"{_f(cl.get('recall', '-'))} | **{_f(cl.get('f1', '-'))}** | "
                f"{_f(r.get('seconds'), 1)} | {_f(r.get('peak_mb'), 0)} |"
            )
    lines += ["", "False merges of relatives (share of pairs of people put in one cluster):", ""]
    lines += ["| data | engine | twins | siblings | parent and child of one name |"]
    lines += ["| --- | --- | --- | --- | --- |"]
    for data, engines in results["quality"].items():
        for engine, r in engines.items():
            fm = r.get("false_merges")
            if not fm:
                continue
            cells = [
                f"{fm[k]['merged']}/{fm[k]['pairs']} ({100 * fm[k]['rate']:.2f}%)"
                for k in ("twins", "siblings", "parent_child")
            ]
            lines.append(f"| {data} | {engine} | {' | '.join(cells)} |")
    sweep = results.get("splink_sweep")
    if sweep and "error" not in sweep:
        pw = ", ".join(f"{t}: {v['f1']:.3f}" for t, v in sweep["pairwise"].items())
        cl = ", ".join(f"{t}: {v['f1']:.3f}" for t, v in sweep["clustered"].items())
        lines += [
            "",
            "Splink on historical_50k at other thresholds (F1 by match probability; the reference "
            "figures, at 0.5 and 0.95: pairwise 0.774, clustered 0.852):",
            "",
            f"- pairwise: {pw} (best {sweep['best_pairwise_f1']:.3f})",
            f"- clustered: {cl} (best {sweep['best_clustered_f1']:.3f})",
        ]
    online = results.get("online")
    if online and "error" not in online:
        q, ref, ins = online["query"], online["referral"], online["insert"]
        hard = online["hard_negatives"]
        lines += [
            "",
            f"Online index, {online['indexed']:,} people (synthetic), one core, one thread:",
            "",
            f"- build {online['build_s']:.0f} s, about {online['bytes_per_record']:.0f} bytes "
            f"per record; insert p50 {ins['p50_ms']:.3f} ms, p99 {ins['p99_ms']:.3f} ms",
            f"- query p50 {q['p50_ms']:.2f} ms, p95 {q['p95_ms']:.2f} ms, p99 {q['p99_ms']:.2f} ms;"
            f" whole referral (child + up to 6 relatives) p50 {ref['p50_ms']:.1f} ms, "
            f"p95 {ref['p95_ms']:.1f} ms, p99 {ref['p99_ms']:.1f} ms",
            f"- corrupted copies ({online['known_queries']:,}): top-1 recall "
            f"{online['top1_recall']:.3f}, top-5 recall {online['top5_recall']:.3f}",
            f"- new people ({online['new_queries']:,}): matched to someone at p >= 0.5 in "
            f"{100 * online['new_false_match_rate']:.1f}%",
            "- hard negatives matched to the relative at p >= 0.5: "
            + ", ".join(
                f"{k} {v['false_matches']}/{v['queries']}" for k, v in sorted(hard.items())
            ),
        ]
    scale = results.get("batch")
    if scale and "error" not in scale:
        workers = scale.get("workers", 1)
        total = scale.get("peak_total_mb", scale["peak_mb"])
        lines += [
            "",
            f"Batch dedupe of {results['batch_size']:,} synthetic records (ours, {workers} "
            f"worker process{'es' if workers != 1 else ''}): "
            f"{scale['seconds']:.0f} s ({scale['records_per_minute']:,.0f} records/minute; "
            f"{scale.get('cpu_seconds', 0):.0f} s of CPU), peak {total / 1024:.1f} GB for all "
            f"processes together (proportional set size; the main process alone "
            f"{scale['peak_mb'] / 1024:.1f} GB, of which {scale['peak_mb_before'] / 1024:.1f}"
            f" GB is the generated input); pairwise F1 {scale['pairwise']['f1']:.3f}, "
            f"clustered F1 {scale['clustered']['f1']:.3f}.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few minutes, smaller sizes")
    parser.add_argument("--no-splink", action="store_true", help="skip Splink")
    args = parser.parse_args(argv)
    synth_size = "20000" if args.quick else "100000"
    online_size = "100000" if args.quick else "1000000"
    batch_size = 0 if args.quick else 1_000_000
    engines = ["ours", "exact"] + ([] if args.no_splink else ["splink"])
    results: dict[str, Any] = {
        "machine": machine(),
        "command": "python -m bench.matching.run" + (" --quick" if args.quick else ""),
        "quality": {},
    }
    print("historical_50k", file=sys.stderr)
    hist = {e: task("historical", e) for e in engines}
    hist["ours (household rules forced on)"] = task("historical", "ours", "household")
    hist["ours (household rules off)"] = task("historical", "ours", "no-household")
    results["quality"]["historical_50k"] = hist
    print("FEBRL4", file=sys.stderr)
    results["quality"]["FEBRL4 (link)"] = {e: task("febrl4", e) for e in engines}
    if "splink" in engines:
        results["splink_sweep"] = task("splink-sweep")
    print("FEBRL3, FEBRL2, FEBRL1 and fake_1000", file=sys.stderr)
    results["quality"]["FEBRL3 (dedupe)"] = {e: task("febrl3", e) for e in engines}
    results["quality"]["FEBRL2 (dedupe)"] = {e: task("febrl2", e) for e in engines}
    results["quality"]["FEBRL1 (dedupe)"] = {e: task("febrl1", e) for e in engines}
    results["quality"]["FEBRL1 (dedupe)"]["ours (household rules off)"] = task(
        "febrl1", "ours", "no-household"
    )
    results["quality"]["fake_1000"] = {e: task("fake1000", e) for e in engines}
    results["quality"]["fake_1000"]["ours (household rules off)"] = task(
        "fake1000", "ours", "no-household"
    )
    print("pseudopeople census and register", file=sys.stderr)
    pp = {e: task("pseudopeople", e) for e in engines}
    pp["ours (household rules off)"] = task("pseudopeople", "ours", "no-household")
    results["quality"]["pseudopeople census + SSA"] = pp
    print(f"synthetic {synth_size}", file=sys.stderr)
    results["quality"][f"synthetic {int(synth_size):,}"] = {
        e: task("synth", e, synth_size) for e in engines
    }
    print(f"online {online_size}", file=sys.stderr)
    results["online"] = task("online", online_size)
    if batch_size:
        print(f"batch {batch_size}", file=sys.stderr)
        results["batch_size"] = batch_size
        results["batch"] = task("batch", str(batch_size), timeout=3 * 3600)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "matching.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    text = summary(results)
    (OUT / "matching.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
