"""Seed inputs for the fuzz targets: genuine messages of a synthetic session.

Each seed starts with the selector byte its target reads first, so the fuzzer begins
from valid encodings of every decoder and mutates from there.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from vitale_ref.apdu import AID, INS, CommandApdu, encode_tlv
from vitale_ref.credential import StatusList, sign_status_list
from vitale_ref.credential.samples import issue_typical
from vitale_ref.holder.samples import sample_world
from vitale_ref.pki import TEST_NOW
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import handshake, signed_receipt
from vitale_ref.sm import Receipt, encode_read_response, encode_request


def _apdu_seeds() -> list[bytes]:
    select = CommandApdu(cla=0, ins=INS.SELECT, p1=4, p2=0, data=bytes(7), ne=256)
    long = CommandApdu(cla=0x80, ins=INS.ESTABLISH, p1=0, p2=0, data=bytes(300), extended=True)
    chained = CommandApdu(cla=0x90, ins=INS.READ, p1=0, p2=0, data=bytes(20))
    seeds = [b"\x00" + c.to_bytes() for c in (select, long, chained)]
    seeds += [b"\x01" + bytes.fromhex("6a82"), b"\x02" + encode_tlv(0x6F, encode_tlv(0x84, b"x"))]
    sequence = b"".join(bytes([len(c)]) + c for c in (select.to_bytes(), chained.to_bytes()))
    return [*seeds, b"\x03" + sequence]


def _der_seeds() -> list[bytes]:
    sample = issue_typical("vdc-fuzz-seed")
    issued = sample.issued
    status_list = StatusList.new(1, 64)
    status = sign_status_list(
        status_list,
        signer=sample.pki.status_signer,
        this_update=TEST_NOW,
        next_update=TEST_NOW + timedelta(days=1),
    )
    return [
        b"\x00" + encode_tlv(0x30, b"\x02\x01\x05"),
        b"\x01" + issued.credential,
        b"\x02" + issued.presentation([1, 2]),
        b"\x03" + status,
        b"\x04" + sample.pki.readers["doctor"].der,
        # A signer that validates under the root the target uses, so that mutations
        # reach every check of the path validation.
        b"\x05" + sample_world("vdc-fuzz").pki.document_signer.der,
    ]


def _sm_seeds() -> list[bytes]:
    world = sample_world("vdc-fuzz-seed")
    holder = world.holder()
    holder.arm(world.now + timedelta(seconds=60))
    select = CommandApdu(cla=0, ins=INS.SELECT, p1=4, p2=0, data=AID, ne=256)
    fci = holder.respond(select.to_bytes(), world.now)[:-2]
    hs = handshake(fci, world.reader(), seeded_random("vdc-fuzz-seed/reader"))
    receipt = Receipt(time=world.now, rpps=world.rpps(), act="G", amount_cents=2500)
    signed = signed_receipt(hs, world.reader(), receipt)
    return [
        b"\x00" + fci,
        b"\x01" + hs.establish,
        b"\x02" + encode_request([1, 2, 3]),
        b"\x03" + encode_read_response(b"\x30\x00", bytes(64)),
        b"\x04" + receipt.encode(),
        b"\x05" + signed,
        b"\x06" + bytes([0x80, INS.READ, 0, 0]) + bytes(40),
        b"\x07" + b"\xcb" + encode_request([1, 2]),
        b"\x07" + b"\xdb" + signed,
    ]


def _harn_seeds() -> list[bytes]:
    answers = [
        {"id": 1, "result": {"nir": "180057512345678"}},
        {"id": 1, "error": {"kind": "invalid_nir", "message": "synthetic"}},
        {"id": 1, "unsupported": "no"},
        {"id": 1, "transmit": "00A40400"},
    ]
    requests = [
        {"id": 1, "op": "hello", "params": {"protocol": "vdc-harness/1"}},
        {"id": 2, "op": "nir.validate", "params": {"nir": "180057512345678"}},
        {"id": 3, "op": "reset", "params": {}},
    ]
    seeds = [b"\x00" + json.dumps(a).encode() + b"\n" for a in answers]
    return [*seeds, b"\x01" + "".join(json.dumps(r) + "\n" for r in requests).encode()]


SEEDS = {"apdu": _apdu_seeds, "der": _der_seeds, "sm": _sm_seeds, "harn": _harn_seeds}


def write_seeds(name: str, directory: Path) -> int:
    """Write the seeds of target `name` into `directory`; returns how many."""
    directory.mkdir(parents=True, exist_ok=True)
    seeds = SEEDS[name]()
    for number, seed in enumerate(seeds):
        (directory / f"seed-{number:02d}").write_bytes(seed)
    return len(seeds)
