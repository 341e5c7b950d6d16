"""Values read back from the holder store, each checked before use (VDC-PIN-024).

SQLite's CHECK constraints hold for what SQLite writes, not for a file edited by hand or
damaged on disk: a column may come back with another type (a TEXT where an INTEGER
was), out of range, or undecodable. Every value the device reads goes through one of
these functions, which return it typed or raise the store's one error,
`damaged holder store: ...`, naming the column.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.device._connection import damaged
from vitale_ref.device._errors import HolderSummaryError
from vitale_ref.device._summary import HolderSummary
from vitale_ref.history import HistoryEntry, HistoryError, entry_from_detail, from_micros
from vitale_ref.pin import MAX_TRIES, PinVerifier, VerifierParameters, VerifierParametersError

MAX_DETAIL = 4096
"""Longest stored detail of a history entry, in characters (the largest is ~200)."""
MAX_BLOB = 1 << 20
"""Longest credential or key accepted from the store, in bytes."""


def integer(value: object, column: str, low: int, high: int) -> int:
    """An INTEGER column within [low, high]."""
    if type(value) is not int or not low <= value <= high:
        raise damaged(f"{column} is {_shown(value)}, not an integer from {low} to {high}")
    return value


def blob(value: object, column: str) -> bytes:
    """A non-empty BLOB column of bounded size."""
    if not isinstance(value, bytes) or not 0 < len(value) <= MAX_BLOB:
        raise damaged(f"{column} is {_shown(value)}, not the bytes it must hold")
    return value


def instant(value: object, column: str) -> datetime:
    """Microseconds since 1970 (UTC) within the calendar's range."""
    micros = integer(value, column, -62_135_596_800_000_000, 253_402_300_799_999_999)
    return from_micros(micros)


def optional_instant(value: object, column: str) -> datetime | None:
    return None if value is None else instant(value, column)


def summary(family: object, given: object, birth: object, nir: object) -> HolderSummary:
    try:
        return HolderSummary(
            family_name=family,  # type: ignore[arg-type]  # checked by HolderSummary
            given_names=given,  # type: ignore[arg-type]
            birth_date=birth,  # type: ignore[arg-type]
            nir=nir,  # type: ignore[arg-type]
        )
    except HolderSummaryError as error:
        raise damaged(f"holder identity: {error}") from None


def parameters(memory: object, iterations: object, lanes: object) -> VerifierParameters:
    """VDC-PIN-010: stored Argon2id parameters are bounded before any use."""
    try:
        return VerifierParameters(
            memory_kib=memory,  # type: ignore[arg-type]  # checked by VerifierParameters
            iterations=iterations,  # type: ignore[arg-type]
            lanes=lanes,  # type: ignore[arg-type]
        )
    except VerifierParametersError as error:
        raise damaged(f"verifier parameters: {error}") from None


def verifier(salt: object, digest: object, params: VerifierParameters) -> PinVerifier:
    try:
        return PinVerifier(
            salt=blob(salt, "pin_salt"), digest=blob(digest, "pin_digest"), parameters=params
        )
    except VerifierParametersError as error:
        raise damaged(f"verifier: {error}") from None


def tries(remaining: object, blocked: object) -> int:
    """The try counter and its blocked flag, which must agree (VDC-PIN-012)."""
    count = integer(remaining, "tries_remaining", 0, MAX_TRIES)
    if integer(blocked, "blocked", 0, 1) != int(count == 0):
        raise damaged("the blocked flag contradicts the try counter")
    return count


def device_key(der: object) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_der_private_key(blob(der, "device_key_pkcs8"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise damaged("device_key_pkcs8 is not a PKCS#8 private key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise damaged("device_key_pkcs8 is not an EC key")
    return key


def history_entry(row_id: object, kind: object, at: object, detail: object) -> HistoryEntry:
    """One history row, rebuilt and rechecked as the entry it records (VDC-HIST-009)."""
    where = f"history entry {row_id}"
    when = instant(at, f"{where}: at_us")
    if not isinstance(kind, str) or not isinstance(detail, str) or len(detail) > MAX_DETAIL:
        raise damaged(f"{where} is malformed")
    try:
        fields: Any = json.loads(detail)
        if not isinstance(fields, dict):
            raise TypeError
        return entry_from_detail(kind, when, fields)
    except (ValueError, TypeError, RecursionError, HistoryError) as error:
        raise damaged(f"{where}: {str(error) or 'malformed detail'}") from None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."
