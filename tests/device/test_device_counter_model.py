"""The try counter against a plain model, over random sequences of attempts.

Verifies VDC-PIN-012, VDC-PIN-014, VDC-PIN-015 (hypothesis; test-only Argon2 costs).
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from vitale_ref.device import HolderDevice
from vitale_ref.device.synthetic import SYNTHETIC_CODE, provision_synthetic
from vitale_ref.pin import TEST_ONLY_PARAMETERS, PinFormatError
from vitale_ref.randomness import seeded_random

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# Durability is the crash-injection test's subject, not this one's: a memory-backed
# folder (when the system has one) keeps a hundred examples of fsyncs short.
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
ATTEMPTS = st.sampled_from([SYNTHETIC_CODE, "999990", "480714", "48071", "reopen"])


def _model(tries: int, code: str) -> tuple[int, int]:
    """(status word, tries after) of one attempt, from the spec's table alone."""
    if len(code) != 6:
        return 0x6A80, tries
    if tries == 0:
        return 0x6983, 0
    if code == SYNTHETIC_CODE:
        return 0x9000, 5
    return 0x63C0 | (tries - 1), tries - 1


@given(st.lists(ATTEMPTS, max_size=12))
def test_device_counter_follows_the_model(attempts: list[str]) -> None:
    """Status words and tries match the model; the counter never rises without success."""
    with tempfile.TemporaryDirectory(dir=SCRATCH) as directory:
        path = Path(directory) / "m.sqlite"
        device = HolderDevice.open(path)
        provision_synthetic(
            device,
            code=SYNTHETIC_CODE,
            random=seeded_random("model"),
            now=NOW,
            parameters=TEST_ONLY_PARAMETERS,
        )
        tries = 5
        try:
            for code in attempts:
                if code == "reopen":
                    device.close()
                    device = HolderDevice.open(path)
                    continue
                expected_word, expected_tries = _model(tries, code)
                try:
                    word = device.unlock(code, NOW).status_word
                except PinFormatError as error:
                    word = error.status_word
                after = device.status(NOW).tries_remaining
                assert (word, after) == (expected_word, expected_tries)
                assert after <= tries or word == 0x9000
                tries = after
        finally:
            device.close()
