"""The deterministic sample of the campaign that the test command runs (about a minute).

Every mutant mutmut makes of the functions in `SAMPLE` (the NIR's key and month checks)
runs against the conformance cases of the NIR chapter, the reference in process as the
implementation under test. A survivor that tools/mutation/equivalent.toml does not list
fails the sample: the suite lost power, or a new equivalent mutant needs its reason.
"""

from __future__ import annotations

from pathlib import Path

from tools.mutation._campaign import prepare, run
from tools.mutation._results import Mutant, load_equivalent, load_mutants, survivors

SAMPLE_FILES = ("vitale_ref/nir.py",)
SAMPLE = ("vitale_ref.nir.x__check_key__mutmut_*", "vitale_ref.nir.x__check_month__mutmut_*")
SELECTION = ("conformance/cases/verifier/test_nir.py",)


def run_sample(work: Path) -> tuple[list[Mutant], list[Mutant]]:
    """Run the sample in `work`; returns (every sampled mutant, the unlisted survivors)."""
    prepare(work, SAMPLE_FILES, SELECTION)
    run(work, max_children=2, names=SAMPLE, quiet=True)
    prefixes = tuple(pattern.removesuffix("*") for pattern in SAMPLE)
    sampled = [m for m in load_mutants(work) if m.name.startswith(prefixes)]
    return sampled, survivors(sampled, load_equivalent())
