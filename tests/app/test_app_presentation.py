"""An enrolled holder presented to a reader through the holder app, end to end.

Verifies VDC-PIN-021 (presence from the stored window), VDC-PIN-022 (the enrolled
credential and key), with VDC-NFC-111 (6982 without presence), VDC-PIN-012 (blocked
after five wrong codes), VDC-HIST-001 and VDC-HIST-002 (the read and the receipt in
the history), for holders enrolled by both routes with `vitale enrol`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.app.app_support import PIN, PRESENT_AT, UNLOCK_AT, enrol, open_app, read
from vitale_ref.app import AppError, WorldReader
from vitale_ref.device import HolderDevice
from vitale_ref.enrolment import beneficiary_of
from vitale_ref.enrolment.samples import CAMILLE
from vitale_ref.history import Presentation, Receipt
from vitale_ref.pin import TEST_ONLY_PARAMETERS, PinVerifier, UnlockOutcome
from vitale_ref.pki import TestPKI
from vitale_ref.randomness import p256_private_key, seeded_random
from vitale_ref.reader import ReaderError

SW_6982 = "READ answered 6982 (holder presence not armed)"


@pytest.mark.parametrize("route", ["france-identite", "document"])
def test_enrolled_holder_unlocks_presents_and_sees_the_history(
    tmp_path: Path, pki: TestPKI, route: str
) -> None:
    """Enrol, unlock, present: the reader verifies the enrolled person's data; the
    presentation and the receipt are in the history (VDC-PIN-022, VDC-HIST-001, 002)."""
    enrolled = enrol(tmp_path, route)
    reader = WorldReader(pki=pki)
    with open_app(enrolled.store, pki) as app:
        unlocked = app.device.unlock(PIN, UNLOCK_AT)
        assert unlocked.outcome is UnlockOutcome.UNLOCKED
        link, result = read(app, reader)
        assert not isinstance(result, ReaderError), result
        expected = beneficiary_of(CAMILLE, PRESENT_AT).elements()
        assert result.elements == {int(k): v for k, v in expected.items()}
        assert result.receipt_acknowledged
        assert len(link.exchanges) == 4
        assert app.device.history(PRESENT_AT) == [
            Receipt(practitioner_rpps=reader.rpps, act="G", amount_cents=3000, at=PRESENT_AT),
            Presentation(
                reader_rpps=reader.rpps,
                elements=tuple(sorted(int(k) for k in expected)),
                at=PRESENT_AT,
            ),
        ]


def test_without_unlock_the_read_is_refused_with_6982(tmp_path: Path, pki: TestPKI) -> None:
    """VDC-NFC-111 through the app: no stored window, no data, nothing in the history."""
    enrolled = enrol(tmp_path, "france-identite")
    with open_app(enrolled.store, pki) as app:
        link, result = read(app, WorldReader(pki=pki))
        assert isinstance(result, ReaderError)
        assert (str(result), result.sw) == (SW_6982, 0x6982)
        assert link.exchanges[-1].response == b"\x69\x82"
        assert app.device.history(PRESENT_AT) == []


def test_the_window_is_read_from_the_store_at_each_command(tmp_path: Path, pki: TestPKI) -> None:
    """VDC-PIN-021: an unlock by another connection counts at once; the window ends
    60 s after the unlock; a wrong code closes it."""
    enrolled = enrol(tmp_path, "france-identite")
    reader = WorldReader(pki=pki)
    with open_app(enrolled.store, pki) as app:
        with open_app(enrolled.store, pki) as other_process:
            other_process.device.unlock(PIN, UNLOCK_AT)
        assert not isinstance(read(app, reader)[1], ReaderError)
        late = read(app, reader, at=UNLOCK_AT + timedelta(seconds=60))[1]
        assert isinstance(late, ReaderError) and late.sw == 0x6982
        app.device.unlock(PIN, UNLOCK_AT + timedelta(seconds=61))
        wrong = app.device.unlock("246802", UNLOCK_AT + timedelta(seconds=62))
        assert wrong.outcome is UnlockOutcome.WRONG_CODE
        closed = read(app, reader, at=UNLOCK_AT + timedelta(seconds=63))[1]
        assert isinstance(closed, ReaderError) and closed.sw == 0x6982
        assert len(app.device.history(UNLOCK_AT + timedelta(seconds=63))) == 2


def test_five_wrong_codes_block_the_app_and_the_read(tmp_path: Path, pki: TestPKI) -> None:
    """VDC-PIN-012: after 5 wrong codes even the right one is not evaluated; reads get 6982."""
    enrolled = enrol(tmp_path, "document")
    with open_app(enrolled.store, pki) as app:
        outcomes = [app.device.unlock("246802", UNLOCK_AT).tries_remaining for _ in range(5)]
        assert outcomes == [4, 3, 2, 1, 0]
        right = app.device.unlock(PIN, UNLOCK_AT + timedelta(seconds=1))
        assert right.outcome is UnlockOutcome.BLOCKED
        assert app.device.status(PRESENT_AT).blocked
        result = read(app, WorldReader(pki=pki))[1]
        assert isinstance(result, ReaderError)
        assert (str(result), result.sw) == (SW_6982, 0x6982)
        assert app.device.history(PRESENT_AT) == []


def _reprovision(store: Path, credential: bytes, key_seed: str) -> None:
    with HolderDevice.open(store) as device:
        device.provision(
            holder=device.status(UNLOCK_AT).holder,
            verifier=PinVerifier.create(
                PIN, random=seeded_random("app-test/pin"), parameters=TEST_ONLY_PARAMETERS
            ),
            credential=credential,
            device_key=p256_private_key(seeded_random(key_seed)),
            now=UNLOCK_AT,
        )


def test_the_app_refuses_a_store_it_cannot_present(tmp_path: Path, pki: TestPKI) -> None:
    """VDC-PIN-022: missing store, no holder, undecodable credential, another key."""
    missing = tmp_path / "missing.db"
    with pytest.raises(AppError, match=rf"^no holder store at {re.escape(str(missing))}$"):
        open_app(missing, pki)
    empty = tmp_path / "empty.db"
    HolderDevice.open(empty).close()
    with pytest.raises(AppError, match=r"empty\.db: the store holds no activated holder$"):
        open_app(empty, pki)
    enrolled = enrol(tmp_path, "france-identite")
    with HolderDevice.open(enrolled.store) as device:
        stored = device.credential()
    _reprovision(enrolled.store, stored[:-1], "app-test/phone-1")
    with pytest.raises(AppError, match=r"phone-1\.db: Presentation: "):
        open_app(enrolled.store, pki)
    _reprovision(enrolled.store, stored, "app-test/another-phone")
    with pytest.raises(
        AppError, match=r"phone-1\.db: the credential is bound to another device key$"
    ):
        open_app(enrolled.store, pki)
