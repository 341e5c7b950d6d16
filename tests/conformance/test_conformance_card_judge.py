"""What the suite judges as the card (spec/harness.md, Readers under test): each rule the
judge checks is broken once on a recorded honest read, and only that breach is named."""

from __future__ import annotations

from dataclasses import replace

from conformance.adapters._card import MAX_COMMANDS, Exchange, Presentation
from conformance.adapters._card_judge import CardJudge
from vitale_ref.holder.samples import sample_world
from vitale_ref.randomness import seeded_random
from vitale_ref.reader import run_read


def _honest_record(seed: str = "judge") -> Presentation:
    """One complete read of the sample holder by the reference reader, as the card saw it."""
    world = sample_world()
    holder = world.holder()
    record = Presentation(sessions=1)

    def card(command: bytes) -> bytes:
        response = holder.respond(command, world.now)
        record.exchanges.append(Exchange(command, response, 1))
        return response

    holder.arm(world.now.replace(year=world.now.year + 1))
    run_read(
        card,
        identity=world.reader("doctor"),
        requested=[1, 2, 4],
        verifier=world.verifier,
        random=seeded_random(seed),
        now=world.now,
    )
    return record


def _named(
    record: Presentation, outcome: str = "elements", judge: CardJudge | None = None
) -> set[str]:
    return {breach.requirement for breach in (judge or CardJudge()).judge(record, outcome)}


def test_an_honest_read_breaks_nothing() -> None:
    judge = CardJudge()
    assert _named(_honest_record("one"), judge=judge) == set()
    assert _named(_honest_record("two"), judge=judge) == set()  # a new key: still nothing


def test_an_ephemeral_key_used_again_is_named() -> None:
    """VDC-SM-003: the same reader key in a second session of the run."""
    judge = CardJudge()
    assert _named(_honest_record("same"), judge=judge) == set()
    assert _named(_honest_record("same"), judge=judge) == {"VDC-SM-003"}


def test_malformed_and_unknown_commands_are_named() -> None:
    record = _honest_record()
    first = record.exchanges[0]
    malformed = replace(first, command=b"\x00\xa4")
    unknown = replace(first, command=bytes.fromhex("00B0000000"))
    wrong_class = replace(first, command=b"\x80" + first.command[1:])
    assert _named(Presentation(exchanges=[malformed])) >= {"VDC-NFC-010"}
    assert "VDC-NFC-021" in _named(Presentation(exchanges=[unknown]), "rejected")
    assert "VDC-NFC-021" in _named(Presentation(exchanges=[wrong_class]), "rejected")


def test_a_command_after_an_error_status_word_is_named() -> None:
    """VDC-NFC-203: the reader goes on after 6982."""
    record = _honest_record()
    refused = replace(record.exchanges[-1], response=b"\x69\x82")
    again = replace(record.exchanges[0])
    assert _named(Presentation(exchanges=[*record.exchanges[:-1], refused]), "rejected") == set()
    late = Presentation(exchanges=[*record.exchanges[:-1], refused, again])
    assert _named(late, "rejected") == {"VDC-NFC-203"}


def test_elements_without_a_completed_read_and_a_receipt_after_a_refusal() -> None:
    record = _honest_record()
    refused = replace(record.exchanges[-1], response=b"\x69\x82")
    incomplete = Presentation(exchanges=[*record.exchanges[:-1], refused])
    assert _named(incomplete, "elements") == {"VDC-NFC-203"}
    receipt = Exchange(bytes.fromhex("80DB000001AA00"), b"\x90\x00", 1)
    assert _named(Presentation(exchanges=[*record.exchanges, receipt]), "rejected") == {
        "VDC-NFC-203"
    }


def test_get_response_beyond_200_and_too_many_commands_are_named() -> None:
    select = _honest_record().exchanges[0]
    more = Exchange(bytes.fromhex("00C0000000"), bytes(255) + b"\x61\xff", 1)
    first = replace(select, response=b"\x61\xff")
    assert _named(Presentation(exchanges=[first, *[more] * 200]), "rejected") == set()
    assert _named(Presentation(exchanges=[first, *[more] * 201]), "rejected") == {"VDC-NFC-203"}
    flooded = Presentation(exchanges=[first, *[more] * 10], overflow=True)
    assert _named(flooded, "rejected") == {"VDC-HARN-001"}
    assert MAX_COMMANDS == 256


def test_a_read_answered_in_parts_completes_with_its_last_part() -> None:
    """VDC-NFC-206: a READ handed out in parts completes with the 9000 of the last GET
    RESPONSE; when the last part carries an error status word, it did not complete."""
    record = _honest_record()
    *before, read = record.exchanges
    answer = read.response[:-2]
    first = replace(read, response=answer[:100] + b"\x61\x00")
    rest = Exchange(bytes.fromhex("00C0000000"), answer[100:] + b"\x90\x00", 1)
    assert _named(Presentation(exchanges=[*before, first, rest]), "elements") == set()
    failed = replace(rest, response=b"\x69\x85")
    assert _named(Presentation(exchanges=[*before, first, failed]), "elements") == {"VDC-NFC-203"}
