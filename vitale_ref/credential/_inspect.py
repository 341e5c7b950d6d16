"""Human-readable and JSON views of a decoded presentation (no verification)."""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from vitale_ref.credential._json import element_to_json
from vitale_ref.credential._model import QUALITY_CODES, ElementId, is_lunar
from vitale_ref.credential._structure import Presentation
from vitale_ref.pki import MALFORMED_NAME


def _when(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _subject(cert: x509.Certificate) -> str:
    """The subject for display; inspection verifies nothing, so it may be unreadable."""
    try:
        return cert.subject.rfc4514_string()
    except MALFORMED_NAME as error:
        return f"(unreadable subject: {error})"


def describe(presentation: Presentation) -> dict[str, Any]:
    """Every field of the presentation as JSON-ready data."""
    credential = presentation.credential
    tbs = credential.tbs
    point = tbs.device_public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "version": tbs.version,
        "serial": tbs.serial.hex(),
        "validFrom": _when(tbs.valid_from),
        "validUntil": _when(tbs.valid_until),
        "devicePublicKey": point.hex(),
        "deviceKeySha256": hashlib.sha256(point).hexdigest(),
        "status": {"listId": tbs.status.list_id, "index": tbs.status.index},
        "digestAlgorithm": "sha256",
        "digests": {ElementId(i).short_name: d.hex() for i, d in tbs.digests},
        "chain": [_subject(c) for c in credential.chain],
        "disclosed": {
            e.element_id.short_name: {"salt": e.salt.hex(), "value": element_to_json(e.value)}
            for e in presentation.disclosed
        },
        "sizes": {
            "presentation": len(presentation.encoding),
            "credential": len(credential.encoding),
            "chain": sum(len(c.public_bytes(serialization.Encoding.DER)) for c in credential.chain),
        },
    }


def _value_lines(element_id: ElementId, value: Any) -> list[str]:
    if element_id is ElementId.BIRTH_DATE and is_lunar(value):
        return [f"{value} (lunar date)"]
    if element_id is ElementId.QUALITY:
        return [f"{value} ({QUALITY_CODES[value]})"]
    if element_id is ElementId.AFFILIATION:
        return [f"regime {value['regime']}, caisse {value['caisse']}, centre {value['centre']}"]
    if element_id is ElementId.RIGHTS:
        return [f"{p['start']} to {p['end']}" for p in value]
    if element_id is ElementId.COMPLEMENTARY:
        return [
            f"AMC {c['organisation']}, {c['period']['start']} to {c['period']['end']}"
            for c in value
        ]
    if element_id is ElementId.MINORS:
        return [
            f"{m['given_names']} {m['family_name']}, NIR {m['nir']}, born {m['birth_date']}, "
            f"rank {m['birth_rank']}, quality {m['quality']}"
            for m in value
        ]
    return [str(value)]


def element_lines(element_id: ElementId, value: Any) -> list[str]:
    """A decoded element value as lines of text for a terminal."""
    return _value_lines(element_id, element_to_json(value))


def render(presentation: Presentation) -> list[str]:
    """The presentation as lines of text for a terminal."""
    info = describe(presentation)
    lines = [
        f"credential version {info['version']}, serial {info['serial']}",
        f"  valid {info['validFrom']} to {info['validUntil']}",
        f"  device key sha256 {info['deviceKeySha256']}",
        f"  status list {info['status']['listId']}, index {info['status']['index']}",
        f"  digests for: {', '.join(info['digests'])}",
        f"  signed by: {info['chain'][0]}",
        f"  sizes: presentation {info['sizes']['presentation']} bytes, credential "
        f"{info['sizes']['credential']} bytes (chain {info['sizes']['chain']})",
        f"disclosed elements ({len(presentation.disclosed)}):",
    ]
    for element in presentation.disclosed:
        values = element_lines(element.element_id, element.value)
        lines.append(f"  {element.element_id.short_name}: {values[0] if values else ''}")
        lines.extend(f"      {v}" for v in values[1:])
    return lines
