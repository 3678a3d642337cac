"""Where a number in a model comes from: a measurement from an event log, kept beside it.

A model's figures are assumed unless the process lists an :class:`Evidence` record for them.
Each record names the element (a step, edge case, gateway, role, or the process itself), the
field it measured (``touch_minutes``, a branch's ``probability`` with the branch's ``target``,
...), the value it measured, and how: which log, how many cases and observations, the median,
mean and 90th percentile, and a 95% confidence interval.

A record only vouches for the value it measured. When someone edits the number afterwards,
:func:`evidence_for` no longer returns it: the figure is assumed again (the record stays in the
file, so the diff shows both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from lastmile_flows.model.base import Frozen, Id

if TYPE_CHECKING:
    from lastmile_flows.model.process import Process

__all__ = ["EVIDENCE_FIELDS", "Evidence", "EvidenceField", "evidence_for", "model_value"]

EvidenceField = Literal[
    "touch_minutes",
    "wait_minutes",
    "probability",
    "rate",
    "handling_minutes",
    "headcount",
    "volume_per_month",
]
EVIDENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "step": ("touch_minutes", "wait_minutes"),
    "edge_case": ("rate", "handling_minutes"),
    "gateway": ("probability",),
    "role": ("headcount",),
    "process": ("volume_per_month",),
}
"""Which fields each kind of element can carry evidence for."""

Count = Annotated[int, Field(ge=0)]
MATCH_TOLERANCE = 1e-9
"""A record vouches for the model's value while they differ by no more than this (relative)."""


class Evidence(Frozen):
    """One measured figure of a model, and how it was measured."""

    element: Id = Field(description="The step, edge case, gateway, role or process measured.")
    field: EvidenceField = Field(description="The field of that element the value is for.")
    target: Id | None = Field(
        default=None, description="For a gateway's probability: the branch's target."
    )
    value: float = Field(description="The measured value, as written into the model.")
    source: str = Field(min_length=1, description="The event log it was measured from.")
    cases: Count = Field(description="Cases the measurement rests on.")
    observations: Count = Field(
        default=0, description="Events, visits or months observed (0: the cases)."
    )
    median: float | None = None
    mean: float | None = None
    p90: float | None = Field(default=None, description="90th percentile.")
    low: float | None = Field(default=None, description="95% confidence interval, lower end.")
    high: float | None = Field(default=None, description="95% confidence interval, upper end.")
    method: str = Field(default="", description="How the value was computed, in words.")

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What it measures: element, field and (for a branch) target."""
        return (self.element, self.field, self.target)


def model_value(process: Process, element: str, field: str, target: str | None = None) -> object:
    """The model's current value for an evidence key; ``None`` when the model has no such
    element or field, ``...`` (Ellipsis) for figures kept outside the process (its volume)."""
    if element == process.id and field == "volume_per_month":
        return ...
    for step in process.steps:
        if step.id == element and field in EVIDENCE_FIELDS["step"]:
            return getattr(step, field)
        for case in step.edge_cases:
            if case.id == element and field in EVIDENCE_FIELDS["edge_case"]:
                return getattr(case, field)
    for gateway in process.gateways:
        if gateway.id == element and field == "probability":
            for branch in gateway.branches:
                if branch.to == target:
                    return branch.probability
            return None
    for flow in process.flows:
        if flow.source == element and flow.target == target and field == "probability":
            return flow.probability
    for role in process.roles:
        if role.id == element and field in EVIDENCE_FIELDS["role"]:
            return role.headcount
    return None


def evidence_for(
    process: Process, element: str, field: str, *, target: str | None = None
) -> Evidence | None:
    """The evidence behind one figure of ``process``, or ``None`` when the figure is assumed.

    A record counts only while the model still holds the value it measured: an edited figure
    is assumed again. ``target`` names the branch for a gateway's ``probability``.
    """
    for record in process.evidence:
        if record.key != (element, field, target):
            continue
        current = model_value(process, element, field, target)
        if current is ...:
            return record
        if isinstance(current, int | float) and _close(float(current), record.value):
            return record
        return None
    return None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= MATCH_TOLERANCE * max(1.0, abs(a), abs(b))
