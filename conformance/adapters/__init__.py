"""Implementation-under-test adapters and their registry (spec/harness.md).

`open_iut("scheme:target")` finds the adapter of `scheme`:

1. a module `conformance.adapters.<scheme>` (built in: `ref`, `stdio`; the real-reader
   adapters `pcsc` and `nfc` are added as modules `conformance/adapters/pcsc.py` and
   `conformance/adapters/nfc.py` by the transport work, without editing this file);
2. else an entry point of the group `vitale_conformance.adapters` named `<scheme>`
   (for adapters shipped by other packages).

Either way the adapter is a callable `open_adapter(target: str) -> IutBase`.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import re
from collections.abc import Callable
from typing import cast

from conformance.adapters._base import Hello, IutBase, OperationError, Transmit

ENTRY_POINT_GROUP = "vitale_conformance.adapters"
_SCHEME = re.compile(r"^[a-z][a-z0-9_]*$")

Factory = Callable[[str], IutBase]


class AdapterError(ValueError):
    """The IUT designation names no usable adapter."""


def _from_module(scheme: str) -> Factory | None:
    name = f"{__name__}.{scheme}"
    if importlib.util.find_spec(name) is None:
        return None
    module = importlib.import_module(name)
    factory = getattr(module, "open_adapter", None)
    if not callable(factory):
        raise AdapterError(f"adapter module {name} defines no open_adapter(target)")
    return cast(Factory, factory)


def _from_entry_point(scheme: str) -> Factory | None:
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name == scheme:
            return cast(Factory, entry.load())
    return None


def available() -> list[str]:
    """Schemes that can be opened in this installation."""
    from pkgutil import iter_modules

    found = {info.name for info in iter_modules(__path__) if not info.name.startswith("_")}
    found.discard("apdu")
    found |= {entry.name for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    return sorted(found)


def open_iut(designation: str) -> IutBase:
    """The adapter for `ref`, `stdio:COMMAND`, `pcsc:READER`, `nfc:PATH`, ..."""
    scheme, _, target = designation.partition(":")
    if not _SCHEME.match(scheme) or scheme in ("apdu",):
        raise AdapterError(f"malformed IUT {designation!r}: expected SCHEME[:TARGET]")
    factory = _from_module(scheme) or _from_entry_point(scheme)
    if factory is None:
        raise AdapterError(
            f"no IUT adapter {scheme!r} in this installation (available: {', '.join(available())})"
        )
    try:
        return factory(target)
    except (ValueError, OSError) as error:
        raise AdapterError(f"cannot open {designation!r}: {error}") from None


__all__ = [
    "AdapterError",
    "Hello",
    "IutBase",
    "OperationError",
    "Transmit",
    "available",
    "open_iut",
]
