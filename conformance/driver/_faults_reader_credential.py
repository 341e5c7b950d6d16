"""Seeded faults in the reader's verification of credentials and status lists
(VDC-CRED-030..053 as the reader applies them).

Each replaces the reader's presentation verifier (`vitale_ref.reader.adapters`) by one
that skips or bends a single check; the verifier operations (`credential.verify`) are
untouched. The reader cases TC-CRED-100..103 must catch them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from conformance.driver.faults import fault, patch
from vitale_ref.credential import (
    SignedStatusList,
    StatusListError,
    _verify,
    decode_presentation,
    decode_status_list,
)
from vitale_ref.credential import verify_presentation as real_verify
from vitale_ref.ecdsa import verify_raw
from vitale_ref.pki import Purpose, validate_chain
from vitale_ref.reader import adapters

_ONE_SECOND = timedelta(seconds=1)


def _reader_verifier(verify: Any) -> None:
    patch(adapters, "verify_presentation", verify)


@contextlib.contextmanager
def _swapped(target: object, **replacements: object) -> Iterator[None]:
    saved = {name: getattr(target, name) for name in replacements}
    for name, value in replacements.items():
        setattr(target, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(target, name, value)


def _verify_while(**replacements: object) -> None:
    """The reader's verifier with names of the credential module replaced during it."""
    for name in replacements:
        patch(_verify, name, getattr(_verify, name))  # FaultNotApplicable when renamed

    def verify_presentation(data: bytes, **kwargs: Any) -> Any:
        with _swapped(_verify, **replacements):
            return real_verify(data, **kwargs)

    _reader_verifier(verify_presentation)


def _validity_now(moment: Any) -> None:
    """The reader's verifier run at `moment(tbs, now)` instead of `now`."""

    def verify_presentation(data: bytes, **kwargs: Any) -> Any:
        tbs = decode_presentation(data).credential.tbs
        return real_verify(data, **{**kwargs, "now": moment(tbs, kwargs["now"])})

    _reader_verifier(verify_presentation)


@fault(
    "reader-accepts-not-yet-valid",
    "the reader checks a credential's validity from its validFrom on, whatever now is",
    "VDC-CRED-043",
    ("TC-CRED-100",),
)
def _not_yet_valid() -> None:
    _validity_now(lambda tbs, now: max(now, tbs.valid_from))


@fault(
    "reader-refuses-at-valid-until",
    "the reader refuses a credential at the very second of its validUntil",
    "VDC-CRED-043",
    ("TC-CRED-100",),
)
def _refuses_at_until() -> None:
    _validity_now(lambda tbs, now: now + _ONE_SECOND if now == tbs.valid_until else now)


def _status_variant(
    *,
    late: bool = False,
    early: bool = False,
    signer: bool = True,
    signature: bool = True,
    list_id: bool = True,
    index: bool = True,
    fail_open: bool = False,
) -> None:
    """The reader's status-list check (VDC-CRED-051..053) with one rule bent."""

    def check(verified: Any, data: Any, anchor: Any, now: datetime) -> None:
        try:
            signed = data if isinstance(data, SignedStatusList) else decode_status_list(data)
        except Exception:
            if fail_open:
                return
            raise
        if signer:
            validate_chain(
                signed.chain[0], signed.chain[1:], anchor, now, Purpose.STATUS_LIST_SIGNING
            )
        if signature and not verify_raw(
            signed.chain[0].public_key(), signed.tbs_encoding, signed.signature
        ):
            raise StatusListError("status list signature does not verify")
        if now < signed.this_update and not early:
            raise StatusListError("status list not yet valid")
        if now > signed.next_update and not late:
            raise StatusListError("status list expired")
        reference = verified.status
        if list_id and signed.status.list_id != reference.list_id:
            raise StatusListError("another list")
        if reference.index >= signed.status.size:
            if index:
                raise StatusListError("index outside the list")
            return
        if signed.is_revoked(reference.index):
            raise StatusListError("revoked")

    def verify_presentation(data: bytes, **kwargs: Any) -> Any:
        status = kwargs.get("status_list")
        verified = real_verify(data, **{**kwargs, "status_list": None})
        if status is not None:
            check(verified, status, kwargs["trust_anchor"], kwargs["now"])
        return verified

    _reader_verifier(verify_presentation)


@fault(
    "reader-accepts-stale-status-list",
    "the reader uses a status list after its nextUpdate",
    "VDC-CRED-052",
    ("TC-CRED-101", "TC-CRED-102"),
)
def _stale_list() -> None:
    _status_variant(late=True)


@fault(
    "reader-accepts-early-status-list",
    "the reader uses a status list before its thisUpdate",
    "VDC-CRED-052",
    ("TC-CRED-101",),
)
def _early_list() -> None:
    _status_variant(early=True)


@fault(
    "reader-status-signer-unchecked",
    "the reader verifies a status list's signature without validating its signer's chain",
    "VDC-CRED-051",
    ("TC-CRED-102",),
)
def _signer_unchecked() -> None:
    _status_variant(signer=False)


@fault(
    "reader-status-signature-unchecked",
    "the reader does not verify the signature of its status list",
    "VDC-CRED-051",
    ("TC-CRED-102",),
)
def _signature_unchecked() -> None:
    _status_variant(signature=False)


@fault(
    "reader-status-list-id-unchecked",
    "the reader does not compare the list identifier with the credential's",
    "VDC-CRED-052",
    ("TC-CRED-102",),
)
def _list_id_unchecked() -> None:
    _status_variant(list_id=False)


@fault(
    "reader-status-index-outside-list-valid",
    "an index at or beyond the list's size is taken as not revoked",
    "VDC-CRED-052",
    ("TC-CRED-101",),
)
def _index_outside() -> None:
    _status_variant(index=False)


@fault(
    "reader-unreadable-status-list-ignored",
    "a status list that does not decode is ignored (the read goes on unchecked)",
    "VDC-CRED-052",
    ("TC-CRED-102",),
)
def _fail_open() -> None:
    _status_variant(fail_open=True)


@fault(
    "reader-credential-chain-unchecked",
    "the reader does not validate the document signer's chain to its issuing root",
    "VDC-CRED-041",
    ("TC-CRED-103",),
)
def _chain_unchecked() -> None:
    _verify_while(_check_chain=lambda chain, anchor, now: None)


@fault(
    "reader-issuer-signature-unchecked",
    "the reader does not verify the issuer signature of the credential",
    "VDC-CRED-042",
    ("TC-CRED-103",),
)
def _issuer_signature() -> None:
    _verify_while(verify_raw=lambda key, data, signature: True)


@fault(
    "reader-element-without-digest-accepted",
    "an element the credential holds no digest for is returned unchecked",
    "VDC-CRED-044",
    ("TC-CRED-103",),
)
def _element_without_digest() -> None:
    real = _verify._check_elements

    def check_elements(presentation: Any, requested: Any) -> Any:
        digests = dict(presentation.credential.tbs.digests)
        covered = [d for d in presentation.disclosed if d.element_id in digests]
        values = real(_with_disclosed(presentation, covered), None)
        for element in presentation.disclosed:
            values.setdefault(element.element_id, element.value)
        return values

    _verify_while(_check_elements=check_elements)


def _with_disclosed(presentation: Any, disclosed: list[Any]) -> Any:
    from dataclasses import replace

    return replace(presentation, disclosed=tuple(disclosed))


@fault(
    "reader-presentation-trailing-bytes-ignored",
    "bytes after the presentation's DER are ignored",
    "VDC-CRED-030",
    ("TC-CRED-103",),
)
def _trailing_ignored() -> None:
    real = decode_presentation

    def decode(data: bytes) -> Any:
        for cut in range(0, 9):
            try:
                return real(data[: len(data) - cut] if cut else data)
            except Exception:
                continue
        return real(data)

    _verify_while(decode_presentation=decode)


@fault(
    "reader-digests-unchecked",
    "the reader returns the disclosed values without comparing them with their digests",
    "VDC-CRED-045",
    ("TC-CRED-012",),
)
def _digests_unchecked() -> None:
    def check_elements(presentation: Any, requested: Any) -> Any:
        return {element.element_id: element.value for element in presentation.disclosed}

    _verify_while(_check_elements=check_elements)
