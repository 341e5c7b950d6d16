"""One fuzz target per decoder family, each enforcing "parses or raises the typed error".

A target takes arbitrary bytes, feeds them to the decoders of its family and returns
normally when every decoder either produced a value or raised the error type the
specification gives it. Anything else propagates: an atheris run reports it as a crash,
a hypothesis test as a failure. The first input byte selects the decoder, so one corpus
covers the whole family.

- `apdu`: C-APDU and R-APDU codec, strict BER-TLV, and the holder core fed the APDU
  (VDC-NFC-010..013, VDC-NFC-030, VDC-NFC-041).
- `der`: the strict DER reader, credential, presentation and status-list decoders, the
  X.509 certificate loader of the PKI module, and a loaded certificate validated as a
  document signer, which parses its key and extensions (VDC-CRED-030, VDC-CRED-031,
  VDC-PKI-003, VDC-PKI-007).
- `sm`: secure-messaging unwrap (AES-GCM open of commands and responses) and the data
  fields behind it, including plaintext sealed with the real session keys of an
  established holder so that the decoders past the tag are reached (VDC-SM-030..040).
- `harn`: the driver protocol, both sides: the suite reading an implementation's
  answer line, and the reference driver reading the suite's request lines (VDC-HARN).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import Any

from conformance import protocol
from conformance.adapters._base import OperationError
from conformance.adapters.stdio import StdioIut
from conformance.driver import Driver
from conformance.driver.__main__ import serve
from conformance.outcomes import IutFailure, NotApplicable
from vitale_ref.apdu import (
    AID,
    INS,
    ApduError,
    CommandApdu,
    ResponseApdu,
    TlvError,
    parse_tlvs,
)
from vitale_ref.credential import (
    CredentialError,
    decode_credential,
    decode_presentation,
    decode_status_list,
)
from vitale_ref.holder import HolderCore
from vitale_ref.holder.samples import SampleWorld, sample_world
from vitale_ref.pki import PKIError, Purpose, load_certificate, validate_chain
from vitale_ref.pki.der import DerError, decode_one
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import Handshake, handshake
from vitale_ref.sm import (
    Establish,
    Fci,
    Receipt,
    SecureChannel,
    SessionKeys,
    SmError,
    decode_read_response,
    decode_request,
    decode_signed_receipt,
)

Target = Callable[[bytes], None]
NO_DIAGNOSIS = 0x6F00
"""The status word the holder answers when an exception escaped its core (a defect)."""


class RuleBrokenError(AssertionError):
    """A rule of the target was broken without an exception (e.g. the holder said 6F00)."""


# --- apdu --------------------------------------------------------------------------------


@cache
def fuzz_world() -> SampleWorld:
    return sample_world("vdc-fuzz")


def armed_holder() -> HolderCore:
    world = fuzz_world()
    holder = world.holder(seeded_random("vdc-fuzz/holder"))
    holder.arm(world.now + timedelta(seconds=60))
    return holder


def _holder_answer(holder: HolderCore, command: bytes) -> bytes:
    answer = holder.respond(command, fuzz_world().now)
    if len(answer) < 2 or int.from_bytes(answer[-2:], "big") == NO_DIAGNOSIS:
        raise RuleBrokenError(f"holder answered {answer.hex()} to {command.hex()}")
    return answer


def apdu(data: bytes) -> None:
    """C-APDU parse (canonical round trip), R-APDU parse, BER-TLV, holder sequences."""
    if not data:
        return
    selector, body = data[0] % 4, data[1:]
    if selector == 0:
        try:
            command = CommandApdu.parse(body)
        except ApduError:
            return
        if command.to_bytes() != body:
            raise RuleBrokenError(f"C-APDU {body.hex()} re-encodes as {command.to_bytes().hex()}")
    elif selector == 1:
        try:
            ResponseApdu.parse(body)
        except ApduError:
            return
    elif selector == 2:
        try:
            parse_tlvs(body)
        except TlvError:
            return
    else:
        # A sequence of C-APDUs, each prefixed by one length byte, to one holder.
        holder = armed_holder()
        position = 0
        while position < len(body):
            size = body[position]
            raw = body[position + 1 : position + 1 + size]
            position += 1 + size
            _holder_answer(holder, raw)


# --- der ---------------------------------------------------------------------------------


def _validated_signer(data: bytes) -> None:
    """A certificate loaded, then validated as a document signer of the fuzz world."""
    world = fuzz_world()
    root = world.pki.issuing_root.certificate
    validate_chain(load_certificate(data), [], root, world.now, Purpose.DOCUMENT_SIGNING)


DER_DECODERS: tuple[tuple[Callable[[bytes], object], type[Exception]], ...] = (
    (decode_one, DerError),
    (decode_credential, CredentialError),
    (decode_presentation, CredentialError),
    (decode_status_list, CredentialError),
    (load_certificate, PKIError),
    (_validated_signer, PKIError),
)
"""The `der` target's decoders and their typed errors, chosen by the first input byte."""


def der_decoder(data: bytes) -> tuple[Callable[[bytes], object], type[Exception], bytes]:
    """The decoder the first byte of `data` selects, its typed error, and its input."""
    decode, typed = DER_DECODERS[data[0] % len(DER_DECODERS)]
    return decode, typed, data[1:]


def der(data: bytes) -> None:
    """Strict DER reader, the credential-family decoders, the certificate loader and the
    path validation of a loaded certificate."""
    if not data:
        return
    decode, typed, body = der_decoder(data)
    try:
        decode(body)
    except typed:
        return


# --- sm ----------------------------------------------------------------------------------

_KEYS = SessionKeys(reader_to_device=bytes(range(32)), device_to_reader=bytes(range(32, 64)))
_DECODERS: tuple[Callable[[bytes], object], ...] = (
    Fci.decode,
    Establish.decode,
    decode_request,
    decode_read_response,
    Receipt.decode,
    decode_signed_receipt,
)


@cache
def _session_script() -> tuple[bytes, bytes, Handshake]:
    """SELECT and ESTABLISH commands that open a session with `armed_holder()`."""
    world = fuzz_world()
    select = CommandApdu(cla=0, ins=INS.SELECT, p1=4, p2=0, data=AID, ne=256).to_bytes()
    fci = ResponseApdu.parse(armed_holder().respond(select, world.now)).data
    hs = handshake(fci, world.reader("doctor"), seeded_random("vdc-fuzz/reader"))
    establish = CommandApdu(
        cla=0x80, ins=INS.ESTABLISH, p1=0, p2=0, data=hs.establish, extended=True
    ).to_bytes()
    return select, establish, hs


def _established() -> tuple[HolderCore, SecureChannel]:
    select, establish, hs = _session_script()
    holder = armed_holder()
    for command in (select, establish):
        answer = ResponseApdu.parse(holder.respond(command, fuzz_world().now))
        if answer.sw != 0x9000:
            raise RuleBrokenError(f"session set-up refused with {answer.sw:04X}")
    return holder, SecureChannel(hs.channel.keys)


def sm(data: bytes) -> None:
    """Unwrap with wrong keys, decode data fields, and send sealed plaintext to a holder."""
    if not data:
        return
    selector, body = data[0] % 8, data[1:]
    if selector < len(_DECODERS):
        try:
            _DECODERS[selector](body)
        except SmError:
            return
    elif selector == 6:
        channel = SecureChannel(_KEYS)
        header, sealed = body[:4].ljust(4, b"\x00"), body[4:]
        for unwrap in (channel.open_command, channel.open_response):
            try:
                unwrap(header, sealed)
            except SmError:
                continue
    else:
        # Plaintext sealed under the genuine keys: the holder must refuse it with a
        # status word, never fail inside (its answers pass through `_holder_answer`).
        holder, channel = _established()
        ins = INS.RECEIPT if body[:1] == b"\xdb" else INS.READ
        sealed = channel.seal_command(bytes([0x80, ins, 0, 0]), body[1:])
        command = CommandApdu(
            cla=0x80, ins=ins, p1=0, p2=0, data=sealed, ne=65536, extended=True
        ).to_bytes()
        _holder_answer(holder, command)


# --- harn --------------------------------------------------------------------------------


def _suite_reads(line: bytes) -> None:
    """The suite reading one answer line of an implementation under test."""
    iut = StdioIut("vdc-fuzz-placeholder")
    iut._lines.put(line)
    try:
        message = iut._receive(1)
        if "transmit" not in message:
            iut._settle("nir.validate", message)
    except (IutFailure, OperationError, NotApplicable):
        return


def _driver_reads(data: bytes) -> None:
    """The reference driver reading request lines; every line it writes is protocol."""
    sink = io.StringIO()
    serve(io.BytesIO(data), sink, Driver())
    for line in sink.getvalue().splitlines():
        answer: Any = json.loads(line)
        protocol.answer_validator().validate(answer)


def harn(data: bytes) -> None:
    """Both readers of the JSON-lines driver protocol (VDC-HARN)."""
    if not data:
        return
    if data[0] % 2 == 0:
        _suite_reads(data[1:])
    else:
        _driver_reads(data[1:])


TARGETS: dict[str, Target] = {"apdu": apdu, "der": der, "sm": sm, "harn": harn}
