"""The four VDC commands as the holder executes them (VDC-NFC-110..131, VDC-SM-010..051).

Each handler takes the complete command data (chains already reassembled) and returns
(status word, response data). Only the core changes the state, from the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.apdu import AID, LEAN_VERSION, PROTOCOL_VERSIONS, SW
from vitale_ref.credential import remembered_compact
from vitale_ref.errors import VitaleError
from vitale_ref.holder._events import HolderEvent, Presented, ReceiptFiled
from vitale_ref.holder._ports import CredentialSource, ReaderAuthority, ReaderGrant
from vitale_ref.randomness import RandomSource, p256_private_key
from vitale_ref.sm import (
    LABEL_DEVICE_AUTH,
    LABEL_READER_AUTH,
    LABEL_RECEIPT,
    Establish,
    Fci,
    SecureChannel,
    SmError,
    SmIntegrityError,
    decode_point,
    decode_request,
    decode_signed_receipt,
    derive_keys,
    device_auth_message,
    encode_point,
    encode_read_response,
    encode_signer_chain,
    establish_version,
    reader_auth_message,
    receipt_message,
    session_hash,
    sign,
    verify,
)

Outcome = tuple[SW, bytes]
FCI_LENGTH = len(Fci(versions=PROTOCOL_VERSIONS, device_key=bytes(65)).encode())


@dataclass
class Session:
    """Secrets and transcript of one selection; erased when the session ends."""

    ephemeral: ec.EllipticCurvePrivateKey
    fci: bytes
    offered: tuple[int, ...] = PROTOCOL_VERSIONS
    """The versions the FCI of this session offered (VDC-NFC-070)."""
    grant: ReaderGrant | None = None
    transcript_hash: bytes = b""
    channel: SecureChannel | None = None
    events: list[HolderEvent] = field(default_factory=list)
    version: int = 1
    """The version ESTABLISH SESSION chose (VDC-NFC-071)."""
    signer_chain: tuple[bytes, ...] = ()
    """The document-signer chain a version 2 READ named by reference (VDC-NFC-073)."""


def select(
    random: RandomSource, data: bytes, versions: tuple[int, ...] = PROTOCOL_VERSIONS
) -> tuple[Outcome, Session | None]:
    """SELECT by DF name (VDC-NFC-020, VDC-NFC-063): a fresh ephemeral key per selection."""
    if data != AID:
        return (SW.NOT_FOUND, b""), None
    ephemeral = p256_private_key(random)
    fci = Fci(versions=versions, device_key=encode_point(ephemeral.public_key()))
    encoded = fci.encode()
    return (SW.OK, encoded), Session(ephemeral=ephemeral, fci=encoded, offered=versions)


def establish(session: Session, readers: ReaderAuthority, data: bytes, now: datetime) -> Outcome:
    """ESTABLISH SESSION (VDC-SM-010..022, VDC-SM-060..062): the version first, then
    authenticate the reader by its chain or by the reference of a remembered one."""
    try:
        version = establish_version(data)
    except SmError:
        return SW.INCORRECT_DATA, b""
    if version not in session.offered:  # VDC-NFC-072: before the version's own layout
        return SW.FUNCTION_NOT_SUPPORTED, b""
    try:
        message = Establish.decode(data)
        reader_key = decode_point(message.reader_key)
    except SmError:
        return SW.INCORRECT_DATA, b""
    if message.reference:
        remembered = readers.remembered(message.reference, now)
        if remembered is None:  # VDC-SM-062: the reader sends its chain again
            return SW.DATA_NOT_FOUND, b""
        grant = remembered
    else:
        try:
            grant = readers.authorise(message.chain, now)
        except VitaleError:
            return SW.AUTH_FAILED, b""
    # The field as received up to the 9E TLV, which decoding found last and 66 bytes long.
    signed = reader_auth_message(session.fci, data[: -2 - len(message.signature)])
    if not verify(grant.public_key, message.signature, LABEL_READER_AUTH, signed):
        return SW.AUTH_FAILED, b""
    session.transcript_hash = session_hash(session.fci, data)
    keys = derive_keys(session.ephemeral, reader_key, session.transcript_hash)
    session.channel = SecureChannel(keys)
    session.grant = grant
    session.version = version
    return SW.OK, b""


def protected(
    session: Session,
    header: bytes,
    data: bytes,
    inner: Callable[[ReaderGrant, bytes], Outcome],
) -> Outcome:
    """Open a protected command, run `inner` on its plaintext, seal a data response."""
    channel, grant = session.channel, session.grant
    if channel is None or grant is None:
        return SW.CONDITIONS_NOT_SATISFIED, b""
    try:
        plaintext = channel.open_command(header, data)
    except SmIntegrityError:
        return SW.SM_DATA_INCORRECT, b""
    sw, body = inner(grant, plaintext)
    sealed = channel.seal_response(header, body) if sw is SW.OK else b""
    channel.advance()
    return sw, sealed


def read(
    session: Session,
    *,
    credential: CredentialSource,
    armed: bool,
    plaintext: bytes,
    grant: ReaderGrant,
    now: datetime,
) -> Outcome:
    """READ ELEMENTS (VDC-NFC-110..114, VDC-SM-050): presence, intersection, device signature."""
    try:
        requested = decode_request(plaintext)
    except SmError:
        return SW.INCORRECT_DATA, b""
    if not armed:
        return SW.SECURITY_NOT_SATISFIED, b""
    available = credential.available()
    granted = tuple(i for i in requested if i in grant.allowed and i in available)
    if not granted:
        return SW.DATA_NOT_FOUND, b""
    presentation = credential.presentation(granted)
    if session.version >= LEAN_VERSION:  # VDC-CRED-070: the signer by reference
        presentation, session.signer_chain = remembered_compact(presentation)
    message = device_auth_message(session.transcript_hash, plaintext, presentation)
    signature = sign(credential.device_key, LABEL_DEVICE_AUTH, message)
    session.events.append(Presented(reader_rpps=grant.rpps, elements=granted, time=now))
    return SW.OK, encode_read_response(presentation, signature)


def signer_chain(session: Session, plaintext: bytes) -> Outcome:
    """GET SIGNER CHAIN (VDC-NFC-073): the chain the compact presentation named."""
    if plaintext:
        return SW.INCORRECT_DATA, b""
    return SW.OK, encode_signer_chain(b"".join(session.signer_chain))


def receipt(session: Session, plaintext: bytes, grant: ReaderGrant, now: datetime) -> Outcome:
    """FILE RECEIPT (VDC-SM-040..043): acknowledge only a receipt the reader signed."""
    try:
        parsed, body, signature = decode_signed_receipt(plaintext)
    except SmError:
        return SW.INCORRECT_DATA, b""
    if parsed.rpps != grant.rpps:
        return SW.INCORRECT_DATA, b""
    message = receipt_message(session.transcript_hash, body)
    if not verify(grant.public_key, signature, LABEL_RECEIPT, message):
        return SW.AUTH_FAILED, b""
    session.events.append(
        ReceiptFiled(
            reader_rpps=grant.rpps,
            receipt=parsed,
            signed=plaintext,
            session_hash=session.transcript_hash,
            time=now,
        )
    )
    return SW.OK, b""
