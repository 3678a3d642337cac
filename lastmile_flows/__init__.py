"""lastmile_flows: where an AI redesign removes work, adds review, and leaves failures unowned."""

from lastmile_flows.analysis import RULES, Comparison, Finding, StepChange, compare, measure
from lastmile_flows.bpmn import BpmnImportWarning, import_bpmn, read_bpmn, write_bpmn
from lastmile_flows.errors import (
    BpmnError,
    InvalidModelError,
    LastmileError,
    LoadError,
    RenderError,
    UnsafeXmlError,
    XmlEncodingError,
)
from lastmile_flows.files import discover, dump, load, load_all, load_pair
from lastmile_flows.model import (
    Branch,
    EdgeCase,
    Event,
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
    problems,
)
from lastmile_flows.publish import committee_report
from lastmile_flows.render import render_svg, to_dot
from lastmile_flows.schema import file_schema

__all__ = [
    "RULES",
    "BpmnError",
    "BpmnImportWarning",
    "Branch",
    "Comparison",
    "EdgeCase",
    "Event",
    "Finding",
    "Flow",
    "Gateway",
    "InvalidModelError",
    "LastmileError",
    "LoadError",
    "Message",
    "Problem",
    "Process",
    "Redesign",
    "RenderError",
    "RetiredEdgeCase",
    "Role",
    "RoutingPoint",
    "Step",
    "StepChange",
    "UnsafeXmlError",
    "XmlEncodingError",
    "committee_report",
    "compare",
    "discover",
    "dump",
    "file_schema",
    "import_bpmn",
    "load",
    "load_all",
    "load_pair",
    "measure",
    "problems",
    "read_bpmn",
    "render_svg",
    "to_dot",
    "write_bpmn",
]
