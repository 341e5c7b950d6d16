"""Invalid credential vectors: field values of the data model (VDC-CRED-020..031)."""

from __future__ import annotations

from tools.vectorgen.credential_case import Case
from tools.vectorgen.credential_cases_encoding import ENC, FMT, _base
from tools.vectorgen.credential_forge import element, present
from vitale_ref.credential import ElementId
from vitale_ref.pki import der


def _with_value(tag: int, content: bytes, element_id: ElementId) -> bytes:
    """A presentation disclosing one hand-made element whose digest the issuer signed."""
    parts, _, _ = _base()
    made = element(tag, content)
    resigned = parts.with_digest(int(element_id), made)
    return present(resigned.credential(), [made])


def _minor(**fields: bytes) -> bytes:
    base = {
        "nir": der.printable("115077505604539"),
        "family": der.utf8("EXEMPLE"),
        "given": der.utf8("Léo"),
        "born": der.numeric("20150714"),
        "rank": der.integer(1),
        "quality": der.integer(6),
    }
    base.update(fields)
    return der.sequence(*base.values())


def value_cases() -> list[Case]:
    nir, name, date = ElementId.NIR, ElementId.FAMILY_NAME, ElementId.BIRTH_DATE
    period = der.sequence(der.numeric("20270101"), der.numeric("20261231"))
    rows = [
        ("NIR with a wrong key", "InvalidNir", "VDC-CRED-020", 0x81, b"285057505612339", nir),
        ("NIR with lower-case 2a", "InvalidNir", "VDC-CRED-020", 0x81, b"185052a12345633", nir),
        ("NIR of 13 characters", "InvalidNir", "VDC-CRED-020", 0x81, b"2850575056123", nir),
        (
            "family name not in NFC",
            "InvalidName",
            "VDC-CRED-021",
            0x82,
            "EXE\u0301MPLE".encode(),
            name,
        ),
        ("family name of 65 characters", "InvalidName", "VDC-CRED-021", 0x82, b"E" * 65, name),
        ("family name with a line feed", "InvalidName", "VDC-CRED-021", 0x82, b"EXEMPLE\n", name),
        (
            "family name with a trailing space",
            "InvalidName",
            "VDC-CRED-021",
            0x82,
            b"EXEMPLE ",
            name,
        ),
        ("birth date with a letter O", "InvalidDate", "VDC-CRED-022", 0x84, b"1985O521", date),
        ("birth year 1799", "InvalidDate", "VDC-CRED-022", 0x84, b"17990101", date),
        ("birth date of 9 digits", "InvalidDate", "VDC-CRED-022", 0x84, b"198505210", date),
        ("birth rank 0", "FieldConstraint", "VDC-CRED-023", 0x85, b"\x00", ElementId.BIRTH_RANK),
        ("quality 10", "FieldConstraint", "VDC-CRED-024", 0x86, b"\x0a", ElementId.QUALITY),
        (
            "regime of 3 digits",
            "FieldConstraint",
            "VDC-CRED-025",
            0xA7,
            der.numeric("011") + der.numeric("751") + der.numeric("0001"),
            ElementId.AFFILIATION,
        ),
        (
            "rights period ending before it starts",
            "InvalidDate",
            "VDC-CRED-026",
            0xA8,
            period,
            ElementId.RIGHTS,
        ),
        (
            "rights period starting on 30 February",
            "InvalidDate",
            "VDC-CRED-026",
            0xA8,
            der.sequence(der.numeric("20260230"), der.numeric("20261231")),
            ElementId.RIGHTS,
        ),
        (
            "AMC organisation of 7 digits",
            "FieldConstraint",
            "VDC-CRED-027",
            0xA9,
            der.sequence(
                der.numeric("9999990"),
                der.sequence(der.numeric("20260101"), der.numeric("20261231")),
            ),
            ElementId.COMPLEMENTARY,
        ),
        ("empty list of minors", "FieldConstraint", "VDC-CRED-031", 0xAA, b"", ElementId.MINORS),
        ("nine minors", "FieldConstraint", "VDC-CRED-031", 0xAA, _minor() * 9, ElementId.MINORS),
        (
            "minor with a wrong NIR key",
            "InvalidNir",
            "VDC-CRED-028",
            0xAA,
            _minor(nir=der.printable("115077505604538")),
            ElementId.MINORS,
        ),
        (
            "minor with birth rank 10",
            "FieldConstraint",
            "VDC-CRED-028",
            0xAA,
            _minor(rank=der.integer(10)),
            ElementId.MINORS,
        ),
    ]
    cases = [
        Case(
            comment=c, flag=f, error=FMT, requirement=r, presentation=_with_value(tag, content, eid)
        )
        for c, f, r, tag, content, eid in rows
    ]
    cases.append(
        Case(
            comment="family name that is not UTF-8",
            flag="InvalidName",
            error=ENC,
            requirement="VDC-CRED-030",
            presentation=_with_value(0x82, b"EX\xffMPLE", name),
        )
    )
    return cases
