"""How wide text is, and text wrapped to a width: the sizes every box is made from.

Widths are DejaVu Sans advance widths (``metrics.json`` beside this module: package data
written by ``scripts/font_metrics.py``, read once at import), one of the widest sans-serif
faces, times :data:`SAFETY`: text set in the font family the SVGs ask for (DejaVu Sans, then
Verdana, Arial, any sans-serif) fits the box made for it. A character the
table does not hold counts as a full em (CJK ideographs are one em; the rest are narrower).
The numbers are the same on every machine: no font is read at run time.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["LINE_HEIGHT", "SAFETY", "text_width", "wrap_to_width"]

SAFETY = 1.06
"""Margin over DejaVu Sans widths, for the viewer's own fallback font."""
LINE_HEIGHT = 1.25
"""Line spacing, in ems."""


def _table(units: int, runs: list[tuple[int, list[int]]]) -> dict[int, float]:
    """One face of ``metrics.json``: ems by code point, from its runs of consecutive points."""
    return {
        start + offset: width / units
        for start, widths in runs
        for offset, width in enumerate(widths)
    }


_FACES = json.loads(Path(__file__).with_name("metrics.json").read_bytes())
_REGULAR = _table(**_FACES["regular"])
_BOLD = _table(**_FACES["bold"])
_REGULAR_CHARS = {chr(point): em for point, em in _REGULAR.items()}
_BOLD_CHARS = {chr(point): em for point, em in _BOLD.items()}
"""The same tables by character, for text whose every character they hold (the usual case)."""


def _em(char: str, bold: bool) -> float:
    table = _BOLD if bold else _REGULAR
    found = table.get(ord(char))
    if found is not None:
        return found
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    return 1.0


@lru_cache(maxsize=8192)
def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of one line of ``text`` at ``size`` pixels, with the safety margin."""
    try:
        ems = sum(map((_BOLD_CHARS if bold else _REGULAR_CHARS).__getitem__, text))
    except KeyError:  # a character the tables lack: measured one by one
        ems = sum(_em(char, bold) for char in text)
    return ems * size * SAFETY


def wrap_to_width(
    text: str, width: float, size: float, *, bold: bool = False, max_lines: int = 4
) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a word wider than the
    whole width is broken inside, after ``.``, ``_`` or ``-`` where it can be); at most
    ``max_lines`` lines, the last ending in an ellipsis when text was left out."""
    words: list[str] = []
    for word in text.split():
        words += _split_word(word, width, size, bold)
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold=bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        kept = lines[: max_lines - 1]
        last = lines[max_lines - 1]
        while last and text_width(last + "\u2026", size, bold=bold) > width:
            last = last[:-1]
        lines = [*kept, last.rstrip() + "\u2026"]
    return lines


def _split_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word too wide for a line, in pieces that fit (breaking after ``.``, ``_``, ``-``
    when one is close to the end, else anywhere)."""
    pieces = []
    while text_width(word, size, bold=bold) > width and len(word) > 1:
        cut = 1
        while cut < len(word) and text_width(word[: cut + 1], size, bold=bold) <= width:
            cut += 1
        soft = max(word.rfind(mark, 0, cut) for mark in "._-")
        if soft >= cut // 2:
            cut = soft + 1
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word] if word else pieces
