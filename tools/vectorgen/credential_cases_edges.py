"""Credential vectors at the edges of every range: the last accepted value and the first
refused one (names, birth year and rank, quality, affiliation digits, list lengths, AMC
organisation, serial, status reference, salts, status-list window and index).

Valid edges are presentations re-signed by the document signer around one hand-made
value, so the value itself is what the verifier must accept; invalid ones go one step
beyond and name the requirement they break.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from tools.vectorgen.credential_case import Case
from tools.vectorgen.credential_cases_encoding import FMT, _base
from tools.vectorgen.credential_cases_values import _minor, _with_value
from tools.vectorgen.credential_forge import element, pki, present
from vitale_ref.credential import (
    CredentialRevokedError,
    ElementId,
    StatusList,
    StatusListError,
    samples,
    sign_status_list,
)
from vitale_ref.pki import TEST_NOW, der

SECOND = timedelta(seconds=1)


@dataclass(frozen=True, kw_only=True)
class Edge:
    """A valid presentation at the edge of a range."""

    comment: str
    requirement: str
    presentation: bytes
    status_list: bytes = b""
    now: datetime = TEST_NOW


def _period(start: str, end: str) -> bytes:
    return der.sequence(der.numeric(start), der.numeric(end))


def _cover(organisation: str) -> bytes:
    return der.sequence(der.numeric(organisation), _period("20260101", "20261231"))


def _affiliation(regime: str, caisse: str, centre: str) -> bytes:
    return der.numeric(regime) + der.numeric(caisse) + der.numeric(centre)


_ID = ElementId


def _value_edges() -> list[Edge]:
    rows = [
        ("family name of 1 character", "VDC-CRED-021", 0x82, b"E", _ID.FAMILY_NAME),
        ("birth year 1800", "VDC-CRED-022", 0x84, b"18000101", _ID.BIRTH_DATE),
        ("birth rank 1", "VDC-CRED-023", 0x85, b"\x01", _ID.BIRTH_RANK),
        ("birth rank 9", "VDC-CRED-023", 0x85, b"\x09", _ID.BIRTH_RANK),
        ("quality 0", "VDC-CRED-024", 0x86, b"\x00", _ID.QUALITY),
        ("quality 9", "VDC-CRED-024", 0x86, b"\x09", _ID.QUALITY),
        (
            "one rights period of a single day",
            "VDC-CRED-026",
            0xA8,
            _period("20260101", "20260101"),
            _ID.RIGHTS,
        ),
        (
            "AMC organisation of 8 digits",
            "VDC-CRED-027",
            0xA9,
            _cover("99999999"),
            _ID.COMPLEMENTARY,
        ),
        ("one attached minor", "VDC-CRED-028", 0xAA, _minor(), _ID.MINORS),
    ]
    return [
        Edge(comment=c, requirement=r, presentation=_with_value(tag, content, eid))
        for c, r, tag, content, eid in rows
    ]


def _value_beyond() -> list[Case]:
    periods = [_period(f"20{20 + n:02d}0101", f"20{20 + n:02d}1231") for n in range(9)]
    rows = [
        ("empty family name", "InvalidName", "VDC-CRED-021", 0x82, b"", _ID.FAMILY_NAME),
        ("birth rank 10", "FieldConstraint", "VDC-CRED-023", 0x85, b"\x0a", _ID.BIRTH_RANK),
        ("quality -1", "FieldConstraint", "VDC-CRED-024", 0x86, b"\xff", _ID.QUALITY),
        (
            "regime of 1 digit",
            "FieldConstraint",
            "VDC-CRED-025",
            0xA7,
            _affiliation("1", "751", "0001"),
            _ID.AFFILIATION,
        ),
        (
            "caisse of 4 digits",
            "FieldConstraint",
            "VDC-CRED-025",
            0xA7,
            _affiliation("01", "7511", "0001"),
            _ID.AFFILIATION,
        ),
        (
            "centre of 5 digits",
            "FieldConstraint",
            "VDC-CRED-025",
            0xA7,
            _affiliation("01", "751", "00001"),
            _ID.AFFILIATION,
        ),
        ("no rights period", "FieldConstraint", "VDC-CRED-031", 0xA8, b"", _ID.RIGHTS),
        (
            "nine rights periods",
            "FieldConstraint",
            "VDC-CRED-031",
            0xA8,
            b"".join(periods),
            _ID.RIGHTS,
        ),
        (
            "AMC organisation of 11 digits",
            "FieldConstraint",
            "VDC-CRED-027",
            0xA9,
            _cover("99999999901"),
            _ID.COMPLEMENTARY,
        ),
        (
            "five complementary covers",
            "FieldConstraint",
            "VDC-CRED-031",
            0xA9,
            _cover("99999999") * 5,
            _ID.COMPLEMENTARY,
        ),
    ]
    return [
        Case(comment=c, flag=f, error=FMT, requirement=r, presentation=_with_value(tag, v, e))
        for c, f, r, tag, v, e in rows
    ]


def _resigned(*, serial: bytes | None = None, status: bytes | None = None) -> bytes:
    parts, items, _ = _base()
    changed = replace(parts, serial=serial or parts.serial, status=status or parts.status)
    return present(changed.credential(), items)


def _with_salt(salt: bytes) -> bytes:
    parts, _, _ = _base()
    made = element(0x82, b"EXEMPLE", salt=salt)
    return present(parts.with_digest(int(_ID.FAMILY_NAME), made).credential(), [made])


def _structure_edges() -> list[Edge]:
    return [
        Edge(
            comment="status list id 2^32 - 1 and index 2^20 - 1",
            requirement="VDC-CRED-014",
            presentation=_resigned(
                status=der.sequence(der.integer(2**32 - 1), der.integer(2**20 - 1))
            ),
        ),
        Edge(
            comment="status list id 0 and index 0",
            requirement="VDC-CRED-014",
            presentation=_resigned(status=der.sequence(der.integer(0), der.integer(0))),
        ),
    ]


def _structure_beyond() -> list[Case]:
    parts, _, _ = _base()
    serial_17 = der.octets(parts.serial[2:] + b"\x01")
    rows = [
        ("17-byte serial", "FieldConstraint", "VDC-CRED-011", _resigned(serial=serial_17)),
        (
            "status list id 2^32",
            "FieldConstraint",
            "VDC-CRED-014",
            _resigned(status=der.sequence(der.integer(2**32), der.integer(5))),
        ),
        (
            "status index -1",
            "FieldConstraint",
            "VDC-CRED-014",
            _resigned(status=der.sequence(der.integer(1), der.integer(-1))),
        ),
        ("salt of 15 bytes", "FieldConstraint", "VDC-CRED-019", _with_salt(b"\x5a" * 15)),
        ("salt of 17 bytes", "FieldConstraint", "VDC-CRED-019", _with_salt(b"\x5a" * 17)),
    ]
    return [
        Case(comment=c, flag=f, error=FMT, requirement=r, presentation=p) for c, f, r, p in rows
    ]


@functools.cache
def _list(
    size: int, revoked: tuple[int, ...], this_update: datetime, next_update: datetime
) -> bytes:
    status = StatusList.new(samples.SAMPLE_LIST_ID, size)
    for index in revoked:
        status.revoke(index)
    return sign_status_list(
        status, signer=pki().status_signer, this_update=this_update, next_update=next_update
    )


@functools.cache
def _at_index(index: int) -> bytes:
    sample = samples.issue_sample(
        samples.single_insured(), "vectors/credential", pki=pki(), index=index
    )
    return sample.issued.full_presentation()


def _status_edges() -> list[Edge]:
    week = timedelta(days=7)
    single_5 = _at_index(5)
    return [
        Edge(
            comment="status list verified exactly at thisUpdate",
            requirement="VDC-CRED-052",
            presentation=single_5,
            status_list=_list(64, (4,), TEST_NOW, TEST_NOW + week),
        ),
        Edge(
            comment="status list verified exactly at nextUpdate",
            requirement="VDC-CRED-052",
            presentation=single_5,
            status_list=_list(64, (4,), TEST_NOW - week, TEST_NOW),
        ),
        Edge(
            comment="credential index 7, the last of an 8-entry list revoking index 0",
            requirement="VDC-CRED-050",
            presentation=_at_index(7),
            status_list=_list(8, (0,), TEST_NOW - SECOND, TEST_NOW + week),
        ),
    ]


def _status_beyond() -> list[Case]:
    week = timedelta(days=7)
    return [
        Case(
            comment="credential index 7 revoked in an 8-entry list (last bit of the octet)",
            flag="Revoked",
            error=CredentialRevokedError,
            requirement="VDC-CRED-053",
            presentation=_at_index(7),
            status_list=_list(8, (7,), TEST_NOW - SECOND, TEST_NOW + week),
        ),
        Case(
            comment="credential index 8 beyond an 8-entry list",
            flag="BadStatusList",
            error=StatusListError,
            requirement="VDC-CRED-052",
            presentation=_at_index(8),
            status_list=_list(8, (), TEST_NOW - SECOND, TEST_NOW + week),
        ),
    ]


def late_edges() -> list[Edge]:
    """Valid vectors added after the first edge set (their own group keeps tcIds stable)."""
    return [
        Edge(
            comment="credential index 200, only index 207 revoked (the same octet, last bit)",
            requirement="VDC-CRED-053",
            presentation=_at_index(200),
            status_list=_list(256, (207,), TEST_NOW - SECOND, TEST_NOW + timedelta(days=7)),
        )
    ]


def late_beyond() -> list[Case]:
    """Invalid vectors added after the first edge set."""
    return [
        Case(
            comment="credential index 200 revoked in a 256-entry list (octet 25, first bit)",
            flag="Revoked",
            error=CredentialRevokedError,
            requirement="VDC-CRED-053",
            presentation=_at_index(200),
            status_list=_list(256, (200,), TEST_NOW - SECOND, TEST_NOW + timedelta(days=7)),
        )
    ]


def edge_cases() -> list[Edge]:
    """Valid presentations at the last accepted value of each range."""
    return _value_edges() + _structure_edges() + _status_edges()


def _outside_the_table() -> Case:
    # VDC-CRED-029: the table's elements are the only ones; a signed digest for an element
    # [12] holding a (synthetic) diagnosis is refused.
    return Case(
        comment="a digest and an element [12] outside the table, holding a synthetic diagnosis",
        flag="FieldConstraint",
        error=FMT,
        requirement="VDC-CRED-029",
        presentation=_with_value(0x8C, b"synthetic diagnosis", 12),  # type: ignore[arg-type]
    )


def beyond_cases() -> list[Case]:
    """Invalid presentations one step beyond each range (the element outside the table last,
    so that earlier vectors keep their tcId)."""
    return _value_beyond() + _structure_beyond() + _status_beyond() + [_outside_the_table()]


__all__ = ["Edge", "beyond_cases", "edge_cases", "late_beyond", "late_edges"]
