"""The transport profile against the emulated reference holder (VDC-TRN-003 to 042).

Over nfcpy's udp link (no privileges needed) and over pcscd with vpcd (root, as in
tests/readers). With `ref` the transport cases are not applicable; through a reader they
must pass, except the control-channel case while the emulator still serves operations
other than the holder app's (a known nonconformity of the reference, VDC-TRN-041).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.adapters import open_iut
from conformance.catalogue import load_catalogue, select
from conformance.engine import run_cases
from conformance.outcomes import Outcome, Verdict
from tests._support import require_module, running_pcscd
from vitale_ref.transport._nfc import free_udp_port

TRANSPORT = select(load_catalogue(), ["transport"])
CONTROL_CASE = "TC-TRN-005"
NFC_ONLY = {"TC-TRN-007", "TC-TRN-008", "TC-TRN-009", "TC-TRN-020"}
PCSC_ONLY = {"TC-TRN-001", "TC-TRN-010"}


def _verdicts(outcomes: list[Outcome]) -> dict[str, str]:
    found: dict[str, str] = {}
    for outcome in outcomes:
        if found.get(outcome.case_id) != "fail":
            found[outcome.case_id] = outcome.verdict.value
    return found


def _run(designation: str, control: Path, monkeypatch: pytest.MonkeyPatch) -> list[Outcome]:
    monkeypatch.setenv("VDC_IUT_CONTROL", str(control))
    iut = open_iut(designation)
    try:
        return run_cases(TRANSPORT, iut)
    finally:
        iut.close()


def test_transport_cases_are_not_applicable_to_ref() -> None:
    iut = open_iut("ref")
    try:
        outcomes = run_cases(TRANSPORT, iut)
    finally:
        iut.close()
    assert len(TRANSPORT) == 10  # TC-TRN-006 and 011 check --card, in the reader profile
    assert {o.verdict for o in outcomes} == {Verdict.NOT_APPLICABLE}


# Faulty ISO-DEP cards: the emulator with one rule of the binding broken (the driver's
# seeded faults run over stdio, where the transport cases do not apply).
EMULATOR_FAULTS = {
    "nak-acknowledged": (
        "VDC-TRN-033",
        "from vitale_ref.transport import _isodep as i\n"
        "real = i.IsoDepCard._r_block\n"
        "def r_block(self, pcb):\n"
        "    if pcb & i.NAK and pcb & 1 == self._bn:\n"
        "        return self._send(bytes([i.R_BLOCK | self._bn]))\n"
        "    return real(self, pcb)\n"
        "i.IsoDepCard._r_block = r_block\n",
    ),
    "chain-ignores-fsd": (
        "VDC-TRN-032",
        "from vitale_ref.transport import _isodep as i\n"
        "real = i.IsoDepCard.activate\n"
        "def activate(self, rats):\n"
        "    ats = real(self, rats)\n"
        "    self.fsd = 256\n"
        "    return ats\n"
        "i.IsoDepCard.activate = activate\n",
    ),
    "ack-of-current-number-advances": (
        "VDC-TRN-033",
        "from vitale_ref.transport import _isodep as i\n"
        "real = i.IsoDepCard._r_block\n"
        "def r_block(self, pcb):\n"
        "    if not pcb & i.NAK and pcb & 1 == self._bn and self._pending:\n"
        "        return self._next_part()\n"
        "    return real(self, pcb)\n"
        "i.IsoDepCard._r_block = r_block\n",
    ),
    "block-number-fixed": (
        "VDC-TRN-031",
        "from vitale_ref.transport import _isodep as i\n"
        "real = i.IsoDepCard._i_block\n"
        "i.IsoDepCard._i_block = lambda self, pcb, inf: real(self, pcb & ~1, inf)\n",
    ),
}
_EMULATE = "from conformance._cli_emulate import emulate\nemulate()\n"


def _emulated_nfc(folder: Path, fault: str = "") -> Iterator[tuple[str, Path]]:
    control = folder / "control.sock"
    path = f"udp:127.0.0.1:{free_udp_port()}"
    arguments = ["--nfc", path, "--control", str(control), "-q"]
    emulator = subprocess.Popen(
        [sys.executable, "-c", fault + _EMULATE, *arguments],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while not control.exists() and time.monotonic() < deadline:
            assert emulator.poll() is None, emulator.stderr.read() if emulator.stderr else ""
            time.sleep(0.05)
        yield f"nfc:{path}", control
    finally:
        emulator.terminate()
        emulator.wait(10)


@pytest.fixture(scope="module")
def nfc_outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Outcome]]:
    require_module("nfc", "nfcpy")
    for designation, control in _emulated_nfc(tmp_path_factory.mktemp("nfc")):
        with pytest.MonkeyPatch.context() as patcher:
            yield _run(designation, control, patcher)


@pytest.mark.parametrize("name", sorted(EMULATOR_FAULTS))
def test_faulty_iso_dep_card_is_caught(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An emulator breaking one ISO-DEP rule fails a transport case naming that rule."""
    require_module("nfc", "nfcpy")
    breaks, patch = EMULATOR_FAULTS[name]
    monkeypatch.setenv("VDC_IUT_TIMEOUT", "2")  # a card holding an exchange fails in 2 s
    for designation, control in _emulated_nfc(tmp_path, patch):
        outcomes = _run(designation, control, monkeypatch)
    cases = {case.id: case for case in TRANSPORT}
    failed = [o for o in outcomes if o.verdict is Verdict.FAIL]
    assert failed, f"{name} passed every transport case"
    assert any(breaks in cases[o.case_id].verifies for o in failed), [o.case_id for o in failed]


def test_transport_profile_passes_through_nfcpy(nfc_outcomes: list[Outcome]) -> None:
    verdicts = _verdicts(nfc_outcomes)
    failures = [f"{o.case_id}: {o.message}" for o in nfc_outcomes if o.verdict is Verdict.FAIL]
    assert failures == []
    assert {case for case, v in verdicts.items() if v == "not_applicable"} == PCSC_ONLY
    assert {case for case, v in verdicts.items() if v == "pass"} >= NFC_ONLY | {"TC-TRN-002"}


def test_control_channel_carries_set_up_only(nfc_outcomes: list[Outcome]) -> None:
    assert _verdicts(nfc_outcomes)[CONTROL_CASE] == "pass"


def test_transport_profile_passes_through_pcscd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pcscd with vpcd, as tests/readers starts it; skipped without root or pcscd."""
    from tools.pcsc import service

    control = tmp_path / "control.sock"
    with running_pcscd() as (layout, _pid):
        service.start_emulator(layout, extra=("--control", str(control)))
        outcomes = _run("pcsc:Virtual PCD 00 00", control, monkeypatch)
    verdicts = _verdicts(outcomes)
    failures = [f"{o.case_id}: {o.message}" for o in outcomes if o.verdict is Verdict.FAIL]
    assert failures == []
    assert {case for case, v in verdicts.items() if v == "not_applicable"} == NFC_ONLY
    assert {case for case, v in verdicts.items() if v == "pass"} >= PCSC_ONLY
