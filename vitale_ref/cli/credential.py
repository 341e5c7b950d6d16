"""`vitale credential`: issue, inspect and verify synthetic credentials (VDC-CRED)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from vitale_ref.cli._options import check_output_file, read_certificate, read_small_file
from vitale_ref.credential import (
    CredentialError,
    ElementId,
    StatusList,
    beneficiary_from_json,
    beneficiary_to_json,
    build_presentation,
    decode_presentation,
    elements_to_json,
    samples,
    sign_status_list,
    verify_presentation,
)
from vitale_ref.credential._inspect import describe, render
from vitale_ref.pki import generate_test_pki

DEFAULT_PKI_SEED = "vdc-demo"
PROFILES = {
    "typical": samples.typical_holder,
    "single": samples.single_insured,
    "lunar": samples.lunar_holder,
    "maximal": samples.maximal_holder,
}


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from None


def _time(text: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time", param_hint=option) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise click.BadParameter(f"{text!r} is outside the calendar", param_hint=option) from None


def _element_ids(text: str | None) -> list[int] | None:
    if text is None:
        return None
    ids = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            ids.append(int(part) if part.isdigit() else int(ElementId.from_name(part)))
        except (ValueError, CredentialError):
            raise click.BadParameter(f"unknown element {part!r}", param_hint="--elements") from None
    return ids


@click.group("credential")
def command() -> None:
    """Issue, inspect and verify synthetic credentials."""


@command.command("example")
@click.option(
    "--profile",
    type=click.Choice(sorted(PROFILES)),
    default="typical",
    show_default=True,
    help="Which synthetic holder to describe.",
)
def example(profile: str) -> None:
    """Print the JSON description of a synthetic holder (input of `issue`)."""
    description = {"synthetic": True, **beneficiary_to_json(PROFILES[profile]())}
    click.echo(json.dumps(description, indent=2, ensure_ascii=False))


def _load_description(path: Path) -> Any:
    try:
        data = json.loads(read_small_file(path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{path}: not JSON ({error})") from None
    except RecursionError:
        raise click.ClickException(f"{path}: not a description (JSON nested too deeply)") from None
    if not isinstance(data, dict) or data.pop("synthetic", None) is not True:
        raise click.ClickException(f'{path}: the description must say "synthetic": true')
    try:
        return beneficiary_from_json(data)
    except CredentialError as error:
        raise click.ClickException(f"{path}: {error}") from None


@command.command("issue")
@click.argument("description", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File for the presentation holding every element (DER).",
)
@click.option(
    "--seed",
    default="vdc-demo/holder",
    show_default=True,
    help="Seed of the device key, salts and serial.",
)
@click.option(
    "--pki-seed",
    default=DEFAULT_PKI_SEED,
    show_default=True,
    help="Seed of the test PKI whose document signer signs.",
)
@click.option(
    "--index",
    type=click.IntRange(0, 2**20 - 1),
    default=0,
    show_default=True,
    help="Index of the credential in status list 1.",
)
@click.option(
    "--elements", default=None, help="Only these elements (ids or names, comma-separated)."
)
def issue(
    *, description: Path, out: Path, seed: str, pki_seed: str, index: int, elements: str | None
) -> None:
    """Issue a credential for the synthetic holder in DESCRIPTION (JSON).

    The output is a presentation disclosing every element (or --elements), signed by
    the test PKI's first document signer; everything is reproducible from the seeds.
    """
    check_output_file(out, "--out")
    beneficiary = _load_description(description)
    sample = samples.issue_sample(beneficiary, seed, pki=generate_test_pki(pki_seed), index=index)
    ids = _element_ids(elements)
    try:
        data = build_presentation(
            sample.issued, ids if ids is not None else list(sample.issued.elements)
        )
    except CredentialError as error:
        raise click.ClickException(str(error)) from None
    _write(out, data)
    click.echo(f"wrote {out}: {len(data)} bytes (credential {len(sample.issued.credential)} bytes)")
    click.echo(
        f"  signed by the document signer of test PKI {pki_seed!r}; status list 1, index {index}"
    )


@command.command("inspect")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print every field as JSON.")
def inspect(file: Path, as_json: bool) -> None:
    """Decode a presentation and show its fields (no verification)."""
    try:
        presentation = decode_presentation(read_small_file(file))
    except CredentialError as error:
        raise click.ClickException(f"{file}: {type(error).__name__}: {error}") from None
    if as_json:
        click.echo(json.dumps(describe(presentation), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(render(presentation)))


@command.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--trust",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Issuing root certificate (PEM or DER).",
)
@click.option(
    "--status",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Signed status list (DER) to check revocation against.",
)
@click.option("--at", "at", default=None, help="Verification time, ISO 8601 (default: now).")
@click.option("--request", default=None, help="Element ids or names the reader requested.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def verify(
    *,
    file: Path,
    trust: Path,
    status: Path | None,
    at: str | None,
    request: str | None,
    as_json: bool,
) -> None:
    """Verify a presentation; exit 0 when valid, 1 when not."""
    now = _time(at, "--at") if at else datetime.now(UTC).replace(microsecond=0)
    anchor = read_certificate(trust)
    data = read_small_file(file)
    status_list = read_small_file(status) if status is not None else None
    try:
        verified = verify_presentation(
            data,
            trust_anchor=anchor,
            now=now,
            status_list=status_list,
            requested=_element_ids(request),
        )
    except CredentialError as error:
        verdict = {
            "verdict": "INVALID",
            "error": type(error).__name__,
            "requirement": error.requirement,
            "reason": str(error),
        }
        click.echo(
            json.dumps(verdict, ensure_ascii=False)
            if as_json
            else f"INVALID: {verdict['reason']} ({verdict['error']}, {verdict['requirement']})"
        )
        raise SystemExit(1) from None
    values = elements_to_json(verified.elements)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "verdict": "VALID",
                    "revocationChecked": verified.revocation_checked,
                    "elements": values,
                },
                ensure_ascii=False,
            )
        )
        return
    revocation = "checked" if verified.revocation_checked else "not checked (no --status)"
    click.echo(f"VALID at {now:%Y-%m-%dT%H:%M:%SZ}; revocation {revocation}")
    click.echo(f"  signed by {verified.document_signer.subject.rfc4514_string()}")
    for name, value in values.items():
        click.echo(f"  {name}: {json.dumps(value, ensure_ascii=False)}")


@command.command("status-list")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File for the signed status list (DER).",
)
@click.option(
    "--pki-seed",
    default=DEFAULT_PKI_SEED,
    show_default=True,
    help="Seed of the test PKI whose status-list signer signs.",
)
@click.option(
    "--list-id",
    type=click.IntRange(0, 2**32 - 1),
    default=1,
    show_default=True,
    help="Identifier of the list, as in credentials' status reference.",
)
@click.option(
    "--size",
    type=click.IntRange(8, 2**20),
    default=1024,
    show_default=True,
    help="Number of entries (a multiple of 8).",
)
@click.option("--revoke", type=int, multiple=True, help="Index to revoke (repeatable).")
@click.option(
    "--this-update",
    default="2026-01-15T00:00:00Z",
    show_default=True,
    help="Start of the list's validity (ISO 8601).",
)
@click.option(
    "--next-update",
    default="2027-01-15T00:00:00Z",
    show_default=True,
    help="End of the list's validity (ISO 8601).",
)
def status_list_command(
    *,
    out: Path,
    pki_seed: str,
    list_id: int,
    size: int,
    revoke: tuple[int, ...],
    this_update: str,
    next_update: str,
) -> None:
    """Write a signed status list revoking the given indices."""
    check_output_file(out, "--out")
    pki = generate_test_pki(pki_seed)
    try:
        status = StatusList.new(list_id, size)
        for index in revoke:
            status.revoke(index)
        data = sign_status_list(
            status,
            signer=pki.status_signer,
            this_update=_time(this_update, "--this-update"),
            next_update=_time(next_update, "--next-update"),
        )
    except CredentialError as error:
        raise click.ClickException(str(error)) from None
    _write(out, data)
    click.echo(f"wrote {out}: list {list_id}, {size} entries, revoked {sorted(set(revoke))}")
