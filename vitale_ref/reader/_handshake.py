"""The reader's half of session establishment and its receipt signature (VDC-SM-010..020,
VDC-SM-040).

One implementation serves the reader core (`ReaderSession`) and everything that plays a
reader by script: tests, vector generators, the fuzz targets.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec

from vitale_ref.apdu import PROTOCOL_VERSIONS, encode_tlv
from vitale_ref.randomness import RandomSource, p256_private_key
from vitale_ref.reader._ports import ReaderIdentity
from vitale_ref.sm import (
    LABEL_READER_AUTH,
    LABEL_RECEIPT,
    Establish,
    Fci,
    Receipt,
    SecureChannel,
    decode_point,
    derive_keys,
    encode_point,
    encode_signed_receipt,
    reader_auth_message,
    receipt_message,
    reference,
    session_hash,
    sign,
)


@dataclass(frozen=True, kw_only=True)
class Handshake:
    """ESTABLISH SESSION data and the reader's channel of the session it opens."""

    establish: bytes
    channel: SecureChannel
    session_hash: bytes
    version: int = 1


def handshake(
    fci: bytes,
    identity: ReaderIdentity,
    random: RandomSource,
    *,
    sign_with: ec.EllipticCurvePrivateKey | None = None,
    version: int = PROTOCOL_VERSIONS[0],
    by_reference: bool = False,
) -> Handshake:
    """ESTABLISH SESSION data answering `fci` (the SELECT response data), signed by the
    reader, and the matching channel (VDC-SM-010..020, VDC-SM-060).

    The ephemeral key is drawn from `random` for every call (VDC-SM-003). `sign_with`
    replaces the leaf key for the reader signature (a forged-signature case).
    `by_reference` (version 2) sends the chain's readerRef instead of the chain.
    """
    device = decode_point(Fci.decode(fci).device_key)
    ephemeral = p256_private_key(random)
    unsigned = Establish(
        version=version,
        reader_key=encode_point(ephemeral.public_key()),
        chain=identity.chain,
        reference=reference(b"".join(identity.chain)) if by_reference else b"",
    )
    signed_part = unsigned.signed_part()
    signed = reader_auth_message(fci, signed_part)
    signature = sign(sign_with or identity.key, LABEL_READER_AUTH, signed)
    data = signed_part + encode_tlv(0x9E, signature)  # Establish.encode(), without redoing it
    transcript = session_hash(fci, data)
    return Handshake(
        establish=data,
        channel=SecureChannel(derive_keys(ephemeral, device, transcript)),
        session_hash=transcript,
        version=version,
    )


def signed_receipt(hs: Handshake, identity: ReaderIdentity, receipt: Receipt) -> bytes:
    """FILE RECEIPT plaintext signed by `identity` for the session of `hs` (VDC-SM-040)."""
    body = receipt.encode()
    signature = sign(identity.key, LABEL_RECEIPT, receipt_message(hs.session_hash, body))
    return encode_signed_receipt(receipt, signature, body)
