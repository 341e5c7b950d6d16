"""Reader profile: holders whose credential or status list breaks one rule of the reader's
verification (VDC-CRED-041..053, VDC-SM-051), and the edges of every validity window.

The suite plays an honest holder with a credential it issued for the case; only the
credential, the status list given to the reader or the reader's `now` changes. A reader
must refuse (`rejected`) one second outside a window and accept at its very edges, and
must send nothing after the presentation it refused (VDC-NFC-205).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from conformance.adapters import IutBase
from conformance.cases import _material as m
from conformance.cases.reader import _reading as r
from conformance.cases.reader._played import READ, Played, Tweak
from conformance.catalogue import Param, Parameter, param, tc
from conformance.outcomes import expect
from vitale_ref.credential import StatusList, decode_presentation, samples, sign_status_list

SECOND = timedelta(seconds=1)
FROM, UNTIL = m.NOW - timedelta(days=10), m.NOW + timedelta(days=10)
"""The validity of the credentials of these cases."""
THIS_UPDATE, NEXT_UPDATE = m.NOW - timedelta(days=5), m.NOW + timedelta(days=5)
"""The window of their status lists, inside the credentials' validity."""

R_CRED051_NFC205 = ("VDC-CRED-051", "VDC-NFC-205")
R_CRED052_NFC205 = ("VDC-CRED-052", "VDC-NFC-205")


def _edges_credential() -> samples.SampleCredential:
    return r.issued("edges", index=5, valid_from=FROM, valid_until=UNTIL)


def _accepted(iut: IutBase, holder: Played, now: datetime, what: str) -> None:
    result = r.read(iut, holder, now=now)
    got = sorted(int(k) for k in result["elements"])
    expect(
        got == list(r.REQUESTED), f"{what} refused", expected=str(list(r.REQUESTED)), got=str(got)
    )


def _validity() -> Iterable[Param | Parameter]:
    yield "1s-before-valid-from", (FROM - SECOND, False)
    yield "at-valid-from", (FROM, True)
    yield "at-valid-until", (UNTIL, True)
    yield "1s-after-valid-until", (UNTIL + SECOND, False)


@tc(
    "TC-CRED-100",
    title="A reader accepts a credential from validFrom to validUntil inclusive, no longer",
    purpose="A credential valid for twenty days is read one second before validFrom, at "
    "validFrom, at validUntil and one second after validUntil: the reader refuses the "
    "first and the last (sending nothing after READ ELEMENTS) and returns the elements at "
    "both edges.",
    verifies=["VDC-CRED-043", "VDC-SM-051", "VDC-NFC-205"],
    profile="reader",
    kind="boundary",
    preconditions="the reader trusts the suite's issuing root; no status list",
    expected="rejected outside, the requested elements at the edges",
    operations=r.OPS,
    params=_validity,
)
def test_credential_validity(iut: IutBase, param: tuple[datetime, bool]) -> None:
    now, accepted = param
    r.setup(iut)
    holder = r.played(_edges_credential())
    if accepted:
        _accepted(iut, holder, now, "a credential inside its validity")
    else:
        r.rejected(iut, holder, "a credential outside its validity", last=READ, now=now)


def _list(
    list_id: int = 1, size: int = 64, *, revoked: int | None = None, **signing: object
) -> bytes:
    status = StatusList.new(list_id, size)
    if revoked is not None:
        status.revoke(revoked)
    pki = m.material().pki
    options = {"signer": pki.status_signer, "this_update": THIS_UPDATE, "next_update": NEXT_UPDATE}
    options.update(signing)
    return sign_status_list(status, **options)  # type: ignore[arg-type]


def _freshness() -> Iterable[Param | Parameter]:
    yield "1s-before-this-update", (_list, THIS_UPDATE - SECOND, None, False)
    yield "at-this-update", (_list, THIS_UPDATE, None, True)
    yield "at-next-update", (_list, NEXT_UPDATE, None, True)
    yield "1s-after-next-update", (_list, NEXT_UPDATE + SECOND, None, False)
    yield "index-63-of-64", (_list, m.NOW, 63, True)
    yield "index-64-of-64", (_list, m.NOW, 64, False)
    yield "index-7-of-8", (lambda: _list(size=8), m.NOW, 7, True)
    yield "index-8-of-8", (lambda: _list(size=8), m.NOW, 8, False)


@tc(
    "TC-CRED-101",
    title="A status list is used from thisUpdate to nextUpdate inclusive and for indices "
    "within its size",
    purpose="With a status list valid for ten days the reader refuses a read one "
    "second before thisUpdate and one second after nextUpdate and accepts at both edges; "
    "a credential at the last index of a list of 64 (or 8) entries is read, one at the "
    "index equal to the size is refused.",
    verifies=["VDC-CRED-052", "VDC-NFC-205"],
    profile="reader",
    kind="boundary",
    preconditions="the reader set up with the suite's issuing root and the status list",
    expected="rejected outside the window or the list, the elements at the edges",
    operations=r.OPS,
    params=_freshness,
)
def test_status_list_edges(
    iut: IutBase, param: tuple[Callable[[], bytes], datetime, int | None, bool]
) -> None:
    make, now, index, accepted = param
    sample = (
        _edges_credential()
        if index is None
        else r.issued(f"index-{index}", index=index, valid_from=FROM, valid_until=UNTIL)
    )
    r.setup(iut, status_list=make())
    holder = r.played(sample)
    if accepted:
        _accepted(iut, holder, now, "a credential with a valid status")
    else:
        r.rejected(iut, holder, "a status list outside its bounds", last=READ, now=now)


def _other_signer() -> bytes:
    from vitale_ref.pki import generate_test_pki

    other = generate_test_pki(f"{m.SEED}/other")
    return _list(signer=other.status_signer)


def _list_failures() -> Iterable[Param | Parameter]:
    material = m.material()
    yield param(
        "signed-by-a-document-signer",
        lambda: _list(signer=material.pki.document_signer),
        *R_CRED051_NFC205,
    )
    yield param("signed-under-another-root", _other_signer, *R_CRED051_NFC205)
    yield param("signature-altered", lambda: m.list_with_bad_signature(_list()), *R_CRED051_NFC205)
    yield param("another-list-id", lambda: _list(list_id=2), *R_CRED052_NFC205)
    yield param(
        "the-credential-revoked",
        lambda: _list(revoked=5),
        "VDC-CRED-053",
        "VDC-NFC-205",
        "VDC-HARN-014",
    )
    yield param(
        "stale-by-a-day",
        lambda: _list(this_update=FROM - timedelta(days=9), next_update=m.NOW - timedelta(days=1)),
        *R_CRED052_NFC205,
    )
    yield param("not-a-status-list", lambda: b"\x30\x03\x02\x01\x01", *R_CRED052_NFC205)
    yield param("truncated", lambda: _list()[:-10], *R_CRED052_NFC205)


@tc(
    "TC-CRED-102",
    title="A reader refuses a read when its status list fails a check",
    purpose="Set up with a status list signed by a document signer or under another "
    "root, with an altered signature, for another list, marking the credential revoked, "
    "a day past its nextUpdate, not a status list or truncated, the reader refuses the "
    "read of a credential on that list and sends nothing after READ ELEMENTS.",
    verifies=["VDC-CRED-051", "VDC-CRED-052", "VDC-CRED-053", "VDC-NFC-205", "VDC-HARN-014"],
    profile="reader",
    kind="negative",
    preconditions="the reader set up with the suite's issuing root and the broken list",
    expected="error rejected, no command after READ ELEMENTS",
    operations=r.OPS,
    params=_list_failures,
)
def test_status_list_failures(iut: IutBase, param: Callable[[], bytes]) -> None:
    r.setup(iut, status_list=param())
    holder = r.played(_edges_credential())
    r.rejected(iut, holder, "a read checked against a broken status list", last=READ)


def _altered_signature(issued: object, ids: object) -> bytes:
    honest = _edges_credential().issued.presentation([1, 2, 4])
    signature = decode_presentation(honest).credential.signature
    return m.with_signature(honest, signature[:-1] + bytes([signature[-1] ^ 1]))


def _foreign_element(issued: object, ids: object) -> bytes:
    """A single insured's credential (no element 9) showing the typical holder's 9."""
    single = r.issued_single()
    honest = single.issued.presentation([1, 2])
    extra = m.material().typical.issued.elements
    from vitale_ref.credential import ElementId

    disclosed = [d.encoding for d in decode_presentation(honest).disclosed]
    return m.with_disclosed(honest, [*disclosed, extra[ElementId(9)].encoding])


def _trailing_byte(issued: object, ids: object) -> bytes:
    return _edges_credential().issued.presentation([1, 2, 4]) + b"\x00"


def _credential_failures() -> Iterable[Param | Parameter]:
    other = r.issued("other-issuer", other_issuer=True)
    yield param(
        "issuer-signature-altered",
        (None, _altered_signature, (1, 2, 4)),
        "VDC-CRED-042",
        "VDC-SM-051",
    )
    yield param("issued-under-another-root", (other, None, (1, 2, 4)), "VDC-CRED-041", "VDC-SM-051")
    yield param(
        "element-without-digest",
        (r.issued_single(), _foreign_element, (1, 2, 9)),
        "VDC-CRED-044",
        "VDC-SM-051",
    )
    yield param("trailing-byte", (None, _trailing_byte, (1, 2, 4)), "VDC-CRED-030", "VDC-SM-051")


@tc(
    "TC-CRED-103",
    title="A reader refuses a credential that does not verify",
    purpose="A presentation whose issuer signature was altered, a credential issued "
    "under another root, one showing an element it holds no digest for, or one followed "
    "by a stray byte is refused, with nothing sent after READ ELEMENTS: the reader runs "
    "every check of the credential chapter on what it reads.",
    verifies=["VDC-CRED-030", "VDC-CRED-041", "VDC-CRED-042", "VDC-CRED-044", "VDC-SM-051"],
    profile="reader",
    kind="negative",
    preconditions="the reader trusts the suite's issuing root",
    expected="error rejected, no command after READ ELEMENTS",
    operations=r.OPS,
    params=_credential_failures,
)
def test_credential_failures(
    iut: IutBase,
    param: tuple[
        samples.SampleCredential | None, Callable[[object, object], bytes] | None, tuple[int, ...]
    ],
) -> None:
    sample, presentation, requested = param
    r.setup(iut)
    chosen = sample or _edges_credential()
    holder = r.played(chosen, Tweak(presentation=presentation))
    r.rejected(iut, holder, "a credential that does not verify", last=READ, requested=requested)
