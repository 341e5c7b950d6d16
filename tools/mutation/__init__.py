"""Mutation testing of the reference's protocol code, killed by the conformance suite alone.

`python -m tools.mutation` (`make mutation`) runs or resumes a campaign with mutmut 3:
every mutant of the modules in `MODULES` is run against the conformance cases, with the
reference in process as the implementation under test (`--iut ref`); the repository's
own tests play no part, since the question is the power of the suite. Scores per module
and the surviving mutants go to build/mutation/. Mutants that no test can tell from the
reference are listed, each with a one-line reason, in tools/mutation/equivalent.toml.
"""

from __future__ import annotations

MODULES: dict[str, tuple[str, ...]] = {
    "holder": ("vitale_ref/holder/_*.py", "vitale_ref/holder/adapters.py"),
    "sm": ("vitale_ref/sm/*.py",),
    "reader": ("vitale_ref/reader/*.py",),
    "apdu": ("vitale_ref/apdu/*.py",),
    "pin": ("vitale_ref/pin/*.py",),
    "otp": ("vitale_ref/otp/*.py",),
    "history": ("vitale_ref/history/*.py",),
    "credential verification": (
        "vitale_ref/credential/_verify.py",
        "vitale_ref/credential/_status.py",
        "vitale_ref/credential/_elements.py",
        "vitale_ref/credential/_structure.py",
        "vitale_ref/credential/_model.py",
    ),
    "pki path validation": (
        "vitale_ref/pki/_chain.py",
        "vitale_ref/pki/_authorisation.py",
        "vitale_ref/pki/_profile.py",
    ),
    "nir": ("vitale_ref/nir.py",),
    "enrolment rules and policy": (
        "vitale_ref/enrolment/_rules.py",
        "vitale_ref/enrolment/_policy.py",
        "vitale_ref/enrolment/_machine.py",
    ),
}
"""Module group (as the README reports it) -> the files mutated for it."""

_ISSUANCE = (
    "issuance, not verification: the issuer's encoding of a beneficiary's data (the holder "
    "presents the credential it was given; the verifier and the reader decode it)"
)
_STATUS_ISSUANCE = "issuance of a status list (the issuer's side); verification decodes it"
_CLI = "serves the command line, not a protocol role"
_HISTORY_CLI = _CLI + " (`vitale holder history`)"

NOT_PROTOCOL: dict[str, str] = {
    "vitale_ref/credential/_elements.py::_period": _ISSUANCE,
    "vitale_ref/credential/_elements.py::_minor": _ISSUANCE,
    "vitale_ref/credential/_elements.py::_content": _ISSUANCE,
    "vitale_ref/credential/_elements.py::encode_value": _ISSUANCE,
    "vitale_ref/credential/_elements.py::encode_disclosed": _ISSUANCE,
    "vitale_ref/credential/_structure.py::encode_credential": _ISSUANCE,
    "vitale_ref/credential/_model.py::Beneficiary.__post_init__": _ISSUANCE,
    "vitale_ref/credential/_model.py::Beneficiary.elements": _ISSUANCE,
    "vitale_ref/credential/_status.py::StatusList.new": _STATUS_ISSUANCE,
    "vitale_ref/credential/_status.py::StatusList.revoke": _STATUS_ISSUANCE,
    "vitale_ref/credential/_status.py::sign_status_list": _STATUS_ISSUANCE,
    "vitale_ref/pki/_authorisation.py::ReaderAuthorisation.encode": (
        "writes a reader certificate's extension when a reader is certified (the test PKI)"
    ),
    "vitale_ref/credential/_model.py::check_count": (
        _ISSUANCE + "; called by Beneficiary.__post_init__ only (the decoders bound their "
        "lists as they read them)"
    ),
    "vitale_ref/history/_retention.py::is_visible": (
        "the library's per-entry form of the retention rule; the store purges and filters "
        "in SQL with purge_before"
    ),
    "vitale_ref/credential/_model.py::ElementId.from_name": _CLI,
    "vitale_ref/credential/_structure.py::decode_credential": (
        "decodes a stored credential for the app and the command line; a verifier decodes "
        "presentations (decode_presentation)"
    ),
    "vitale_ref/nir.py::format": _CLI + " (`vitale nir`)",
    "vitale_ref/nir.py::is_valid": "the library's boolean form of validate (python-stdnum's API)",
    "vitale_ref/history/_entries.py::Presentation.element_names": _CLI
    + " (`vitale holder history`)",
    "vitale_ref/history/_entries.py::Presentation.to_json": _CLI
    + " (`vitale holder history --json`)",
    "vitale_ref/history/_entries.py::Receipt.to_json": _HISTORY_CLI,
    "vitale_ref/history/_time.py::format_utc": _HISTORY_CLI,
    "vitale_ref/pin/_policy.py::is_acceptable": "the library's boolean form of check_personal_code",
    "vitale_ref/pin/_policy.py::structural_refusal": "serves the vector generators (tools/)",
    "vitale_ref/enrolment/_policy.py::EligibilityPolicy.department_opening": (
        "answers when a department opened (a library question the repository's tests ask); the "
        "service decides with EligibilityPolicy.on"
    ),
    "vitale_ref/holder/_state.py::mermaid": "draws the documentation's state diagram",
    "vitale_ref/sm/_crypto.py::SessionKeys.from_hex": (
        "reads the session keys given to `vitale trace show` and `vitale present`"
    ),
}
"""Functions of those files outside the mutated set (`file::function` -> what calls them).

No protocol role calls them: they serve the command line, the documentation or the tools.
Their mutants are generated by mutmut but left out of every count.
"""

TARGETS = {"holder": 95.0, "sm": 95.0, "reader": 95.0, "pin": 95.0}
TARGETS["credential verification"] = 95.0
OVERALL_TARGET = 90.0
"""Scores the campaign must reach: killed / (generated - listed equivalent), in percent."""
