"""Helpers of the holder app tests: holders enrolled with the real `vitale enrol`.

Answers are scripted, randomness seeded and the clock fixed; phones enrolled with the
same `service_db` share one enrolment service, so enrolling the same person again
revokes the first credential. Every person is synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from vitale_ref.app import AppLink, HolderApp, WorldReader
from vitale_ref.cli import main
from vitale_ref.enrolment.samples import CAMILLE
from vitale_ref.pki import TestPKI
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import ReaderError, ReadResult

ENROLLED_AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
UNLOCK_AT = ENROLLED_AT + timedelta(hours=1)
PRESENT_AT = UNLOCK_AT + timedelta(seconds=10)
PIN = "135790"
ANSWERS = {
    "france-identite": [CAMILLE.nir, "ios", "17", "2022-05-01", PIN, PIN],
    "document": [CAMILLE.nir, "android", "14", "1", "@code", "", "photo", PIN, PIN, PIN],
}


@dataclass(frozen=True)
class Enrolled:
    store: Path
    service_db: Path
    output: str


def enrol(folder: Path, route: str, phone: str = "phone-1", at: datetime = ENROLLED_AT) -> Enrolled:
    """CAMILLE enrolled by `route` on `phone`, with the service database of `folder`."""
    store = folder / f"{phone}.db"
    service_db = folder / "service.db"
    answers = folder / f"{phone}.answers"
    answers.write_text("\n".join(ANSWERS[route]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "enrol",
            *("--store", str(store), "--service-db", str(service_db)),
            *("--route", route, "--answers", str(answers), "--fast-forward"),
            *("--now", at.isoformat(), "--seed", f"app-test/{phone}"),
        ],
    )
    assert result.exit_code == 0, result.output
    return Enrolled(store=store, service_db=service_db, output=result.output)


def open_app(store: Path, pki: TestPKI) -> HolderApp:
    root = pki.reader_root.certificate
    return HolderApp.open(store, random=seeded_random("app-test/holder"), reader_root=root)


def read(
    app: HolderApp, reader: WorldReader, at: datetime = PRESENT_AT
) -> tuple[AppLink, ReadResult | ReaderError]:
    """A full read by `reader` at `at`: the link with its trace, and the result or error."""
    link = AppLink(app, at)
    try:
        return link, reader.read(link.transmit, now=at, random=seeded_random("app-test/reader"))
    except ReaderError as error:
        return link, error
