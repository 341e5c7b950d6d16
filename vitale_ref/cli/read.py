"""`vitale read --pcsc [READER]`: a full authenticated read through a PC/SC reader.

`--pki sample` (the default) reads the synthetic sample holder of `vitale emulate`;
with `--trust FILE` it reads a holder of another implementation that trusts the sample
reader root, verifying its credential against that implementation's issuing root.
`--pki enrolment` reads a holder enrolled with `vitale enrol` and served by
`vitale emulate --store`, trusting that issuer's test PKI and, with `--service-db`,
checking the status list it publishes (VDC-CRED-050).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import click

from vitale_ref.app import (
    DEMO_ACT,
    DEMO_AMOUNT_CENTS,
    WorldReader,
    enrolment_pki,
    published_status_list,
)
from vitale_ref.cli._options import parse_elements, read_certificate
from vitale_ref.cli._verified import echo_verified
from vitale_ref.errors import VitaleError
from vitale_ref.holder.samples import sample_world
from vitale_ref.randomness import system_random
from vitale_ref.reader import ReaderError, ReaderIdentity, run_read
from vitale_ref.reader.adapters import CredentialVerifier
from vitale_ref.sm import Receipt
from vitale_ref.transport import PcscReaderTransport, TransportError
from vitale_ref.transport._nfc import NfcReaderTransport
from vitale_ref.transport._vpcd_socket import utc_now
from vitale_ref.transport._within import DEFAULT_TIMEOUT


def _open(
    reader: str | None, nfc_path: str | None, timeout: float
) -> PcscReaderTransport | NfcReaderTransport:
    if nfc_path is not None:
        nfc = NfcReaderTransport(nfc_path, timeout=timeout)
        click.echo(f"reader: nfc {nfc_path}")
        return nfc
    pcsc = PcscReaderTransport(reader or None, timeout=timeout)
    click.echo(f"reader: {pcsc.reader}; ATR {pcsc.atr.hex(' ').upper()}")
    return pcsc


@dataclass(frozen=True)
class _Trust:
    """The reader's side of one synthetic world: who it is, whom it trusts, when it is."""

    identity: ReaderIdentity
    rpps: str
    verifier: CredentialVerifier
    now: datetime
    revocation: str


def _sample_trust(role: str, clock: str, trust: Path | None) -> _Trust:
    world = sample_world()
    now = world.now if clock == "sample" else utc_now()
    if trust is None:
        revocation = "checked against the sample status list"
        return _Trust(world.reader(role), world.rpps(role), world.verifier, now, revocation)
    # Another implementation's holder: its own issuer, whose status list we do not have.
    verifier = CredentialVerifier(read_certificate(trust), None)
    revocation = f"not checked (no status list of the issuer in {trust})"
    return _Trust(world.reader(role), world.rpps(role), verifier, now, revocation)


def _enrolment_trust(role: str, clock: str, service_db: Path | None) -> _Trust:
    if clock == "sample":
        raise click.UsageError("--pki enrolment follows the system clock (the enrolment's)")
    pki = enrolment_pki()
    now = utc_now()
    status: bytes | None = None
    revocation = "not checked (no --service-db)"
    if service_db is not None:
        try:
            status = published_status_list(service_db, now)
        except VitaleError as error:
            raise click.ClickException(str(error)) from None
        revocation = f"checked against the status list published from {service_db}"
    reader = WorldReader(pki=pki, name=role)
    verifier = CredentialVerifier(  # signer chains published with the status list
        pki.issuing_root.certificate, status, signers=[(pki.document_signer.der,)]
    )
    return _Trust(reader.identity, reader.rpps, verifier, now, revocation)


@click.command("read")
@click.option(
    "--pcsc",
    "reader",
    is_flag=False,
    flag_value="",
    metavar="[READER]",
    help="PC/SC reader name; alone, the first reader holding a card.",
)
@click.option(
    "--nfc",
    "nfc_path",
    metavar="udp[:HOST[:PORT]]",
    help="read through nfcpy instead (udp link, loopback only).",
)
@click.option(
    "--as",
    "role",
    default="doctor",
    show_default=True,
    type=click.Choice(["doctor", "pharmacist", "nurse"]),
    help="Which sample reader certificate to authenticate with.",
)
@click.option(
    "--pki",
    type=click.Choice(["sample", "enrolment"]),
    default="sample",
    show_default=True,
    help="sample: the holder of `vitale emulate`; enrolment: one of `vitale enrol`.",
)
@click.option(
    "--trust",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --pki sample: verify the credential against this issuing root (PEM or DER) "
    "instead of the sample's, to read a holder of another implementation that trusts the "
    "sample reader root (`vitale pki generate --seed vdc-nfc`).",
)
@click.option(
    "--service-db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --pki enrolment: check the status list of this enrolment service database.",
)
@click.option("--elements", default="1,2,3,4", show_default=True, help="Element numbers.")
@click.option("--receipt/--no-receipt", default=False, show_default=True)
@click.option("--short", is_flag=True, help="Short APDUs with command chaining only.")
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds one APDU may take; a card silent longer ends the read (VDC-TRN-023).",
)
@click.option(
    "--clock",
    type=click.Choice(["sample", "system"]),
    help="sample (default with --pki sample): the synthetic world's date, in which its"
    " certificates are valid; system (always with --pki enrolment).",
)
def command(
    *,
    reader: str | None,
    nfc_path: str | None,
    role: str,
    pki: str,
    trust: Path | None,
    service_db: Path | None,
    elements: str,
    receipt: bool,
    short: bool,
    timeout: float,
    clock: str | None,
) -> None:
    """Read and verify a holder's data through PC/SC or nfcpy with a sample reader identity."""
    if (reader is None) == (nfc_path is None):
        raise click.UsageError("give exactly one of --pcsc and --nfc")
    requested = parse_elements(elements)
    if pki == "sample":
        if service_db is not None:
            raise click.UsageError("--service-db goes with --pki enrolment")
        world = _sample_trust(role, clock or "sample", trust)
    else:
        if trust is not None:
            raise click.UsageError("--trust goes with --pki sample")
        world = _enrolment_trust(role, clock or "system", service_db)
    _read_and_print(world, reader, nfc_path, timeout, requested, receipt=receipt, short=short)


def _read_and_print(
    trust: _Trust,
    reader: str | None,
    nfc_path: str | None,
    timeout: float,
    requested: list[int],
    *,
    receipt: bool,
    short: bool,
) -> None:
    bill = Receipt(time=trust.now, rpps=trust.rpps, act=DEMO_ACT, amount_cents=DEMO_AMOUNT_CENTS)
    started = time.perf_counter()
    try:
        with _open(reader, nfc_path, timeout) as transport:
            result = run_read(
                transport.transmit,
                identity=trust.identity,
                requested=requested,
                verifier=trust.verifier,
                random=system_random,
                now=trust.now,
                receipt=bill if receipt else None,
                extended=not short,
            )
    except TransportError as error:
        raise click.ClickException(str(error)) from None
    except ReaderError as error:
        raise click.ClickException(f"read failed: {error}") from None
    elapsed = (time.perf_counter() - started) * 1000
    echo_verified(result.elements)
    click.echo(f"revocation: {trust.revocation}")
    if receipt:
        click.echo(f"receipt acknowledged: {'yes' if result.receipt_acknowledged else 'no'}")
    click.echo(f"read completed in {elapsed:.1f} ms")
