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


def duration(value: float, hours_per_day: float = 8.0) -> str:
    """Minutes as minutes, hours or working days (of ``hours_per_day``), whichever reads best:
    a day is never 24 hours unless the working day is."""
    day = hours_per_day * 60
    if abs(value) < 90:
        return f"{value:,.0f} min"
    if abs(value) < day * 2:
        return f"{value / 60:,.1f} h"
    return f"{value / day:,.1f} working days"


def money(value: float, currency: str = "") -> str:
    """``12,345 EUR``; without a currency, the number alone."""
    return f"{value:,.0f} {currency}".rstrip()


def percent(value: float) -> str:
    return f"{value:.0%}"


def count(value: int) -> str:
    return f"{value:,d}"


def plural(number: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{number} {word}{'' if number == 1 else 's'}"
