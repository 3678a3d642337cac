"""Every user string that reaches an output format goes through here.

Each function turns arbitrary text into text that the format shows literally: no markup, no
links, no line breaks that would break a table row.
"""

from __future__ import annotations

import re

__all__ = ["markdown", "markdown_code"]

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
    one_line = _LINE_BREAKS.sub(" ", text)
    return _MARKDOWN_INLINE.sub(r"\\\1", one_line)


def markdown_code(text: str) -> str:
    """An id in inline code. Ids hold only letters, digits, ``_`` and ``-``; others are escaped
    as plain text instead, so a backtick cannot end the code span early."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", text):
        return f"`{text}`"
    return markdown(text)
