"""How bad a finding or a problem is: one ordered vocabulary for validation problems, audit
findings, ``check`` results and the ``fail_on`` setting."""

from __future__ import annotations

from typing import Literal

__all__ = ["FAIL_ON", "SEVERITIES", "FailOn", "Severity", "at_or_worse", "rank"]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
"""Worst first. Validation problems are errors or warnings; audit findings may also be info."""
FailOn = Literal["error", "warning", "info", "never"]
FAIL_ON: tuple[FailOn, ...] = (*SEVERITIES, "never")
"""The levels a command can fail at: a severity, or never."""


def rank(severity: Severity) -> int:
    """0 for the worst, for sorting worst first."""
    return SEVERITIES.index(severity)


def at_or_worse(severity: Severity, level: FailOn) -> bool:
    """Whether ``severity`` is ``level`` or worse (never, for ``never``)."""
    return level != "never" and rank(severity) <= SEVERITIES.index(level)
