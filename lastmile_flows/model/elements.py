"""The parts a process is made of: roles, steps, edge cases, gateways, events and flows."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from lastmile_flows.model.base import (
    MAX_COST_PER_HOUR,
    MAX_HEADCOUNT,
    Frozen,
    Id,
    Minutes,
    Rate,
)

NOBODY = "none"
"""An edge case's ``owner: none``: deliberately nobody (read as no owner; the audit reports it)."""

__all__ = [
    "EDGE_CASE_VALUE_FIELDS",
    "HUMAN_STEP_KINDS",
    "NOBODY",
    "ROLE_VALUE_FIELDS",
    "STEP_ROLE_KIND",
    "STEP_VALUE_FIELDS",
    "AIMode",
    "Branch",
    "Currency",
    "EdgeCase",
    "Event",
    "EventKind",
    "Flow",
    "Gateway",
    "GatewayKind",
    "Message",
    "RetiredEdgeCase",
    "Role",
    "RoleKind",
    "RoutingPoint",
    "Step",
    "StepKind",
    "Trigger",
    "check_currency",
    "working_wait",
]

RoleKind = Literal["human", "ai", "system"]
StepKind = Literal["manual", "ai", "system", "review"]
STEP_ROLE_KIND: dict[str, RoleKind] = {
    "manual": "human",
    "review": "human",
    "ai": "ai",
    "system": "system",
}
"""The kind of role each kind of step needs."""
HUMAN_STEP_KINDS = tuple(kind for kind, role in STEP_ROLE_KIND.items() if role == "human")
"""The kinds of step people do: their touch minutes are human work."""
AIMode = Literal["suggest", "draft", "act"]
GatewayKind = Literal["exclusive", "parallel", "inclusive", "event_based"]
EventKind = Literal["start", "intermediate", "end"]
Trigger = Literal[
    "message",
    "timer",
    "error",
    "escalation",
    "conditional",
    "signal",
    "compensation",
    "cancel",
    "link",
    "terminate",
]
"""What an event waits for or throws (a BPMN event definition); none is a plain event."""


class Role(Frozen):
    """Who performs work (a swimlane). Human roles have a cost per hour and may have a headcount."""

    id: Id
    name: str = ""
    kind: RoleKind = "human"
    cost_per_hour: Annotated[float, Field(ge=0, le=MAX_COST_PER_HOUR)] | None = None
    headcount: Annotated[float, Field(ge=0, le=MAX_HEADCOUNT)] | None = Field(
        default=None, description="Full-time equivalents in this role; none means not stated."
    )
    notes: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


def _nobody(value: Any) -> Any:
    return None if value == NOBODY else value


def check_currency(value: str) -> str:
    """A currency is a three-letter code (ISO 4217: EUR, USD, GBP) or empty (not stated)."""
    if value and not (len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()):
        raise ValueError(
            f"{value!r} is not a currency code: give three capital letters (ISO 4217, e.g. "
            "'EUR', 'USD', 'GBP'), or leave it out"
        )
    return value


Currency = Annotated[str, AfterValidator(check_currency)]

RunCost = Annotated[float, Field(ge=0, le=1_000_000_000.0)]


class EdgeCase(Frozen):
    """An exception at a step, with the share of cases that hit it and who owns its failure."""

    id: Id
    name: str = ""
    rate: Rate = Field(description="Share of cases that hit this edge case at its step (0 to 1).")
    owner: Annotated[Id | None, BeforeValidator(_nobody)] = Field(
        default=None,
        description=(
            "Role accountable for handling it (a human role); 'none' says deliberately nobody "
            "(the audit still reports it)."
        ),
    )
    recovery: str = Field(default="", description="How the case is recovered, in words.")
    recovery_step: Id | None = Field(default=None, description="Step that handles it, if modelled.")
    handling_minutes: Minutes = Field(
        default=0.0, description="Human minutes the owner spends on each occurrence."
    )
    tribal: bool = Field(default=False, description="The know-how lives only in people's heads.")
    ai_failure: bool = Field(default=False, description="A failure mode of the AI step it is on.")
    error_share: Rate | None = Field(
        default=None,
        description="Share of its AI step's errors that are this failure mode (ai_failure only).",
    )
    trigger: Trigger | None = Field(
        default=None, description="How it shows in BPMN (the boundary event's type); none: error."
    )
    replaces: tuple[Id, ...] = Field(
        default=(), description="Current-state edge cases this one carries forward (redesign only)."
    )
    notes: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


class RoutingPoint(Frozen):
    """One point of an AI step's confidence routing curve: sending the least confident
    ``review_share`` of its output to review sends ``error_share`` of its errors there."""

    review_share: Rate = Field(description="Share of the AI step's output sent to review.")
    error_share: Rate = Field(description="Share of the AI step's errors in that output.")


def working_wait(step: Step, hours_per_working_day: float = 8.0) -> float:
    """A step's wait in working minutes: as given, or, for a calendar wait, one working day of
    ``hours_per_working_day`` per calendar day (24 hours) waited."""
    if not step.wait_calendar:
        return step.wait_minutes
    return step.wait_minutes / (24 * 60) * hours_per_working_day * 60


class Step(Frozen):
    """A unit of work by one role."""

    id: Id
    name: str = ""
    role: Id
    kind: StepKind = "manual"
    touch_minutes: Minutes = Field(default=0.0, description="Minutes of work per case.")
    wait_minutes: Minutes = Field(default=0.0, description="Queue or delay before the step.")
    wait_calendar: bool = Field(
        default=False,
        description=(
            "wait_minutes run on the calendar, nights and weekends included (a client's reply, "
            "a delivery), not on working time: shown in calendar days; a calendar day counts as "
            "one working day in cycle times."
        ),
    )
    ai_mode: AIMode | None = Field(default=None, description="How much an AI step decides.")
    accountable: Id | None = Field(
        default=None, description="Human role accountable for what an AI or system step does."
    )
    reviews: Id | None = Field(default=None, description="The AI step a review step checks.")
    review_rate: Rate = Field(
        default=1.0,
        description=(
            "Of the cases reaching this review step, the share actually reviewed (sampling). "
            "Leave at 1 when a gateway or an edge case already routes only some cases here."
        ),
    )
    error_rate: Rate | None = Field(
        default=None, description="Share of an AI step's outputs that are wrong (AI steps only)."
    )
    accuracy: Rate | None = Field(
        default=None, description="Share of an AI step's outputs that are right: 1 - error_rate."
    )
    confidence_routing: tuple[RoutingPoint, ...] = Field(
        default=(),
        description=(
            "An AI step's confidence routing curve: (review share, error share) points, the "
            "least confident output first; none: review picks cases at random."
        ),
    )
    catch_rate: Rate | None = Field(
        default=None,
        description="Share of the AI's errors in reviewed output that a review step catches.",
    )
    edge_cases: tuple[EdgeCase, ...] = ()
    next: Id | None = Field(
        default=None, description="Where the case goes after this step (default: the next step)."
    )
    replaces: tuple[Id, ...] = Field(
        default=(), description="Current-state steps this redesigned step takes over."
    )
    run_cost_per_execution: RunCost | None = Field(
        default=None,
        description="What one run of an AI or system step costs (inference, a transaction fee).",
    )
    run_cost_per_month: RunCost | None = Field(
        default=None,
        description="What an AI or system step costs a month whatever the volume (a licence).",
    )
    notes: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


ROLE_VALUE_FIELDS = ("kind", "cost_per_hour", "headcount")
EDGE_CASE_VALUE_FIELDS = (
    "rate",
    "owner",
    "recovery",
    "recovery_step",
    "handling_minutes",
    "tribal",
    "ai_failure",
    "error_share",
    "trigger",
    "replaces",
)
STEP_VALUE_FIELDS = (
    "kind",
    "touch_minutes",
    "wait_minutes",
    "wait_calendar",
    "ai_mode",
    "accountable",
    "reviews",
    "review_rate",
    "error_rate",
    "accuracy",
    "confidence_routing",
    "catch_rate",
    "replaces",
    "run_cost_per_execution",
    "run_cost_per_month",
)
"""The fields of a role, an edge case and a step that hold values, in model order: all but the
element's identity (id, name), its links (a step's role, next and edge cases) and its notes.
BPMN carries them as ``lastmile:`` attributes; the text form shows them between identity and
notes."""


def _branch_from_text(value: Any) -> Any:
    return {"to": value} if isinstance(value, str) else value


class Branch(Frozen):
    """One way out of a gateway. Exclusive gateways give each branch a probability."""

    to: Id
    probability: Rate | None = None
    label: str = ""


BranchInput = Annotated[
    Branch, BeforeValidator(_branch_from_text, json_schema_input_type=Branch | Id)
]


class Gateway(Frozen):
    """A decision (exclusive or event-based: one branch taken), a fork/join (parallel: all
    branches taken) or an inclusive gateway (each branch taken by its share of the cases)."""

    id: Id
    name: str = ""
    kind: GatewayKind = "exclusive"
    branches: tuple[BranchInput, ...] = ()
    notes: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


class Event(Frozen):
    """Where a case starts, waits (intermediate) or ends. A process without events gets
    ``start`` and ``end``."""

    id: Id
    name: str = ""
    kind: EventKind
    trigger: Trigger | None = None
    next: Id | None = None

    @property
    def label(self) -> str:
        return self.name or self.id


class Flow(Frozen):
    """An explicit sequence flow. Giving any turns off the implicit step-after-step flows."""

    source: Id
    target: Id
    probability: Rate | None = None
    label: str = ""


class Message(Frozen):
    """A message flow between roles (a hand-off between pools, in BPMN). ``source`` and
    ``target`` name a step or event, or a role when the other side is not modelled."""

    source: Id
    target: Id
    name: str = ""


class RetiredEdgeCase(Frozen):
    """A current-state edge case the redesign makes impossible, and why (the audit shows the
    claim so a committee can check it)."""

    id: Id
    reason: str = Field(min_length=1, description="Why this exception can no longer happen.")
