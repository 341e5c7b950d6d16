"""The test PKI the reference enrolment issuer signs under, and its published status list.

`vitale enrol` issues credentials with `ReferenceIssuer` under `generate_test_pki` of
its seed; a reader of the same synthetic world verifies against that PKI's issuing root
and authenticates with one of its reader certificates, and the holder app trusts its
reader root (VDC-NFC-110). The status list is what the issuer publishes from the
enrolment service's revocations (VDC-ENR-013, VDC-CRED-050).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from vitale_ref.app._errors import AppError
from vitale_ref.enrolment import EnrolmentStore, ReferenceIssuer
from vitale_ref.pki import TestPKI


def enrolment_pki() -> TestPKI:
    """The test PKI of `vitale enrol`'s issuer (synthetic keys, deterministic)."""
    return ReferenceIssuer().pki


def published_status_list(service_db: str | Path, now: datetime) -> bytes:
    """The signed status list of the enrolment service in `service_db`, as issued at `now`."""
    path = Path(service_db)
    if not path.is_file():
        raise AppError(f"no enrolment service database at {path}")
    store = EnrolmentStore(path)
    try:
        revoked = store.revoked_indices()
    finally:
        store.close()
    return ReferenceIssuer().status_list(revoked, now=now)
