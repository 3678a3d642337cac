"""What a message offers the user who gave a name that does not exist: the valid choices, and
the nearest one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["choices", "did_you_mean"]


def choices(valid: Iterable[str]) -> str:
    """The valid choices, sorted and quoted, for a message."""
    names = sorted(set(valid))
    if not names:
        return "there are none"
    return ", ".join(f"'{name}'" for name in names)


def did_you_mean(value: str, valid: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when one valid choice is close to ``value``, else ``''``."""
    names = sorted(set(valid))
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    if not close:
        lowered = value.lower()
        close = [name for name in names if name.lower() == lowered]
    if not close and len(value) >= 3:
        close = [name for name in names if name.lower().startswith(value.lower())][:1]
    return f" (did you mean '{close[0]}'?)" if close else ""
