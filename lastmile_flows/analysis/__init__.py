"""The analysis layer: comparison of two versions, the ownership audit, and metrics."""

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
