"""What every audit rule shares: its input, the list it adds findings to, and the phrases its
messages use (people, roles, how often)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lastmile_flows.analysis.align import StepChange
from lastmile_flows.analysis.fates import EdgeCaseFate
from lastmile_flows.analysis.findings import Finding
from lastmile_flows.analysis.flowmath import FlowFacts
from lastmile_flows.analysis.metrics import Metrics
from lastmile_flows.analysis.rules import Severity, rule
from lastmile_flows.model import Process, Role

__all__ = ["AuditInput", "FindingList", "how_often", "people", "role_text"]


@dataclass(frozen=True)
class AuditInput:
    current: Process
    redesigned: Process
    changes: tuple[StepChange, ...]
    visits_current: dict[str, float]
    visits_redesigned: dict[str, float]
    volume_per_month: float | None
    hours_per_fte_month: float
    max_escaped_errors_per_month: float | None = None
    fates: tuple[EdgeCaseFate, ...] = ()
    """What becomes of each current edge case (:func:`~lastmile_flows.analysis.fates.
    trace_edge_cases`); none for the self-comparison, where every one is restated."""
    flows_current: FlowFacts | None = None
    flows_redesigned: FlowFacts | None = None
    """The versions' flow figures, when the caller has them already (else worked out here)."""
    metrics_current: Metrics = field(kw_only=True)
    metrics_redesigned: Metrics = field(kw_only=True)
    """The versions' metrics at the volume (the redesign's with its carried edge cases): what
    the capacity findings read, so that a finding's hours are the role's hours in the metrics."""


class FindingList:
    """The findings of one audit run, each at the severity the user set for its rule."""

    def __init__(self, severities: dict[str, Severity]) -> None:
        self.severities = severities
        self.found: list[Finding] = []

    def add(self, name: str, message: str, *ids: str, version: str = "redesigned") -> None:
        found = rule(name)
        self.found.append(
            Finding(
                code=found.code,
                name=found.name,
                severity=self.severities[found.name],
                message=message,
                element_ids=tuple(ids),
                version="current" if version == "current" else "redesigned",
            )
        )


def people(count: float | None) -> str:
    """``1 person``, ``0 people``, ``2.5 people``."""
    if count is None:
        return "some people"
    return "1 person" if count == 1 else f"{count:g} people"


def role_text(role: Role | None, role_id: str) -> str:
    return f"{role.label} ({role_id})" if role is not None and role.label != role_id else role_id


def how_often(rate: float, visit: float, volume: float | None) -> str:
    share = rate * visit
    text = f"{share:.1%} of cases"
    if volume is not None:
        text += f", about {share * volume:,.0f} a month"
    return text
