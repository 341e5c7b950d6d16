"""The one error family of the reference implementation.

Every error raised on bad input derives from VitaleError; any other exception escaping
a public function is a bug. Areas subclass it (NIR errors, credential errors, protocol
errors); protocol errors carry the status word the holder answers with.
"""


class VitaleError(Exception):
    """Base of every typed error of vitale_ref."""
