"""Params and result of every driver operation (spec/harness.md, "Operations and error kinds").

`OPERATIONS` maps an operation to (params schema, result schema, what it does);
`ERROR_KINDS` lists the error kinds each operation may answer besides the kinds any
operation may answer (VDC-HARN-005). `python -m conformance.protocol` writes both to
conformance/schemas/harness/ and renders spec/harness-forms.md from them.
"""

from __future__ import annotations

from conformance._forms import (
    ENROLMENT_EVENT,
    HISTORY_ENTRY,
    HOLDER_EVENT,
    MAIL,
    MESSAGES,
    STATE,
    elements,
)
from conformance._schema import (
    ELEMENT_ID,
    RPPS,
    Schema,
    array,
    boolean,
    closed,
    described,
    hex_bytes,
    instant,
    integer,
    tagged,
    text,
)

_NOW = instant("the instant the operation happens at")
_EMPTY = closed({}, description="no member")
_DER_CERT = "a certificate in DER"
_ID = text("the enrolment identifier returned by enrolment.start", minLength=1, maxLength=64)
_REQUESTED = array(
    integer("an element identifier (1 to 127, VDC-NFC-023)"),
    "the element identifiers the reader asks for, 1 to 32 distinct ones in any order",
)
_CODE = text("the personal code as typed (VDC-PIN-001 decides its form)")

Operation = tuple[Schema, Schema, str]

OPERATIONS: dict[str, Operation] = {
    "hello": (
        closed({"protocol": text("the protocol version the suite speaks, vdc-harness/1")}),
        closed(
            {
                "protocol": described({"const": "vdc-harness/1"}, "the protocol version"),
                "implementation": closed(
                    {
                        "name": text("the implementation's name", minLength=1),
                        "version": text("its version", minLength=1),
                    },
                    description="who answers",
                ),
                "profiles": array(
                    described(
                        {"enum": ["holder", "reader", "verifier", "enrolment", "transport"]},
                        "a profile",
                    ),
                    "the profiles claimed",
                    uniqueItems=True,
                ),
                "operations": array(
                    text("an operation name of this table"),
                    "the operations implemented, hello included",
                    uniqueItems=True,
                ),
            }
        ),
        "opens the session (VDC-HARN-002)",
    ),
    "reset": (_EMPTY, _EMPTY, "forgets every state (VDC-HARN-006)"),
    "nir.validate": (
        closed({"nir": text("the NIR as given, any text")}),
        closed({"nir": text("the canonical NIR, equal to the input (VDC-NIR-003)")}),
        "validates a NIR (VDC-NIR-005)",
    ),
    "credential.verify": (
        closed(
            {
                "presentation": hex_bytes("the Presentation in DER"),
                "trustAnchor": hex_bytes(f"the issuing root, {_DER_CERT}"),
                "now": _NOW,
                "statusList": hex_bytes("a signed StatusList in DER, checked when given"),
                "requested": array(
                    ELEMENT_ID,
                    "the identifiers the reader requested; absent: no request is checked,"
                    " empty: the reader requested nothing (VDC-CRED-056)",
                    maxItems=32,
                ),
                "binding": closed(
                    {
                        "message": hex_bytes(
                            "the exact bytes the device signed; SHA-256 is applied by"
                            " the ECDSA verification (VDC-CRED-046)"
                        ),
                        "signature": hex_bytes(
                            "the device signature, r || s (VDC-SM-004)", min_bytes=64, max_bytes=64
                        ),
                    },
                    description="a device signature to check with the credential's device key",
                ),
            },
            ["presentation", "trustAnchor", "now"],
        ),
        closed(
            {
                "elements": elements("the disclosed element values, by identifier"),
                "revocationChecked": boolean("true when a status list was checked"),
                "serial": hex_bytes("the credential's serial", min_bytes=16, max_bytes=16),
            }
        ),
        "verifies a presentation (VDC-CRED-041..053)",
    ),
    "credential.status_list": (
        closed({"statusList": hex_bytes("a signed StatusList in DER")}),
        closed(
            {
                "listId": integer("the list identifier", minimum=0, maximum=4294967295),
                "size": integer("the number of indices", minimum=8, maximum=1048576),
                "revoked": array(
                    integer("a revoked index", minimum=0),
                    "the revoked indices, ascending",
                    uniqueItems=True,
                ),
                "encoding": hex_bytes(
                    "the whole signed StatusList (TBS, signature, chain) encoded again from "
                    "the decoded values; no signature or chain is checked"
                ),
            }
        ),
        "decodes a status list and encodes it again (VDC-CRED-054)",
    ),
    "pki.validate": (
        closed(
            {
                "leaf": hex_bytes(f"the end-entity certificate, {_DER_CERT}"),
                "intermediates": array(
                    hex_bytes(_DER_CERT), "candidate intermediates, any order", maxItems=8
                ),
                "anchor": hex_bytes(f"the trust anchor, {_DER_CERT}"),
                "purpose": described(
                    {"enum": ["DOCUMENT_SIGNING", "STATUS_LIST_SIGNING", "READER_AUTHENTICATION"]},
                    "the key purpose the leaf must have (VDC-PKI-023)",
                ),
                "now": _NOW,
            }
        ),
        closed(
            {
                "pathLength": integer(
                    "the number of certificates of the validated path, leaf and anchor"
                    " included (VDC-PKI-028)",
                    minimum=2,
                    maximum=4,
                )
            }
        ),
        "validates a certification path (VDC-PKI-020..024)",
    ),
    "pki.reader_authorisation": (
        closed({"value": hex_bytes("the DER value of the readerAuthorisation extension")}),
        closed(
            {
                "rpps": RPPS,
                "profession": text("a profession code of VDC-PKI-032", pattern="^[0-9]{2}$"),
                "allowedElements": array(
                    ELEMENT_ID, "allowed identifiers, ascending", minItems=1, maxItems=32
                ),
            }
        ),
        "decodes the reader-authorisation extension (VDC-PKI-030..033)",
    ),
    "holder.setup": (
        closed({"readerRoot": hex_bytes(f"the reader root the holder trusts, {_DER_CERT}")}),
        closed(
            {
                "issuingRoot": hex_bytes(f"the issuing root of the credential, {_DER_CERT}"),
                "elements": array(
                    ELEMENT_ID, "the identifiers the credential holds, ascending", maxItems=16
                ),
            }
        ),
        "provisions the typical synthetic credential (VDC-HARN-010)",
    ),
    "holder.arm": (
        closed({"now": instant("the instant the holder unlocks; the window starts there")}),
        _EMPTY,
        "arms the presentation for 60 s (VDC-NFC-112)",
    ),
    "holder.transmit": (
        closed({"apdu": hex_bytes("a command APDU"), "now": _NOW}),
        closed({"response": hex_bytes("the response APDU: data and status word", min_bytes=2)}),
        "one command APDU through the holder (VDC-NFC-042)",
    ),
    "holder.events": (
        _EMPTY,
        closed({"events": array(HOLDER_EVENT, "the events since the last call, oldest first")}),
        "drains the events the app files (VDC-NFC-130, VDC-NFC-131)",
    ),
    "holder.field_off": (_EMPTY, _EMPTY, "the field drops or the card is reset (VDC-NFC-062)"),
    "holder.restart": (_EMPTY, _EMPTY, "the app is killed and opened again (VDC-HARN-007)"),
    "pin.check": (
        closed(
            {
                "code": _CODE,
                "birthDate": text(
                    "the holder's birth date, 8 ASCII digits YYYYMMDD (VDC-PIN-006)",
                    pattern="^[0-9]{8}$",
                ),
                "confirmation": text("the second entry (VDC-PIN-008); absent: equal to code"),
            },
            ["code"],
        ),
        _EMPTY,
        "checks a code against the choice policy (VDC-PIN-005)",
    ),
    "pin.provision": (
        closed({"code": _CODE, "now": _NOW}),
        _EMPTY,
        "sets the personal code of a new holder (VDC-PIN-008, VDC-PIN-020)",
    ),
    "pin.unlock": (
        closed({"code": _CODE, "now": _NOW}),
        closed(
            {
                "outcome": described(
                    {"enum": ["unlocked", "wrong-code", "blocked"]}, "VDC-PIN-015"
                ),
                "triesRemaining": integer("tries left after the attempt", minimum=0, maximum=5),
                "statusWord": text("9000, 63Cx or 6983 (VDC-PIN-015)", pattern="^[0-9A-F]{4}$"),
            }
        ),
        "one unlock attempt (VDC-PIN-012..017)",
    ),
    "pin.armed": (
        closed({"now": _NOW}),
        closed({"armed": boolean("whether a presentation at `now` is armed (VDC-PIN-017)")}),
        "reads the presentation window",
    ),
    "pin.verifier": (
        closed(
            {
                "code": _CODE,
                "salt": hex_bytes("the salt", min_bytes=16, max_bytes=16),
                "memoryKiB": integer("Argon2id memory in KiB", minimum=8),
                "iterations": integer("Argon2id passes", minimum=1),
                "lanes": integer("Argon2id lanes", minimum=1),
            }
        ),
        closed({"digest": hex_bytes("the 32-byte Argon2id output", min_bytes=32, max_bytes=32)}),
        "derives a verifier (VDC-PIN-009)",
    ),
    "history.record_presentation": (
        closed(
            {
                "readerRpps": text(
                    "the reader's RPPS number; the holder refuses one that is not 11 digits "
                    "(VDC-HIST-009)"
                ),
                "elements": array(
                    integer("an element identifier; the holder refuses one outside 1..127"),
                    "the identifiers disclosed",
                ),
                "at": instant("when the presentation happened"),
                "now": _NOW,
            }
        ),
        _EMPTY,
        "records a presentation as the app does on Presented (VDC-HIST-001)",
    ),
    "history.record_receipt": (
        closed(
            {
                "practitionerRpps": text(
                    "the practitioner's RPPS number; 11 digits or refused (VDC-HIST-009)"
                ),
                "act": text(
                    "act code; the holder refuses one that is not 1 to 32 printable ASCII "
                    "characters (VDC-HIST-009)"
                ),
                "amountCents": integer(
                    "amount in euro cents; the holder refuses one outside 0..2^32 - 1"
                ),
                "at": instant("when the receipt was filed"),
                "now": _NOW,
            }
        ),
        _EMPTY,
        "records a receipt as the app does on ReceiptFiled (VDC-HIST-002)",
    ),
    "history.list": (
        closed({"now": _NOW}),
        closed(
            {"entries": array(HISTORY_ENTRY, "the visible entries in the order of VDC-HIST-020")}
        ),
        "the history shown to the holder (VDC-HIST-003)",
    ),
    "reader.setup": (
        closed(
            {
                "trustAnchor": hex_bytes(f"the issuing root the reader trusts, {_DER_CERT}"),
                "statusList": hex_bytes("a signed StatusList the reader checks every read"),
            },
            ["trustAnchor"],
        ),
        closed({"readerRoot": hex_bytes(f"the reader root the holder must trust, {_DER_CERT}")}),
        "configures the reader under test",
    ),
    "reader.read": (
        closed(
            {
                "requested": _REQUESTED,
                "now": _NOW,
                "extended": boolean(
                    "true (the default): extended APDUs; false: short APDUs with chaining"
                    " and GET RESPONSE (VDC-NFC-201)"
                ),
                "receipt": closed(
                    {
                        "act": text("act code of the receipt (VDC-SM-040)"),
                        "amountCents": integer(
                            "amount in euro cents", minimum=0, maximum=4294967295
                        ),
                        "at": instant("date and time of the act"),
                    },
                    description="a billing receipt to file after the read (VDC-SM-040)",
                ),
                "card": described(
                    {
                        "oneOf": [
                            tagged(
                                "transport",
                                "pcsc",
                                {"reader": text("the PC/SC reader that holds the suite's card")},
                                "the suite's card is a vpcd card in a PC/SC reader",
                            ),
                            tagged(
                                "transport",
                                "nfc",
                                {"path": text("the nfcpy device path of the suite's card")},
                                "the suite's card is emulated on an NFC device",
                            ),
                        ]
                    },
                    "where the reader under test finds the suite's card; the read then "
                    "travels over that transport, not as transmit messages (VDC-HARN-050)",
                ),
            },
            ["requested", "now"],
        ),
        closed(
            {
                "elements": elements("the element values the read obtained, by identifier"),
                "receiptAcknowledged": boolean(
                    "with a receipt: whether the holder acknowledged it (false when the "
                    "reader files no receipts)"
                ),
            },
            ["elements"],
        ),
        "one read; the APDUs travel as transmit messages (VDC-NFC-200)",
    ),
    "transport.now": (
        closed({"now": instant("the instant the emulated holder takes its next APDUs at")}),
        _EMPTY,
        "control channel of an emulated holder behind a reader only (VDC-TRN-041)",
    ),
    "enrolment.setup": (
        closed(
            {
                "seed": text("opaque; it may seed the service's randomness (VDC-HARN-011)"),
                "persistent": boolean("keep the state under VDC_IUT_STORE (VDC-HARN-007)"),
            },
            [],
        ),
        _EMPTY,
        "a fresh service over the published accounts and policy (VDC-HARN-011)",
    ),
    "enrolment.restart": (_EMPTY, _EMPTY, "the service is killed and started again"),
    "enrolment.start": (
        closed({"event": ENROLMENT_EVENT, "now": _NOW}),
        closed({"id": _ID, "state": STATE, "messages": MESSAGES}),
        "applies a StartEnrolment (VDC-ENR-010)",
    ),
    "enrolment.handle": (
        closed({"id": _ID, "event": ENROLMENT_EVENT, "now": _NOW}),
        closed({"state": STATE, "messages": MESSAGES}),
        "applies one event to an enrolment (VDC-ENR-001)",
    ),
    "enrolment.observe": (
        closed({"id": _ID}),
        closed(
            {
                "state": STATE,
                "captures": integer("captures kept now (VDC-ENR-070)", minimum=0),
                "codeMails": integer("code e-mails sent for this enrolment", minimum=0),
                "latestCode": described(
                    {"type": ["string", "null"], "pattern": "^[0-9]{6}$"},
                    "the code of the latest code e-mail, null when none was sent",
                ),
            }
        ),
        "what the person and the mailbox see",
    ),
    "enrolment.mailbox": (
        closed({"id": _ID}),
        closed({"mails": array(MAIL, "every e-mail of the enrolment, in sending order")}),
        "the e-mails delivered (VDC-ENR-005)",
    ),
}

ENROLMENT_REASONS = [
    "event-out-of-order",
    "nir-invalid",
    "no-insurance-account",
    "no-carte-vitale",
    "under-minimum-age",
    "os-not-supported",
    "enrolment-in-progress",
    "route-not-open",
    "document-not-accepted",
    "department-not-open",
    "assertion-invalid",
    "identity-mismatch",
    "card-not-modern",
    "code-malformed",
    "no-active-code",
    "code-expired",
    "code-quota-exceeded",
    "locked",
    "capture-sides-missing",
    "unknown-enrolment",
]
CREDENTIAL_ERRORS = [
    "CredentialEncodingError",
    "CredentialFormatError",
    "UnsupportedVersionError",
    "UnsupportedAlgorithmError",
    "DeviceKeyError",
    "ElementOrderError",
    "MissingElementError",
    "CertificateChainError",
    "IssuerSignatureError",
    "CredentialExpiredError",
    "CredentialNotYetValidError",
    "DisclosureError",
    "DigestMismatchError",
    "StatusListError",
    "CredentialRevokedError",
    "DeviceBindingError",
]
PKI_ERRORS = [
    "CertificateFormatError",
    "PathError",
    "ValidityError",
    "SignatureError",
    "BasicConstraintsError",
    "KeyUsageError",
    "CriticalExtensionError",
]

ERROR_KINDS: dict[str, list[str]] = {
    "nir.validate": [
        "length",
        "format",
        *(
            f"component:{c}"
            for c in ("sex", "month", "department", "commune", "country", "order", "key")
        ),
        "checksum",
    ],
    "credential.verify": CREDENTIAL_ERRORS,
    "credential.status_list": ["CredentialEncodingError", "StatusListError"],
    "pki.validate": PKI_ERRORS,
    "pki.reader_authorisation": ["AuthorisationError"],
    "pin.check": ["format", "weak", "mismatch"],
    "pin.provision": ["format", "weak"],
    "pin.unlock": ["format"],
    "pin.verifier": ["format"],
    "reader.read": ["rejected"],
    "enrolment.start": ENROLMENT_REASONS,
    "enrolment.handle": ENROLMENT_REASONS,
    "enrolment.observe": ["unknown-enrolment"],
    "enrolment.mailbox": ["unknown-enrolment"],
}
"""Error kinds per operation, besides bad_request, not_set_up and internal (VDC-HARN-005)."""
