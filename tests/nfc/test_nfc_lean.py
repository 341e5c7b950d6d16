"""Protocol version 2 between the reference reader and holder (chapter "Protocol
version 2"): version choice, the reader chain by reference and its fallback, the signer
chain on request, and the bytes saved."""

from __future__ import annotations

from datetime import timedelta

import pytest

from vitale_ref.holder import HolderCore
from vitale_ref.holder.adapters import PkiReaderAuthority
from vitale_ref.holder.samples import SampleWorld
from vitale_ref.link import InMemoryLink
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import ReaderError, run_read
from vitale_ref.reader.adapters import CredentialVerifier
from vitale_ref.trace import estimate

TYPICAL = list(range(1, 11))


def _holder(world: SampleWorld, readers: PkiReaderAuthority, **options: object) -> HolderCore:
    holder = HolderCore(
        credential=world.credential,
        readers=readers,
        random=seeded_random("test/lean/holder"),
        **options,  # type: ignore[arg-type]
    )
    holder.arm(world.now + timedelta(seconds=60))
    return holder


def _read(
    world: SampleWorld, holder: HolderCore, verifier: CredentialVerifier, **options: object
) -> InMemoryLink:
    link = InMemoryLink(holder, world.now)
    run_read(
        link.transmit,
        identity=world.reader(),
        requested=TYPICAL,
        verifier=verifier,
        random=seeded_random("test/lean/reader"),
        now=world.now,
        **options,  # type: ignore[arg-type]
    )
    return link


def _instructions(link: InMemoryLink) -> list[int]:
    return [exchange.command[1] for exchange in link.exchanges]


def _bare_verifier(world: SampleWorld) -> CredentialVerifier:
    return CredentialVerifier(world.pki.issuing_root.certificate)


def test_nfc_lean_reference_after_a_first_tap(world: SampleWorld) -> None:
    """VDC-SM-060, VDC-SM-062, VDC-PKI-060: the first tap by reference gets 6A88 and the
    chain follows in the same session; the next tap by reference is four pairs."""
    readers = PkiReaderAuthority(world.pki.reader_root.certificate)
    first = _read(world, _holder(world, readers), world.verifier, by_reference=True)
    assert _instructions(first) == [0xA4, 0x86, 0x86, 0xCB]
    assert first.exchanges[1].response == b"\x6a\x88"
    assert first.exchanges[2].command[7:10] == b"\x80\x01\x02"  # version 2, with A2
    again = _read(world, _holder(world, readers), world.verifier, by_reference=True)
    assert _instructions(again) == [0xA4, 0x86, 0xCB]
    assert len(again.exchanges[1].command) < 200  # 83 and 8 bytes instead of the chain
    assert estimate(again.trace, 106).milliseconds < estimate(first.trace, 106).milliseconds


def test_nfc_lean_memory_is_per_device(world: SampleWorld) -> None:
    """VDC-PKI-060: another holder (another authority) has not met the reader."""
    root = world.pki.reader_root.certificate
    _read(world, _holder(world, PkiReaderAuthority(root)), world.verifier)
    other = _read(
        world, _holder(world, PkiReaderAuthority(root)), world.verifier, by_reference=True
    )
    assert other.exchanges[1].response == b"\x6a\x88"
    forgetful = PkiReaderAuthority(root, remember=False)
    _read(world, _holder(world, forgetful), world.verifier)
    assert forgetful.remembered(b"\x00" * 8, world.now) is None


def test_nfc_lean_signer_chain_fetched_once(world: SampleWorld) -> None:
    """VDC-NFC-073, VDC-CRED-071: a verifier without the signer chain asks for it after
    READ, then keeps it for the next read."""
    readers = PkiReaderAuthority(world.pki.reader_root.certificate)
    verifier = _bare_verifier(world)
    first = _read(world, _holder(world, readers), verifier)
    assert _instructions(first) == [0xA4, 0x86, 0xCB, 0xCA]
    second = _read(world, _holder(world, readers), verifier)
    assert _instructions(second) == [0xA4, 0x86, 0xCB]


def test_nfc_lean_versions(world: SampleWorld) -> None:
    """VDC-NFC-070, VDC-NFC-071: a version 1 holder is read in version 1 by a reader of
    both, and refused before ESTABLISH SESSION by a reader of version 2 only."""
    readers = PkiReaderAuthority(world.pki.reader_root.certificate)
    old = _holder(world, readers, versions=(1,))
    link = _read(world, old, world.verifier)
    assert link.exchanges[0].response[13:16] == b"\x80\x01\x01"  # FCI: versions 01
    assert link.exchanges[1].command[7:10] == b"\x80\x01\x01"
    with pytest.raises(ReaderError, match="no common protocol version"):
        _read(world, _holder(world, readers, versions=(1,)), world.verifier, versions=(2,))
    with pytest.raises(ValueError, match="offers some of the versions"):
        _holder(world, readers, versions=(3,))
