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
    kind="positive",
    preconditions="holder provisioned and armed",
    expected="every listed property holds for a read of every element",
    operations=SETUP,
)
def test_presented_credential(iut: IutBase) -> None:
    presentation = decode_presentation(_presented(provisioned(iut)))
    tbs = presentation.credential.tbs
    expect(tbs.version == 1, "version", expected="1", got=str(tbs.version))
    expect(len(tbs.serial) == 16, "serial length", expected="16 bytes", got=str(len(tbs.serial)))
    expect(
        tbs.device_public_key.curve.name == "secp256r1",
        "device key curve",
        expected="P-256",
        got=tbs.device_public_key.curve.name,
    )
    ids = [int(element.element_id) for element in presentation.disclosed]
    expect(ids == sorted(set(ids)), "elements not in ascending order", got=str(ids))
    known = {int(i) for i in ElementId}
    expect(set(ids) <= known, "unknown element identifiers", got=str(sorted(set(ids) - known)))
    salts = [len(element.salt) for element in presentation.disclosed]
    expect(all(size == 16 for size in salts), "salt length", expected="16 bytes", got=str(salts))


def _extension(cert: x509.Certificate, kind: type[Any]) -> Any:
    return cert.extensions.get_extension_for_class(kind)


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
    kind="positive",
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
            expect(False, "certificate outside the profile", got=str(error))
        serial = cert.serial_number
        expect(0 < serial < 2**160, "serial number", expected="1..20 octets", got=str(serial))
    root_bc = _extension(root, x509.BasicConstraints)
    expect(
        root_bc.critical and root_bc.value.ca and root_bc.value.path_length == 0,
        "root basicConstraints",
        expected="critical, cA, pathLen 0",
        got=str(root_bc),
    )
    usage = _extension(root, x509.KeyUsage).value
    expect(
        usage.key_cert_sign and usage.crl_sign and not usage.digital_signature,
        "root keyUsage",
        expected="keyCertSign, cRLSign",
        got=str(usage),
    )
    signer_usage = _extension(signer, x509.KeyUsage)
    expect(
        signer_usage.critical
        and signer_usage.value.digital_signature
        and not signer_usage.value.key_cert_sign,
        "signer keyUsage",
        expected="critical digitalSignature only",
        got=str(signer_usage),
    )
    purposes = _extension(signer, x509.ExtendedKeyUsage)
    expect(
        purposes.critical and ID_KP_DOCUMENT_SIGNING in list(purposes.value),
        "signer extKeyUsage",
        expected="critical, document signing",
        got=str(purposes),
    )
    expect(
        ExtendedKeyUsageOID.SERVER_AUTH not in list(purposes.value),
        "signer purpose",
        got=str(purposes),
    )
    root_ski = _extension(root, x509.SubjectKeyIdentifier).value.digest
    signer_aki = _extension(signer, x509.AuthorityKeyIdentifier).value.key_identifier
    expect(
        signer_aki == root_ski,
        "authorityKeyIdentifier does not name the root",
        expected=root_ski.hex(),
        got=(signer_aki or b"").hex(),
    )


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
        expect(False, "the holder no longer reads after the sequence", got=str(error))
