"""Bounded fuzzing in the test command: the atheris targets, driven by hypothesis.

Verifies VDC-NFC-900, VDC-NFC-901, VDC-CRED-900 and VDC-HARN-900 on random inputs and
on mutations of genuine messages (tools.fuzz.seeds). Each target asserts "parses or
raises the typed error". Every finding already reported (tools.fuzz.known) is fixed, so
none is tolerated here: one coming back fails, whatever input brings it. The holder's own
random-sequence test lives with the NFC tests (tests/nfc/test_nfc_fuzz.py) and is not
repeated here.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.fuzz.seeds import SEEDS
from tools.fuzz.targets import TARGETS, der_decoder


@cache
def _seeds(name: str) -> tuple[bytes, ...]:
    return tuple(SEEDS[name]())


def _mutate(seed: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    """Overwrite bytes at the given offsets, then keep the first `cut` bytes (if shorter)."""
    data = bytearray(seed)
    for offset, value in edits:
        if len(data) > 1:
            data[1 + offset % (len(data) - 1)] = value  # byte 0 selects the decoder
    return bytes(data[: max(1, cut)]) if cut < len(data) else bytes(data)


def _inputs(name: str) -> st.SearchStrategy[bytes]:
    raw = st.binary(max_size=600)
    mutated = st.builds(
        _mutate,
        st.sampled_from(_seeds(name)),
        st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=6),
        st.integers(0, 5000),
    )
    return st.one_of(raw, mutated)


def _run(name: str, data: bytes) -> None:
    TARGETS[name](data)  # anything but the typed error propagates, RuleBrokenError too


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_robustness_seeds_are_accepted(name: str) -> None:
    """The genuine seed messages go through every target without an error, and the der
    decoders accept theirs (a refused seed would start the fuzzer from nothing)."""
    for seed in _seeds(name):
        TARGETS[name](seed)
        if name == "der":
            decode, _typed, body = der_decoder(seed)
            decode(body)


@settings(max_examples=400)
@given(_inputs("apdu"))
def test_robustness_fuzz_apdu(data: bytes) -> None:
    """VDC-NFC-900, VDC-NFC-901: APDU, TLV and holder sequences parse or refuse."""
    _run("apdu", data)


@settings(max_examples=400)
@given(_inputs("der"))
def test_robustness_fuzz_der(data: bytes) -> None:
    """VDC-CRED-900: DER, credential, presentation and status list parse or refuse."""
    _run("der", data)


@settings(max_examples=400)
@given(_inputs("sm"))
def test_robustness_fuzz_sm(data: bytes) -> None:
    """VDC-NFC-900, VDC-NFC-901: secure-messaging unwrap and data fields."""
    _run("sm", data)


@settings(max_examples=400)
@given(_inputs("harn"))
def test_robustness_fuzz_harn(data: bytes) -> None:
    """VDC-HARN-900: both readers of the driver protocol."""
    _run("harn", data)
