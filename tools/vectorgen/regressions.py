"""Regression inputs of the fuzz targets (VDC-NFC-900, VDC-CRED-900, VDC-HARN-900).

Each vector is an input of one target of tools.fuzz.targets (the group's `target`; its
first byte selects the decoder) that once made a decoder fail with an exception other
than its typed error. The expected result is always `invalid`: the input must be
refused with the typed error. Inputs are rebuilt here from their cause (a certificate
with an X.509 version the parser does not know, a key type it does not know, an
extension twice or a name attribute of a type it does not allow; JSON nested deeper than
any parser recursion, a JSON number too large for an integer), not copied from the crash
files, so that they stay small and readable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from asn1crypto.x509 import TbsCertificate
from cryptography.hazmat.primitives import serialization

from tools.vectorgen._wycheproof import HEX, Flag, document, schema
from tools.vectorgen.pki_chains import resigned, twice_key_usage, unknown_key_type
from vitale_ref.credential import StatusList, sign_status_list
from vitale_ref.credential.samples import issue_typical
from vitale_ref.pki import TEST_NOW, TestPKI

SEED = "vdc-regressions"
UNKNOWN_X509_VERSION = bytes.fromhex("a00302017a")  # [0] EXPLICIT INTEGER 122
JSON_DEPTH = 3000
"""Deeper than Python's default recursion limit (1000), so a recursive parser overflows."""

NOTES = {
    "UntypedException": Flag(
        bug_type="MISSING_ERROR_MAPPING",
        description="a library exception escaped instead of the module's typed error",
        requirement="VDC-CRED-900",
    ),
    "DriverCrash": Flag(
        bug_type="MISSING_ERROR_MAPPING",
        description="the reference driver stopped on a request line instead of answering",
        requirement="VDC-HARN-900",
    ),
    "SuiteCrash": Flag(
        bug_type="MISSING_ERROR_MAPPING",
        description="the suite raised on an answer line instead of failing the case",
        requirement="VDC-HARN-900",
    ),
}


def unknown_version(certificate: bytes) -> bytes:
    """`certificate` with its version field set to 122 (signature left as it was)."""
    version = bytes.fromhex("a003020102")
    position = certificate.index(version)
    return certificate[:position] + UNKNOWN_X509_VERSION + certificate[position + 5 :]


def _der_tests() -> list[dict[str, Any]]:
    sample = issue_typical(SEED)
    signer = sample.pki.document_signer.der
    bad_signer = unknown_version(signer)
    credential = sample.issued.credential.replace(signer, bad_signer)
    status = sign_status_list(
        StatusList.new(1, 64),
        signer=sample.pki.status_signer,
        this_update=TEST_NOW,
        next_update=TEST_NOW.replace(year=TEST_NOW.year + 1),
    )
    status = status.replace(
        sample.pki.status_signer.der, unknown_version(sample.pki.status_signer.der)
    )
    return [
        {
            "comment": "credential whose document-signer certificate has X.509 version 122",
            "flags": ["UntypedException"],
            "input": (b"\x01" + credential).hex(),
            "finding": "cred-x509-invalid-version",
            "result": "invalid",
        },
        {
            "comment": "status list whose signer certificate has X.509 version 122",
            "flags": ["UntypedException"],
            "input": (b"\x03" + status).hex(),
            "finding": "cred-x509-invalid-version",
            "result": "invalid",
        },
        {
            "comment": "reader certificate with X.509 version 122 given to the PKI loader",
            "flags": ["UntypedException"],
            "input": (b"\x04" + unknown_version(sample.pki.readers["doctor"].der)).hex(),
            "finding": "pki-x509-invalid-version",
            "result": "invalid",
        },
        {
            "comment": "document signer whose key type is unknown, validated as a signer",
            "flags": ["UntypedException"],
            "input": (b"\x05" + _edited_signer(sample.pki, unknown_key_type)).hex(),
            "finding": "pki-unknown-key-type",
            "result": "invalid",
        },
        {
            "comment": "document signer whose subject country is a BIT STRING, validated"
            " as a signer under another root (the error names the subject)",
            "flags": ["UntypedException"],
            "input": (b"\x05" + country_as_bits(sample.pki.document_signer.der)).hex(),
            "finding": "pki-name-bit-string",
            "result": "invalid",
        },
        {
            "comment": "document signer carrying keyUsage twice, validated as a signer",
            "flags": ["UntypedException"],
            "input": (b"\x05" + _edited_signer(sample.pki, twice_key_usage)).hex(),
            "finding": "pki-duplicate-extension",
            "result": "invalid",
        },
    ]


COUNTRY_FR = bytes.fromhex("060355040613024652")  # countryName, PrintableString "FR"
COUNTRY_AS_BITS = bytes.fromhex("060355040603024652")  # the same two bytes as a BIT STRING


def country_as_bits(certificate: bytes, name: str = "subject") -> bytes:
    """`certificate` (or bytes that start with one) with the countryName of its issuer or
    subject typed BIT STRING, a name attribute cryptography's name model refuses with a
    TypeError. The issuer's comes first in the DER, then the subject's."""
    position = certificate.index(COUNTRY_FR)
    if name == "subject":
        position = certificate.index(COUNTRY_FR, position + 1)
    end = position + len(COUNTRY_FR)
    return certificate[:position] + COUNTRY_AS_BITS + certificate[end:]


def _edited_signer(pki: TestPKI, edit: Callable[[TbsCertificate], None]) -> bytes:
    signer = resigned(pki.document_signer.certificate, pki.issuing_root, edit)
    return signer.public_bytes(serialization.Encoding.DER)


def _harn_tests() -> list[dict[str, Any]]:
    deep = ("[" * JSON_DEPTH + "]" * JSON_DEPTH + "\n").encode()
    huge_id = b'{"id": 1e999, "op": "hello", "params": {}}\n'
    return [
        {
            "comment": "request line nested 3000 arrays deep, to the reference driver",
            "flags": ["DriverCrash"],
            "input": (b"\x01" + deep).hex(),
            "finding": "harn-driver-deep-json",
            "result": "invalid",
        },
        {
            "comment": "request id 1e999 (infinity once parsed), to the reference driver",
            "flags": ["DriverCrash"],
            "input": (b"\x01" + huge_id).hex(),
            "finding": "harn-driver-overflow-id",
            "result": "invalid",
        },
        {
            "comment": "answer line nested 3000 arrays deep, to the suite",
            "flags": ["SuiteCrash"],
            "input": (b"\x00" + deep).hex(),
            "finding": "harn-suite-deep-json",
            "result": "invalid",
        },
    ]


def build() -> dict[str, Any]:
    return document(
        algorithm="VDC fuzz regressions",
        schema="regressions.schema.json",
        header=[
            "Inputs that once escaped a decoder with an untyped exception (synthetic data).",
            "Feed `input` to tools.fuzz.targets.TARGETS[target]: it must return or raise the",
            "typed error; `finding` names the report in tools/fuzz/known.py.",
            json.dumps({"seed": SEED}),
        ],
        notes=NOTES,
        groups=[
            {"target": "der", "tests": _der_tests()},
            {"target": "harn", "tests": _harn_tests()},
        ],
    )


def build_schema() -> dict[str, Any]:
    return schema(
        title="VDC fuzz regression inputs",
        group_properties={"target": {"enum": ["apdu", "der", "sm", "harn"]}},
        test_properties={"input": HEX, "finding": {"type": "string"}},
    )


FILES = {
    "regressions/fuzz.json": build,
    "schemas/regressions.schema.json": build_schema,
}
