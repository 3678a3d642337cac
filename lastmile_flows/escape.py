"""Every user string that reaches an output format goes through here.

Each function turns arbitrary text into text that the format shows literally: no markup, no
links, no line breaks that would break a table row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from graphviz import escape as _dot_escape
from graphviz import nohtml as _dot_nohtml
from graphviz.quoting import quote as _dot_quote

__all__ = [
    "dot_id",
    "dot_lines",
    "dot_text",
    "markdown",
    "markdown_code",
    "plain_text",
    "svg_text",
    "text_lines",
]

_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
"""Inline syntax: emphasis, code, links and images (``[``), HTML and entities, table cells.
Block syntax (``#``, ``-``, ``1.``) only acts at the start of a line, and reports never start a
line with user text."""
_LINE_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029]+")


def markdown(text: str) -> str:
    """Text shown literally in Markdown, on one line, safe inside a table cell or mid-line.

    Every character that inline Markdown (or the HTML it may contain) reads as syntax is
    backslash-escaped, so a name like ``<script>`` or ``[x](http://...)`` stays text.
    """
    one_line = " ".join(_visible(line) for line in _LINE_BREAKS.split(text))
    return _MARKDOWN_INLINE.sub(r"\\\1", one_line)


def markdown_code(text: str) -> str:
    """An id in inline code. Ids hold only letters, digits, ``_`` and ``-``; others are escaped
    as plain text instead, so a backtick cannot end the code span early."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", text):
        return f"`{text}`"
    return markdown(text)


def text_lines(text: str) -> list[str]:
    """Text split at its line breaks (any kind), each line with control characters made spaces.

    A NUL, a tab, an escape sequence or a bidi override in a name cannot reach an output."""
    return [_visible(line) for line in _LINE_BREAKS.split(text)] if text else [""]


def plain_text(text: str) -> str:
    """Text on one line, control characters made spaces: for SVG tooltips and XML attributes
    (lxml escapes ``<``, ``&`` and quotes itself)."""
    return " ".join(line for line in text_lines(text) if line)


def svg_text(text: str) -> str:
    """Text for an SVG ``<title>`` or ``<text>``: line breaks kept as ``\\n``, other control
    characters made spaces (XML cannot hold them; lxml escapes the rest)."""
    return "\n".join(text_lines(text))


def _visible(line: str) -> str:
    """Control and format characters as spaces (the zero-width joiner of emoji kept); lone
    surrogates and noncharacters, which no XML or UTF-8 output can hold, as U+FFFD."""
    return "".join(
        "\ufffd"
        if _unrepresentable(char)
        else " "
        if unicodedata.category(char) in ("Cc", "Cf") and char != "\u200d"
        else char
        for char in line
    )


def _unrepresentable(char: str) -> bool:
    point = ord(char)
    return (
        0xD800 <= point <= 0xDFFF
        or 0xFDD0 <= point <= 0xFDEF
        or (point & 0xFFFE) == 0xFFFE  # U+FFFE, U+FFFF and their kin in every plane
    )


def dot_lines(lines: Iterable[str], *, left: bool = False) -> str:
    """A quoted DOT string that shows each line literally, one per line, centred (or ``left``-
    justified).

    Backslashes are doubled, so ``\\N``, ``\\G``, ``\\l`` or a trailing ``\\`` stay text instead
    of Graphviz escapes; quotes are escaped; ``&`` is escaped, so ``&lt;`` stays text (Graphviz
    decodes entities in every label); ``<...>`` is never read as an HTML label; line breaks
    inside a line are kept as breaks.
    """
    # Graphviz decodes HTML entities even in plain labels: "&amp;" must arrive as "&amp;amp;"
    parts = [
        _dot_escape(piece).replace("&", "&amp;") for line in lines for piece in text_lines(line)
    ]
    if left:
        return str(_dot_quote(_dot_nohtml("".join(part + "\\l" for part in parts))))
    return str(_dot_quote(_dot_nohtml("\\n".join(parts))))


def dot_text(text: str) -> str:
    """:func:`dot_lines` for one piece of text."""
    return dot_lines([text])


def dot_id(name: str) -> str:
    """A DOT node, cluster or attribute name, quoted when it needs to be."""
    return str(_dot_quote(_dot_nohtml(_dot_escape(plain_text(name)))))
