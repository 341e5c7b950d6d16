"""What each signature covers and what salts the key schedule.

VDC-SM-011, VDC-SM-020, VDC-SM-040, VDC-SM-050.

FCI is the SELECT response data, EST the complete ESTABLISH SESSION data field.
  reader signature:  label_R || SHA-256(FCI || EST without its 9E field)
  session hash TH:   SHA-256(FCI || EST)
  device signature:  label_D || SHA-256(TH || request plaintext || presentation)
  receipt signature: label_B || TH || receipt body (tag 70 value)
"""

from __future__ import annotations

from vitale_ref.sm._crypto import sha256


def reader_auth_message(fci: bytes, establish_signed_part: bytes) -> bytes:
    return sha256(fci + establish_signed_part)


def session_hash(fci: bytes, establish: bytes) -> bytes:
    return sha256(fci + establish)


def device_auth_message(session: bytes, request: bytes, presentation: bytes) -> bytes:
    return sha256(session + request + presentation)


def receipt_message(session: bytes, receipt_body: bytes) -> bytes:
    return session + receipt_body
