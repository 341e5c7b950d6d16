"""The test PKI verifies with the OpenSSL command line (VDC-PKI-025), and its CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests._support import unavailable
from vitale_ref.cli import main
from vitale_ref.pki import TEST_NOW, generate_test_pki

OPENSSL = shutil.which("openssl")
VECTORS = Path(__file__).resolve().parents[2] / "vectors"


def _require_openssl() -> str:
    if OPENSSL is None:
        unavailable("the openssl command is not installed (Debian package: openssl)")
    return OPENSSL


def _generate(tmp_path: Path, seed: str = "tests/pki/cli") -> Path:
    result = CliRunner().invoke(main, ["pki", "generate", "--seed", seed, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_cli_writes_pem_files_and_manifest(tmp_path: Path) -> None:
    """VDC-PKI-040: the files match generate_test_pki for the same seed."""
    out = _generate(tmp_path)
    pki = generate_test_pki("tests/pki/cli")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == "tests/pki/cli"
    assert [e["role"] for e in manifest["entities"]] == [e.name for e in pki.entities()]
    for entity in pki.entities():
        assert (out / f"{entity.name}.pem").read_bytes() == entity.pem


def test_cli_refuses_empty_seed(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["pki", "generate", "--seed", "", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "seed must be 1..256 characters" in result.output


@pytest.mark.parametrize(
    ("root", "leaf"),
    [
        ("issuing-root", "document-signer-1"),
        ("issuing-root", "document-signer-2"),
        ("issuing-root", "status-signer"),
        ("reader-root", "reader-doctor"),
        ("reader-root", "reader-pharmacist"),
        ("reader-root", "reader-nurse"),
    ],
)
def test_openssl_verify_accepts_every_chain(tmp_path: Path, root: str, leaf: str) -> None:
    """VDC-PKI-025: `openssl verify -x509_strict -purpose any` says OK."""
    openssl = _require_openssl()
    out = _generate(tmp_path)
    command = [
        openssl,
        "verify",
        "-x509_strict",
        "-purpose",
        "any",
        "-CAfile",
        str(out / f"{root}.pem"),
        "-untrusted",
        str(out / f"{root}.pem"),
        str(out / f"{leaf}.pem"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{out / leaf}.pem: OK"


def test_openssl_refuses_the_wrong_root(tmp_path: Path) -> None:
    """VDC-PKI-025: the reader root does not verify a document signer."""
    openssl = _require_openssl()
    out = _generate(tmp_path)
    command = [
        openssl,
        "verify",
        "-x509_strict",
        "-CAfile",
        str(out / "reader-root.pem"),
        str(out / "document-signer-1.pem"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode != 0
    assert "unable to get local issuer certificate" in done.stdout + done.stderr


def _malformed_vectors() -> list[tuple[str, str, str]]:
    """(comment, issuing root DER, leaf DER) of the vectors whose leaf is malformed as a
    certificate, not merely unfit for the profile: any X.509 library must refuse them."""
    document = json.loads((VECTORS / "pki" / "chains.json").read_text(encoding="utf-8"))
    return [
        (test["comment"], group["issuingRoot"], test["leaf"])
        for group in document["testGroups"]
        for test in group["tests"]
        if test["requirement"] == "VDC-PKI-007" or "key type is unknown" in test["comment"]
    ]


@pytest.mark.parametrize(("comment", "root", "leaf"), _malformed_vectors())
def test_openssl_refuses_the_malformed_vectors(
    tmp_path: Path, comment: str, root: str, leaf: str
) -> None:
    """VDC-PKI-003, VDC-PKI-007: OpenSSL, independently of the reference, refuses a leaf
    carrying an extension twice or a key of an unknown type (its signature is valid)."""
    openssl = _require_openssl()
    paths = {}
    for name, data in (("root", root), ("leaf", leaf)):
        path = tmp_path / f"{name}.der"
        path.write_bytes(bytes.fromhex(data))
        paths[name] = tmp_path / f"{name}.pem"
        subprocess.run(
            [openssl, "x509", "-inform", "DER", "-in", str(path), "-out", str(paths[name])],
            capture_output=True,
            timeout=30,
            check=True,
        )
    moment = str(int(TEST_NOW.timestamp()))
    command = [openssl, "verify", "-x509_strict", "-attime", moment, "-CAfile", str(paths["root"])]
    done = subprocess.run(
        [*command, str(paths["leaf"])], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode != 0, f"{comment}: {done.stdout}"
    assert "verification failed" in done.stdout + done.stderr, comment
