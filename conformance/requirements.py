"""The requirement index: every `req` block of spec/, checked and listed (VDC-SPEC-001..003).

The index is the single source the coverage self-check, the traceability matrix and
the tests read; it refuses a malformed or duplicate identifier rather than guessing.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

AREAS = (
    "NIR",
    "PKI",
    "CRED",
    "NFC",
    "SM",
    "TRN",
    "ENR",
    "OTP",
    "PIN",
    "HIST",
    "HARN",
    "VEC",
    "SPEC",
)
LEVELS = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY")
VERIFICATIONS = ("test", "inspection")
"""How a requirement is verified (VDC-SPEC-004): by a conformance test case (the
default) or, where no implementation offers a black-box observation, by inspection of
the reference through the repository test named in `:evidence:`."""

ID_PATTERN = re.compile(r"^VDC-(?P<area>[A-Z]+)-(?P<number>\d{3})$")
_FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<directive>[a-z-]+)\}\s*(?P<arg>.*)$")
_OPTION = re.compile(r"^:(?P<key>[a-z_-]+):\s*(?P<value>.*)$")
_KEYWORD = re.compile(r"\b(MUST NOT|SHOULD NOT|MUST|SHOULD|MAY|SHALL|REQUIRED|RECOMMENDED)\b")
_INLINE_CODE = re.compile(r"`[^`]*`|\"[A-Z ]+\"")


@dataclass(frozen=True, kw_only=True)
class Requirement:
    """One normative statement of the specification."""

    id: str
    area: str
    level: str
    title: str
    text: str
    file: str
    line: int
    verification: str = "test"
    evidence: str = ""

    @property
    def by_inspection(self) -> bool:
        """Verified by inspection of the reference rather than by a test case."""
        return self.verification == "inspection"


class SpecIndexError(ValueError):
    """The specification source breaks the requirement conventions (VDC-SPEC-*)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def spec_dir() -> Path:
    """Where the specification lives: $VDC_SPEC_DIR, the source tree, or the wheel's copy."""
    override = os.environ.get("VDC_SPEC_DIR")
    if override:
        return Path(override)
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "spec", package / "_spec"):
        if candidate.is_dir():
            return candidate
    raise SpecIndexError([f"no specification folder next to {package.name}"])


def _parse_file(path: Path, relative: str, problems: list[str]) -> list[Requirement]:
    found: list[Requirement] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opened = _FENCE_OPEN.match(lines[index].strip())
        if opened is None:
            _check_prose(lines[index], relative, index + 1, problems)
            index += 1
            continue
        # Any fenced block is skipped whole (examples of req blocks inside a longer
        # fence are not requirements); only a block opened as {req} is parsed.
        fence = opened["fence"]
        start = index + 1
        index += 1
        body: list[str] = []
        while index < len(lines) and lines[index].strip() != fence:
            body.append(lines[index])
            index += 1
        if index == len(lines):
            problems.append(f"{relative}:{start}: block is never closed with {fence}")
        index += 1
        directive = _DIRECTIVE.match(opened["info"].strip())
        if directive is not None and directive["directive"] == "req":
            requirement = _parse_block(directive["arg"], body, relative, start, problems)
            if requirement is not None:
                found.append(requirement)
    return found


def _check_prose(line: str, relative: str, number: int, problems: list[str]) -> None:
    # A capitalised BCP 14 key word outside a requirement block would be a normative
    # statement without an identifier (VDC-SPEC-001).
    match = _KEYWORD.search(_INLINE_CODE.sub("", line))
    if match and not line.lstrip().startswith(("|", "#")):
        problems.append(f"{relative}:{number}: key word {match[1]} outside a requirement block")


def _parse_block(
    title: str, body: list[str], relative: str, line: int, problems: list[str]
) -> Requirement | None:
    options: dict[str, str] = {}
    position = 0
    while position < len(body) and (option := _OPTION.match(body[position].strip())):
        options[option["key"]] = option["value"].strip()
        position += 1
    text = " ".join(part.strip() for part in body[position:] if part.strip())
    where = f"{relative}:{line}"
    identifier = options.get("id", "")
    parsed = ID_PATTERN.match(identifier)
    before = len(problems)
    if parsed is None:
        problems.append(f"{where}: malformed requirement id {identifier!r}")
    elif parsed["area"] not in AREAS:
        problems.append(f"{where}: unknown area {parsed['area']!r} in {identifier}")
    level = options.get("level", "")
    if level not in LEVELS:
        problems.append(f"{where}: {identifier}: level {level!r} is not one of {LEVELS}")
    elif not re.search(rf"\b{level}\b", text):
        problems.append(f"{where}: {identifier}: statement does not use its key word {level}")
    if not title.strip():
        problems.append(f"{where}: {identifier}: requirement has no title")
    if not text:
        problems.append(f"{where}: {identifier}: requirement has no statement")
    _check_verification(options, f"{where}: {identifier}", problems)
    if len(problems) > before or parsed is None:
        return None
    return Requirement(
        id=identifier,
        area=parsed["area"],
        level=level,
        title=title.strip(),
        text=text,
        file=relative,
        line=line,
        verification=options.get("verification", "test"),
        evidence=options.get("evidence", ""),
    )


def _check_verification(options: dict[str, str], where: str, problems: list[str]) -> None:
    # VDC-SPEC-004: inspection names its evidence; evidence belongs to inspection only.
    verification = options.get("verification", "test")
    evidence = options.get("evidence", "")
    if verification not in VERIFICATIONS:
        problems.append(f"{where}: verification {verification!r} is not one of {VERIFICATIONS}")
    elif verification == "inspection" and not evidence:
        problems.append(f"{where}: verification by inspection names no :evidence:")
    elif verification == "test" and evidence:
        problems.append(f"{where}: :evidence: is only for verification by inspection")
    if evidence and (evidence.startswith("/") or ".." in evidence.split("/")):
        problems.append(f"{where}: evidence {evidence!r} must be a path inside the repository")


def load_requirements(directory: Path | None = None) -> list[Requirement]:
    """Every requirement of the specification, in file then line order.

    Raises SpecIndexError listing every problem found (VDC-SPEC-001..003).
    """
    root = directory if directory is not None else spec_dir()
    problems: list[str] = []
    requirements: list[Requirement] = []
    for path in sorted(root.rglob("*.md")):
        requirements.extend(_parse_file(path, path.relative_to(root).as_posix(), problems))
    seen: dict[str, Requirement] = {}
    for requirement in requirements:
        first = seen.setdefault(requirement.id, requirement)
        if first is not requirement:
            problems.append(
                f"{requirement.file}:{requirement.line}: duplicate id {requirement.id} "
                f"(first at {first.file}:{first.line})"
            )
    if problems:
        raise SpecIndexError(problems)
    return requirements


def index_as_json(requirements: list[Requirement]) -> str:
    """The machine-readable index, stable for diffs (the verification fields only when set)."""
    entries = []
    for requirement in requirements:
        entry = asdict(requirement)
        if not requirement.by_inspection:
            del entry["verification"], entry["evidence"]
        entries.append(entry)
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
