"""Numbers as people read them: rounded on purpose, signed where they are changes."""

from __future__ import annotations

__all__ = ["count", "duration", "minutes", "money", "percent", "plain", "plural", "signed"]

MINUS = "\u2212"


def plain(value: float, places: int = 1) -> str:
    text = f"{value:,.{places}f}"
    return "0" if float(text.replace(",", "")) == 0 and places == 0 else text


def signed(value: float, places: int = 1) -> str:
    """``+1.5``, ``\u22122.0`` (a real minus sign), ``\u00b10``."""
    if round(value, places) == 0:
        return "\u00b10"
    sign = "+" if value > 0 else MINUS
    return f"{sign}{abs(value):,.{places}f}"


def minutes(value: float) -> str:
    return f"{value:,.1f} min"


def duration(value: float) -> str:
    """Minutes as minutes, hours or working days (8 h), whichever reads best."""
    if abs(value) < 90:
        return f"{value:,.0f} min"
    if abs(value) < 8 * 60 * 2:
        return f"{value / 60:,.1f} h"
    return f"{value / 480:,.1f} days"


def money(value: float) -> str:
    return f"{value:,.0f}"


def percent(value: float) -> str:
    return f"{value:.0%}"


def count(value: int) -> str:
    return f"{value:,d}"


def plural(number: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{number} {word}{'' if number == 1 else 's'}"
