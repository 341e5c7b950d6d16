"""Holder profile: protocol version 2, the lean tap (chapter "Protocol version 2").

The suite plays a version 2 reader: the versions the FCI offers, ESTABLISH SESSION with
the chain and then by reference, the compact presentation, GET SIGNER CHAIN, and the
answers to a reference the holder does not remember or may no longer use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.holder._reader import provisioned
from conformance.cases.holder._scripted import OK, Reply, Scripted, expect_sw
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect
from vitale_ref.apdu import encode_tlv
from vitale_ref.credential import CredentialError, decode_compact, verify_presentation
from vitale_ref.randomness import p256_private_key, seeded_random
from vitale_ref.sm import (
    LABEL_DEVICE_AUTH,
    Fci,
    SmError,
    decode_read_response,
    decode_signer_chain,
    device_auth_message,
    encode_point,
    reference,
    verify,
)

OPS = ["holder.setup", "holder.arm", "holder.transmit"]
GET_SIGNER_CHAIN = 0xCA
TYPICAL = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
NOT_FOUND, NOT_SUPPORTED, CONDITIONS, INCORRECT, AUTH_FAILED = (
    0x6A88,
    0x6A81,
    0x6985,
    0x6A80,
    0x6300,
)


def lean_part(s: Scripted, *, ref: bytes | None = None, chain: bool = False) -> bytes:
    """Tags 80 (02), 81 and 83 (the doctor chain's reference, or `ref`) or A2 (`chain`)."""
    point = encode_tlv(0x81, encode_point(s.ephemeral.public_key()))
    if chain:
        reader = encode_tlv(0xA2, b"".join(s.reader.chain))
    else:
        reader = encode_tlv(0x83, reference(b"".join(s.reader.chain)) if ref is None else ref)
    return encode_tlv(0x80, b"\x02") + point + reader


def lean_session(s: Scripted, **options: object) -> Reply:
    """SELECT, then a version 2 ESTABLISH SESSION validly signed over `lean_part`."""
    s.select()
    expect(
        2 in Fci.decode(s.fci).versions,
        "the holder does not offer version 2",
        expected="FCI tag 80 listing 01 02 (VDC-NFC-070)",
        got=s.fci.hex()[:60],
    )
    return s.establish(s.field(lean_part(s, **options)))  # type: ignore[arg-type]


def _met(iut: IutBase) -> Scripted:
    """A holder that completed a version 2 session with the doctor's chain."""
    holder = provisioned(iut)
    first = Scripted(holder)
    expect_sw(lean_session(first, chain=True), OK, "version 2 ESTABLISH with the chain")
    return Scripted(holder)


@tc(
    "TC-NFC-170",
    title="The FCI offers versions 01 and 02, in ascending order",
    purpose="A version 2 holder lists exactly 01 02 in FCI tag 80, whatever else it "
    "offers staying readable by version 1 readers; a list out of order, repeated, or "
    "without 02 fails.",
    verifies=["VDC-NFC-070"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned",
    expected="FCI tag 80 = 01 02",
    operations=OPS,
)
def test_versions_offered(iut: IutBase) -> None:
    s = Scripted(provisioned(iut))
    s.select()
    try:
        versions = Fci.decode(s.fci).versions
    except SmError as error:
        expect(False, f"FCI unreadable: {error}", expected="the FCI of VDC-NFC-022", got="")
        return
    expect(
        versions == (1, 2),
        "the FCI does not offer exactly versions 01 and 02",
        expected="01 02",
        got=bytes(versions).hex(),
    )


@tc(
    "TC-SM-170",
    title="A remembered reader by reference, a compact presentation, the signer chain on request",
    purpose="After one version 2 session with its chain, the doctor's reader sends only "
    "its 8-byte reference: the holder authenticates it, answers READ with a compact "
    "presentation whose signer reference names the chain GET SIGNER CHAIN returns, the "
    "expanded presentation verifies under the issuing root and the device signature "
    "covers the compact presentation as sent; the session stays READ-DONE for the receipt.",
    verifies=["VDC-SM-060", "VDC-PKI-060", "VDC-CRED-070", "VDC-NFC-073"],
    profile="holder",
    kind="boundary",
    preconditions="holder provisioned and armed; one earlier version 2 session",
    expected="9000 by reference; READ 53 compact || 9E; GET SIGNER CHAIN A2 chain; receipt 9000",
    operations=OPS,
)
def test_lean_tap(iut: IutBase) -> None:
    s = _met(iut)
    expect_sw(lean_session(s), OK, "ESTABLISH by the reference of a chain met before")
    reply = s.read(TYPICAL)
    plain = s.open_reply(0xCB, reply) if reply.sw == OK else None
    expect(plain is not None, "READ failed", expected="9000 and a sealed answer", got=reply.hex())
    assert plain is not None
    chain_reply = s.protected(GET_SIGNER_CHAIN, b"")
    chain_plain = s.open_reply(GET_SIGNER_CHAIN, chain_reply) if chain_reply.sw == OK else None
    expect(
        chain_plain is not None,
        "GET SIGNER CHAIN failed after READ",
        expected="9000 and a sealed A2 chain (VDC-NFC-073)",
        got=chain_reply.hex()[:60],
    )
    assert chain_plain is not None
    try:
        presentation, signature = decode_read_response(plain)
        compact = decode_compact(presentation)
        chain = decode_signer_chain(chain_plain)
        verified = verify_presentation(
            compact.expand(chain), trust_anchor=s.holder.issuing_root, now=m.NOW
        )
    except (SmError, CredentialError) as error:
        expect(
            False,
            f"the compact presentation or its chain is wrong: {error}",
            expected="53 CompactPresentation || 9E signature, the chain of its signer "
            "reference (VDC-CRED-070, VDC-CRED-071)",
            got=plain.hex()[:80],
        )
        return
    message = device_auth_message(s.transcript, bytes([0x5C, 10, *TYPICAL]), presentation)
    expect(
        verify(verified.device_public_key, signature, LABEL_DEVICE_AUTH, message),
        "the device signature does not cover the compact presentation as sent",
        expected="a valid signature over TH || R || P (VDC-SM-050, VDC-CRED-070)",
        got=signature.hex()[:32],
    )
    expect_sw(s.receipt(), OK, "FILE RECEIPT after GET SIGNER CHAIN")


def _unknown_refs() -> Iterable[Param | Parameter]:
    doctor = reference(b"".join(m.material().pki.readers["doctor"].der for _ in (0,)))
    yield param("never-met", (b"\x5a" * 8, NOT_FOUND, False), "VDC-SM-062", "VDC-SM-061")
    yield param("ref-7-bytes", (doctor[:7], INCORRECT, False), "VDC-SM-061")
    yield param("ref-9-bytes", (doctor + b"\x00", INCORRECT, False), "VDC-SM-061")
    yield param("met-but-expired", (doctor, NOT_FOUND, True), "VDC-PKI-060", "VDC-SM-062")


@tc(
    "TC-SM-171",
    title="A reference the holder does not remember, or may no longer use, is 6A88 and "
    "the chain establishes next in the same session",
    purpose="A reference never met, or met for a chain no longer valid at `now`, is "
    "answered 6A88 without data and the session stays SELECTED, so that the chain sent "
    "next establishes (VDC-SM-062); a reference of 7 or 9 bytes is a malformed field "
    "(6A80).",
    verifies=["VDC-SM-061", "VDC-SM-062", "VDC-PKI-060", "VDC-NFC-074"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="6A88 (6A80 for a reference of the wrong size), then 9000 to the chain",
    operations=OPS,
    params=_unknown_refs,
)
def test_unknown_reference(iut: IutBase, param: tuple[bytes, int, bool]) -> None:
    ref, sw, expired = param
    s = _met(iut) if expired else Scripted(provisioned(iut))
    if expired:  # the doctor's certificate ended: the memory must not serve it (VDC-PKI-026)
        s.at = m.material().pki.readers["doctor"].certificate.not_valid_after_utc + timedelta(1)
    expect_sw(lean_session(s, ref=ref), sw, "ESTABLISH by an unusable reference")
    if expired:
        return  # the chain itself no longer validates at that time
    reply = s.establish(s.field(lean_part(s, chain=True)))
    expect_sw(reply, OK, "the chain sent in the same session after the refusal")


def _misplaced() -> Iterable[Param | Parameter]:
    def version_1(s: Scripted) -> Reply:
        s.open()
        s.read(TYPICAL)
        return s.protected(GET_SIGNER_CHAIN, b"")

    def before_read(s: Scripted) -> Reply:
        expect_sw(lean_session(s, chain=True), OK, "version 2 ESTABLISH with the chain")
        return s.protected(GET_SIGNER_CHAIN, b"")

    def with_data(s: Scripted) -> Reply:
        expect_sw(lean_session(s, chain=True), OK, "version 2 ESTABLISH with the chain")
        s.read(TYPICAL)
        return s.protected(GET_SIGNER_CHAIN, b"\x00")

    yield param("in-version-1", (version_1, CONDITIONS), "VDC-NFC-073", "VDC-NFC-074")
    yield param("before-read", (before_read, CONDITIONS), "VDC-NFC-073", "VDC-NFC-074")
    yield param("with-plaintext", (with_data, INCORRECT), "VDC-NFC-073")


@tc(
    "TC-NFC-171",
    title="GET SIGNER CHAIN only in READ-DONE of a version 2 session, with an empty plaintext",
    purpose="GET SIGNER CHAIN after READ of a version 1 session or before READ of a "
    "version 2 session is 6985; with a non-empty plaintext it is 6A80.",
    verifies=["VDC-NFC-073", "VDC-NFC-074"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="6985 outside READ-DONE of a version 2 session; 6A80 for a non-empty plaintext",
    operations=OPS,
    params=_misplaced,
)
def test_signer_chain_misplaced(
    iut: IutBase, param: tuple[Callable[[Scripted], Reply], int]
) -> None:
    run, sw = param
    expect_sw(run(Scripted(provisioned(iut))), sw, "GET SIGNER CHAIN where it is not allowed")


@tc(
    "TC-SM-172",
    title="A remembered reader still signs every session",
    purpose="A version 2 ESTABLISH SESSION by the reference of a remembered chain but "
    "signed by another key is 6300 and ends the session: the reference selects the "
    "reader, the signature authenticates it.",
    verifies=["VDC-SM-061", "VDC-PKI-060"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed; one earlier version 2 session",
    expected="6300 without data",
    operations=OPS,
)
def test_reference_needs_signature(iut: IutBase) -> None:
    s = _met(iut)
    s.select()
    forger = p256_private_key(seeded_random("conformance/lean/forger"))
    part = lean_part(s)
    field = part + encode_tlv(0x9E, s.signature(part, key=forger))
    expect_sw(s.establish(field), AUTH_FAILED, "a reference signed by another key")
