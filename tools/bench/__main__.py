"""`python -m tools.bench [--quick] [--no-suite] [--output PATH]`: run every benchmark.

Prints one line per figure, each a ratio of two timings taken in this run, and writes
everything to build/bench/results.json. `--quick` shortens the timing batches (a smoke
run; its figures are noisy); `--no-suite` skips the conformance-suite wall times.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_OUTPUT = Path("build/bench/results.json")


def _peer_section(world: Any) -> dict[str, Any]:
    from tools.bench import peer

    ours_s, ours_n, ours_bytes = peer.ours(world)
    try:
        theirs_s, theirs_n, theirs_bytes = peer.theirs(world)
    except ImportError as error:
        return {"ours_ms": ours_s * 1e3, "peer": f"unavailable: {error}"}
    return {
        "elements": [ours_n, theirs_n],
        "bytes": [ours_bytes, theirs_bytes],
        "ours_ms": ours_s * 1e3,
        "pymdoccbor_ms": theirs_s * 1e3,
        "ours_per_s": 1 / ours_s,
        "pymdoccbor_per_s": 1 / theirs_s,
        "throughput_ratio_of_separate_timings": theirs_s / ours_s,
        "throughput_ratio": statistics.median(ratios := peer.paired_ratio(world)),
        "throughput_ratio_quartiles": [ratios[len(ratios) // 4], ratios[3 * len(ratios) // 4]],
    }


def run(*, suite: bool, output: Path) -> dict[str, Any]:
    from tools.bench.codec import apdu_throughput, der_throughput
    from tools.bench.onair import on_air
    from tools.bench.ratios import read_section, verify_section
    from tools.bench.world import bench_world

    world = bench_world()
    results: dict[str, Any] = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    results["read"] = read_section(world)
    results["verify"] = verify_section(world)
    results["peer"] = _peer_section(world)
    results["codec"] = {t.name: vars(t) for t in (apdu_throughput(world), der_throughput(world))}
    results["on_air"] = on_air(world)
    if suite:
        from tools.bench.suite import suite_times

        results["suite"] = suite_times(output.parent)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def _ratio_lines(name: str, figure: dict[str, Any], ms: str) -> list[str]:
    floor = figure["floor"]
    verdict = "meets" if figure["ratio"] <= figure["goal"] else "misses"
    low, high = figure["ratio_quartiles"]
    first_low, first_high = figure["first_read_ratio_quartiles"]
    return [
        f"{name}: {figure[ms]:.2f} ms; crypto floor {floor['floor_ms']:.2f} ms -> "
        f"{name.split(maxsplit=1)[0]}/floor {figure['ratio']:.2f} (median of alternating batches, "
        f"quartiles {low:.2f}-{high:.2f}; {verdict} the goal <= {figure['goal']}); "
        f"first sight of the credential {figure['first_read_ratio']:.2f} "
        f"({first_low:.2f}-{first_high:.2f})",
        "  floor = " + ", ".join(f"{n} x{c}" for n, c in floor["counts"].items() if c),
        "  where the rest goes (profiled self time): "
        + ", ".join(f"{k} {v}%" for k, v in list(figure["profile"]["areas_percent"].items())[:7]),
    ]


def _on_air_lines(on_air: dict[str, Any]) -> list[str]:
    lines = []
    for variant, figure in on_air.items():
        rates = ", ".join(f"{ms:.1f} ms at {kbps}" for kbps, ms in figure["ms"].items())
        lines.append(
            f"on air, {variant}: {figure['pairs']} pairs, {figure['apdu_bytes']} APDU bytes; "
            f"{rates} kbit/s"
        )
        for step, detail in figure["steps"].items():
            lines.append(
                f"  {step}: {detail['pairs']} pairs, {detail['command_bytes']} + "
                f"{detail['response_bytes']} APDU bytes, {detail['ms']['106']:.1f} ms at 106, "
                f"{detail['ms']['848']:.1f} ms at 848"
            )
    return lines


def summary(results: dict[str, Any]) -> list[str]:
    """The printed lines: one figure each."""
    read, peer = results["read"], results["peer"]
    budget = read["budget"]
    lines = [
        *_ratio_lines("read (full, with receipt, in memory)", read, "read_ms"),
        f"  non-primitive work: the goal leaves {budget['allowed_ms']:.2f} ms, the read spends"
        f" {budget['spent_ms']:.2f} ms; the strict decoding of a presentation never seen"
        f" before takes {budget['strict_decode_ms']:.2f} ms",
        *_ratio_lines("verification (credential)", results["verify"], "verify_ms"),
    ]
    if "pymdoccbor_ms" in peer:
        lines.append(
            f"credential verification: ours {peer['ours_ms']:.2f} ms, pymdoccbor "
            f"{peer['pymdoccbor_ms']:.2f} ms ({peer['elements'][0]} elements, P-256) -> "
            f"ours/theirs throughput {peer['throughput_ratio']:.2f} (alternating batches, "
            f"quartiles {peer['throughput_ratio_quartiles'][0]:.2f}-"
            f"{peer['throughput_ratio_quartiles'][1]:.2f})"
        )
    else:
        lines.append(f"credential verification: ours {peer['ours_ms']:.2f} ms; {peer['peer']}")
    for name, figure in results["codec"].items():
        lines.append(
            f"{name} decoder: {figure['ours_mb_s']:.1f} MB/s vs bytes slicing "
            f"{figure['baseline_mb_s']:.1f} MB/s -> {figure['slowdown']:.1f}x the slicing time"
        )
    lines.extend(_on_air_lines(results["on_air"]))
    for profile, figure in results.get("suite", {}).items():
        counts = ", ".join(f"{k} {v}" for k, v in figure.items() if k not in ("seconds", "exit"))
        lines.append(
            f"conformance suite, {profile}: {figure['seconds']:.1f} s (exit {figure['exit']}"
            f"{'; ' + counts if counts else ''})"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short batches (smoke run)")
    parser.add_argument("--no-suite", action="store_true", help="skip the suite wall times")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    if args.quick:
        from tools.bench import _timing

        _timing.QUICK = True
    results = run(suite=not args.no_suite, output=args.output)
    for line in summary(results):
        print(line)
    print(f"written {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
