"""Files that hold secrets: made readable by their owner alone, refused otherwise.

The holder device store keeps the device key and the personal-code verifier, the
enrolment service database keeps the keyed hashes of e-mailed codes, the service key
file keeps the key of those hashes (VDC-PIN-023, VDC-OTP-015). Each is created with
mode 0600 before anything is written to it (SQLite gives its journal and write-ahead
files the mode of the database), and an existing one that its group or other users
could read or change is refused with a message that says how to fix it, rather than
used: a secret that others could have copied is no longer a secret.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from vitale_ref.errors import VitaleError

PRIVATE_MODE = 0o600
OTHERS = 0o077
"""Permission bits of the group and of other users: none may be set on a secret file."""


class PrivateFileError(VitaleError):
    """A secret file is open to others, or cannot be made or read."""


def create_private(path: Path) -> bool:
    """Create `path` empty with mode 0600 unless it exists; True when it was created."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return False
    except OSError as error:
        raise PrivateFileError(f"cannot create {path}: {error.strerror or error}") from None
    os.close(descriptor)
    return True


def require_private(path: Path, what: str) -> None:
    """Refuse `path` when it is not a regular file or its group or others have access."""
    try:
        status = path.stat()
    except OSError as error:
        raise PrivateFileError(f"cannot read {what} {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):
        raise PrivateFileError(f"{what} {path} is not a regular file")
    mode = stat.S_IMODE(status.st_mode)
    if mode & OTHERS:
        raise PrivateFileError(
            f"{what} {path} is open to other users (mode {mode:04o}); it holds secrets: "
            f"check who may have copied it, then run: chmod 600 {path}"
        )


def create_with(path: Path, fill: Callable[[Path], None]) -> bool:
    """Create the private file `path` filled by `fill`, atomically; False if it exists.

    `fill` writes a private temporary file beside `path`; once it returns, the file is
    linked under `path`. No reader ever sees the file empty or half made, a crash leaves
    no file at `path`, and of two creators at once the first one wins.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    temporary.unlink(missing_ok=True)
    create_private(temporary)
    try:
        fill(temporary)
        os.link(temporary, path)
    except FileExistsError:
        return False
    except OSError as error:
        raise PrivateFileError(f"cannot create {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return True


def write_private(path: Path, data: bytes) -> bool:
    """Write `data` to a new private file at `path` atomically; False if `path` exists."""

    def fill(temporary: Path) -> None:
        with open(temporary, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())

    return create_with(path, fill)
