"""The benchmark command and the figures that do not depend on timing.

Performance is never asserted by timing. What is asserted: the on-air model of the
typical read stays under 150 ms at 424 kbit/s (VDC-NFC-310, VDC-NFC-311 give the
model), the primitives counted for the crypto floor include at least what the protocol
needs, and `python -m tools.bench --quick` runs and writes every section.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests._support import require_module
from tools.bench.floor import count_primitives
from tools.bench.onair import VARIANTS, on_air
from tools.bench.world import bench_world, full_read

ROOT = Path(__file__).resolve().parents[2]


def test_robustness_on_air_goal() -> None:
    """Every variant is under 150 ms at 424 kbit/s (VDC-NFC-311) and the version 2 read
    with receipt under 150 ms at 106 kbit/s (VDC-NFC-075); the steps add up to the whole
    and each bit rate is faster than the one below."""
    figures = on_air(bench_world())
    assert set(figures) == set(VARIANTS)
    for variant, figure in figures.items():
        assert figure["ms"]["424"] < 150, variant
        assert figure["ms"]["106"] > figure["ms"]["212"] > figure["ms"]["424"] > figure["ms"]["848"]
        steps = figure["steps"]
        for rate, total in figure["ms"].items():
            parts = sum(step["ms"][rate] for step in steps.values())
            assert parts == pytest.approx(total, abs=0.05), (variant, rate)
        assert sum(s["pairs"] for s in steps.values()) == figure["pairs"], variant
        assert (
            sum(s["command_bytes"] + s["response_bytes"] for s in steps.values())
            == (figure["apdu_bytes"])
        )
    before, after = figures["v1 read+receipt/extended"], figures["v2 read+receipt/extended"]
    assert list(after["steps"]) == [
        "SELECT",
        "ESTABLISH SESSION",
        "READ + GET RESPONSE",
        "FILE RECEIPT",
    ]
    assert before["pairs"] == after["pairs"] == 4
    assert after["ms"]["106"] <= 150 < before["ms"]["106"]
    assert (
        figures["v2 read+receipt/short"]["ms"]["106"]
        < figures["v1 read+receipt/short"]["ms"]["106"]
    )
    first = figures["v2 first tap at this reader, read+receipt/extended"]
    assert first["steps"]["ESTABLISH SESSION"]["pairs"] == 2  # 6A88, then the chain
    lacking = figures["v2 reader without the signer chain, read+receipt/extended"]
    assert lacking["steps"]["GET SIGNER CHAIN"]["pairs"] == 1
    assert "FILE RECEIPT" not in figures["v2 read/extended"]["steps"]


def test_robustness_floor_counts_the_protocol_primitives() -> None:
    """The counted primitives cover the protocol's minimum: two ephemeral ECDH (one per
    side), three signatures (reader, device, receipt), four verifications (reader,
    issuer, device, receipt) and sealed command and response of the two protected pairs."""
    world = bench_world()
    counts, gcm_sizes, sha256_calls = count_primitives(lambda: full_read(world))
    assert counts["ecdh"] >= 2 and counts["keygen"] >= 2
    assert counts["ecdsa_sign"] >= 3
    assert counts["ecdsa_verify"] >= 4
    assert counts["hkdf"] >= 2
    assert counts["aes_gcm"] == len(gcm_sizes) >= 8
    assert sha256_calls >= 10  # one salted digest per disclosed element at least


def test_robustness_bench_command(tmp_path: Path) -> None:
    """`python -m tools.bench --quick --no-suite` prints the ratios and writes the JSON,
    the peer's included (the bench extra installs pymdoccbor)."""
    require_module("pymdoccbor", "pymdoccbor")
    output = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--quick", "--no-suite", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "read/floor" in done.stdout and "on air, v2 read+receipt/extended" in done.stdout
    results = json.loads(output.read_text(encoding="utf-8"))
    assert set(results) >= {"read", "verify", "peer", "codec", "on_air"}
    read, verify = results["read"], results["verify"]
    assert read["ratio"] > 1.0 and read["first_read_ratio"] > 1.0  # at least the primitives
    assert verify["ratio"] > 1.0 and verify["first_read_ratio"] > 1.0
    assert verify["floor"]["counts"]["ecdsa_verify"] >= 1  # the issuer signature
    assert (read["goal"], verify["goal"]) == (2.0, 2.5)
    assert "verification/floor" in done.stdout and "READ + GET RESPONSE" in done.stdout
    budget = read["budget"]
    assert budget["allowed_ms"] == pytest.approx((read["goal"] - 1) * read["floor"]["floor_ms"])
    assert budget["spent_ms"] == pytest.approx(read["read_ms"] - read["floor"]["floor_ms"])
    assert 0 < budget["strict_decode_ms"] < read["read_ms"]
    assert "non-primitive work: the goal leaves" in done.stdout
    assert set(results["codec"]) == {"apdu", "der"}
    assert results["peer"]["pymdoccbor_ms"] > 0
