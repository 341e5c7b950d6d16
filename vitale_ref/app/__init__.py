"""The holder app layer: the device store and the NFC holder core joined (VDC-HIST-007).

`HolderApp.open(store, random=..., reader_root=...)` gives a sans-I/O card whose
`respond(command, now)` presents the enrolled holder; `AppLink` wires it to a reader in
memory and `StoreCard` to a transport; `WorldReader` reads it as a practitioner would;
`enrolment_pki()` and `published_status_list(...)` give what a reader of the
enrolment's synthetic world trusts.
"""

from vitale_ref.app._app import HolderApp
from vitale_ref.app._card import StoreCard
from vitale_ref.app._errors import AppError
from vitale_ref.app._link import AppLink
from vitale_ref.app._reader import ALL_ELEMENTS, DEMO_ACT, DEMO_AMOUNT_CENTS, WorldReader
from vitale_ref.app._trust import enrolment_pki, published_status_list

__all__ = [
    "ALL_ELEMENTS",
    "DEMO_ACT",
    "DEMO_AMOUNT_CENTS",
    "AppError",
    "AppLink",
    "HolderApp",
    "StoreCard",
    "WorldReader",
    "enrolment_pki",
    "published_status_list",
]
