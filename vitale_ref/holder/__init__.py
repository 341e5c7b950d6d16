"""The holder device core: an ISO/IEC 7816-4 card application, sans I/O (VDC-NFC)."""

from vitale_ref.holder._core import HolderCore
from vitale_ref.holder._events import HolderEvent, Presented, ReceiptFiled
from vitale_ref.holder._ports import CredentialSource, ReaderAuthority, ReaderGrant
from vitale_ref.holder._state import ENDS_SESSION, TRANSITIONS, State, mermaid

PRESENCE_WINDOW_SECONDS = 60
"""Longest presentation window after the holder unlocks (VDC-NFC-112)."""

__all__ = [
    "ENDS_SESSION",
    "PRESENCE_WINDOW_SECONDS",
    "TRANSITIONS",
    "CredentialSource",
    "HolderCore",
    "HolderEvent",
    "Presented",
    "ReaderAuthority",
    "ReaderGrant",
    "ReceiptFiled",
    "State",
    "mermaid",
]
