"""An independent ASN.1 compiler agrees with the reference (issue 3 "Done when")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import asn1tools

from conformance.vectors import iter_cases
from vitale_ref.credential import (
    ElementId,
    StatusList,
    decode_presentation,
    decode_status_list,
    element_to_json,
    samples,
    sign_status_list,
)
from vitale_ref.pki import TEST_NOW, generate_test_pki

DAY = timedelta(days=1)
MODULE = Path(__file__).resolve().parents[2] / "spec" / "vdc.asn"
COMPILED = asn1tools.compile_files(str(MODULE), "der")
_KEYS = {
    "familyName": "family_name",
    "givenNames": "given_names",
    "birthDate": "birth_date",
    "birthRank": "birth_rank",
}


def _normalise(value: Any) -> Any:
    """asn1tools' camelCase dicts to the reference's JSON form."""
    if isinstance(value, dict):
        return {_KEYS.get(k, k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def test_module_compiles_and_decodes_every_valid_vector() -> None:
    """VDC-CRED-001: asn1tools decodes each valid presentation to the reference's values."""
    checked = 0
    for case in iter_cases("credential/presentations.json"):
        if case.result != "valid":
            continue
        data = bytes.fromhex(case.data["presentation"])
        theirs = COMPILED.decode("Presentation", data)
        ours = decode_presentation(data)
        tbs, their_tbs = ours.credential.tbs, theirs["credential"]["tbs"]
        assert their_tbs["version"] == tbs.version
        assert bytes(their_tbs["serial"]) == tbs.serial
        assert their_tbs["status"] == {"listId": tbs.status.list_id, "index": tbs.status.index}
        assert [(d["elementId"], bytes(d["digest"])) for d in their_tbs["digests"]] == list(
            tbs.digests
        )
        assert bytes(theirs["credential"]["signature"]) == ours.credential.signature
        their_elements = {
            ElementId[name.upper()] if name.islower() else _camel(name): _normalise(value)
            for name, value in (item["value"] for item in theirs["disclosed"])
        }
        assert their_elements == {e.element_id: element_to_json(e.value) for e in ours.disclosed}
        assert [bytes(item["salt"]) for item in theirs["disclosed"]] == [
            e.salt for e in ours.disclosed
        ]
        assert COMPILED.encode("Presentation", theirs) == data
        checked += 1
    assert checked >= 10


def _camel(name: str) -> ElementId:
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
    return ElementId[snake.upper()]


def test_status_list_agrees() -> None:
    """VDC-CRED-050: the revoked bit string reads the same in both decoders."""
    pki = generate_test_pki("tests/credential")
    status = StatusList.new(9, 24)
    status.revoke(3)
    status.revoke(17)
    data = sign_status_list(
        status, signer=pki.status_signer, this_update=TEST_NOW, next_update=TEST_NOW + DAY
    )
    theirs = COMPILED.decode("StatusList", data)
    bits, length = theirs["tbs"]["revoked"]
    assert (bytes(bits), length) == (bytes(decode_status_list(data).status.bits), 24)
    assert COMPILED.encode("StatusList", theirs) == data


def test_typical_credential_size_is_the_one_in_the_spec() -> None:
    """VDC-CRED size figure: spec/credential.md states the measured sizes."""
    sample = samples.issue_typical("vectors/credential")
    chapter = (MODULE.parent / "credential.md").read_text(encoding="utf-8")
    credential = len(sample.issued.credential)
    full = len(sample.issued.full_presentation())
    assert f"**{credential} bytes** of DER for the signed credential" in chapter
    assert f"**{full} bytes** for a presentation disclosing every element" in chapter
