"""Scripted exchanges with the holder core, shared by the NFC transcript generator.

A Script drives a fresh holder (ephemeral keys from a fixed seed, a fixed clock) and
records every command/response pair; a vector stores the pairs so that any
implementation can be replayed against them byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from vitale_ref.apdu import AID, INS, CommandApdu, ResponseApdu
from vitale_ref.holder import HolderCore, Presented
from vitale_ref.holder.samples import SampleWorld
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import Handshake, handshake
from vitale_ref.sm import encode_request

WINDOW = timedelta(seconds=60)


@dataclass
class Script:
    world: SampleWorld
    label: str
    now: datetime
    armed_until: datetime | None
    exchanges: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.holder: HolderCore = self.world.holder(seeded_random(self.holder_seed))
        if self.armed_until is not None:
            self.holder.arm(self.armed_until)

    @property
    def holder_seed(self) -> str:
        return f"vdc-nfc/vectors/{self.label}/holder"

    def reader_seed(self, suffix: str = "") -> str:
        return f"vdc-nfc/vectors/{self.label}/reader{suffix}"

    def send(self, command: bytes) -> ResponseApdu:
        response = self.holder.respond(command, self.now)
        self.exchanges.append({"command": command.hex(), "response": response.hex()})
        return ResponseApdu.parse(response)

    def apdu(
        self,
        cla: int,
        ins: int,
        data: bytes = b"",
        *,
        p1: int = 0,
        p2: int = 0,
        ne: int | None = None,
        extended: bool = False,
    ) -> ResponseApdu:
        extended = extended or len(data) > 255 or (ne or 0) > 256
        command = CommandApdu(cla=cla, ins=ins, p1=p1, p2=p2, data=data, ne=ne, extended=extended)
        return self.send(command.to_bytes())

    def select(self, aid: bytes = AID, ne: int = 256) -> bytes:
        return self.apdu(0x00, INS.SELECT, aid, p1=0x04, ne=ne).data

    def establish(self, reader: str = "doctor", suffix: str = "", **kwargs: Any) -> Handshake:
        fci = self.select()
        identity = kwargs.pop("identity", None) or self.world.reader(reader)
        hs = handshake(fci, identity, seeded_random(self.reader_seed(suffix)), **kwargs)
        self.apdu(0x80, INS.ESTABLISH, hs.establish, extended=True)
        return hs

    def sealed(self, hs: Handshake, ins: INS, plaintext: bytes) -> bytes:
        return hs.channel.seal_command(bytes([0x80, ins, 0, 0]), plaintext)

    def read(self, hs: Handshake, ids: list[int], *, extended: bool = True) -> ResponseApdu:
        sealed = self.sealed(hs, INS.READ, encode_request(ids))
        response = self.apdu(
            0x80, INS.READ, sealed, ne=65536 if extended else 256, extended=extended
        )
        hs.channel.advance()
        return response

    def vector(self, comment: str, flags: list[str], result: str, **extra: Any) -> dict[str, Any]:
        return {
            "comment": comment,
            "flags": flags,
            "holderSeed": self.holder_seed,
            "now": self.now.isoformat(),
            "armedUntil": self.armed_until.isoformat() if self.armed_until else None,
            "exchanges": self.exchanges,
            "finalState": self.holder.state.value,
            "disclosed": [
                list(event.elements)
                for event in self.holder.events()
                if isinstance(event, Presented)
            ],
            **extra,
            "result": result,
        }
