"""A second phone revokes the first: readers checking the status list refuse the old one.

Verifies VDC-ENR-013 (one active card per person, the old credential revoked) as a
reader sees it through the holder app, with VDC-CRED-053 (revoked credentials refused).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.app.app_support import ENROLLED_AT, PIN, enrol, open_app, read
from vitale_ref.app import WorldReader, published_status_list
from vitale_ref.credential import CredentialRevokedError
from vitale_ref.pki import TestPKI
from vitale_ref.reader import ReaderError

SECOND_AT = ENROLLED_AT + timedelta(days=2)
UNLOCK_AT = SECOND_AT + timedelta(hours=1)
PRESENT_AT = UNLOCK_AT + timedelta(seconds=5)


def test_re_enrolment_on_a_second_phone_revokes_the_first(tmp_path: Path, pki: TestPKI) -> None:
    """Phone 1 by France Identité, phone 2 by document; only phone 2 is accepted after."""
    first = enrol(tmp_path, "france-identite", phone="phone-1")
    second = enrol(tmp_path, "document", phone="phone-2", at=SECOND_AT)
    assert "its credential is revoked." in second.output
    status = published_status_list(second.service_db, PRESENT_AT)
    checking = WorldReader(pki=pki, status_list=status)
    with open_app(first.store, pki) as old, open_app(second.store, pki) as new:
        old.device.unlock(PIN, UNLOCK_AT)
        new.device.unlock(PIN, UNLOCK_AT)
        refused = read(old, checking, PRESENT_AT)[1]
        assert isinstance(refused, ReaderError)
        assert str(refused) == "holder sent invalid data: revoked (list 1, index 0)"
        assert isinstance(refused.__cause__, CredentialRevokedError)
        accepted = read(new, checking, PRESENT_AT)[1]
        assert not isinstance(accepted, ReaderError), accepted
        assert accepted.receipt_acknowledged
        # Without the status list the old credential still verifies: the list is what
        # tells a reader (VDC-CRED-055 recommends checking it).
        assert not isinstance(read(old, WorldReader(pki=pki), PRESENT_AT)[1], ReaderError)
