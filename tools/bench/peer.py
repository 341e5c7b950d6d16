"""Credential verification against a peer: pymdoccbor verifying an ISO 18013-5 mdoc.

Both sides verify, from bytes, an issuer-signed document with the same ten data
elements (the values of the typical synthetic holder), disclosed in full, ECDSA P-256
with SHA-256, with the signer certificate checked against a trusted root:

- ours: `verify_presentation` with its decoding memo emptied before every call, as
  pymdoccbor decodes every time (DER decode, document-signer chain to the issuing root,
  issuer signature, ten salted SHA-256 digests, element value checks);
- peer: `MdocCbor().loads(...)` then `verify(trusted_root_certs=[root])` (CBOR decode,
  document-signer certificate against the root, COSE_Sign1 ES256 signature, ten
  IssuerSignedItem digests).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

from cryptography import x509

from tools.bench._timing import paired, per_call
from tools.bench.world import BenchWorld
from vitale_ref.credential import forget_decodings, verify_presentation
from vitale_ref.randomness import p256_private_key, seeded_random

NAMESPACE = "org.example.vdc.synthetic.1"
DOCTYPE = "org.example.vdc.synthetic"


def _plain(value: Any) -> Any:
    """A CBOR-friendly copy of an element value (dataclasses to maps, tuples to arrays)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def ours(world: BenchWorld) -> tuple[float, int, int]:
    """(seconds per verification, element count, presentation bytes)."""
    presentation = world.issued.full_presentation()
    anchor = world.pki.issuing_root.certificate

    def verify() -> object:
        forget_decodings()
        return verify_presentation(presentation, trust_anchor=anchor, now=world.now)

    verified = verify_presentation(presentation, trust_anchor=anchor, now=world.now)
    return per_call(verify), len(verified.elements), len(presentation)


def _mdoc(world: BenchWorld) -> tuple[bytes, x509.Certificate, int]:
    import cbor2
    from pymdoccbor.mdoc.issuer import MdocCborIssuer

    presentation = world.issued.full_presentation()
    verified = verify_presentation(
        presentation, trust_anchor=world.pki.issuing_root.certificate, now=world.now
    )
    elements = {e.short_name: _plain(v) for e, v in verified.elements.items()}
    key = p256_private_key(seeded_random("vdc-bench/peer-issuer"))
    secret = key.private_numbers().private_value.to_bytes(32, "big")
    now = dt.datetime.now(dt.UTC)  # pymdoccbor checks the certificate against the clock
    issuer = MdocCborIssuer(
        private_key={"KTY": "EC2", "CURVE": "P_256", "ALG": "ES256", "D": secret, "KID": b"b"},
        alg="ES256",
        cert_info={
            "country_name": "FR",
            "state_or_province_name": "Synthetic",
            "locality_name": "Synthetic",
            "organization_name": "VDC benchmark (synthetic)",
            "common_name": "VDC benchmark document signer (synthetic)",
            "san_url": "https://example.org/vdc",
            "not_valid_before": now - dt.timedelta(days=1),
            "not_valid_after": now + dt.timedelta(days=10),
        },
    )
    signed = issuer.new(
        data={NAMESPACE: elements},
        doctype=DOCTYPE,
        validity={"issuance_date": "2026-01-15", "expiry_date": "2028-01-15"},
    )
    encoded = cbor2.dumps(signed, datetime_as_timestamp=True)
    document = signed["documents"][0]
    x5chain = document["issuerSigned"]["issuerAuth"][1][33]
    root = x509.load_der_x509_certificate(x5chain if isinstance(x5chain, bytes) else x5chain[0])
    return encoded, root, len(elements)


def paired_ratio(world: BenchWorld) -> list[float]:
    """Sorted ratios pymdoccbor time / our time of alternating batches (>1: ours faster)."""
    from pymdoccbor.mdoc.verifier import MdocCbor

    logging.getLogger("pymdoccbor").setLevel(logging.ERROR)
    encoded, root, _count = _mdoc(world)
    presentation = world.issued.full_presentation()
    anchor = world.pki.issuing_root.certificate

    def theirs() -> bool:
        parsed = MdocCbor()
        parsed.loads(encoded)
        return bool(parsed.verify(trusted_root_certs=[root]))

    def ours() -> object:
        forget_decodings()
        return verify_presentation(presentation, trust_anchor=anchor, now=world.now)

    return sorted(paired(theirs, ours))


def theirs(world: BenchWorld) -> tuple[float, int, int]:
    """(seconds per pymdoccbor verification, element count, mdoc bytes)."""
    from pymdoccbor.mdoc.verifier import MdocCbor

    logging.getLogger("pymdoccbor").setLevel(logging.ERROR)
    encoded, root, count = _mdoc(world)

    def verify() -> bool:
        parsed = MdocCbor()
        parsed.loads(encoded)
        return bool(parsed.verify(trusted_root_certs=[root]))

    if not verify():
        raise RuntimeError("pymdoccbor refused the mdoc it issued")
    return per_call(verify), count, len(encoded)
