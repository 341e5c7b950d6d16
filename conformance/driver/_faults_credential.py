"""Seeded faults in the credential verifier: each weakens one check of `_verify`."""

from __future__ import annotations

from typing import Any

from cryptography import x509

from conformance.driver.faults import fault, patch
from vitale_ref import credential
from vitale_ref.credential import _status, _structure, _verify
from vitale_ref.pki import der


@fault(
    "cred-accepts-expired",
    "the validity period of the credential is not checked",
    "VDC-CRED-043",
    ("TC-CRED-002",),
)
def _accepts_expired() -> None:
    real = _verify._check_issuer

    def check_issuer(presentation: Any, trust_anchor: Any, now: Any) -> None:
        real(presentation, trust_anchor, presentation.credential.tbs.valid_from)

    patch(_verify, "_check_issuer", check_issuer)


@fault(
    "cred-no-chain-check",
    "the document signer's certificate chain is not validated",
    "VDC-CRED-041",
    ("TC-CRED-003",),
)
def _no_chain() -> None:
    patch(_verify, "validate_chain", lambda *args, **kwargs: [])


@fault(
    "cred-no-issuer-signature",
    "the issuer signature over the credential is not verified",
    "VDC-CRED-042",
    ("TC-CRED-004",),
)
def _no_signature() -> None:
    patch(_verify, "verify_raw", lambda *args: True)


@fault(
    "cred-no-digest-check",
    "disclosed elements are not compared with their digests",
    "VDC-CRED-045",
    ("TC-CRED-005",),
)
def _no_digest() -> None:
    def check_elements(presentation: Any, requested: Any) -> Any:
        digests = dict(presentation.credential.tbs.digests)
        values = {}
        for element in presentation.disclosed:
            if element.element_id not in digests:
                raise credential.DisclosureError("disclosed element has no digest")
            values[element.element_id] = element.value  # digest never compared
        missing = sorted(set(requested or ()) - set(values))
        if missing:
            raise credential.MissingElementError(f"requested element(s) {missing} not disclosed")
        return values

    patch(_verify, "_check_elements", check_elements)


@fault(
    "cred-no-revocation-check",
    "the status list is verified but the revocation bit is ignored",
    "VDC-CRED-053",
    ("TC-CRED-008",),
)
def _no_revocation() -> None:
    patch(credential.SignedStatusList, "is_revoked", lambda self, index: False)


@fault(
    "cred-ignores-device-binding",
    "the device-binding proof is never checked",
    "VDC-CRED-046",
    ("TC-CRED-011",),
)
def _ignores_binding() -> None:
    real = _verify.verify_presentation

    def verify_presentation(data: bytes, **kwargs: Any) -> Any:
        kwargs.pop("device_binding", None)
        return real(data, **kwargs)

    patch(credential, "verify_presentation", verify_presentation)


@fault(
    "cred-unsigned-status-list",
    "the status list's signature is not verified",
    "VDC-CRED-051",
    ("TC-CRED-009",),
)
def _unsigned_list() -> None:
    patch(_status, "verify_raw", lambda *args: True)


@fault(
    "cred-ignores-requested",
    "a requested element missing from the presentation is not noticed",
    "VDC-CRED-017",
    ("TC-CRED-007",),
)
def _ignores_requested() -> None:
    real = _verify._check_elements
    patch(_verify, "_check_elements", lambda presentation, requested: real(presentation, None))


@fault(
    "cred-chain-decoder-leaks",
    "a chain entry that is not a certificate lets the X.509 parser's ValueError escape",
    "VDC-CRED-900",
    ("TC-CRED-017",),
)
def _chain_decoder_leaks() -> None:
    def decode_chain(reader: Any) -> tuple[x509.Certificate, ...]:
        items = reader.items(der.SEQUENCE, "certificate", _structure.MAX_CHAIN)
        return tuple(x509.load_der_x509_certificate(item.encoding) for item in items)

    patch(_structure, "decode_chain", decode_chain)


@fault(
    "cred-status-list-trimmed",
    "the status list encoder drops the trailing all-valid bytes of the bit string",
    "VDC-CRED-054",
    ("TC-CRED-018",),
)
def _status_list_trimmed() -> None:
    def encode_tbs(self: credential.StatusList, this_update: Any, next_update: Any) -> bytes:
        bits = bytes(self.bits).rstrip(b"\x00") or b"\x00"
        return der.sequence(
            der.integer(_status.STATUS_VERSION),
            der.integer(self.list_id),
            der.time(this_update),
            der.time(next_update),
            der.integer(self.size),
            der.bits(bits),
        )

    patch(credential.StatusList, "encode_tbs", encode_tbs)
