"""France Identité assertions of the model (VDC-ENR-021, VDC-ENR-023): format and check.

An assertion is `tag || body`: `body` is a UTF-8 JSON object with exactly the members
`nir`, `birthDate`, `cardIssuedOn` (dates `YYYY-MM-DD`) and `issuedAt` (an RFC 3339
instant with its offset); `tag` is HMAC-SHA256 of `body` under the provider's key.
The simulation signs with the published test key (vectors/enrolment/france_identite.json).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from vitale_ref.enrolment._errors import EnrolmentRefusedError, Reason

TEST_KEY = b"synthetic France Identite test key"
"""The published test key of the simulated provider; for tests, vectors and demos only."""
LIFETIME = timedelta(minutes=5)
MAX_ASSERTION = 4096
_TAG = 32
_MEMBERS = ("nir", "birthDate", "cardIssuedOn", "issuedAt")
_DATE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_INSTANT = re.compile(
    r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})\Z"
)


@dataclass(frozen=True, kw_only=True)
class FiIdentity:
    """The identity France Identité vouches for."""

    nir: str
    birth_date: date
    card_issued_on: date


def _invalid(message: str) -> EnrolmentRefusedError:
    return EnrolmentRefusedError(Reason.ASSERTION_INVALID, message)


def _body(identity: FiIdentity, issued_at: datetime) -> bytes:
    members = {
        "nir": identity.nir,
        "birthDate": identity.birth_date.isoformat(),
        "cardIssuedOn": identity.card_issued_on.isoformat(),
        "issuedAt": issued_at.isoformat(),
    }
    return json.dumps(members, separators=(",", ":")).encode("utf-8")


def _parse(body: bytes) -> tuple[FiIdentity, datetime]:
    """The body's identity and instant; anything but the closed form is malformed."""
    try:
        data: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _invalid("the assertion body is not UTF-8 JSON") from None
    if not isinstance(data, dict) or sorted(data) != sorted(_MEMBERS):
        raise _invalid(f"the assertion body must hold exactly {', '.join(_MEMBERS)}")
    if not all(isinstance(data[name], str) for name in _MEMBERS):
        raise _invalid("the assertion members are strings")
    if not (_DATE.match(data["birthDate"]) and _DATE.match(data["cardIssuedOn"])):
        raise _invalid("birthDate and cardIssuedOn are dates YYYY-MM-DD")
    if not _INSTANT.match(data["issuedAt"]):
        raise _invalid("issuedAt is an RFC 3339 instant with its offset")
    try:
        identity = FiIdentity(
            nir=data["nir"],
            birth_date=date.fromisoformat(data["birthDate"]),
            card_issued_on=date.fromisoformat(data["cardIssuedOn"]),
        )
        issued = datetime.fromisoformat(data["issuedAt"].replace("Z", "+00:00"))
    except ValueError:
        raise _invalid("a date of the assertion is not a calendar date") from None
    return identity, issued


@dataclass
class SimulatedFranceIdentite:
    """Assertions tagged with HMAC-SHA256 under a test key; valid 5 minutes (VDC-ENR-023)."""

    key: bytes = TEST_KEY
    lifetime: timedelta = LIFETIME

    def _tag(self, body: bytes) -> bytes:
        return hmac.new(self.key, body, hashlib.sha256).digest()

    def assert_identity(self, identity: FiIdentity, now: datetime) -> bytes:
        body = _body(identity, now)
        return self._tag(body) + body

    def sign_body(self, body: bytes) -> bytes:
        """Any body under the key: vectors use it for well-signed malformed bodies."""
        return self._tag(body) + body

    def verify(self, assertion: bytes, now: datetime) -> FiIdentity:
        """Checks in the order of VDC-ENR-023: size, tag, body form, freshness."""
        if not _TAG < len(assertion) <= MAX_ASSERTION:
            raise _invalid(f"an assertion is 33 to {MAX_ASSERTION} bytes")
        tag, body = assertion[:_TAG], assertion[_TAG:]
        if not hmac.compare_digest(tag, self._tag(body)):
            raise _invalid("the assertion is not signed by France Identité")
        identity, issued = _parse(body)
        if not timedelta(0) <= now - issued <= self.lifetime:
            raise _invalid("the assertion is stale or from the future")
        return identity
