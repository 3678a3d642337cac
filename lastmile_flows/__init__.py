"""lastmile_flows: where an AI redesign removes work, adds review, and leaves failures unowned."""

from lastmile_flows.errors import InvalidModelError, LastmileError, LoadError
from lastmile_flows.files import discover, dump, load, load_all
from lastmile_flows.model import (
    Branch,
    EdgeCase,
    Event,
    Flow,
    Gateway,
    Problem,
    Process,
    Redesign,
    Role,
    Step,
    problems,
)
from lastmile_flows.schema import file_schema

__all__ = [
    "Branch",
    "EdgeCase",
    "Event",
    "Flow",
    "Gateway",
    "InvalidModelError",
    "LastmileError",
    "LoadError",
    "Problem",
    "Process",
    "Redesign",
    "Role",
    "Step",
    "discover",
    "dump",
    "file_schema",
    "load",
    "load_all",
    "problems",
]
