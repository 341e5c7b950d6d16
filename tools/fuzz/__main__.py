"""`python -m tools.fuzz NAME [libFuzzer options]`: run one atheris harness.

NAME is one of apdu, der, sm, harn (see tools.fuzz.targets). The corpus lives in
build/fuzz/corpus/NAME and is seeded with genuine messages on first use; crashing inputs
are written to build/fuzz/crashes/NAME/. Example, ten minutes:

    python -m tools.fuzz der -max_total_time=600

Exceptions that match a finding already reported (tools.fuzz.known) are counted and the
run goes on; the first input of each is saved as known-NAME in the crash folder and the
counts (updated at each power of two) in known-counts.json. With
`--strict` as the first option every exception stops the run.

The project modules are imported under atheris' instrumentation so that libFuzzer sees
their coverage; atheris is in the `fuzz` extra.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

NAMES = ("apdu", "der", "sm", "harn")
ROOT = Path("build/fuzz")


def _tolerant(target: Callable[[bytes], None], crashes: Path) -> Callable[[bytes], None]:
    """`target`, counting known findings instead of stopping on them."""
    from tools.fuzz.known import known_finding

    counts: Counter[str] = Counter()
    summary = crashes / "known-counts.json"

    def run(data: bytes) -> None:
        try:
            target(data)
        except Exception as error:
            finding = known_finding(error)
            if finding is None:
                raise
            if not counts[finding.name]:
                print(f"known finding {finding.name}: {finding.summary}", file=sys.stderr)
                (crashes / f"known-{finding.name}").write_bytes(data)
            counts[finding.name] += 1
            if counts[finding.name] & (counts[finding.name] - 1) == 0:  # 1, 2, 4, 8...
                # libFuzzer ends the process without running atexit: keep the file current.
                summary.write_text(json.dumps(dict(counts)) + "\n", encoding="utf-8")

    return run


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in NAMES:
        print(f"usage: python -m tools.fuzz {{{','.join(NAMES)}}} [libFuzzer options]")
        return 2
    name = argv[1]
    strict = argv[2:3] == ["--strict"]
    rest = argv[3:] if strict else argv[2:]
    try:
        import atheris
    except ImportError:
        print("error: atheris is not installed (pip install -e '.[fuzz]')", file=sys.stderr)
        return 1
    with atheris.instrument_imports(include=["vitale_ref", "conformance", "tools.fuzz"]):
        from tools.fuzz import targets
        from tools.fuzz.seeds import write_seeds

    corpus = ROOT / "corpus" / name
    if not corpus.is_dir() or not any(corpus.iterdir()):
        write_seeds(name, corpus)
    crashes = ROOT / "crashes" / name
    crashes.mkdir(parents=True, exist_ok=True)
    target = targets.TARGETS[name]
    options = [argv[0], *rest, f"-artifact_prefix={crashes}/", str(corpus)]
    atheris.Setup(options, target if strict else _tolerant(target, crashes))
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
