"""lastmile_flows: where an AI redesign removes work, adds review, and leaves failures unowned."""

from lastmile_flows.analysis import RULES, Comparison, Finding, StepChange, compare, measure
from lastmile_flows.errors import InvalidModelError, LastmileError, LoadError, RenderError
from lastmile_flows.files import discover, dump, load, load_all, load_pair
from lastmile_flows.model import (
    Branch,
    EdgeCase,
    Event,
    Flow,
    Gateway,
    Problem,
    Process,
    Redesign,
    RetiredEdgeCase,
    Role,
    Step,
    problems,
)
from lastmile_flows.render import render_svg, to_dot
from lastmile_flows.schema import file_schema

__all__ = [
    "RULES",
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
    "Problem",
    "Process",
    "Redesign",
    "RenderError",
    "RetiredEdgeCase",
    "Role",
    "Step",
    "StepChange",
    "compare",
    "discover",
    "dump",
    "file_schema",
    "load",
    "load_all",
    "load_pair",
    "measure",
    "problems",
    "render_svg",
    "to_dot",
]
