"""Which figures of a comparison were measured and which assumed, for the step table.

Only a comparison of processes that carry evidence (calibrated from an event log) says
anything: the others' reports stay exactly as they were. A step group's current minutes are
*measured* when every current step in it has evidence for its touch minutes that still matches
the model (:func:`~lastmile_flows.model.evidence_for`), else *assumed*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lastmile_flows.model import evidence_for

if TYPE_CHECKING:
    from lastmile_flows.analysis.align import StepChange
    from lastmile_flows.analysis.comparison import Comparison

__all__ = ["measured_line", "measured_marker"]


def _has_evidence(comparison: Comparison) -> bool:
    sources = comparison.sources
    return sources is not None and bool(sources.current.evidence)


def measured_marker(comparison: Comparison, change: StepChange) -> str | None:
    """``measured: n = 13,087 cases`` or ``assumed`` for a group's current minutes; ``None``
    when nothing in the comparison is measured, or the group has no current step."""
    sources = comparison.sources
    if sources is None or not _has_evidence(comparison) or not change.current:
        return None
    found = [evidence_for(sources.current, step, "touch_minutes") for step in change.current]
    if any(record is None for record in found):
        return "assumed"
    cases = min(record.cases for record in found if record is not None)
    return f"measured: n = {cases:,} cases"


def measured_line(comparison: Comparison) -> str | None:
    """One sentence on where the current figures come from, or ``None`` without evidence."""
    sources = comparison.sources
    if sources is None or not _has_evidence(comparison):
        return None
    current = sources.current
    measured = assumed = 0
    logs: set[str] = set()
    for step in current.steps:
        for field in ("touch_minutes", "wait_minutes"):
            record = evidence_for(current, step.id, field)
            if record is None:
                assumed += 1
            else:
                measured += 1
                logs.add(record.source)
    where = ", ".join(sorted(logs)) or "an event log"
    return (
        f"Current-state step minutes: {measured} measured from {where}, {assumed} assumed "
        "(marked in the step table)."
    )
