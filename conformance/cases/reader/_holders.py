"""Holders the suite plays against a reader under test: honest, and each one way dishonest.

Each is a `transmit` function (C-APDU in, R-APDU out) built on the reference holder core
with the suite's own synthetic credentials; the dishonest ones change one thing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from conformance.cases import _material as m
from vitale_ref.credential import IssuedCredential, samples
from vitale_ref.holder import HolderCore
from vitale_ref.holder.adapters import IssuedCredentialSource, PkiReaderAuthority
from vitale_ref.randomness import seeded_random

Transmit = Callable[[bytes], bytes]


class _Source(IssuedCredentialSource):
    """A credential source whose presentations pass through `alter`."""

    def __init__(
        self,
        issued: IssuedCredential,
        key: ec.EllipticCurvePrivateKey,
        alter: Callable[[IssuedCredential, Sequence[int]], bytes] | None = None,
    ) -> None:
        super().__init__(issued, key)
        self._alter_with = alter
        self._issued_credential = issued

    def presentation(self, element_ids: Sequence[int]) -> bytes:
        if self._alter_with is None:
            return super().presentation(element_ids)
        return self._alter_with(self._issued_credential, element_ids)


def _everything(issued: IssuedCredential, ids: Sequence[int]) -> bytes:
    return issued.full_presentation()


def _tampered(issued: IssuedCredential, ids: Sequence[int]) -> bytes:
    genuine = issued.presentation(ids)
    from vitale_ref.credential import decode_presentation

    disclosed = [
        d.encoding.replace(b"EXEMPLE", b"EXEMPLA") for d in decode_presentation(genuine).disclosed
    ]
    return m.with_disclosed(genuine, disclosed)


@cache
def expired() -> samples.SampleCredential:
    pki = m.material().pki
    return samples.issue_sample(
        samples.typical_holder(),
        f"{m.SEED}/expired",
        pki=pki,
        index=3,
        valid_from=m.NOW - timedelta(days=400),
        valid_until=m.NOW - timedelta(days=1),
    )


def holder(
    reader_root: x509.Certificate,
    kind: str,
    *,
    armed: bool = True,
    versions: tuple[int, ...] = (1,),
) -> Transmit:
    """A holder of the given kind trusting `reader_root`, answering at the suite's `now`;
    it offers version 1 only unless a version 2 case asks for more (VDC-NFC-070)."""
    material = m.material()
    typical = material.typical
    sources = {
        "honest": lambda: _Source(typical.issued, typical.device_key),
        "excess": lambda: _Source(typical.issued, typical.device_key, _everything),
        "tampered": lambda: _Source(typical.issued, typical.device_key, _tampered),
        "wrong-device-key": lambda: _Source(typical.issued, material.lunar.device_key),
        "expired": lambda: _Source(expired().issued, expired().device_key),
        "revoked": lambda: _Source(material.revoked.issued, material.revoked.device_key),
    }
    core = HolderCore(
        credential=sources[kind](),
        readers=PkiReaderAuthority(reader_root),
        random=seeded_random(f"{m.SEED}/played-holder/{kind}"),
        versions=versions,
    )
    if armed:
        core.arm(m.NOW + timedelta(seconds=60))
    return lambda command: core.respond(command, m.NOW)


def recorder(inner: Transmit, log: list[tuple[bytes, bytes]]) -> Transmit:
    def send(command: bytes) -> bytes:
        response = inner(command)
        log.append((command, response))
        return response

    return send


def replayer(log: list[tuple[bytes, bytes]]) -> Transmit:
    """Answers with the responses of an earlier session, in order (a replay attack)."""
    responses = iter([response for _, response in log])
    return lambda command: next(responses, b"\x69\x85")


def endless_more_data(command: bytes) -> bytes:
    """Every answer announces 255 more bytes: the reader must give up, not loop."""
    return bytes(255) + b"\x61\xff"
