"""Docstrings checked as reStructuredText before Sphinx renders them.

Docstrings in this project are plain prose with `code` in backticks; most are valid
reST, some are not (a lone asterisk, an indented continuation). A docstring that would
make docutils complain is shown as a literal block instead, so the API reference is
complete and warning-free whatever the docstring's style.
"""

from __future__ import annotations

import io

import docutils.core
from docutils import nodes

# Roles and directives that only Sphinx knows are not a problem of the docstring.
_SPHINX_ONLY = ("Unknown interpreted text role", "Unknown directive type")
_WARNING = 2


def problems(text: str) -> list[str]:
    """What docutils reports about `text` as reST, ignoring Sphinx-only markup."""
    settings = {
        "report_level": 5,
        "halt_level": 5,
        "warning_stream": io.StringIO(),
        "file_insertion_enabled": False,
        "raw_enabled": False,
    }
    try:
        document = docutils.core.publish_doctree(text, settings_overrides=settings)
    except Exception as error:  # docutils giving up is a problem of the text too
        return [str(error)]
    messages = [
        *document.findall(nodes.system_message),
        *document.parse_messages,
        *document.transform_messages,
    ]
    # A section inside a docstring is refused by autodoc's nested parsing, not by docutils.
    sections = [f"section {n.astext()!r}" for n in document.findall(nodes.title)]
    return sections + [
        message.astext()
        for message in messages
        if int(message.get("level", 0)) >= _WARNING
        and not any(marker in message.astext() for marker in _SPHINX_ONLY)
    ]


def safe_lines(lines: list[str]) -> list[str]:
    """The docstring unchanged when it is clean reST, else the same text as a literal block."""
    text = "\n".join(lines)
    if not text.strip() or not problems(text):
        return lines
    return ["::", "", *(f"    {line}" if line else "" for line in lines), ""]
