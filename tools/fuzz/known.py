"""Findings the fuzzers have made, recognised so that a long run goes on.

Every finding here has been fixed and is kept as a regression vector
(vectors/regressions/), which the regression tests require to be refused with the typed
error. A fuzzer stops at the first crash; while a finding is being fixed, a long run
should look for the next one: the
atheris runner passes each exception to `known_finding`, which names the finding when
the exception is one of these, and the run counts it instead of stopping. The targets
themselves stay strict: the hypothesis tests and the regression tests see every finding.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm


@dataclass(frozen=True, kw_only=True)
class Finding:
    """A known defect: the exception type and the function it escapes from."""

    name: str
    exception: type[BaseException]
    escapes_from: str
    summary: str


FINDINGS = (
    Finding(
        name="cred-x509-invalid-version",
        exception=x509.InvalidVersion,
        escapes_from="decode_chain",
        summary="a chain certificate with an unknown X.509 version escapes as InvalidVersion",
    ),
    Finding(
        name="pki-x509-invalid-version",
        exception=x509.InvalidVersion,
        escapes_from="load_certificate",
        summary="load_certificate lets InvalidVersion escape (holder answers 6F00)",
    ),
    Finding(
        name="pki-unknown-key-type",
        exception=UnsupportedAlgorithm,
        escapes_from="check_profile",
        summary="a certificate key of a type cryptography does not know escapes path "
        "validation as UnsupportedAlgorithm (found by the presentation mutation test)",
    ),
    Finding(
        name="pki-duplicate-extension",
        exception=x509.DuplicateExtension,
        escapes_from="check_profile",
        summary="a certificate carrying one extension twice escapes path validation as "
        "DuplicateExtension, which is no ValueError",
    ),
    Finding(
        name="pki-name-bit-string",
        exception=TypeError,
        escapes_from="_label",
        summary="a name attribute typed BIT STRING makes cryptography raise TypeError while "
        "the path validation labels its error with the subject",
    ),
    Finding(
        name="harn-driver-overflow-id",
        exception=OverflowError,
        escapes_from="serve",
        summary="the reference driver dies on a request id of 1e999 (int(inf))",
    ),
    Finding(
        name="harn-driver-deep-json",
        exception=RecursionError,
        escapes_from="serve",
        summary="the reference driver dies on a deeply nested JSON request line",
    ),
    Finding(
        name="harn-suite-deep-json",
        exception=RecursionError,
        escapes_from="_receive",
        summary="the suite dies instead of failing the case on a deeply nested answer line",
    ),
)


def known_finding(error: BaseException) -> Finding | None:
    """The known finding `error` is an instance of, or None for a new one."""
    functions = {frame.name for frame in traceback.extract_tb(error.__traceback__)}
    for finding in FINDINGS:
        if isinstance(error, finding.exception) and finding.escapes_from in functions:
            return finding
    return None
