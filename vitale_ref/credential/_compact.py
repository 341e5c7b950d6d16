"""Compact presentations: the document signer named by reference (VDC-CRED-070, 071).

A compact presentation is the presentation with the credential's chain replaced by
`signerRef`, the first 8 bytes of SHA-256 over the signer certificate's DER. The holder
compacts what it would have sent; the reader puts the chain back and verifies the
result as any presentation, so that every check of VDC-CRED-040..048 applies unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from vitale_ref.credential._errors import CertificateChainError, from_der
from vitale_ref.credential._structure import MAX_CHAIN, MAX_PRESENTATION_BYTES
from vitale_ref.pki import der

SIGNER_REFERENCE_SIZE = 8


def signer_reference(certificate_der: bytes) -> bytes:
    """signerRef: the first 8 bytes of SHA-256 over the certificate's DER."""
    return hashlib.sha256(certificate_der).digest()[:SIGNER_REFERENCE_SIZE]


@dataclass(frozen=True)
class CompactPresentation:
    """The parts of a compact presentation, each as the DER it was read from."""

    tbs: bytes
    signature: bytes
    signer: bytes
    disclosed: bytes

    def expand(self, chain: Sequence[bytes]) -> bytes:
        """The full presentation with `chain` (DER certificates, leaf first) in place of
        the reference; a chain whose leaf has another reference is refused (VDC-CRED-071)."""
        if not 1 <= len(chain) <= MAX_CHAIN or signer_reference(chain[0]) != self.signer:
            raise CertificateChainError("document signer: no chain with the reference sent")
        credential = der.sequence(self.tbs, self.signature, der.sequence(*chain))
        return der.sequence(credential, self.disclosed)


def decode_compact(data: bytes) -> CompactPresentation:
    """Split a CompactPresentation (strict DER at this level; the TBS, the signature and
    the elements are decoded in full when the expanded presentation is verified)."""
    if len(data) > MAX_PRESENTATION_BYTES:
        raise from_der(der.DerError(f"CompactPresentation: {len(data)} bytes is too long"))
    try:
        reader = der.Reader(der.decode_one(bytes(data), "CompactPresentation"), "presentation")
        credential = reader.nested(der.SEQUENCE, "credential")
        tbs = credential.read(der.SEQUENCE, "tbs")
        signature = credential.read(der.OCTET_STRING, "signature")
        signer = credential.read(der.OCTET_STRING, "signer")
        der.parse_octets(signer, "credential.signer", SIGNER_REFERENCE_SIZE, 8)
        credential.finish()
        disclosed = reader.read(der.SEQUENCE, "disclosed")
        reader.finish()
    except der.DerError as error:
        raise from_der(error) from None
    return CompactPresentation(tbs.encoding, signature.encoding, signer.content, disclosed.encoding)


def compact(presentation: bytes) -> tuple[bytes, tuple[bytes, ...]]:
    """(the compact form of a full presentation, its document-signer chain)."""
    try:
        reader = der.Reader(der.decode_one(bytes(presentation), "Presentation"), "presentation")
        credential = reader.nested(der.SEQUENCE, "credential")
        tbs = credential.read(der.SEQUENCE, "tbs")
        signature = credential.read(der.OCTET_STRING, "signature")
        chain_reader = credential.nested(der.SEQUENCE, "chain")
        chain = tuple(item.encoding for item in chain_reader.items(der.SEQUENCE, "cert", MAX_CHAIN))
        credential.finish()
        disclosed = reader.read(der.SEQUENCE, "disclosed")
        reader.finish()
    except der.DerError as error:
        raise from_der(error) from None
    if not chain:
        raise CertificateChainError("document signer: empty chain")
    reference = der.octets(signer_reference(chain[0]))
    lean = der.sequence(
        der.sequence(tbs.encoding, signature.encoding, reference), disclosed.encoding
    )
    return lean, chain


remembered_compact = lru_cache(maxsize=16)(compact)
"""`compact` remembered per exact presentation bytes (bounded): a holder presents the
same credential at every tap, so its compact form is computed once per disclosure."""
