"""The device follows the personal-code table the documentation draws (VDC-PIN-012..017).

Each row of `vitale_ref.pin.CODE_TRANSITIONS` is driven on a real store: the device is
brought to the row's state, the row's event happens, and the state it ends in is read
back from the device itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from vitale_ref.device import HolderDevice
from vitale_ref.device.synthetic import SYNTHETIC_CODE as CODE
from vitale_ref.device.synthetic import provision_synthetic
from vitale_ref.pin import CODE_TRANSITIONS, MAX_TRIES, TEST_ONLY_PARAMETERS, CodeState
from vitale_ref.randomness import seeded_random

from .conftest import T0

WRONG = "999990"
LATER = T0 + timedelta(seconds=1)


def _state(device: HolderDevice) -> CodeState:
    status = device.status(LATER)
    if status.blocked:
        return CodeState.BLOCKED
    return CodeState.ARMED if status.armed_until is not None else CodeState.READY


def _reach(device: HolderDevice, state: CodeState) -> None:
    if state is CodeState.ARMED:
        device.unlock(CODE, T0)
    elif state is CodeState.BLOCKED:
        for _ in range(MAX_TRIES):
            device.unlock(WRONG, T0)
    elif state is CodeState.READY:
        device.unlock(WRONG, T0)  # four tries left: "a try left" stays true, "the fifth" too


def _fifth_wrong(device: HolderDevice) -> None:
    for _ in range(MAX_TRIES - 1):
        device.unlock(WRONG, LATER)


def _reenrol(device: HolderDevice) -> None:
    provision_synthetic(
        device,
        code=CODE,
        random=seeded_random("re-enrolment"),
        now=LATER,
        parameters=TEST_ONLY_PARAMETERS,
    )


EVENTS: dict[str, Callable[[HolderDevice], object]] = {
    "right code (9000, counter back to 5)": lambda d: d.unlock(CODE, LATER),
    "right code (a new 60 s window)": lambda d: d.unlock(CODE, LATER),
    "wrong code, a try left (63Cx)": lambda d: d.unlock(WRONG, LATER),
    "wrong code, the fifth (63C0)": _fifth_wrong,
    "60 s elapse": lambda d: None,
    "presentation done or app closed": lambda d: d.disarm(),
    "any code (6983, not evaluated)": lambda d: d.unlock(CODE, LATER),
    "re-enrolment": _reenrol,
}


@pytest.mark.parametrize(("source", "event", "target"), CODE_TRANSITIONS, ids=str)
def test_device_follows_each_row(
    store_path: Path, source: CodeState, event: str, target: CodeState
) -> None:
    with HolderDevice.open(store_path) as device:
        _reach(device, source)
        assert _state(device) is source
        EVENTS[event](device)
        if event == "60 s elapse":
            assert device.status(LATER + timedelta(seconds=60)).armed_until is None
            return
        assert _state(device) is target


def test_every_event_of_the_table_is_driven() -> None:
    assert {event for _, event, _ in CODE_TRANSITIONS} == set(EVENTS)
