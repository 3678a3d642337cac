"""The analysis layer: comparison of two versions, the ownership audit, and metrics.

Every name is imported on first use (:mod:`lastmile_flows.lazy`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lastmile_flows.lazy import exports

if TYPE_CHECKING:
    from lastmile_flows.analysis.align import HandOff, StepChange
    from lastmile_flows.analysis.comparison import Comparison, compare
    from lastmile_flows.analysis.findings import Finding
    from lastmile_flows.analysis.metrics import Metrics, measure
    from lastmile_flows.analysis.rules import RULES, Rule

__all__ = [
    "RULES",
    "Comparison",
    "Finding",
    "HandOff",
    "Metrics",
    "Rule",
    "StepChange",
    "compare",
    "measure",
]

_HOME = {
    "Comparison": "lastmile_flows.analysis.comparison",
    "Finding": "lastmile_flows.analysis.findings",
    "HandOff": "lastmile_flows.analysis.align",
    "Metrics": "lastmile_flows.analysis.metrics",
    "RULES": "lastmile_flows.analysis.rules",
    "Rule": "lastmile_flows.analysis.rules",
    "StepChange": "lastmile_flows.analysis.align",
    "compare": "lastmile_flows.analysis.comparison",
    "measure": "lastmile_flows.analysis.metrics",
}

__getattr__, __dir__ = exports(globals(), _HOME)
