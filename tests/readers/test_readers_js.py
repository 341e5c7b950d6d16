"""Interoperability over a real transport: the JavaScript implementation and the reference
read each other through pcscd, vpcd and pyscard (VDC-TRN-003, VDC-HARN-010, VDC-HARN-014).

The JavaScript holder, provisioned at start with the typical credential under its own
issuing root and trusting the sample reader root, is a vpcd card that `vitale read --pcsc`
reads; the JavaScript reader, speaking the driver protocol, reads the reference holder
(the sample holder of `vitale emulate`, trusting the JavaScript reader root), its APDUs
relayed through pyscard. Both sides were written apart: only the specification is shared.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.serialization import Encoding

from conformance.adapters.stdio import StdioIut
from tests._support import JS_IUT, ROOT, require_js_iut
from tests.readers._sample_read import sample_read_lines
from tools.pcsc import service
from tools.pcsc.cards import READER, Pcscd
from vitale_ref.cli import main
from vitale_ref.holder.samples import sample_world
from vitale_ref.transport import PcscReaderTransport, build_atr, wait_for_card

ALL_ELEMENTS = list(range(1, 11))
TYPICAL = json.loads((ROOT / "vectors" / "credential" / "typical.json").read_text("utf-8"))


@pytest.fixture
def card_stopped(pcscd: Pcscd) -> Iterator[service.Layout]:
    """pcscd's layout; whatever card program the test started is stopped at the end."""
    try:
        yield pcscd.layout
    finally:
        service.stop_process(pcscd.layout, "emulator")
        wait_for_card(READER, 3.0, present=False)


def test_reference_reader_reads_the_javascript_holder(
    card_stopped: service.Layout, tmp_path: Path
) -> None:
    """`vitale read --pcsc` authenticates with the sample doctor's certificate, verifies the
    JavaScript holder's credential against its issuing root and gets the ten elements of
    the typical credential, the values the reference holder gives, and files a receipt."""
    node = require_js_iut()
    pki = tmp_path / "pki"
    generated = CliRunner().invoke(
        main, ["pki", "generate", "--seed", "vdc-nfc", "--out", str(pki)]
    )
    assert generated.exit_code == 0, generated.output
    issuing_root = tmp_path / "js-issuing-root.pem"
    now = sample_world().now.strftime("%Y-%m-%dT%H:%M:%SZ")
    trust = ["--reader-root", str(pki / "reader-root.pem"), "--issuing-root-out", str(issuing_root)]
    vpcd = ["--vpcd", f"127.0.0.1:{service.VPCD_PORT}"]
    card = [node, str(JS_IUT / "main.js"), *vpcd, *trust, "--presence", "--clock", now]
    service.start_card_program(card, card_stopped)
    elements = ",".join(map(str, ALL_ELEMENTS))
    read = ["read", "--pcsc", READER, "--trust", str(issuing_root), "--elements", elements]
    result = CliRunner().invoke(main, [*read, "--receipt"])
    assert result.exit_code == 0, result.output + card_stopped.log("emulator").read_text()
    lines = result.output.splitlines()
    assert lines[0] == f"reader: {READER}; ATR {build_atr(b'VDC-JS').hex(' ').upper()}"
    expected = sample_read_lines(ALL_ELEMENTS)
    assert lines[1 : 1 + len(expected)] == expected
    rest = lines[1 + len(expected) :]
    assert rest[0] == f"revocation: not checked (no status list of the issuer in {issuing_root})"
    assert rest[1] == "receipt acknowledged: yes"


def test_javascript_reader_reads_the_reference_holder(
    card_stopped: service.Layout, tmp_path: Path
) -> None:
    """The JavaScript reader, set up with the sample issuing root and status list, reads
    the reference holder behind pcscd (every APDU through pyscard) and gets the typical
    credential's values in their JSON form; the holder acknowledges its receipt."""
    node = require_js_iut()
    world = sample_world()
    now = world.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    reader = StdioIut(shlex.join([node, str(JS_IUT / "main.js")]))
    try:
        anchor = world.pki.issuing_root.certificate.public_bytes(Encoding.DER)
        setup = {"trustAnchor": anchor.hex(), "statusList": world.status_list.hex()}
        reader_root = tmp_path / "js-reader-root.der"
        reader_root.write_bytes(bytes.fromhex(reader.call("reader.setup", setup)["readerRoot"]))
        service.start_emulator(card_stopped, extra=("--reader-root", str(reader_root)))
        relayed: list[bytes] = []
        with PcscReaderTransport(READER) as transport:

            def relay(command: bytes) -> bytes:
                relayed.append(command)
                return transport.transmit(command)

            receipt = {"act": "GS", "amountCents": 2650, "at": now}
            params = {"requested": ALL_ELEMENTS, "now": now, "receipt": receipt}
            result = reader.call("reader.read", params, transmit=relay)
    finally:
        reader.close()
    assert result["elements"] == TYPICAL["testGroups"][0]["elements"]
    assert result["receiptAcknowledged"] is True
    assert [command[1] for command in relayed[:1]] == [0xA4]  # SELECT first
    assert len(relayed) >= 4
