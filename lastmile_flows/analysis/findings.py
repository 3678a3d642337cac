"""A finding of the audit: data with a stable code, never an exception."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from lastmile_flows.analysis.rules import rule
from lastmile_flows.severity import Severity, rank

__all__ = ["Finding", "sort_findings"]


class Finding(BaseModel):
    """One thing the committee should act on, about named elements of one version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name: str
    severity: Severity
    message: str
    element_ids: tuple[str, ...]
    version: Literal["current", "redesigned"] = "redesigned"
    """The version whose elements ``element_ids`` name."""
    introduced: bool = True
    """The redesign brings this in: comparing the current process with itself does not find it."""

    @property
    def remedy(self) -> str:
        """What to do about it: the remedy of its rule."""
        return rule(self.name).remedy


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; within each, by rule code, keeping model order."""
    return sorted(findings, key=lambda f: (rank(f.severity), f.code))
