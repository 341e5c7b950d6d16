"""The table of operations the reference offers, gathered from one module per area."""

from __future__ import annotations

from conformance.driver import (
    _ops_credential,
    _ops_enrolment,
    _ops_holder,
    _ops_nir,
    _ops_pin,
    _ops_pki,
    _ops_reader,
)
from conformance.driver._state import Handler


def operations() -> dict[str, Handler]:
    """Operation name -> handler, for every area whose reference code has landed."""
    table: dict[str, Handler] = {}
    for module in (
        _ops_nir,
        _ops_credential,
        _ops_holder,
        _ops_pin,
        _ops_reader,
        _ops_enrolment,
        _ops_pki,
    ):
        table.update(module.OPERATIONS)
    return table
