"""Transport bindings (area TRN): vpcd card side, PC/SC reader side, nfcpy ISO-DEP.

The protocol cores never touch I/O; these adapters carry their APDUs. Card side: a
`VirtualCard` (sans-I/O) wraps anything with `respond(command, now)` and `reset()`, and
`VpcdCardClient` runs it over vpcd. Reader side: `PcscReaderTransport` offers
`transmit(command) -> response` and `close()`.
"""

from vitale_ref.transport._atr import build_atr, historical_bytes
from vitale_ref.transport._card import CardHandler, VirtualCard
from vitale_ref.transport._errors import (
    ApduTooLongError,
    CardAbsentError,
    CardTimeoutError,
    FramingError,
    ReaderNotFoundError,
    ServiceUnavailableError,
    TransportError,
)
from vitale_ref.transport._pcsc import PcscReaderTransport, list_readers, wait_for_card
from vitale_ref.transport._vpcd_codec import (
    ApduEvent,
    Control,
    ControlEvent,
    VpcdDecoder,
    encode_message,
)
from vitale_ref.transport._vpcd_socket import (
    DEFAULT_PORT,
    VpcdCardClient,
    parse_endpoint,
    tcp_connector,
)

__all__ = [
    "DEFAULT_PORT",
    "ApduEvent",
    "ApduTooLongError",
    "CardAbsentError",
    "CardHandler",
    "CardTimeoutError",
    "Control",
    "ControlEvent",
    "FramingError",
    "PcscReaderTransport",
    "ReaderNotFoundError",
    "ServiceUnavailableError",
    "TransportError",
    "VirtualCard",
    "VpcdCardClient",
    "VpcdDecoder",
    "build_atr",
    "encode_message",
    "historical_bytes",
    "list_readers",
    "parse_endpoint",
    "tcp_connector",
    "wait_for_card",
]
