"""`attended:ROOT`: a terminal with no automation interface, driven by an operator
(spec/harness.md, Readers under test, attended mode).

ROOT is the file (DER or PEM) of the reader root certificate that issued the terminal's
certificate: the suite's holders trust it. With `--card`, the suite puts its card where
the terminal reads it; the operator installs the suite's trust material in the
terminal when asked, presents the card when asked, and reports what the terminal showed:
`a` accepted and showed the holder's data, `r` refused, `n` nothing. Every verdict that
rests on such a report is operator-confirmed in every report.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from conformance.adapters._base import Hello, IutBase, OperationError, Transmit
from conformance.adapters._card import NfcCardSlot, PcscCardSlot, wait_until_quiet
from conformance.adapters._operator import Operator
from conformance.outcomes import NotApplicable, RunInconclusive
from vitale_ref.credential import ElementId

QUIET = 1.0
"""Seconds without a command after which the terminal is taken to have finished."""
OPERATOR_DIR_VARIABLE = "VDC_OPERATOR_DIR"


def _certificate(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValueError(f"cannot read the reader root {path}: {error.strerror}") from None
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
        return x509.load_der_x509_certificate(data).public_bytes(Encoding.DER)
    except ValueError:
        raise ValueError(f"{path} is not a DER or PEM certificate") from None


def _element_name(element: int) -> str:
    try:
        return ElementId(element).name.lower().replace("_", " ")
    except ValueError:
        return f"element {element}"


class AttendedReader(IutBase):
    """The operator standing for the control program of a reader under test."""

    mode = "attended"

    def __init__(self, root: Path) -> None:
        super().__init__(target=f"attended:{root}")
        self.root = _certificate(root)
        self.operator = Operator()
        self.slot: PcscCardSlot | NfcCardSlot | None = None
        self.installed: tuple[bytes, bytes | None] | None = None
        self.folder = Path(
            os.environ.get(OPERATOR_DIR_VARIABLE) or tempfile.mkdtemp(prefix="vdc-operator-")
        )

    def attach(self, slot: PcscCardSlot | NfcCardSlot) -> None:
        self.slot = slot
        self.operator.say(f"the suite's card is {slot.where()}")

    def hello(self) -> Hello:
        return Hello(
            name="attended terminal",
            version="reported by the operator",
            profiles=("reader",),
            operations=("hello", "reader.setup", "reader.read"),
        )

    def call(
        self, operation: str, params: dict[str, Any], *, transmit: Transmit | None = None
    ) -> dict[str, Any]:
        if operation == "reader.setup":
            return self._setup(params)
        if operation == "reader.read":
            return self._read(params)
        raise NotApplicable(f"{operation}: not offered by an attended terminal")

    def _setup(self, params: dict[str, Any]) -> dict[str, Any]:
        anchor = bytes.fromhex(params["trustAnchor"])
        status = bytes.fromhex(params["statusList"]) if "statusList" in params else None
        if self.installed != (anchor, status):
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / "issuing-root.der").write_bytes(anchor)
            material = [str(self.folder / "issuing-root.der")]
            listed = self.folder / "status-list.der"
            listed.unlink(missing_ok=True)
            if status is not None:
                listed.write_bytes(status)
                material.append(str(listed))
            self.note("=", f"operator asked to install {', '.join(material)}")
            answer = self.operator.ask(
                "install in the terminal, replacing what it trusts: "
                + " and ".join(material)
                + "; then press Enter"
            )
            if answer is None:
                raise RunInconclusive("the operator did not confirm the terminal's set-up")
            self.installed = (anchor, status)
        return {"readerRoot": self.root.hex().upper()}

    def _read(self, params: dict[str, Any]) -> dict[str, Any]:
        assert self.slot is not None, "attended:ROOT needs --card"
        requested = [int(element) for element in params["requested"]]
        names = ", ".join(_element_name(e) for e in requested)
        self.operator.say(
            f"present the card to the terminal now ({self.slot.where()}); the terminal "
            f"takes {params['now']} as the current time and should ask for: {names}"
        )
        record = self.slot.card.current()
        until = time.monotonic() + self.operator.timeout
        if record is None or not wait_until_quiet(self.slot.card, record, quiet=QUIET, until=until):
            raise RunInconclusive("the terminal did not read the card")
        answer = self.operator.ask(
            "what did the terminal show? a = it accepted the card and showed the holder's "
            "data, r = it refused the card or reported an error, n = nothing"
        )
        self.note("=", f"operator reported {answer!r}")
        if answer == "a":
            self.operator_confirmed = True
            return {"elements": {str(e): "shown by the terminal" for e in requested}}
        if answer == "r":
            self.operator_confirmed = True
            raise OperationError("rejected", "the operator reported a refusal")
        raise RunInconclusive(f"the operator reported {answer or 'nothing'!r} for the read")

    def close(self) -> None:
        self.operator.close()


def open_adapter(target: str) -> AttendedReader:
    """`attended:ROOT`, ROOT the terminal's reader root certificate (DER or PEM)."""
    if not target:
        raise ValueError("attended: needs the file of the terminal's reader root certificate")
    return AttendedReader(Path(target))
