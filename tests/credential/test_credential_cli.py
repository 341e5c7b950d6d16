"""`vitale credential example | issue | inspect | verify | status-list` (VDC-CRED)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tools.vectorgen.regressions import country_as_bits
from vitale_ref.cli import main

AT = "2026-06-01T12:00:00Z"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _issued(tmp_path: Path) -> tuple[Path, Path]:
    code, text = _run("credential", "example")
    assert code == 0
    holder = tmp_path / "holder.json"
    holder.write_text(text, encoding="utf-8")
    card = tmp_path / "card.der"
    code, out = _run("credential", "issue", str(holder), "--out", str(card))
    assert code == 0, out
    assert out.startswith(f"wrote {card}: ")
    code, out = _run("pki", "generate", "--seed", "vdc-demo", "--out", str(tmp_path / "pki"))
    assert code == 0
    return card, tmp_path / "pki" / "issuing-root.pem"


def test_issue_inspect_verify_end_to_end(tmp_path: Path) -> None:
    """VDC-CRED-041..045: the issued file verifies against the demo root."""
    card, root = _issued(tmp_path)
    code, out = _run("credential", "inspect", str(card))
    assert code == 0
    assert "  minors: Léo EXEMPLE, NIR 115077505604539, born 20150714, rank 1, quality 6" in out
    code, out = _run("credential", "inspect", str(card), "--json")
    assert json.loads(out)["disclosed"]["birth_date"]["value"] == "19850521"
    code, out = _run("credential", "verify", str(card), "--trust", str(root), "--at", AT)
    assert code == 0
    assert out.splitlines()[0] == f"VALID at {AT}; revocation not checked (no --status)"
    assert '  family_name: "EXEMPLE"' in out


def test_verify_reports_revocation_and_wrong_root(tmp_path: Path) -> None:
    """VDC-CRED-053, VDC-CRED-041: exit 1 with the error class and requirement."""
    card, root = _issued(tmp_path)
    status = tmp_path / "status.der"
    code, out = _run("credential", "status-list", "--out", str(status), "--revoke", "0")
    assert (code, out) == (0, f"wrote {status}: list 1, 1024 entries, revoked [0]\n")
    code, out = _run(
        "credential", "verify", str(card), "--trust", str(root), "--status", str(status), "--at", AT
    )
    assert code == 1
    assert out == "INVALID: revoked (list 1, index 0) (CredentialRevokedError, VDC-CRED-053)\n"
    reader_root = tmp_path / "pki" / "reader-root.pem"
    code, out = _run(
        "credential", "verify", str(card), "--trust", str(reader_root), "--at", AT, "--json"
    )
    assert code == 1
    assert json.loads(out)["error"] == "CertificateChainError"


def test_selected_elements_and_requested_check(tmp_path: Path) -> None:
    """VDC-CRED-060, VDC-CRED-017: --elements limits the file, --request checks it."""
    _card, root = _issued(tmp_path)
    holder = tmp_path / "holder.json"
    small = tmp_path / "small.der"
    code, _ = _run("credential", "issue", str(holder), "--out", str(small), "--elements", "nir,4")
    assert code == 0
    code, out = _run("credential", "inspect", str(small), "--json")
    assert sorted(json.loads(out)["disclosed"]) == ["birth_date", "nir"]
    code, out = _run(
        "credential", "verify", str(small), "--trust", str(root), "--at", AT, "--request", "nir,2"
    )
    assert code == 1
    assert "requested element(s) [2] not disclosed" in out


def test_bad_inputs_give_one_line_and_exit_1(tmp_path: Path) -> None:
    """No traceback: junk files, non-synthetic descriptions, bad times."""
    junk = tmp_path / "junk.der"
    junk.write_bytes(b"\x30\x84\x7f\xff\xff\xff")
    code, out = _run("credential", "inspect", str(junk))
    assert code == 1
    assert out == (
        f"Error: {junk}: CredentialEncodingError: Presentation: length 2147483647 exceeds"
        " the 0 bytes present\n"
    )
    description = tmp_path / "real.json"
    description.write_text('{"nir": "285057505612338"}', encoding="utf-8")
    code, out = _run("credential", "issue", str(description), "--out", str(tmp_path / "x"))
    assert code == 1
    assert 'the description must say "synthetic": true' in out
    description.write_text('{"synthetic": true, "nir": "1"}', encoding="utf-8")
    code, out = _run("credential", "issue", str(description), "--out", str(tmp_path / "x"))
    assert (code, out.strip()) == (1, f"Error: {description}: beneficiary: missing 'affiliation'")
    code, out = _run("credential", "verify", str(junk), "--trust", str(junk), "--at", "soon")
    assert code == 2
    assert "'soon' is not an ISO 8601 time" in out
    code, out = _run("credential", "verify", str(junk))
    assert code == 2
    assert "Missing option '--trust'" in out


def test_inspect_shows_an_unreadable_signer_subject(tmp_path: Path) -> None:
    """inspect verifies nothing: a signer subject that cryptography cannot model (its
    countryName typed BIT STRING) is shown as unreadable, and verify refuses the file."""
    card, root = _issued(tmp_path)
    # The first names in the file are the document signer's, its issuer's then its own.
    card.write_bytes(country_as_bits(card.read_bytes(), "subject"))
    code, out = _run("credential", "inspect", str(card), "--json")
    assert code == 0, out
    (chain,) = json.loads(out)["chain"]
    assert chain.startswith("(unreadable subject: ")
    code, out = _run("credential", "verify", str(card), "--trust", str(root), "--at", AT)
    assert code == 1
    assert out.startswith("INVALID: ")
