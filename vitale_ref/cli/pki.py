"""`vitale pki`: the deterministic test PKI (VDC-PKI-040)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click

from vitale_ref.cli._options import check_output_folder
from vitale_ref.pki import Entity, generate_test_pki

MAX_SEED_LENGTH = 256


def _manifest_entry(entity: Entity) -> dict[str, str]:
    cert = entity.certificate
    return {
        "role": entity.name,
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": f"{cert.serial_number:x}",
        "notBefore": cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "notAfter": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sha256": hashlib.sha256(entity.der).hexdigest(),
        "certificate": f"{entity.name}.pem",
        "privateKey": f"{entity.name}.key.pem",
    }


@click.group("pki")
def command() -> None:
    """The synthetic test PKI: issuing and reader hierarchies."""


@command.command("generate")
@click.option("--seed", required=True, help="Seed; the same seed gives identical files.")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write PEM files and manifest.json into (created if missing).",
)
def generate(seed: str, out: Path) -> None:
    """Write every certificate and private key of the test PKI for SEED as PEM.

    The keys are derived from the seed and therefore public: test use only.
    """
    if not seed or len(seed) > MAX_SEED_LENGTH:
        raise click.ClickException(f"seed must be 1..{MAX_SEED_LENGTH} characters")
    check_output_folder(out, "--out")
    pki = generate_test_pki(seed)
    try:
        out.mkdir(parents=True, exist_ok=True)
        entries = []
        for entity in pki.entities():
            (out / f"{entity.name}.pem").write_bytes(entity.pem)
            (out / f"{entity.name}.key.pem").write_bytes(entity.key_pem)
            entries.append(_manifest_entry(entity))
        manifest = {"seed": seed, "synthetic": True, "entities": entries}
        text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        (out / "manifest.json").write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write to {out}: {error.strerror}") from None
    click.echo(f"wrote {len(entries)} certificates and keys for seed {seed!r} to {out}")
    for entry in entries:
        click.echo(f"  {entry['role']:<18} {entry['subject']}")
