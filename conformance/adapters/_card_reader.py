"""A reader under test that reads the suite's card over a real transport (spec/harness.md,
"Readers under test"; VDC-HARN-050, VDC-TRN-042, VDC-TRN-043).

`with_card(iut, "pcsc")` wraps the implementation that drives the reader (a `stdio:`
control program in the automated mode, the operator in the attended mode, or the
reference in process): every `reader.read` of a case is sent with the parameter `card`
while the suite's card plays that case's holder, and the card, not the driver protocol,
carries the APDUs. The suite waits at most the reader timeout for the first command; a
reader that does not show up stops the run, inconclusive. What the card saw is judged
(conformance.adapters._card_judge) together with the outcome the reader reported.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from conformance.adapters._base import Hello, IutBase, OperationError, Transmit
from conformance.adapters._card import (
    NfcCardSlot,
    PcscCardSlot,
    Presentation,
    open_card,
    wait_for_presentation,
)
from conformance.adapters._card_judge import CardJudge
from conformance.outcomes import IutFailure, NotApplicable, RunInconclusive, WireBreach

DEFAULT_READER_TIMEOUT = 30.0
"""Seconds the suite waits for a reader under test to reach its card (spec/harness.md)."""
CARD_VARIABLE = "VDC_CARD"
READER_TIMEOUT_VARIABLE = "VDC_READER_TIMEOUT"


def reader_timeout() -> float:
    return float(os.environ.get(READER_TIMEOUT_VARIABLE) or DEFAULT_READER_TIMEOUT)


class CardReaderIut(IutBase):
    """The implementation driving the reader, with the suite's card on a real transport."""

    def __init__(self, inner: IutBase, slot: PcscCardSlot | NfcCardSlot, *, timeout: float) -> None:
        super().__init__(target=inner.target)
        self.inner = inner
        self.slot = slot
        self.binding = slot.binding
        self.reader_timeout = timeout
        self.trace = inner.trace  # one trace: the evidence of the running case
        self.judge = CardJudge()
        self.mode = str(getattr(inner, "mode", "automated"))
        self._absent = ""
        waits = getattr(inner, "timeout", None)
        if isinstance(waits, float | int):
            # The program waits for the card as long as the suite does, then reads.
            setattr(inner, "timeout", float(waits) + timeout)  # noqa: B010

    # -- delegation ----------------------------------------------------------------------

    def hello(self) -> Hello:
        return self.inner.hello()

    def restart(self, operation: str = "holder.restart") -> None:
        self.inner.restart(operation)

    def begin_case(self) -> None:
        if self._absent:
            raise RunInconclusive(self._absent)
        self.inner.begin_case()
        self.operator_confirmed = False

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            self.slot.close()

    # -- reads ---------------------------------------------------------------------------

    def call(
        self, operation: str, params: dict[str, Any], *, transmit: Transmit | None = None
    ) -> dict[str, Any]:
        if self._absent:
            raise RunInconclusive(self._absent)
        if operation != "reader.read":
            return self.inner.call(operation, params, transmit=transmit)
        if transmit is None:
            raise NotApplicable("reader.read without a holder for the card to play")
        record = self.slot.card.present(transmit)
        self.note("=", f"{self.slot.where()} now plays the case's holder")
        try:
            return self._read({**params, "card": self.slot.describe()}, record)
        finally:
            self.slot.card.withdraw()
            self.operator_confirmed = self.operator_confirmed or self.inner.operator_confirmed

    def _read(self, params: dict[str, Any], record: Presentation) -> dict[str, Any]:
        answer: list[dict[str, Any]] = []
        failure: list[BaseException] = []
        done = threading.Event()

        def drive() -> None:
            try:
                answer.append(self.inner.call("reader.read", params, transmit=None))
            except BaseException as error:  # handed to the suite's thread below
                failure.append(error)
            finally:
                done.set()

        threading.Thread(target=drive, name="reader-under-test", daemon=True).start()
        until = time.monotonic() + self.reader_timeout
        if not wait_for_presentation(self.slot.card, record, until=until, done=done):
            if failure and not isinstance(failure[0], OperationError | RunInconclusive):
                # A crash, garbage, or APDUs relayed as transmit messages (VDC-HARN-050):
                # the reader answered, and broke the protocol, without reaching the card.
                raise failure[0]
            self._give_up(done)
        done.wait()
        outcome = "elements"
        if failure:
            error = failure[0]
            if not isinstance(error, OperationError):
                raise error
            outcome = error.kind
        self._check(record, outcome)
        if failure:
            raise failure[0]
        return answer[0]

    def _give_up(self, done: threading.Event) -> None:
        """No command reached the card: the reader did not show up (the run stops)."""
        how = "answered the read without reaching" if done.is_set() else "did not reach"
        self._absent = (
            f"the reader under test {how} {self.slot.where()} within "
            f"{self.reader_timeout:g} s: nothing could be observed"
        )
        self.note("=", self._absent)
        if not done.is_set():
            self.inner.close()  # ends a program still waiting; the run stops anyway
        raise RunInconclusive(self._absent)

    def _check(self, record: Presentation, outcome: str) -> None:
        if record.errors:  # the suite's own holder failed: a defect of the suite
            raise RuntimeError(f"the suite's played holder failed: {record.errors[0]}")
        for exchange in record.exchanges:
            self.note("card <", f"APDU {exchange.command.hex().upper()}")
            self.note("card >", f"APDU {exchange.response.hex().upper()}")
        breaches = self.judge.judge(record, outcome)
        if breaches:
            raise WireBreach(
                f"as the card, the suite saw the reader break {breaches[0].requirement}: "
                f"{breaches[0].message}",
                expected="a reader following the command rules of VDC-NFC and VDC-SM",
                got="; ".join(f"{b.requirement}: {b.message}" for b in breaches),
                requirements=sorted({b.requirement for b in breaches}),
            )


def with_card(iut: IutBase, spec: str, *, timeout: float | None = None) -> CardReaderIut:
    """`iut` reading the suite's card at `spec` (`pcsc[:READER]`, `nfc:PATH`)."""
    if getattr(iut, "binding", "") in ("pcsc", "nfc"):
        iut.close()
        raise ValueError(
            "--card puts a reader under test; pcsc: and nfc: put a holder under test "
            "(use --card with stdio:COMMAND, attended:ROOT or ref)"
        )
    try:
        slot = open_card(spec)
    except (ValueError, IutFailure):
        iut.close()
        raise
    attach = getattr(iut, "attach", None)
    if callable(attach):
        attach(slot)
    return CardReaderIut(iut, slot, timeout=reader_timeout() if timeout is None else timeout)
