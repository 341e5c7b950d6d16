"""Reference implementation of the open VDC model of the digital carte Vitale.

An independent, open model; not affiliated with Assurance Maladie or GIE SESAM-Vitale.
"""

from vitale_ref.errors import VitaleError

__version__ = "0.1.0"
SPEC_VERSION = "0.1"

__all__ = ["SPEC_VERSION", "VitaleError", "__version__"]
