"""No secret is compared with `==` in the personal-code and e-mailed-code paths.

Complements the call-inspection tests owned by those areas, which prove that the
comparison they make goes through `hmac.compare_digest`
(tests/pin/test_pin_verifier.py::test_pin_comparison_goes_through_compare_digest,
tests/device/test_device_unlock.py, tests/otp/test_otp_rules.py::
test_comparison_goes_through_compare_digest): this test reads the source of every module
that handles those secrets and checks that no other comparison of a digest, MAC, code
or verifier with `==`/`!=` exists beside it (VDC-PIN-011, VDC-OTP-008).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import vitale_ref

PACKAGES = ("pin", "otp", "device", "enrolment")
SECRET = re.compile(r"(digest|mac|code|pin|otp|verifier|secret)", re.IGNORECASE)
# Comparisons of public values that happen to match the pattern, with the reason.
ALLOWED = {
    "pin/_policy.py": "the policy compares a candidate code with patterns of itself",
    "enrolment/stateful.py": "the model-based test compares counters, not secrets",
    "enrolment/traces.py": "sample traces are built with a published synthetic code",
}


def _names(node: ast.AST) -> set[str]:
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
    return found


def _is_len(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len"


def _equality_on_secrets(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offending = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(
            isinstance(op, ast.Eq | ast.NotEq) for op in node.ops
        ):
            operands = [node.left, *node.comparators]
            if any(isinstance(o, ast.Constant) or _is_len(o) for o in operands):
                continue  # a literal (an outcome) or a length is public
            names = set().union(*(_names(o) for o in operands))
            if any(SECRET.search(name) for name in names):
                offending.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return offending


def test_robustness_no_equality_on_secrets() -> None:
    """VDC-PIN-011, VDC-OTP-008: secrets are compared only by compare_digest."""
    root = Path(vitale_ref.__file__).parent
    offending = []
    for package in PACKAGES:
        for path in sorted((root / package).glob("*.py")):
            if f"{package}/{path.name}" not in ALLOWED:
                offending += _equality_on_secrets(path)
    assert offending == []


def test_robustness_compare_digest_is_the_primitive() -> None:
    """The PIN verifier and the e-mailed-code check reference hmac.compare_digest."""
    root = Path(vitale_ref.__file__).parent
    for module in ("pin/_verifier.py", "otp/_code.py"):
        assert "hmac.compare_digest" in (root / module).read_text(encoding="utf-8"), module


def test_robustness_scanner_sees_an_equality(tmp_path: Path) -> None:
    """The scan reports a digest compared with `==` (and not a length or a literal)."""
    source = tmp_path / "example.py"
    source.write_text(
        "def check(digest, stored, code):\n"
        "    if len(code) != 6 or code == '':\n"
        "        return False\n"
        "    return digest == stored\n",
        encoding="utf-8",
    )
    assert _equality_on_secrets(source) == ["example.py:4: digest == stored"]
