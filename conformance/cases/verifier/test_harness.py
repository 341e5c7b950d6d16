"""The driver protocol itself (spec chapter VDC-HARN), checked on every implementation.

These cases belong to the verifier profile, the smallest one, but bind every
implementation that speaks the protocol.
"""

from __future__ import annotations

import jsonschema

from conformance import protocol
from conformance.adapters import IutBase, OperationError
from conformance.catalogue import param, tc
from conformance.outcomes import NotApplicable, expect

NIR_KINDS = {"length", "format", "checksum"} | {
    f"component:{name}"
    for name in ("sex", "month", "department", "commune", "country", "order", "key")
}


@tc(
    "TC-HARN-001",
    title="Hello declares protocol, identity, profiles and operations",
    purpose="The first exchange tells the suite what the implementation claims; a hello "
    "missing a field, with another field or another protocol fails its closed schema.",
    verifies=["VDC-HARN-001", "VDC-HARN-002"],
    profile="verifier",
    kind="negative",
    expected="a hello result valid against op/hello.result.schema.json, protocol vdc-harness/1",
)
def test_hello(iut: IutBase) -> None:
    result = iut.call("hello", {"protocol": protocol.PROTOCOL})
    schema = protocol.result_schema("hello")
    assert schema is not None
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(result)]
    expect(not errors, "hello result out of schema", expected="schema-valid", got="; ".join(errors))
    expect(
        result["protocol"] == protocol.PROTOCOL,
        "wrong protocol",
        expected=protocol.PROTOCOL,
        got=str(result["protocol"]),
    )
    expect(
        "hello" in result["operations"],
        "hello is not listed",
        expected="hello among the operations",
        got=str(result["operations"]),
    )


@tc(
    "TC-HARN-002",
    title="An unknown operation is answered unsupported",
    purpose="An operation the implementation lacks is declared, so it is never passed.",
    verifies=["VDC-HARN-004"],
    profile="verifier",
    kind="negative",
    expected="an unsupported answer",
)
def test_unknown_operation_is_unsupported(iut: IutBase) -> None:
    try:
        result = iut.call("harness.no_such_operation", {})
    except NotApplicable:
        return
    except OperationError as error:
        expect(False, "answered an error", expected="unsupported", got=f"error {error.kind}")
    expect(False, "answered a result", expected="unsupported", got=f"result {result}")


@tc(
    "TC-HARN-003",
    title="Successive requests are answered in order",
    purpose="Each request gets exactly one answer carrying its id, within the timeout.",
    verifies=["VDC-HARN-003"],
    profile="verifier",
    kind="positive",
    expected="five hello answers, identical, each with its own id",
)
def test_answers_in_order(iut: IutBase) -> None:
    answers = [iut.call("hello", {"protocol": protocol.PROTOCOL}) for _ in range(5)]
    expect(
        all(answer == answers[0] for answer in answers),
        "hello answers differ",
        expected="identical answers",
        got=str(answers),
    )


@tc(
    "TC-HARN-004",
    title="Reset answers an empty result",
    purpose="The suite starts every case from the initial state.",
    verifies=["VDC-HARN-006"],
    profile="verifier",
    kind="positive",
    expected="an empty result, twice in a row",
    operations=["reset"],
)
def test_reset(iut: IutBase) -> None:
    for _ in range(2):
        result = iut.call("reset", {})
        expect(result == {}, "reset result is not empty", expected="{}", got=str(result))


_NIR_REFUSALS = (
    ("empty", "", "VDC-NIR-001"),
    ("oversized", "x" * 40, "VDC-NIR-004"),
    ("separator", "1 2", "VDC-NIR-003"),
    ("sex-9", "900000000000000", "VDC-NIR-006"),
    ("wrong-key", "295059912611114", "VDC-NIR-016"),
    ("letters", "ABC", "VDC-NIR-002"),
)
"""Invalid NIRs, each with the NIR rule that refuses it."""


@tc(
    "TC-HARN-005",
    title="NIR refusals use the listed error kinds",
    purpose="An operation that fails answers an error whose kind the chapter lists.",
    verifies=["VDC-HARN-005", *sorted({rule for _, _, rule in _NIR_REFUSALS})],
    profile="verifier",
    kind="negative",
    expected="each refusal's kind is one of the nir.validate kinds",
    operations=["nir.validate"],
    # A refusal with an unlisted kind breaks VDC-HARN-005; an invalid NIR accepted breaks
    # the NIR rule that refuses it, not the harness (spec/harness.md, Verdicts).
    params=lambda: [
        param(name, (value, rule), "VDC-HARN-005", rule) for name, value, rule in _NIR_REFUSALS
    ],
)
def test_nir_error_kinds(iut: IutBase, param: tuple[str, str]) -> None:
    value, rule = param
    try:
        iut.call("nir.validate", {"nir": value})
    except OperationError as error:
        expect(
            error.kind in NIR_KINDS,
            "error kind not listed for nir.validate",
            expected=", ".join(sorted(NIR_KINDS)),
            got=error.kind,
            requirements=["VDC-HARN-005"],
        )
    else:
        expect(
            False, "invalid NIR accepted", expected="an error", got=repr(value), requirements=[rule]
        )


def _lines() -> list[tuple[str, str]]:
    return [
        ("not-json", "this is not json"),
        ("deep-nesting", "[" * 100_000 + "]" * 100_000),
        ("not-an-object", "[1, 2, 3]"),
        ("no-op", '{"id": 7}'),
        ("bad-id", '{"id": "x", "op": "hello", "params": {}}'),
    ]


@tc(
    "TC-HARN-006",
    title="An unusable request line gets an error answer and serving goes on",
    purpose="A line that is not a usable request is answered bad_request; the next "
    "request is answered normally.",
    verifies=["VDC-HARN-900", "VDC-HARN-003", "VDC-HARN-008"],
    profile="verifier",
    kind="negative",
    preconditions="an implementation on a pipe (stdio:)",
    expected="error bad_request, then a normal hello",
    params=_lines,
)
def test_unusable_lines(iut: IutBase, param: str) -> None:
    raw = getattr(iut, "raw", None)
    if raw is None:
        raise NotApplicable("only an implementation on a pipe reads request lines")
    answer = raw(param)
    kind = answer.get("error", {}).get("kind") if isinstance(answer.get("error"), dict) else None
    expect(
        kind == "bad_request",
        "unusable line not answered bad_request",
        expected="error bad_request",
        got=str(answer)[:200],
    )
    result = iut.call("hello", {"protocol": protocol.PROTOCOL})
    expect(
        result.get("protocol") == protocol.PROTOCOL,
        "no normal answer afterwards",
        expected="a hello result",
        got=str(result)[:200],
    )


def _after_reset() -> list[tuple[str, dict[str, object], str]]:
    """(operation, parameters, the result key that must then be empty) per state kind."""
    from conformance.cases import _material as m

    now = m.iso(m.NOW)
    return [
        ("holder.transmit", {"apdu": "00A4040007F0564954414C4500", "now": now}, ""),
        ("holder.events", {}, "events"),
        ("history.list", {"now": now}, "entries"),
        ("pin.armed", {"now": now}, "armed"),
        ("reader.read", {"requested": [1], "now": now}, ""),
    ]


def _set_up_everything(iut: IutBase) -> None:
    """Give the implementation a holder, a personal code, history and a reader."""
    from conformance.cases import _material as m

    now = m.iso(m.NOW)
    offered = set(iut.hello().operations)
    steps: list[tuple[str, dict[str, object]]] = [
        ("holder.setup", {"readerRoot": m.der(m.material().pki.reader_root.certificate)}),
        ("holder.arm", {"now": now}),
        ("pin.provision", {"code": "482915", "now": now}),
        ("pin.unlock", {"code": "482915", "now": now}),
        (
            "history.record_presentation",
            {"readerRpps": "19999999006", "elements": [1], "at": now, "now": now},
        ),
        ("reader.setup", {"trustAnchor": m.material().root}),
    ]
    for operation, params in steps:
        if operation in offered:
            iut.call(operation, params)


@tc(
    "TC-HARN-010",
    title="After a reset nothing set up before survives",
    purpose="An implementation given a holder, an armed presentation, a personal code, "
    "history and a reader, then reset, answers every operation needing them not_set_up "
    "or with an empty state: no APDU answered by the old holder, no event, no history "
    "entry, presence not armed, no read by the old reader.",
    verifies=["VDC-HARN-006", "VDC-HARN-005"],
    profile="verifier",
    kind="negative",
    preconditions="the implementation lists reset",
    expected="not_set_up, or an empty result, for each operation it offers",
    operations=["reset"],
)
def test_reset_forgets(iut: IutBase) -> None:
    offered = set(iut.hello().operations)
    if "reset" not in offered:
        raise NotApplicable("the implementation does not list reset")
    _set_up_everything(iut)
    iut.call("reset", {})
    for operation, params, key in _after_reset():
        if operation not in offered:
            continue
        try:
            result = iut.call(operation, params)
        except OperationError as error:
            expect(
                error.kind == "not_set_up",
                f"{operation} after reset",
                expected="not_set_up or an empty state",
                got=error.kind,
            )
            continue
        expect(
            bool(key) and not result.get(key),
            f"{operation} still answers from the state before the reset",
            expected="not_set_up or an empty state",
            got=str(result)[:120],
        )
