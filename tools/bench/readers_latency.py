"""APDU round trip and full read time through pcscd+vpcd and through nfcpy's udp link.

Usage: python -m tools.bench.readers_latency [--count N]

Starts pcscd (tools/pcsc, loopback-only namespace) and emulated cards as separate
processes, then times, from this process as the reader:
  - an ECHO APDU through pyscard -> pcscd -> vpcd -> card, with and without the
    TCP_QUICKACK fix on the card's socket (VDC-TRN-006);
  - the same APDU through nfcpy's udp driver -> ISO-DEP card;
  - a full authenticated read of the reference holder over each, and in memory.
Medians of N runs (200 by default) are printed with their ratios; nothing is asserted.
Needs root (pcscd, network namespace). Everything is stopped at the end.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from tools.pcsc import service
from vitale_ref.holder import PRESENCE_WINDOW_SECONDS
from vitale_ref.holder.samples import sample_world
from vitale_ref.link import InMemoryLink
from vitale_ref.randomness import system_random
from vitale_ref.reader import run_read
from vitale_ref.transport import PcscReaderTransport, wait_for_card
from vitale_ref.transport._nfc import NfcReaderTransport
from vitale_ref.transport._test_card import SELECT_VDC, echo_command

READER = service.READERS[0]
VITALE = str(Path(sys.executable).with_name("vitale"))
APDU = echo_command(bytes(16))

Transmit = Callable[[bytes], bytes]


def median_ms(function: Callable[[], object], count: int) -> float:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


WORLD = sample_world()


def _read_once(transmit: Transmit) -> None:
    world = WORLD
    run_read(
        transmit,
        identity=world.reader("doctor"),
        requested=[1, 2, 3, 4],
        verifier=world.verifier,
        random=system_random,
        now=world.now,
    )


@contextmanager
def vpcd_card(layout: service.Layout, *extra: str) -> Iterator[None]:
    service.start_emulator(layout, extra=extra)
    try:
        yield
    finally:
        service.stop_process(layout, "emulator")
        wait_for_card(READER, 3.0, present=False)


def pcsc_apdu(count: int) -> float:
    with PcscReaderTransport(READER) as transport:
        transport.transmit(SELECT_VDC)
        return median_ms(lambda: transport.transmit(APDU), count)


def pcsc_read(count: int) -> float:
    with PcscReaderTransport(READER) as transport:
        _read_once(transport.transmit)  # warm up
        return median_ms(lambda: _read_once(transport.transmit), count)


@contextmanager
def nfc_card(*extra: str) -> Iterator[str]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        path = f"udp:127.0.0.1:{probe.getsockname()[1]}"
    process = subprocess.Popen(
        [VITALE, "emulate", "--nfc", path, "-q", *extra], stdin=subprocess.DEVNULL
    )
    try:
        time.sleep(1.5)  # the emulator imports and starts listening
        yield path
    finally:
        process.terminate()
        process.wait(10)


def nfc_apdu(path: str, count: int) -> float:
    with NfcReaderTransport(path) as transport:
        transport.transmit(SELECT_VDC)
        return median_ms(lambda: transport.transmit(APDU), count)


def nfc_read(path: str, count: int) -> float:
    with NfcReaderTransport(path) as transport:
        _read_once(transport.transmit)
        return median_ms(lambda: _read_once(transport.transmit), count)


def memory_read(count: int) -> float:
    world = WORLD
    holder = world.holder(random=system_random)

    def once() -> None:
        holder.arm(world.now + timedelta(seconds=PRESENCE_WINDOW_SECONDS))
        holder.reset()
        _read_once(InMemoryLink(holder, world.now).transmit)

    return median_ms(once, count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="runs per median (>= 200)")
    parser.add_argument("--reads", type=int, default=50, help="full reads per median")
    args = parser.parse_args(argv)
    layout = service.Layout.default()
    service.start_pcscd(layout)
    figures: dict[str, float] = {}
    try:
        with vpcd_card(layout, "--card", "test"):
            figures["pcsc apdu, quickack"] = pcsc_apdu(args.count)
        with vpcd_card(layout, "--card", "test", "--no-quickack"):
            figures["pcsc apdu, no quickack"] = pcsc_apdu(args.count)
        with vpcd_card(layout):
            figures["pcsc full read, quickack"] = pcsc_read(args.reads)
    finally:
        service.stop_all(layout)
    with nfc_card("--card", "test") as path:
        figures["nfc udp apdu"] = nfc_apdu(path, args.count)
    with nfc_card() as path:
        figures["nfc udp full read"] = nfc_read(path, args.reads)
    figures["in-memory full read"] = memory_read(args.reads)
    print(f"medians ({args.count} APDUs, {args.reads} full reads each)")
    for name, value in figures.items():
        print(f"  {name:<28} {value:9.3f} ms")
    ratio = figures["pcsc apdu, no quickack"] / figures["pcsc apdu, quickack"]
    print(f"  quickack speed-up per APDU   {ratio:9.1f} x")
    print(
        "  pcsc / nfc udp per APDU      "
        f"{figures['pcsc apdu, quickack'] / figures['nfc udp apdu']:9.1f} x"
    )
    print(
        "  pcsc read / in-memory read   "
        f"{figures['pcsc full read, quickack'] / figures['in-memory full read']:9.2f} x"
    )
    goal = "met" if figures["pcsc apdu, quickack"] < 1.0 else "NOT met"
    print(f"goal < 1 ms median per APDU through pcscd+vpcd: {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
