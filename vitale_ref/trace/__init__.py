"""APDU traces: file format, decoding, pcap export and the on-air time model."""

from vitale_ref.trace._decode import Logical, describe, logical_commands
from vitale_ref.trace._isodep import Direction, Frame, crc_a, frames
from vitale_ref.trace._model import Exchange, Trace, TraceError
from vitale_ref.trace._onair import (
    BIT_RATES,
    OnAirEstimate,
    estimate,
    estimate_table,
    frame_seconds,
)
from vitale_ref.trace._pcap import LINKTYPE_ISO_14443, to_pcap

__all__ = [
    "BIT_RATES",
    "LINKTYPE_ISO_14443",
    "Direction",
    "Exchange",
    "Frame",
    "Logical",
    "OnAirEstimate",
    "Trace",
    "TraceError",
    "crc_a",
    "describe",
    "estimate",
    "estimate_table",
    "frame_seconds",
    "frames",
    "logical_commands",
    "to_pcap",
]
