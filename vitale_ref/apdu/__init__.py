"""ISO/IEC 7816-4 layer of VDC: APDU codec, BER-TLV, status words, command set."""

from vitale_ref.apdu._codec import CommandApdu, ResponseApdu, status
from vitale_ref.apdu._commands import (
    AID,
    CHAINABLE,
    CLA_INTERINDUSTRY,
    CLA_PROPRIETARY,
    INS,
    INS_CLASS,
    LEAN_VERSION,
    MAX_COMMAND_DATA,
    NAMES,
    PROTOCOL_VERSIONS,
)
from vitale_ref.apdu._errors import ApduError, TlvError
from vitale_ref.apdu._sw import MEANINGS, SW, more_data, sw_meaning, wrong_le
from vitale_ref.apdu._tlv import encode_tlv, expect_tags, parse_tlvs

__all__ = [
    "AID",
    "CHAINABLE",
    "CLA_INTERINDUSTRY",
    "CLA_PROPRIETARY",
    "INS",
    "INS_CLASS",
    "LEAN_VERSION",
    "MAX_COMMAND_DATA",
    "MEANINGS",
    "NAMES",
    "PROTOCOL_VERSIONS",
    "SW",
    "ApduError",
    "CommandApdu",
    "ResponseApdu",
    "TlvError",
    "encode_tlv",
    "expect_tags",
    "more_data",
    "parse_tlvs",
    "status",
    "sw_meaning",
    "wrong_le",
]
