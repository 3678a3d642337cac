"""Every user string that reaches an output format goes through here.

Each function turns arbitrary text into text that the format shows literally: no markup, no
links, no line breaks that would break a table row.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "dot_id",
    "dot_lines",
    "dot_text",
    "json_text",
    "markdown",
    "markdown_block",
    "markdown_code",
    "plain_text",
    "svg_text",
    "terminal",
    "terminal_text",
    "text_lines",
]

_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
"""Inline syntax: emphasis, code, links and images (``[``), HTML and entities, table cells.
Block syntax (``#``, ``-``, ``1.``) only acts at the start of a line, and reports never start a
line with user text."""
_LINE_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029]+")


_WORD_JOINER = "\u2060"
_LINKING = re.compile(
    r"([@#])|(?<=[A-Za-z])(://)|(?<![A-Za-z0-9])(www)(?=\.)|(?<![A-Za-z0-9])(GH)(?=-\d)",
    re.IGNORECASE,
)
"""What GitHub turns into a link or a notification even in escaped text: ``@name`` (a mention),
``#12`` and ``GH-12`` (issue references), ``http://...`` and ``www.`` (autolinks), ``a@b.c``
(a mail link)."""


def _unlink(match: re.Match[str]) -> str:
    mark, scheme, www, issue = match.groups()
    if mark:
        return mark + _WORD_JOINER
    if scheme:
        return _WORD_JOINER + scheme
    return (www or issue) + _WORD_JOINER


def markdown(text: str) -> str:
    """Text shown literally in Markdown, on one line, safe inside a table cell or mid-line.

    Every character that inline Markdown (or the HTML it may contain) reads as syntax is
    backslash-escaped, so a name like ``<script>`` or ``[x](http://...)`` stays text; a word
    joiner (U+2060, invisible) after ``@`` and ``#`` and inside ``://`` and ``www.`` keeps
    GitHub from making mentions, issue links and autolinks of it.
    """
    one_line = " ".join(_visible(line) for line in _LINE_BREAKS.split(text))
    return _LINKING.sub(_unlink, _MARKDOWN_INLINE.sub(r"\\\1", one_line))


def markdown_block(text: str, *, info: str = "") -> str:
    """Text as a fenced code block that nothing in it can close: lines split at every line
    break Markdown knows (CR alone included), control characters shown as escapes, and a fence
    longer than any run of backticks in the text. Ends with a newline."""
    lines = [terminal_text(line) for line in re.split(r"\r\n|\r|\n", text.rstrip("\r\n"))]
    longest = max((len(run) for run in re.findall(r"`+", "\n".join(lines))), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n" + "".join(line + "\n" for line in lines) + f"{fence}\n"


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


_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200e\u200f\u2028-\u202e\u2066-\u2069"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
"""What a terminal may act on instead of showing: C0 and C1 controls (ESC starts colour, cursor
and OSC title or hyperlink sequences, CR overwrites a line), DEL, line and paragraph
separators, bidi marks, embeddings, overrides and isolates, and other format characters that
change how text around them is shown, lone surrogates. (Zero-width spaces and joiners only
hide; they stay.)"""


def _escaped(match: re.Match[str]) -> str:
    point = ord(match.group())
    if point < 0x100:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def terminal_text(text: str) -> str:
    """Text for a terminal, its newlines and tabs kept: every character in
    :data:`_TERMINAL_UNSAFE` is shown as an escape (``\\x1b``, ``\\u202e``), so nothing in a
    model can colour, move, retitle or reorder what the terminal shows."""
    return _TERMINAL_UNSAFE.sub(_escaped, text)


def terminal(text: str) -> str:
    """:func:`terminal_text` on one line: newlines and tabs escaped too."""
    return terminal_text(text).replace("\n", "\\n").replace("\t", "\\t")


def _json_escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    if point < 0x10000:
        return f"\\u{point:04x}"
    point -= 0x10000
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"


def json_text(data: object, *, indent: int | None = 2, sort_keys: bool = False) -> str:
    """JSON text of ``data``, readable (UTF-8, not ``\\u`` for every accent) but with every
    character a terminal could act on (:data:`_TERMINAL_UNSAFE`) written as a ``\\u`` escape,
    and no ``NaN`` or ``Infinity`` (which are not JSON). Ends with a newline."""
    text = json.dumps(data, indent=indent, sort_keys=sort_keys, ensure_ascii=False, allow_nan=False)
    return _TERMINAL_UNSAFE.sub(_json_escape, text) + "\n"


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
    if line.isprintable():  # no control, format, surrogate or unassigned character: as it is
        return line
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
    from graphviz import escape as _dot_escape  # DOT is made only when a diagram is drawn
    from graphviz import nohtml as _dot_nohtml
    from graphviz.quoting import quote as _dot_quote

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
    from graphviz import escape as _dot_escape
    from graphviz import nohtml as _dot_nohtml
    from graphviz.quoting import quote as _dot_quote

    return str(_dot_quote(_dot_nohtml(_dot_escape(plain_text(name)))))
