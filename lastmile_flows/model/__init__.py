"""The data layer: frozen pydantic models of processes and redesigns, and their rules."""

from lastmile_flows.model.elements import (
    AIMode,
    Branch,
    EdgeCase,
    Event,
    EventKind,
    Flow,
    Gateway,
    GatewayKind,
    Message,
    RetiredEdgeCase,
    Role,
    RoleKind,
    RoutingPoint,
    Step,
    StepKind,
    Trigger,
)
from lastmile_flows.model.evidence import Evidence, evidence_for
from lastmile_flows.model.graph import Edge
from lastmile_flows.model.problems import Problem
from lastmile_flows.model.process import Process, Redesign, problems

__all__ = [
    "AIMode",
    "Branch",
    "Edge",
    "EdgeCase",
    "Event",
    "EventKind",
    "Evidence",
    "Flow",
    "Gateway",
    "GatewayKind",
    "Message",
    "Problem",
    "Process",
    "Redesign",
    "RetiredEdgeCase",
    "Role",
    "RoleKind",
    "RoutingPoint",
    "Step",
    "StepKind",
    "Trigger",
    "evidence_for",
    "problems",
]
