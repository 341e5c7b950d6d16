"""ReaderSession: the reader side of VDC as a sans-I/O state machine (VDC-NFC-200..203).

`next_command()` gives the next C-APDU (None when the read is over), `receive()` takes
the holder's R-APDU. Long command data are sent as one extended APDU, or as a chain of
short APDUs when `extended` is false; 61XX responses are collected with GET RESPONSE.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from datetime import datetime

from vitale_ref.apdu import (
    AID,
    CLA_INTERINDUSTRY,
    CLA_PROPRIETARY,
    INS,
    LEAN_VERSION,
    PROTOCOL_VERSIONS,
    SW,
    ApduError,
    CommandApdu,
    ResponseApdu,
    sw_meaning,
)
from vitale_ref.credential import decode_compact
from vitale_ref.errors import VitaleError
from vitale_ref.randomness import RandomSource
from vitale_ref.reader._handshake import Handshake, handshake, signed_receipt
from vitale_ref.reader._ports import (
    PresentationVerifier,
    ReaderError,
    ReaderIdentity,
    ReadResult,
    VerifiedPresentation,
)
from vitale_ref.sm import (
    LABEL_DEVICE_AUTH,
    Fci,
    Receipt,
    SecureChannel,
    SmError,
    decode_read_response,
    decode_signer_chain,
    device_auth_message,
    encode_request,
    verify,
)

Flow = Generator[bytes, bytes, ReadResult]
Verified = VerifiedPresentation
Exchange = Generator[bytes, bytes, bytes]
SHORT_CHUNK = 255
MAX_GET_RESPONSE = 64
"""GET RESPONSE commands given to one response before the read fails (VDC-NFC-203: at
most 200)."""


class ReaderSession:
    """One authenticated read of a holder, optionally followed by a billing receipt."""

    def __init__(
        self,
        *,
        identity: ReaderIdentity,
        requested: Sequence[int],
        verifier: PresentationVerifier,
        random: RandomSource,
        now: datetime,
        receipt: Receipt | None = None,
        extended: bool = True,
        versions: Sequence[int] = PROTOCOL_VERSIONS,
        by_reference: bool = False,
    ) -> None:
        self._versions = tuple(versions)
        self._by_reference = by_reference
        self._identity = identity
        self._requested = tuple(requested)
        self._verifier = verifier
        self._random = random
        self._now = now
        self._receipt = receipt
        self._extended = extended
        self._flow = self._run()
        self._next: bytes | None = next(self._flow)
        self._result: ReadResult | None = None

    def next_command(self) -> bytes | None:
        """The C-APDU to transmit, or None when the read has ended."""
        return self._next

    def receive(self, response: bytes) -> None:
        """Feed the R-APDU of the last command; raises ReaderError when the read fails."""
        if self._next is None:
            raise ReaderError("no command is waiting for a response")
        try:
            self._next = self._flow.send(response)
        except StopIteration as stop:
            self._next = None
            self._result = stop.value
        except ReaderError:
            self._next = None
            raise
        except VitaleError as error:
            self._next = None
            raise ReaderError(f"holder sent invalid data: {error}") from error

    @property
    def result(self) -> ReadResult:
        if self._result is None:
            raise ReaderError("the read has not completed")
        return self._result

    # -- the exchange -------------------------------------------------------------
    def _transmit(self, cla: int, ins: INS, p1: int, data: bytes, ne: bool) -> Exchange:
        """Send one logical command (chained if needed); return its full response data."""
        max_ne = 65536 if self._extended else 256
        chunk = len(data) if self._extended else SHORT_CHUNK
        parts = [data[i : i + chunk] for i in range(0, len(data), chunk)] or [b""]
        for part in parts[:-1]:
            apdu = CommandApdu(cla=cla | 0x10, ins=ins, p1=p1, p2=0, data=part)
            reply = ResponseApdu.parse((yield apdu.to_bytes()))
            _expect(reply.sw, SW.OK, ins)
        extended = self._extended and (len(parts[-1]) > SHORT_CHUNK or ne)
        last = CommandApdu(
            cla=cla,
            ins=ins,
            p1=p1,
            p2=0,
            data=parts[-1],
            ne=max_ne if ne else None,
            extended=bool(extended),
        )
        reply = ResponseApdu.parse((yield last.to_bytes()))
        body = reply.data
        for _ in range(MAX_GET_RESPONSE):
            if reply.sw1 != 0x61:
                break
            get = CommandApdu(
                cla=CLA_INTERINDUSTRY,
                ins=INS.GET_RESPONSE,
                p1=0,
                p2=0,
                ne=reply.sw2 or 256,
            )
            reply = ResponseApdu.parse((yield get.to_bytes()))
            body += reply.data
        _expect(reply.sw, SW.OK, ins)
        return body

    def _establish(self, fci_bytes: bytes) -> Generator[bytes, bytes, Handshake]:
        """ESTABLISH SESSION in the highest common version (VDC-NFC-071); in version 2 by
        reference when asked, then with the chain after 6A88 (VDC-SM-060, VDC-SM-062)."""
        common = set(Fci.decode(fci_bytes).versions) & set(self._versions)
        if not common:
            raise ReaderError("holder supports no common protocol version")
        version = max(common)
        by_reference = self._by_reference and version >= LEAN_VERSION
        hs = handshake(
            fci_bytes, self._identity, self._random, version=version, by_reference=by_reference
        )
        try:
            yield from self._transmit(CLA_PROPRIETARY, INS.ESTABLISH, 0, hs.establish, False)
        except ReaderError as error:
            if not by_reference or error.sw != SW.DATA_NOT_FOUND:
                raise
            hs = handshake(fci_bytes, self._identity, self._random, version=version)
            yield from self._transmit(CLA_PROPRIETARY, INS.ESTABLISH, 0, hs.establish, False)
        return hs

    def _verify(self, hs: Handshake, presentation: bytes) -> Generator[bytes, bytes, Verified]:
        """Version 2: put back the signer chain named by reference, fetched with GET
        SIGNER CHAIN when this reader does not hold it (VDC-CRED-071, VDC-NFC-073)."""
        if hs.version < LEAN_VERSION:
            return self._verifier.verify(presentation, self._now)
        parts = decode_compact(presentation)
        chain = self._verifier.signer_chain(parts.signer)
        fetched = chain is None
        if chain is None:
            plaintext = yield from self._protected(hs.channel, INS.GET_SIGNER_CHAIN, b"")
            chain = decode_signer_chain(plaintext)
        verified = self._verifier.verify(parts.expand(chain), self._now)
        if fetched:
            self._verifier.remember_signer(chain)
        return verified

    def _run(self) -> Flow:
        fci_bytes = yield from self._transmit(CLA_INTERINDUSTRY, INS.SELECT, 0x04, AID, True)
        hs = yield from self._establish(fci_bytes)
        transcript, channel = hs.session_hash, hs.channel
        request = encode_request(self._requested)
        response = yield from self._protected(channel, INS.READ, request)
        presentation, device_signature = decode_read_response(response)
        verified = yield from self._verify(hs, presentation)
        extra = set(verified.elements) - set(self._requested)
        if extra:
            raise ReaderError(f"holder disclosed elements not requested: {sorted(extra)}")
        message = device_auth_message(transcript, request, presentation)
        if not verify(verified.device_key, device_signature, LABEL_DEVICE_AUTH, message):
            raise ReaderError("device signature over the session transcript is invalid")
        acknowledged = False
        if self._receipt is not None:
            plaintext = signed_receipt(hs, self._identity, self._receipt)
            yield from self._protected(channel, INS.RECEIPT, plaintext)
            acknowledged = True
        return ReadResult(
            elements=dict(verified.elements),
            presentation=presentation,
            keys=channel.keys,
            session_hash=transcript,
            receipt=self._receipt,
            receipt_acknowledged=acknowledged,
        )

    def _protected(self, channel: SecureChannel, ins: INS, plaintext: bytes) -> Exchange:
        header = bytes([CLA_PROPRIETARY, ins, 0, 0])
        sealed = channel.seal_command(header, plaintext)
        try:
            response = yield from self._transmit(CLA_PROPRIETARY, ins, 0, sealed, True)
            return channel.open_response(header, response)
        except SmError as error:
            raise ReaderError(f"response protection failed: {error}") from error
        finally:
            channel.advance()


def _expect(sw: int, wanted: SW, ins: INS) -> None:
    if sw != wanted:
        raise ReaderError(f"{INS(ins).name} answered {sw:04X} ({sw_meaning(sw)})", sw)


def run_read(
    transmit: Callable[[bytes], bytes],
    *,
    identity: ReaderIdentity,
    requested: Sequence[int],
    verifier: PresentationVerifier,
    random: RandomSource,
    now: datetime,
    receipt: Receipt | None = None,
    extended: bool = True,
    versions: Sequence[int] = PROTOCOL_VERSIONS,
    by_reference: bool = False,
) -> ReadResult:
    """Drive a complete read over any `transmit` (C-APDU in, R-APDU out)."""
    session = ReaderSession(
        identity=identity,
        requested=requested,
        verifier=verifier,
        random=random,
        now=now,
        receipt=receipt,
        extended=extended,
        versions=versions,
        by_reference=by_reference,
    )
    while (command := session.next_command()) is not None:
        try:
            session.receive(transmit(command))
        except ApduError as error:
            raise ReaderError(f"malformed response: {error}") from error
    return session.result
