"""Holder profile: what the holder presents is a well-formed credential under the
certificate profile (spec chapters VDC-CRED and VDC-PKI), and no command sequence
makes it answer outside the status-word table (VDC-NFC-901)."""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from conformance.adapters import IutBase
from conformance.cases.holder._reader import SELECT, Holder, provisioned
from conformance.catalogue import tc
from conformance.outcomes import expect
from vitale_ref.credential import ElementId, decode_presentation
from vitale_ref.randomness import seeded_random

SETUP = ["holder.setup", "holder.arm", "holder.transmit"]
TABLE = {
    "9000",
    "6300",
    "6700",
    "6883",
    "6884",
    "6982",
    "6985",
    "6988",
    "6A80",
    "6A82",
    "6A84",
    "6A86",
    "6A88",
    "6D00",
    "6E00",
}


def _presented(holder: Holder) -> bytes:
    return holder.read([int(i) for i in ElementId]).presentation


@tc(
    "TC-CRED-016",
    title="The credential a holder presents is well formed",
    purpose="The presentation decodes strictly; version 1, a 16-byte serial, a P-256 "
    "device key, 16-byte salts, known element identifiers in ascending order only.",
    verifies=[
        "VDC-CRED-001",
        "VDC-CRED-010",
        "VDC-CRED-011",
        "VDC-CRED-013",
        "VDC-CRED-014",
        "VDC-CRED-016",
        "VDC-CRED-018",
        "VDC-CRED-019",
        "VDC-CRED-029",
        "VDC-CRED-031",
    ],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="every listed property holds for a read of every element",
    operations=SETUP,
)
def test_presented_credential(iut: IutBase) -> None:
    presentation = decode_presentation(_presented(provisioned(iut)))
    tbs = presentation.credential.tbs
    expect(
        tbs.version == 1,
        "version",
        expected="1",
        got=str(tbs.version),
        requirements=["VDC-CRED-010"],
    )
    expect(
        len(tbs.serial) == 16,
        "serial length",
        expected="16 bytes",
        got=str(len(tbs.serial)),
        requirements=["VDC-CRED-011"],
    )
    expect(
        tbs.device_public_key.curve.name == "secp256r1",
        "device key curve",
        expected="P-256",
        got=tbs.device_public_key.curve.name,
        requirements=["VDC-CRED-013"],
    )
    ids = [int(element.element_id) for element in presentation.disclosed]
    expect(
        ids == sorted(set(ids)),
        "elements not in ascending order",
        got=str(ids),
        requirements=["VDC-CRED-016"],
        expected="disclosed element identifiers in strictly ascending order",
    )
    known = {int(i) for i in ElementId}
    expect(
        set(ids) <= known and {int(i) for i, _ in tbs.digests} <= known,
        "element identifiers outside the table (only the elements of the table, no medical "
        "data, may be carried)",
        got=str(sorted((set(ids) | {int(i) for i, _ in tbs.digests}) - known)),
        requirements=["VDC-CRED-018", "VDC-CRED-029"],
        expected="element identifiers of the CRED table only (1 to 10)",
    )
    salts = [len(element.salt) for element in presentation.disclosed]
    expect(
        all(size == 16 for size in salts),
        "salt length",
        expected="16 bytes",
        got=str(salts),
        requirements=["VDC-CRED-019"],
    )


def _extension(cert: x509.Certificate, kind: type[Any]) -> Any:
    """The extension of that type, or None when the certificate lacks it."""
    try:
        return cert.extensions.get_extension_for_class(kind)
    except x509.ExtensionNotFound:
        return None


@tc(
    "TC-PKI-003",
    title="The holder's certificate chain follows the certificate profile",
    purpose="The issuing root and the document signer of the presented credential are "
    "X.509 v3 P-256 certificates with the constraints, key usages and identifiers of "
    "their roles.",
    verifies=[
        "VDC-PKI-001",
        "VDC-PKI-002",
        "VDC-PKI-003",
        "VDC-PKI-004",
        "VDC-PKI-005",
        "VDC-PKI-006",
        "VDC-PKI-011",
    ],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="root: CA, path length 0, keyCertSign and cRLSign; signer: not CA, "
    "digitalSignature, document-signing purpose; key identifiers chained",
    operations=SETUP,
)
def test_certificate_profile(iut: IutBase) -> None:
    from vitale_ref.pki import ID_KP_DOCUMENT_SIGNING, PKIError, check_profile

    holder = provisioned(iut)
    presentation = decode_presentation(_presented(holder))
    root, signer = holder.issuing_root, presentation.credential.chain[0]
    for cert in (root, signer):
        try:
            check_profile(cert)
        except PKIError as error:
            expect(
                False,
                "certificate outside the profile",
                got=str(error),
                requirements=["VDC-PKI-001", "VDC-PKI-003"],
                expected="certificates of the PKI profile (X.509 v3, P-256, ecdsa-with-SHA256)",
            )
        serial = cert.serial_number
        expect(
            0 < serial < 2**159,
            "serial number",
            expected="a positive integer of at most 20 octets",
            got=str(serial),
            requirements=["VDC-PKI-011"],
        )
    _root_profile(root)
    _signer_profile(signer, ID_KP_DOCUMENT_SIGNING)
    root_ski = _extension(root, x509.SubjectKeyIdentifier)
    signer_aki = _extension(signer, x509.AuthorityKeyIdentifier)
    named = None if signer_aki is None else signer_aki.value.key_identifier
    expect(
        root_ski is not None and named == root_ski.value.digest,
        "the signer's authorityKeyIdentifier does not name the root's subjectKeyIdentifier",
        expected="equal key identifiers",
        got=f"root SKI {root_ski}, signer AKI {signer_aki}",
        requirements=["VDC-PKI-006"],
    )


def _root_profile(root: x509.Certificate) -> None:
    constraints = _extension(root, x509.BasicConstraints)
    expect(
        constraints is not None
        and constraints.critical
        and constraints.value.ca
        and constraints.value.path_length == 0,
        "root basicConstraints",
        expected="critical, cA, pathLen 0",
        got=str(constraints),
        requirements=["VDC-PKI-004"],
    )
    usage = _extension(root, x509.KeyUsage)
    expect(
        usage is not None and usage.critical and _usage_bits(usage.value) == CA_BITS,
        "root keyUsage",
        expected="critical keyCertSign and cRLSign only",
        got=str(usage),
        requirements=["VDC-PKI-004"],
    )


def _signer_profile(signer: x509.Certificate, purpose: x509.ObjectIdentifier) -> None:
    constraints = _extension(signer, x509.BasicConstraints)
    usage = _extension(signer, x509.KeyUsage)
    expect(
        (constraints is None or not constraints.value.ca)
        and usage is not None
        and usage.critical
        and _usage_bits(usage.value) == {"digital_signature"},
        "signer keyUsage",
        expected="not a CA; critical digitalSignature only",
        got=f"{constraints}, {usage}",
        requirements=["VDC-PKI-005"],
    )
    purposes = _extension(signer, x509.ExtendedKeyUsage)
    listed = [] if purposes is None else list(purposes.value)
    expect(
        purposes is not None and purposes.critical and purpose in listed,
        "signer extKeyUsage",
        expected=f"critical, document signing ({purpose.dotted_string})",
        got=str(purposes),
        requirements=["VDC-PKI-005", "VDC-PKI-002"],
    )
    expect(
        ExtendedKeyUsageOID.SERVER_AUTH not in listed,
        "signer purpose",
        got=str(purposes),
        requirements=["VDC-PKI-005"],
        expected="extKeyUsage holding only the document-signing purpose",
    )


CA_BITS = {"key_cert_sign", "crl_sign"}
_BITS = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
)


def _usage_bits(usage: x509.KeyUsage) -> set[str]:
    return {name for name in _BITS if getattr(usage, name)}


@tc(
    "TC-NFC-015",
    title="Arbitrary command sequences get status words of the table",
    purpose="Four hundred seeded random commands, with and without a selection, never "
    "get 6F00 or a status word outside the table, and the holder still reads after.",
    verifies=["VDC-NFC-901", "VDC-NFC-041", "VDC-NFC-040"],
    profile="holder",
    kind="negative",
    preconditions="holder provisioned and armed",
    expected="every status word in the table; a normal read afterwards",
    operations=SETUP,
)
def test_random_commands(iut: IutBase) -> None:
    holder = provisioned(iut)
    send = holder.transmit()
    random = seeded_random("conformance/random-apdus")
    classes, instructions = b"\x00\x80\x90\x10\xff", b"\xa4\xc0\x86\xcb\xdb\x00\xb0"
    for number in range(400):
        if number % 50 == 0:
            send(SELECT)
        draw = random(8)
        size = draw[4] % 40
        command = bytes(
            [classes[draw[0] % 5], instructions[draw[1] % 7], draw[2] % 5 if draw[2] & 1 else 0, 0]
        )
        if draw[3] % 3:
            command += bytes([size]) + random(size) if size else b""
        if draw[3] % 2:
            command += b"\x00"
        word = send(command)[-2:].hex().upper()
        known = word in TABLE or word[:2] in ("61", "6C")
        expect(
            known,
            f"command {number} answered outside the table",
            expected="a status word of the table",
            got=f"{word} for {command.hex().upper()}",
        )
    try:
        holder.read([2])
    except Exception as error:
        expect(
            False,
            "the holder no longer reads after the sequence",
            got=str(error),
            expected="a complete read after the sequence",
        )
