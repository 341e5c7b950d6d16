"""JSON forms shared by several operations: element values, holder events, history
entries, enrolment events and e-mails (spec chapters VDC-CRED, VDC-NFC, VDC-HIST, VDC-ENR).

Each is a closed schema; tagged unions carry their tag first (`type` for holder events
and history entries, `event` for enrolment events, `kind` for e-mails).
"""

from __future__ import annotations

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
    optional,
    tagged,
    text,
)

# --- element values (spec chapter VDC-CRED, "JSON form of element values") -------------

_NIR = text(
    "a NIR in canonical form (15 characters, VDC-NIR-003)", pattern="^[0-9]{5}[0-9AB][0-9]{9}$"
)
_NAME = text("UTF-8 text of 1 to 64 characters in NFC (VDC-CRED-021)", minLength=1, maxLength=64)
_BIRTH_DATE = text(
    "8 digits YYYYMMDD, lunar dates kept as encoded (VDC-CRED-022)", pattern="^[0-9]{8}$"
)
_CALENDAR = "a calendar date YYYYMMDD (VDC-CRED-026)"
_PERIOD = closed(
    {
        "start": text(f"first day, {_CALENDAR}", pattern="^[0-9]{8}$"),
        "end": text(f"last day, {_CALENDAR}", pattern="^[0-9]{8}$"),
    },
    description="a rights period (VDC-CRED-026)",
)
_RANK = integer("birth rank, 1 to 9 (VDC-CRED-023)", minimum=1, maximum=9)
_QUALITY = integer("beneficiary quality code, 0 to 9 (VDC-CRED-024)", minimum=0, maximum=9)
_MINOR = closed(
    {
        "nir": _NIR,
        "family_name": _NAME,
        "given_names": _NAME,
        "birth_date": _BIRTH_DATE,
        "birth_rank": _RANK,
        "quality": _QUALITY,
    },
    description="an attached minor; members are the short names of the matching elements",
)

ELEMENT_VALUES: dict[str, Schema] = {
    "1": described(_NIR, "element 1, nir: the holder's NIR"),
    "2": described(_NAME, "element 2, family_name"),
    "3": described(_NAME, "element 3, given_names"),
    "4": described(_BIRTH_DATE, "element 4, birth_date"),
    "5": described(_RANK, "element 5, birth_rank"),
    "6": described(_QUALITY, "element 6, quality"),
    "7": closed(
        {
            "regime": text("regime, exactly 2 digits", pattern="^[0-9]{2}$"),
            "caisse": text("caisse, exactly 3 digits", pattern="^[0-9]{3}$"),
            "centre": text("centre, exactly 4 digits", pattern="^[0-9]{4}$"),
        },
        description="element 7, affiliation (VDC-CRED-025)",
    ),
    "8": array(_PERIOD, "element 8, rights: 1 to 8 periods", minItems=1, maxItems=8),
    "9": array(
        closed(
            {
                "organisation": text(
                    "AMC organisation number, 8 to 10 digits", pattern="^[0-9]{8,10}$"
                ),
                "period": _PERIOD,
            },
            description="a complementary cover (VDC-CRED-027)",
        ),
        "element 9, complementary: 1 to 4 covers",
        minItems=1,
        maxItems=4,
    ),
    "10": array(_MINOR, "element 10, minors: 1 to 8 attached minors", minItems=1, maxItems=8),
}


def elements(description: str) -> Schema:
    """Element values keyed by the decimal element identifier; only those disclosed."""
    return closed(ELEMENT_VALUES, [], description=description)


# --- holder events (VDC-NFC-130, VDC-NFC-131) -------------------------------------------

_ELEMENT_LIST = array(
    ELEMENT_ID,
    "the identifiers of the elements disclosed, in ascending order (VDC-CRED-016)",
    maxItems=32,
)
HOLDER_EVENT: Schema = described(
    {
        "oneOf": [
            tagged(
                "type",
                "Presented",
                {
                    "readerRpps": described(RPPS, "the RPPS number of the reader's certificate"),
                    "elements": _ELEMENT_LIST,
                    "at": instant("the `now` of the READ ELEMENTS command"),
                },
                "a completed READ ELEMENTS (VDC-NFC-130)",
            ),
            tagged(
                "type",
                "ReceiptFiled",
                {
                    "readerRpps": described(RPPS, "the RPPS number of the reader's certificate"),
                    "receipt": closed(
                        {
                            "at": instant("the date and time of the act (receipt tag 80), UTC"),
                            "practitionerRpps": described(RPPS, "receipt tag 81"),
                            "act": text("act code, receipt tag 82", minLength=1, maxLength=16),
                            "amountCents": integer(
                                "amount in euro cents, receipt tag 83",
                                minimum=0,
                                maximum=4294967295,
                            ),
                        },
                        description="the decoded receipt body (VDC-SM-040)",
                    ),
                    "signed": hex_bytes("the FILE RECEIPT plaintext: 70 L body || 9E 40 signature"),
                    "sessionHash": hex_bytes(
                        "the session hash TH (VDC-SM-020)", min_bytes=32, max_bytes=32
                    ),
                    "at": instant("the `now` of the FILE RECEIPT command"),
                },
                "an acknowledged billing receipt (VDC-NFC-131)",
            ),
        ]
    },
    "an event of the holder core, in the order the commands produced them",
)

# --- history entries (VDC-HIST-001, VDC-HIST-002, VDC-HIST-020) -------------------------

HISTORY_ENTRY: Schema = described(
    {
        "oneOf": [
            tagged(
                "type",
                "Presentation",
                {
                    "readerRpps": described(RPPS, "the reader's practitioner"),
                    "elements": array(
                        ELEMENT_ID, "the identifiers of the elements disclosed", maxItems=32
                    ),
                    "at": instant("when the presentation happened, UTC"),
                },
                "a presentation to a reader",
            ),
            tagged(
                "type",
                "Receipt",
                {
                    "practitionerRpps": described(RPPS, "the practitioner who filed the receipt"),
                    "act": text(
                        "act code, 1 to 32 printable ASCII characters",
                        pattern="^[ -~]{1,32}$",
                    ),
                    "amountCents": integer("amount in euro cents", minimum=0, maximum=4294967295),
                    "at": instant("when the receipt was filed, UTC"),
                },
                "a billing receipt (a payment)",
            ),
        ]
    },
    "one history entry; no other member is allowed (VDC-HIST-005)",
)

# --- enrolment (VDC-ENR-004, VDC-ENR-005) -----------------------------------------------

_MEDIA = hex_bytes("the captured media, 1 byte to 1 MiB", min_bytes=1, max_bytes=1 << 20)
_USABLE = boolean("the app's quality check: false counts an unusable capture (VDC-ENR-035)")


def _event(name: str, description: str, members: dict[str, Schema] | None = None) -> Schema:
    return tagged("event", name, members or {}, description)


ENROLMENT_EVENT: Schema = described(
    {
        "oneOf": [
            _event(
                "StartEnrolment",
                "the app asks to enrol a NIR on this phone (VDC-ENR-010)",
                {
                    "nir": text("the NIR as typed, 1 to 32 characters", minLength=1, maxLength=32),
                    "deviceOs": described({"enum": ["android", "ios"]}, "the phone's system"),
                    "osVersion": integer("its major version", minimum=0, maximum=999),
                    "devicePublicKey": described(
                        {"type": "string", "pattern": "^04([0-9A-Fa-f]{2}){64}$"},
                        "the phone's P-256 key, uncompressed point (65 bytes) in hex",
                    ),
                },
            ),
            _event("ChooseFranceIdentite", "the person picks the France Identité route"),
            _event(
                "FranceIdentiteAsserted",
                "France Identité's assertion relayed by the app (VDC-ENR-023)",
                {"assertion": hex_bytes("tag || body (VDC-ENR-023)", min_bytes=1, max_bytes=4096)},
            ),
            _event(
                "ChooseDocument",
                "the person picks the identity-document route with this document",
                {
                    "document": text(
                        "a document identifier of the policy (VDC-ENR-011)",
                        pattern="^[a-z][a-z0-9-]{1,40}$",
                    )
                },
            ),
            _event("RequestNewCode", "the person asks for a new e-mailed code"),
            _event(
                "SubmitCode",
                "the person types the e-mailed code",
                {"code": text("the code as typed, at most 16 characters", maxLength=16)},
            ),
            _event(
                "SubmitDocumentVideo",
                "a video of the document",
                {
                    "sides": array(
                        described({"enum": ["front", "back", "photo-page"]}, "a side shown"),
                        "the sides the video shows, each once",
                        minItems=1,
                        maxItems=3,
                        uniqueItems=True,
                    ),
                    "usable": _USABLE,
                    "media": _MEDIA,
                },
            ),
            _event(
                "SubmitFaceCapture",
                "a photo or short video of the face",
                {
                    "kind": described({"enum": ["photo", "video"]}, "photo or video"),
                    "usable": _USABLE,
                    "media": _MEDIA,
                },
            ),
            _event("PersonalCodeSet", "the app reports the personal code set (VDC-ENR-040)"),
            _event(
                "VerificationDecided",
                "the identity-proofing service decided (VDC-ENR-050)",
                {
                    "approved": boolean("true for a positive decision"),
                    "reason": optional(
                        text("why, for the rejection e-mail; empty by default", maxLength=200)
                    ),
                },
            ),
            _event("FirstUnlock", "the holder opened the app with the personal code (VDC-ENR-052)"),
            _event("Tick", "time passed: deadlines are evaluated at `now` (VDC-ENR-060)"),
            _event("Cancel", "the person cancels (VDC-ENR-063)"),
        ]
    },
    "an enrolment event in its JSON form (VDC-ENR-004)",
)

STATES = [
    "ROUTE_CHOICE",
    "FI_ASSERTION",
    "CODE_SENT",
    "LOCKED",
    "DOCUMENT_CAPTURE",
    "FACE_CAPTURE",
    "PIN_SETUP",
    "VERIFICATION_PENDING",
    "APPROVED",
    "ACTIVE",
    "REPLACED",
    "REJECTED",
    "EXPIRED",
    "ABANDONED",
    "CANCELLED",
]
STATE = described({"enum": STATES}, "the enrolment's state after the event (VDC-ENR-001)")
MAIL_KINDS = ["code", "approved", "rejected", "expired"]
MESSAGES = array(
    described(
        {"enum": [*MAIL_KINDS, "verification-request"]},
        "an outgoing message kind (VDC-ENR-005)",
    ),
    "the kinds of the messages the event wrote, in writing order",
)
MAIL: Schema = described(
    {
        "oneOf": [
            tagged(
                "kind",
                "code",
                {
                    "to": text("the recipient's address"),
                    "code": text("the one-time code the e-mail carries", pattern="^[0-9]{6}$"),
                },
                "a one-time code e-mail (VDC-ENR-031)",
            ),
            closed(
                {
                    "kind": described({"enum": MAIL_KINDS[1:]}, "the decision announced"),
                    "to": text("the recipient's address"),
                },
                description="a decision e-mail (VDC-ENR-051)",
            ),
        ]
    },
    "one e-mail as delivered (VDC-ENR-005)",
)
