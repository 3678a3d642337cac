"""lastmile_flows: where an AI redesign removes work, adds review, and leaves failures unowned.

Every public name is imported on first use (PEP 562), so ``import lastmile_flows`` loads no
analysis, BPMN, rendering or Graphviz code until something needs it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lastmile_flows.analysis import RULES, Comparison, Finding, StepChange, compare, measure
    from lastmile_flows.bpmn import BpmnImportWarning, import_bpmn, read_bpmn, write_bpmn
    from lastmile_flows.errors import (
        BpmnError,
        InvalidModelError,
        LastmileError,
        LoadError,
        LogError,
        RenderError,
        SimulationError,
        UnsafeXmlError,
        XmlEncodingError,
    )
    from lastmile_flows.evidence import (
        Calibration,
        Conformance,
        Discovery,
        EventLog,
        LogSummary,
        calibrate,
        conform,
        conformance_svg,
        discover_process,
        practice_findings,
        read_log,
        summarise_log,
        with_practice,
    )
    from lastmile_flows.files import discover, dump, load, load_all, load_pair
    from lastmile_flows.model import (
        Branch,
        EdgeCase,
        Event,
        Evidence,
        Flow,
        Gateway,
        Message,
        Problem,
        Process,
        Redesign,
        RetiredEdgeCase,
        Role,
        RoutingPoint,
        Step,
        evidence_for,
        problems,
    )
    from lastmile_flows.publish import committee_report
    from lastmile_flows.render import render_png, render_svg, to_dot
    from lastmile_flows.schema import file_schema
    from lastmile_flows.simulation import (
        ArrivalProfile,
        Calendar,
        ReviewShareSweep,
        SimulationResult,
        simulate,
        sweep_review_share,
    )

__all__ = [
    "RULES",
    "ArrivalProfile",
    "BpmnError",
    "BpmnImportWarning",
    "Branch",
    "Calendar",
    "Calibration",
    "Comparison",
    "Conformance",
    "Discovery",
    "EdgeCase",
    "Event",
    "EventLog",
    "Evidence",
    "Finding",
    "Flow",
    "Gateway",
    "InvalidModelError",
    "LastmileError",
    "LoadError",
    "LogError",
    "LogSummary",
    "Message",
    "Problem",
    "Process",
    "Redesign",
    "RenderError",
    "RetiredEdgeCase",
    "ReviewShareSweep",
    "Role",
    "RoutingPoint",
    "SimulationError",
    "SimulationResult",
    "Step",
    "StepChange",
    "UnsafeXmlError",
    "XmlEncodingError",
    "calibrate",
    "committee_report",
    "compare",
    "conform",
    "conformance_svg",
    "discover",
    "discover_process",
    "dump",
    "evidence_for",
    "file_schema",
    "import_bpmn",
    "load",
    "load_all",
    "load_pair",
    "measure",
    "practice_findings",
    "problems",
    "read_bpmn",
    "read_log",
    "render_png",
    "render_svg",
    "simulate",
    "summarise_log",
    "sweep_review_share",
    "to_dot",
    "with_practice",
    "write_bpmn",
]

_HOME = {
    "ArrivalProfile": "lastmile_flows.simulation",
    "BpmnError": "lastmile_flows.errors",
    "BpmnImportWarning": "lastmile_flows.bpmn",
    "Branch": "lastmile_flows.model",
    "Calendar": "lastmile_flows.simulation",
    "Calibration": "lastmile_flows.evidence",
    "Comparison": "lastmile_flows.analysis",
    "Conformance": "lastmile_flows.evidence",
    "Discovery": "lastmile_flows.evidence",
    "EdgeCase": "lastmile_flows.model",
    "Event": "lastmile_flows.model",
    "EventLog": "lastmile_flows.evidence",
    "Evidence": "lastmile_flows.model",
    "Finding": "lastmile_flows.analysis",
    "Flow": "lastmile_flows.model",
    "Gateway": "lastmile_flows.model",
    "InvalidModelError": "lastmile_flows.errors",
    "LastmileError": "lastmile_flows.errors",
    "LoadError": "lastmile_flows.errors",
    "LogError": "lastmile_flows.errors",
    "LogSummary": "lastmile_flows.evidence",
    "Message": "lastmile_flows.model",
    "Problem": "lastmile_flows.model",
    "Process": "lastmile_flows.model",
    "RULES": "lastmile_flows.analysis",
    "Redesign": "lastmile_flows.model",
    "RenderError": "lastmile_flows.errors",
    "RetiredEdgeCase": "lastmile_flows.model",
    "ReviewShareSweep": "lastmile_flows.simulation",
    "Role": "lastmile_flows.model",
    "RoutingPoint": "lastmile_flows.model",
    "SimulationError": "lastmile_flows.errors",
    "SimulationResult": "lastmile_flows.simulation",
    "Step": "lastmile_flows.model",
    "StepChange": "lastmile_flows.analysis",
    "UnsafeXmlError": "lastmile_flows.errors",
    "XmlEncodingError": "lastmile_flows.errors",
    "calibrate": "lastmile_flows.evidence",
    "committee_report": "lastmile_flows.publish",
    "compare": "lastmile_flows.analysis",
    "conform": "lastmile_flows.evidence",
    "conformance_svg": "lastmile_flows.evidence",
    "discover": "lastmile_flows.files",
    "discover_process": "lastmile_flows.evidence",
    "dump": "lastmile_flows.files",
    "evidence_for": "lastmile_flows.model",
    "file_schema": "lastmile_flows.schema",
    "import_bpmn": "lastmile_flows.bpmn",
    "load": "lastmile_flows.files",
    "load_all": "lastmile_flows.files",
    "load_pair": "lastmile_flows.files",
    "measure": "lastmile_flows.analysis",
    "practice_findings": "lastmile_flows.evidence",
    "problems": "lastmile_flows.model",
    "read_bpmn": "lastmile_flows.bpmn",
    "read_log": "lastmile_flows.evidence",
    "render_png": "lastmile_flows.render",
    "render_svg": "lastmile_flows.render",
    "simulate": "lastmile_flows.simulation",
    "summarise_log": "lastmile_flows.evidence",
    "sweep_review_share": "lastmile_flows.simulation",
    "to_dot": "lastmile_flows.render",
    "with_practice": "lastmile_flows.evidence",
    "write_bpmn": "lastmile_flows.bpmn",
}
"""Where each public name lives."""


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'lastmile_flows' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
