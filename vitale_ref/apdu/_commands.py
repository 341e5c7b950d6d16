"""The VDC command set (VDC-NFC-020..023, VDC-NFC-051): AID, class bytes, instructions, limits."""

from __future__ import annotations

from enum import IntEnum

AID = bytes.fromhex("F0564954414C45")
"""Proprietary application identifier: F0 then ASCII "VITALE" (VDC-NFC-020)."""

CLA_INTERINDUSTRY = 0x00
CLA_PROPRIETARY = 0x80
PROTOCOL_VERSIONS = (1, 2)
"""Versions the holder offers in its FCI, ascending (VDC-NFC-070)."""
LEAN_VERSION = 2
"""The version that names certificates by reference (chapter "Protocol version 2")."""
MAX_COMMAND_DATA = 4096
"""Largest command data field, single or reassembled from a chain (VDC-NFC-051)."""


class INS(IntEnum):
    """Instruction bytes (VDC-NFC-021)."""

    SELECT = 0xA4
    GET_RESPONSE = 0xC0
    ESTABLISH = 0x86
    READ = 0xCB
    RECEIPT = 0xDB
    GET_SIGNER_CHAIN = 0xCA
    """Version 2 only (VDC-NFC-073)."""


INS_CLASS = {
    INS.SELECT: CLA_INTERINDUSTRY,
    INS.GET_RESPONSE: CLA_INTERINDUSTRY,
    INS.ESTABLISH: CLA_PROPRIETARY,
    INS.READ: CLA_PROPRIETARY,
    INS.RECEIPT: CLA_PROPRIETARY,
    INS.GET_SIGNER_CHAIN: CLA_PROPRIETARY,
}
"""The class byte (chaining bit cleared) each instruction is defined in."""

CHAINABLE = frozenset({INS.ESTABLISH, INS.READ, INS.RECEIPT, INS.GET_SIGNER_CHAIN})

NAMES = {
    INS.SELECT: "SELECT",
    INS.GET_RESPONSE: "GET RESPONSE",
    INS.ESTABLISH: "ESTABLISH SESSION",
    INS.READ: "READ ELEMENTS",
    INS.RECEIPT: "FILE RECEIPT",
    INS.GET_SIGNER_CHAIN: "GET SIGNER CHAIN",
}

# FCI tags (VDC-NFC-022)
TAG_FCI = 0x6F
TAG_DF_NAME = 0x84
TAG_PROPRIETARY = 0xA5
TAG_VERSIONS = 0x80
TAG_DEVICE_EPHEMERAL = 0x81
TAG_MAX_COMMAND = 0x82
