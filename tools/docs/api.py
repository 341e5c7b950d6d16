"""What the API reference documents: each public module and the members it owns.

A module is public when no part of its dotted name starts with an underscore. Its
members are its `__all__` (or, without one, the public names it defines itself). A
name re-exported from another public module is documented there only, so that each
object has one description; a name re-exported from a private module is documented
where it is re-exported, which is where users import it from.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from types import ModuleType

from tools.docs import rst


@dataclass(frozen=True, kw_only=True)
class ModuleDoc:
    """One public module: its members, its re-exports, or why it could not be imported."""

    name: str
    members: tuple[str, ...] = ()
    elsewhere: tuple[tuple[str, str], ...] = ()
    error: str = ""


def public_modules(package: str) -> list[str]:
    """The dotted names of the public modules of `package`, itself first, then sorted."""
    root = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}.", onerror=lambda _: None):
        parts = info.name.split(".")
        # Test modules of the suite are catalogued as test cases, not as API.
        if not any(part.startswith(("_", "test_")) for part in parts):
            names.append(info.name)
    return [package, *sorted(set(names) - {package})]


def _is_public(module: str) -> bool:
    return not any(part.startswith("_") for part in module.split("."))


def _owned(module: ModuleType) -> list[str]:
    exported = getattr(module, "__all__", None)
    if exported is not None:
        return [str(name) for name in exported]
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == module.__name__
    ]


def describe(name: str, documented: set[str]) -> ModuleDoc:
    """The members of module `name`; `documented` holds the other modules with a page."""
    try:
        module = importlib.import_module(name)
    except Exception as error:  # a module of the tree that does not import is reported
        return ModuleDoc(name=name, error=f"{type(error).__name__}: {error}")
    members: list[str] = []
    elsewhere: list[tuple[str, str]] = []
    for member in _owned(module):
        value = getattr(module, member, None)
        home = getattr(value, "__module__", None)
        if (
            isinstance(home, str)
            and home != name
            and _is_public(home)
            and home in documented
            and (inspect.isclass(value) or inspect.isfunction(value))
        ):
            elsewhere.append((member, home))
        else:
            members.append(member)
    return ModuleDoc(name=name, members=tuple(members), elsewhere=tuple(elsewhere))


def module_page(doc: ModuleDoc) -> str:
    """The reStructuredText page of one module (automodule with explicit members)."""
    parts = [".. Generated at build time by tools/docs; do not edit.\n", rst.title(doc.name)]
    lines = [f".. automodule:: {doc.name}"]
    if doc.members:
        lines.append(f"   :members: {', '.join(doc.members)}")
        lines.append("   :undoc-members:")
        lines.append("   :show-inheritance:")
    parts.append("\n".join(lines) + "\n")
    if doc.elsewhere:
        parts.append("Also re-exported here:\n")
        parts.append(
            "\n".join(
                f"* ``{member}``, documented in :mod:`{home}`" for member, home in doc.elsewhere
            )
            + "\n"
        )
    return "\n".join(parts)


def index_page(docs: list[ModuleDoc], excluded: dict[str, str]) -> str:
    """The API index: a toctree of the module pages and the modules left out, with reasons."""
    parts = [
        ".. Generated at build time by tools/docs; do not edit.\n",
        rst.title("Python API"),
        "The public modules of the reference implementation (``vitale_ref``) and of the "
        "conformance suite (``conformance``), documented from their docstrings and type "
        "hints. Private modules (``_name.py``) are documented through the public module "
        "that re-exports them.\n",
        ".. toctree::\n   :maxdepth: 1\n\n"
        + "\n".join(f"   {d.name}" for d in docs if not d.error and d.name not in excluded)
        + "\n",
    ]
    if excluded:
        parts.append(rst.title("Modules left out", "-"))
        parts.append(
            "\n".join(f"* ``{n}``: {rst.text(why)}" for n, why in sorted(excluded.items()))
        )
    return "\n".join(parts) + "\n"
