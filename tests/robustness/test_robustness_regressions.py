"""Fuzz findings kept as regression vectors (vectors/regressions/fuzz.json).

Verifies VDC-CRED-900, VDC-HARN-900 and VDC-NFC-901. Each vector records a defect that
the fuzzers found and that has been fixed (tools/fuzz/known.py describes each one); its
target must now refuse the input with the typed error, and any other exception fails.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from conformance.vectors import VectorCase, iter_cases
from tools.fuzz.known import FINDINGS
from tools.fuzz.targets import TARGETS, armed_holder, der_decoder, fuzz_world
from tools.vectorgen.pki_chains import resigned, twice_key_usage, unknown_key_type
from tools.vectorgen.regressions import unknown_version
from vitale_ref.apdu import AID, INS, CommandApdu, ResponseApdu
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import ReaderIdentity, handshake

CASES = list(iter_cases("regressions/fuzz.json"))


def test_robustness_every_vector_names_a_known_finding() -> None:
    """Each regression vector points at a finding described in tools/fuzz/known.py."""
    names = {finding.name for finding in FINDINGS}
    assert {case.data["finding"] for case in CASES} <= names
    assert {case.result for case in CASES} == {"invalid"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"tc{c.tc_id}-{c.data['finding']}")
def test_robustness_regression(case: VectorCase) -> None:
    """The target raises nothing but the typed error; a der input is refused with it."""
    data = bytes.fromhex(case.data["input"])
    TARGETS[case.group["target"]](data)
    if case.group["target"] == "der":
        decode, typed, body = der_decoder(data)
        with pytest.raises(typed):
            decode(body)


def _bad_reader_certificates() -> list[tuple[str, bytes]]:
    world = fuzz_world()
    doctor, root = world.pki.readers["doctor"], world.pki.reader_root
    return [
        ("x509-version-122", unknown_version(doctor.der)),
        ("unknown-key-type", _der(resigned(doctor.certificate, root, unknown_key_type))),
        ("key-usage-twice", _der(resigned(doctor.certificate, root, twice_key_usage))),
    ]


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


BAD_READERS = _bad_reader_certificates()


@pytest.mark.parametrize(("name", "bad"), BAD_READERS, ids=[name for name, _ in BAD_READERS])
def test_robustness_holder_refuses_malformed_reader_certificates(name: str, bad: bytes) -> None:
    """VDC-NFC-901: a reader chain whose certificate has X.509 version 122, a key of an
    unknown type or an extension twice gets a status word of the table (reader
    authentication failed), not 6F00."""
    world = fuzz_world()
    holder = armed_holder()
    holder.arm(world.now + timedelta(seconds=60))
    select = CommandApdu(cla=0, ins=INS.SELECT, p1=4, p2=0, data=AID, ne=256).to_bytes()
    fci = ResponseApdu.parse(holder.respond(select, world.now)).data
    doctor = world.pki.readers["doctor"]
    identity = ReaderIdentity(chain=(bad,), key=doctor.private_key)
    hs = handshake(fci, identity, seeded_random(f"robustness/{name}"))
    establish = CommandApdu(
        cla=0x80, ins=INS.ESTABLISH, p1=0, p2=0, data=hs.establish, extended=True
    ).to_bytes()
    answer = ResponseApdu.parse(holder.respond(establish, world.now))
    assert answer.sw not in (0x6F00, 0x9000)
    assert answer.data == b""
