"""Verifier profile: decoding of hostile credentials and status lists (VDC-CRED-900, 054).

Arbitrary bytes, truncations, single-byte mutations and a chain holding something that
is not a certificate must each be refused with one of the named errors of the VDC-CRED
table: an implementation whose decoder lets another exception escape answers the
driver's `internal` kind (or crashes), and fails. A status list encoded again from what
was decoded must give the same bytes, so that a revoked index stays revoked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding

from conformance.adapters import IutBase, OperationError
from conformance.cases import _material as m
from conformance.cases._checks import accepted, refused
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import CaseFailure, expect
from conformance.protocol import ERROR_KINDS
from vitale_ref.credential import StatusList, decode_presentation, sign_status_list
from vitale_ref.credential._structure import encode_credential, encode_presentation
from vitale_ref.ecdsa import sign_raw
from vitale_ref.pki import der
from vitale_ref.randomness import seeded_random

VERIFY = "credential.verify"
STATUS = "credential.status_list"
ERROR_NAMES = frozenset(ERROR_KINDS[VERIFY])
"""The error names of the VDC-CRED error table (spec/credential.md), the error kinds of
credential.verify, and no others (VDC-CRED-900)."""


def _with_chain(presentation: bytes, chain: list[bytes]) -> bytes:
    decoded = decode_presentation(presentation)
    credential = decoded.credential
    rebuilt = encode_credential(credential.tbs_encoding, credential.signature, chain)
    return encode_presentation(rebuilt, [d.encoding for d in decoded.disclosed])


def _hostile() -> Iterable[Param]:
    typical = m.material().typical.issued.full_presentation()
    random = seeded_random("conformance/credential-decoding")
    yield "empty", b""
    for size in (1, 2, 7, 64, 600):
        yield f"random-{size}", random(size)
    yield "sequence-huge-length", bytes.fromhex("3084FFFFFFFF") + bytes(10)
    yield "sequence-indefinite", bytes.fromhex("3080") + typical[2:40] + bytes(2)
    for cut in (2, 5, 40, len(typical) // 2, len(typical) - 1):
        yield f"truncated-{cut}", typical[:cut]
    for position in range(1, len(typical), max(1, len(typical) // 12)):
        mutated = bytearray(typical)
        mutated[position] ^= 0xA5
        yield f"byte-{position}-mutated", bytes(mutated)
    yield "chain-not-certificate", _with_chain(typical, [der.sequence(der.integer(7))])
    yield "chain-garbage-certificate", _with_chain(typical, [bytes.fromhex("3003020101")])


@tc(
    "TC-CRED-017",
    title="Hostile bytes are refused with a named credential error",
    purpose="Random bytes, truncations, mutations and chains holding non-certificates "
    "end in an error of the VDC-CRED table, never in another failure of the decoder.",
    verifies=["VDC-CRED-900"],
    profile="verifier",
    kind="negative",
    preconditions="the synthetic issuing root as trust anchor",
    expected="an error whose kind is a name of the VDC-CRED error table",
    operations=[VERIFY],
    params=_hostile,
)
def test_hostile_presentation(iut: IutBase, param: bytes) -> None:
    params = {"presentation": param.hex().upper(), "trustAnchor": m.material().root}
    params["now"] = m.iso(m.NOW)
    try:
        result = iut.call(VERIFY, params)
    except OperationError as error:
        expect(
            error.kind in ERROR_NAMES,
            "the decoder failed outside the credential error family",
            expected="an error name of the VDC-CRED table",
            got=f"error {error.kind}: {error.message}"[:200],
        )
        return
    raise CaseFailure(
        "hostile bytes were accepted as a presentation",
        expected="an error of the VDC-CRED table",
        got=f"result {sorted(result)}",
    )


def _lists() -> Iterable[Param]:
    pki = m.material().pki
    yield "suite-list", (m.material().status_list, [m.REVOKED_INDEX])
    cases: dict[str, tuple[int, list[int]]] = {
        "none-revoked": (64, []),
        "first-and-last": (64, [0, 63]),
        "every-eighth": (128, list(range(7, 128, 8))),
        "large-sparse": (4096, [1, 2049, 4095]),
    }
    for name, (size, revoked) in cases.items():
        status = StatusList.new(3, size)
        for index in revoked:
            status.revoke(index)
        signed = sign_status_list(
            status,
            signer=pki.status_signer,
            this_update=m.NOW - timedelta(hours=1),
            next_update=m.NOW + timedelta(days=1),
        )
        yield name, (signed, revoked)


@tc(
    "TC-CRED-018",
    title="A status list encoded again gives the same bytes",
    purpose="Decoding a signed status list and encoding it from the decoded values gives "
    "the received bytes, twice in a row, with the same revoked indices.",
    verifies=["VDC-CRED-054", "VDC-HARN-015"],
    profile="verifier",
    kind="positive",
    preconditions="status lists signed by the synthetic status signer",
    expected="the same DER bytes and exactly the revoked indices of the list",
    operations=[STATUS],
    params=_lists,
)
def test_status_list_reencoding(iut: IutBase, param: tuple[bytes, list[int]]) -> None:
    signed, revoked = param
    first: dict[str, Any] = accepted(iut, STATUS, {"statusList": signed.hex().upper()})
    expect(
        first["encoding"].upper() == signed.hex().upper(),
        "encoding the decoded list changed its bytes",
        expected=signed.hex().upper()[:120],
        got=str(first["encoding"]).upper()[:120],
    )
    expect(
        first["revoked"] == revoked,
        "revoked indices differ",
        expected=str(revoked),
        got=str(first["revoked"]),
    )
    second = accepted(iut, STATUS, {"statusList": first["encoding"]})
    expect(
        second["encoding"] == first["encoding"] and second["revoked"] == revoked,
        "a second relay changed the list",
        expected="the same encoding and indices",
        got=f"{len(second['encoding']) // 2} bytes, revoked {second['revoked']}",
    )


def _forged_list(
    list_id: int, size: int, bits: bytes, *, hours: int = 24, unused: int = 0
) -> bytes:
    """A status list signed by the suite's status signer around any field values."""
    signer = m.material().pki.status_signer
    tbs = der.sequence(
        der.integer(1),
        der.integer(list_id),
        der.time(m.NOW - timedelta(hours=1)),
        der.time(m.NOW - timedelta(hours=1) + timedelta(hours=hours)),
        der.integer(size),
        der.tlv(0x03, bytes([unused]) + bits),
    )
    chain = der.sequence(signer.certificate.public_bytes(Encoding.DER))
    return der.sequence(tbs, der.octets(sign_raw(signer.private_key, tbs)), chain)


def _last_bit(size: int) -> bytes:
    return bytes(size // 8 - 1) + b"\x01"


def _list_edges() -> Iterable[Parameter]:
    top = 2**20
    # Accepted at an edge: decoded (VDC-CRED-050) and answered whole, byte for byte.
    whole = ("VDC-CRED-050", "VDC-CRED-054", "VDC-HARN-015")
    yield param("size-8", (_forged_list(3, 8, b"\x01"), [7]), *whole)
    yield param(
        "size-2^20", (_forged_list(3, top, b"\x80" + _last_bit(top)[1:]), [0, top - 1]), *whole
    )
    yield param("list-id-0", (_forged_list(0, 8, b"\x00"), []), *whole)
    yield param("list-id-2^32-1", (_forged_list(2**32 - 1, 8, b"\x00"), []), *whole)
    refusals = {
        "size-0": _forged_list(3, 0, b""),
        "size-7": _forged_list(3, 7, b"\x00", unused=1),
        "size-2^20+8": _forged_list(3, top + 8, bytes(top // 8 + 1)),
        "size-16-with-8-bits": _forged_list(3, 16, b"\x00"),
        # 12 entries in one whole octet: no unused bit, the size alone is not a multiple of 8.
        "size-12-with-8-bits": _forged_list(3, 12, b"\x00"),
        "list-id-2^32": _forged_list(2**32, 8, b"\x00"),
        "list-id-minus-1": _forged_list(-1, 8, b"\x00"),
        "next-update-equal-to-this-update": _forged_list(3, 8, b"\x00", hours=0),
    }
    for name, signed in refusals.items():
        yield param(name, (signed, None), "VDC-CRED-050")


@tc(
    "TC-CRED-019",
    title="Status lists at the edges of their sizes and identifiers",
    purpose="Lists of 8 and 2^20 entries and identifiers 0 and 2^32 - 1 decode, with the "
    "most significant bit of the first octet as index 0, and come back whole and unchanged "
    "as the encoding; sizes 0, 7, 12 and 2^20 + 8, a bit string shorter than the size, "
    "identifiers -1 and 2^32 and a nextUpdate equal to thisUpdate are refused with "
    "StatusListError.",
    verifies=["VDC-CRED-050", "VDC-CRED-054", "VDC-HARN-015"],
    profile="verifier",
    kind="boundary",
    preconditions="status lists signed by the synthetic status signer",
    expected="the revoked indices and the same bytes for lists at the edge; StatusListError one "
    "step beyond",
    operations=[STATUS],
    params=_list_edges,
)
def test_status_list_edges(iut: IutBase, param: tuple[bytes, list[int] | None]) -> None:
    signed, revoked = param
    if revoked is None:
        refused(iut, STATUS, {"statusList": signed.hex().upper()}, "StatusListError")
        return
    result = accepted(iut, STATUS, {"statusList": signed.hex().upper()})
    expect(
        result["revoked"] == revoked,
        "revoked indices differ",
        expected=str(revoked),
        got=str(result["revoked"])[:200],
    )
    expect(
        str(result["encoding"]).upper() == signed.hex().upper(),
        "the list did not come back whole and unchanged",
        expected=f"the {len(signed)} bytes of the signed list received",
        got=f"{len(str(result['encoding'])) // 2} bytes, {str(result['encoding'])[:40]}...",
    )
