"""Golden NFC transcripts (vectors/nfc/transcripts.json), from fixed seeds and clock.

Each vector is a complete exchange with a fresh holder core: the seed of the holder's
ephemeral keys, `now`, the presence deadline, every C-APDU with the R-APDU the holder
must return, the final state and the elements disclosed. The sample world (test PKI,
credential, reader certificates) is rebuilt from the group's `worldSeed`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tools.vectorgen._wycheproof import HEX, Flag, document, schema
from tools.vectorgen.nfc_script import WINDOW, Script
from vitale_ref.apdu import AID, INS, MAX_COMMAND_DATA
from vitale_ref.holder.samples import SampleWorld, sample_world
from vitale_ref.pki import generate_test_pki
from vitale_ref.randomness import p256_private_key, seeded_random
from vitale_ref.reader import Handshake, ReaderIdentity, handshake, signed_receipt
from vitale_ref.sm import Receipt

WORLD_SEED = "vdc-nfc"
TYPICAL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
Scenario = Callable[[SampleWorld], dict[str, Any]]

NOTES = {
    "Nominal": Flag(
        bug_type="FUNCTIONALITY",
        description="A complete authenticated read.",
        requirement="VDC-NFC-200",
    ),
    "ShortApdu": Flag(
        bug_type="FUNCTIONALITY",
        description="Short APDUs only: command chaining and GET RESPONSE.",
        requirement="VDC-NFC-201",
    ),
    "NoPresence": Flag(
        bug_type="MISSING_STEP",
        description="The holder did not arm the presentation, or the window "
        "ended; the read is refused with 6982.",
        requirement="VDC-NFC-111",
    ),
    "UnauthorisedElement": Flag(
        bug_type="AUTHORISATION",
        description="The request names elements the reader "
        "certificate does not allow; only the intersection is "
        "disclosed.",
        requirement="VDC-NFC-110",
    ),
    "BadReaderCertificate": Flag(
        bug_type="AUTHENTICATION",
        description="Reader chain or signature invalid: 6300 and the session ends.",
        requirement="VDC-SM-012",
    ),
    "TamperedCiphertext": Flag(
        bug_type="INTEGRITY",
        description="A protected command was altered: 6988, session ended, nothing disclosed.",
        requirement="VDC-SM-034",
    ),
    "Replay": Flag(
        bug_type="INTEGRITY",
        description="A protected command replayed or reordered: 6988.",
        requirement="VDC-SM-034",
    ),
    "WrongAid": Flag(
        bug_type="SELECTION",
        description="SELECT of another application.",
        requirement="VDC-NFC-020",
    ),
    "ChainingAbuse": Flag(
        bug_type="RESOURCE",
        description="Chains beyond the buffer, broken "
        "chains, chaining on commands that do not allow it.",
        requirement="VDC-NFC-051",
    ),
    "MalformedApdu": Flag(
        bug_type="PARSING",
        description="Wrong lengths, class, instruction or parameters.",
        requirement="VDC-NFC-042",
    ),
    "OutOfOrder": Flag(
        bug_type="STATE",
        description="A valid command in the wrong state.",
        requirement="VDC-NFC-060",
    ),
    "LeanTap": Flag(
        bug_type="FUNCTIONALITY",
        description="Version 2: the reader chain by reference to a holder that "
        "remembers it, the document signer by reference in the presentation.",
        requirement="VDC-SM-060",
    ),
    "UnknownReference": Flag(
        bug_type="FUNCTIONALITY",
        description="Version 2: a reader reference the holder does not remember is "
        "answered 6A88 and the session stays SELECTED for the chain.",
        requirement="VDC-SM-062",
    ),
    "SignerChain": Flag(
        bug_type="FUNCTIONALITY",
        description="Version 2: GET SIGNER CHAIN returns the chain the compact "
        "presentation names; 6985 in a version 1 session.",
        requirement="VDC-NFC-073",
    ),
    "VersionNotOffered": Flag(
        bug_type="FUNCTIONALITY",
        description="ESTABLISH SESSION with a version the FCI did not offer: 6A81.",
        requirement="VDC-NFC-072",
    ),
    "BadReceipt": Flag(
        bug_type="AUTHENTICATION",
        description="A receipt with a bad signature "
        "or another practitioner's number is not acknowledged.",
        requirement="VDC-SM-041",
    ),
}


def _script(world: SampleWorld, label: str, armed: bool = True) -> Script:
    return Script(world, label, world.now, world.now + WINDOW if armed else None)


def _receipt(world: SampleWorld, rpps: str | None = None) -> Receipt:
    return Receipt(time=world.now, rpps=rpps or world.rpps(), act="G", amount_cents=3000)


def nominal(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "nominal")
    hs = s.establish()
    s.read(hs, TYPICAL)
    plaintext = signed_receipt(hs, world.reader(), _receipt(world))
    s.apdu(0x80, INS.RECEIPT, s.sealed(hs, INS.RECEIPT, plaintext), ne=256)
    return s.vector("typical credential to a doctor, with receipt", ["Nominal"], "valid")


def short_apdus(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "short")
    fci = s.select()
    hs = handshake(fci, world.reader(), seeded_random(s.reader_seed()))
    data = hs.establish
    for start in range(0, len(data), 255):
        part = data[start : start + 255]
        last = start + 255 >= len(data)
        s.apdu(0x80 if last else 0x90, INS.ESTABLISH, part)
    reply = s.read(hs, TYPICAL, extended=False)
    while reply.sw1 == 0x61:
        reply = s.apdu(0x00, INS.GET_RESPONSE, ne=reply.sw2 or 256)
    return s.vector("short APDUs, chained ESTABLISH, GET RESPONSE", ["ShortApdu"], "valid")


def no_presence(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "no-presence", armed=False)
    s.read(s.establish(), TYPICAL)
    return s.vector("presentation not armed: 6982", ["NoPresence"], "invalid")


def window_ended(world: SampleWorld) -> dict[str, Any]:
    s = Script(world, "window-ended", world.now, world.now)
    s.read(s.establish(), TYPICAL)
    return s.vector("now equals the end of the window: 6982", ["NoPresence"], "invalid")


def unauthorised(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "unauthorised")
    s.read(s.establish("nurse"), TYPICAL)
    return s.vector(
        "nurse asks for every element; only its allowed ones are disclosed",
        ["UnauthorisedElement"],
        "acceptable",
    )


def nothing_allowed(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "nothing-allowed")
    s.read(s.establish("nurse"), [5, 6])
    return s.vector(
        "nurse asks only for elements it may not read: 6A88", ["UnauthorisedElement"], "invalid"
    )


def untrusted_reader(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "untrusted-reader")
    other = generate_test_pki("vdc-nfc/other-reader-root").readers["doctor"]
    hs = s.establish(identity=ReaderIdentity(chain=(other.der,), key=other.private_key))
    s.read(hs, TYPICAL)
    return s.vector(
        "reader certificate from another root: 6300, then READ 6985",
        ["BadReaderCertificate"],
        "invalid",
    )


def forged_signature(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "forged-signature")
    forger = p256_private_key(seeded_random("vdc-nfc/vectors/forger"))
    s.read(s.establish(sign_with=forger), TYPICAL)
    return s.vector(
        "reader signature by a key other than the certificate's: 6300",
        ["BadReaderCertificate"],
        "invalid",
    )


def tampered(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "tampered")
    hs = s.establish()
    sealed = bytearray(s.sealed(hs, INS.READ, bytes([0x5C, 1, 1])))
    sealed[0] ^= 0x01
    s.apdu(0x80, INS.READ, bytes(sealed), ne=256)
    s.read(hs, TYPICAL)
    return s.vector(
        "one ciphertext bit flipped: 6988, then the session is gone (6985)",
        ["TamperedCiphertext"],
        "invalid",
    )


def replay(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "replay")
    first = s.establish(suffix="/1")
    old = s.sealed(first, INS.READ, bytes([0x5C, 1, 2]))
    s.apdu(0x80, INS.READ, old, ne=256)
    s.establish(suffix="/2")
    s.apdu(0x80, INS.READ, old, ne=256)
    return s.vector(
        "READ of a previous session replayed into a new one: 6988", ["Replay"], "invalid"
    )


def reorder(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "reorder")
    hs = s.establish()
    hs.channel.advance()
    s.read(hs, TYPICAL)
    return s.vector("READ sealed with exchange counter 2 sent first: 6988", ["Replay"], "invalid")


def wrong_aid(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "wrong-aid")
    s.select(bytes.fromhex("A0000000031010"))
    s.apdu(0x80, INS.ESTABLISH, bytes(10))
    s.select(ne=10)
    return s.vector(
        "SELECT of a payment AID: 6A82; ESTABLISH then 6985; short Le: 6C57",
        ["WrongAid", "OutOfOrder"],
        "invalid",
    )


def chaining_abuse(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "chaining")
    s.select()
    for _ in range(MAX_COMMAND_DATA // 255 + 1):
        s.apdu(0x90, INS.ESTABLISH, bytes(255))
    s.apdu(0x90, INS.ESTABLISH, bytes(16))
    s.apdu(0x00, INS.GET_RESPONSE, ne=256)
    s.apdu(0x10, INS.SELECT, AID, p1=4, ne=256)
    s.apdu(0x80, INS.ESTABLISH, bytes(MAX_COMMAND_DATA + 1), extended=True)
    return s.vector(
        "chain beyond 4096 bytes (6A84), broken chain (6883), chained SELECT "
        "(6884), oversized extended APDU (6A84)",
        ["ChainingAbuse"],
        "invalid",
    )


def malformed(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "malformed")
    for raw in (
        "00a4",
        "00a4040007f0564954414c",
        "00a4040007f0564954414c45",
        "00a4040000000700",
        "7fa4040000",
        "00ff000000",
        "80a4040000",
        "00a4040107f0564954414c4500",
        "80cb000000",
        "00c0000000",
    ):
        s.send(bytes.fromhex(raw))
    s.select()
    s.apdu(0x80, INS.ESTABLISH, bytes.fromhex("8001ff"))
    return s.vector(
        "truncated, wrong Lc, missing Le, bad class, INS, P1-P2, out of order, "
        "malformed ESTABLISH data",
        ["MalformedApdu", "OutOfOrder"],
        "invalid",
    )


def bad_receipt(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "bad-receipt")
    hs = s.establish()
    s.read(hs, TYPICAL)
    other = world.reader("pharmacist")
    forged = signed_receipt(hs, other, _receipt(world))
    s.apdu(0x80, INS.RECEIPT, s.sealed(hs, INS.RECEIPT, forged), ne=256)
    hs.channel.advance()
    wrong_rpps = signed_receipt(hs, world.reader(), _receipt(world, world.rpps("nurse")))
    s.apdu(0x80, INS.RECEIPT, s.sealed(hs, INS.RECEIPT, wrong_rpps), ne=256)
    return s.vector(
        "receipt signed by another reader (6300), for another RPPS (6A80)",
        ["BadReceipt"],
        "invalid",
    )


def _signer_chain(s: Script, hs: Handshake) -> None:
    s.apdu(0x80, INS.GET_SIGNER_CHAIN, s.sealed(hs, INS.GET_SIGNER_CHAIN, b""), ne=65536)
    hs.channel.advance()


def lean_tap(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "lean-tap")
    first = s.establish(version=2, suffix="/1")
    s.read(first, TYPICAL)
    hs = s.establish(version=2, by_reference=True, suffix="/2")
    s.read(hs, TYPICAL)
    _signer_chain(s, hs)
    plaintext = signed_receipt(hs, world.reader(), _receipt(world))
    s.apdu(0x80, INS.RECEIPT, s.sealed(hs, INS.RECEIPT, plaintext), ne=256)
    return s.vector(
        "version 2: a session with the chain, then one by reference with a compact "
        "presentation, GET SIGNER CHAIN and a receipt",
        ["LeanTap", "SignerChain"],
        "valid",
    )


def unknown_reference(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "unknown-reference")
    fci = s.select()
    reader = world.reader()
    by_reference = handshake(
        fci, reader, seeded_random(s.reader_seed("/1")), version=2, by_reference=True
    )
    s.apdu(0x80, INS.ESTABLISH, by_reference.establish, extended=True)
    hs = handshake(fci, reader, seeded_random(s.reader_seed("/2")), version=2)
    s.apdu(0x80, INS.ESTABLISH, hs.establish, extended=True)
    s.read(hs, TYPICAL)
    return s.vector(
        "version 2: an unknown reader reference (6A88), then the chain in the same "
        "session (9000) and the read",
        ["UnknownReference"],
        "acceptable",
    )


def version_not_offered(world: SampleWorld) -> dict[str, Any]:
    s = _script(world, "version-not-offered")
    fci = s.select()
    reader = world.reader()
    hs = handshake(fci, reader, seeded_random(s.reader_seed("/3")), version=3)
    s.apdu(0x80, INS.ESTABLISH, hs.establish, extended=True)
    s.apdu(0x80, INS.ESTABLISH, bytes.fromhex("800103"))
    v1 = s.establish(suffix="/1")
    s.read(v1, TYPICAL)
    _signer_chain(s, v1)
    return s.vector(
        "ESTABLISH SESSION in version 3 (6A81, whatever follows), then a version 1 "
        "session where GET SIGNER CHAIN is refused (6985)",
        ["VersionNotOffered", "SignerChain"],
        "invalid",
    )


SCENARIOS: tuple[Scenario, ...] = (
    nominal,
    short_apdus,
    no_presence,
    window_ended,
    unauthorised,
    nothing_allowed,
    untrusted_reader,
    forged_signature,
    tampered,
    replay,
    reorder,
    wrong_aid,
    chaining_abuse,
    malformed,
    bad_receipt,
    lean_tap,
    unknown_reference,
    version_not_offered,
)


def build_transcripts() -> dict[str, Any]:
    world = sample_world(WORLD_SEED)
    return document(
        algorithm="VDC-NFC",
        schema="nfc_transcript.schema.json",
        header=[
            "Golden APDU transcripts of the VDC holder core (synthetic data only).",
            "Replay: rebuild the sample world from worldSeed, create a holder whose",
            "ephemeral keys come from seeded_random(holderSeed), arm it until armedUntil",
            "(null: not armed), send each command at `now` and compare each response.",
        ],
        notes=NOTES,
        groups=[{"worldSeed": WORLD_SEED, "tests": [scenario(world) for scenario in SCENARIOS]}],
    )


def build_schema() -> dict[str, Any]:
    exchange = {
        "type": "object",
        "additionalProperties": False,
        "required": ["command", "response"],
        "properties": {"command": HEX, "response": HEX},
    }
    return schema(
        title="VDC NFC golden transcript",
        group_properties={"worldSeed": {"type": "string"}},
        test_properties={
            "holderSeed": {"type": "string"},
            "now": {"type": "string"},
            "armedUntil": {"type": ["string", "null"]},
            "exchanges": {"type": "array", "minItems": 1, "items": exchange},
            "finalState": {"enum": ["idle", "selected", "established", "read-done", "closed"]},
            "disclosed": {
                "type": "array",
                "items": {"type": "array", "items": {"type": "integer"}},
            },
        },
    )


FILES = {
    "nfc/transcripts.json": build_transcripts,
    "schemas/nfc_transcript.schema.json": build_schema,
}
