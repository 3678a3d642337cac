"""What a process costs in work: human minutes per case, review load, cycle time, FTE, cost.

Every figure is an expectation per case, weighted by how often each step is visited (branch
probabilities, rework loops, edge-case recovery paths), by review rates and by edge-case rates.
Monthly figures multiply by the redesign's volume and are absent when no volume is given.

One formula each, which every reader of a figure goes through (the step changes, the metrics,
the audit's capacity findings): a visit of a step costs a person :func:`touch_minutes` (touch
time, times the review rate for a review; nothing for an AI or system step) and each of its edge
cases :func:`handling_minutes` (rate x handling minutes); per case, times the step's visits.
Monthly hours are :func:`monthly_hours` of the minutes as reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from lastmile_flows.analysis.flowmath import FlowFacts
from lastmile_flows.model import EdgeCase, Process, Role, Step
from lastmile_flows.model.elements import HUMAN_STEP_KINDS

__all__ = [
    "Metrics",
    "MetricsDelta",
    "RoleLoad",
    "delta",
    "handling_minutes",
    "measure",
    "monthly_hours",
    "review_minutes",
    "rounded",
    "staffed_owner",
    "step_human_minutes",
    "touch_minutes",
]


def rounded(value: float, places: int = 4) -> float:
    """Rounded on purpose, so that float noise never reaches reports or JSON."""
    rounded = round(value, places)
    return 0.0 if rounded == 0 else rounded


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RoleLoad(_Result):
    """The work one human role does per case and per month, against its headcount."""

    role: str
    minutes_per_case: float
    hours_per_month: float | None
    fte_needed: float | None
    headcount: float | None
    utilisation: float | None
    """Hours needed over hours the headcount gives (1.0 = fully loaded); none without both."""


class _Figures(_Result):
    """What the metrics of a version and the difference of two both give first, in this order
    (each class then lists its own: the JSON keys keep their order)."""

    human_minutes_per_case: float
    review_minutes_per_case: float
    exception_minutes_per_case: float
    """Edge-case handling minutes (rate x handling minutes), part of the human minutes."""
    unowned_exception_minutes_per_case: float
    """The part of the exception minutes whose edge case no staffed person owns in this version
    (no owner, a role it does not have, one with headcount 0, or an AI or system role)."""
    unowned_exceptions_per_case: float
    """Exception cases per case that no staffed person owns (rate x visits): counted whether or
    not handling minutes are given."""
    unowned_exceptions_per_month: float | None
    human_steps: int
    ai_steps: int
    system_steps: int
    review_steps: int
    handoffs: int
    """Step-to-step flows between different roles."""
    human_handoffs: int
    """Hand-offs between two human roles."""
    cycle_time_minutes: float
    """Wait + touch minutes along the slowest path from start to end."""


class Metrics(_Figures):
    """The work of one process version."""

    critical_path: tuple[str, ...]
    volume_per_month: float | None
    human_hours_per_month: float | None
    fte: float | None
    labour_cost_per_month: float | None
    running_cost_per_case: float
    """What the AI and system steps cost to run per case (run_cost_per_execution x visits)."""
    running_cost_per_month: float | None
    """Per case times the volume, plus each step's run_cost_per_month."""
    total_cost_per_month: float | None
    """Labour plus running cost."""
    roles_without_cost: tuple[str, ...]
    """Human roles that do work but state no cost per hour (counted as 0 in labour cost)."""
    roles: tuple[RoleLoad, ...]


class MetricsDelta(_Figures):
    """Redesigned minus current, for each number both have."""

    human_hours_per_month: float | None
    fte: float | None
    labour_cost_per_month: float | None
    running_cost_per_month: float | None
    total_cost_per_month: float | None


_PLACES = {
    "unowned_exceptions_per_case": 6,
    "unowned_exceptions_per_month": 2,
    "human_hours_per_month": 2,
    "fte": 3,
    "labour_cost_per_month": 2,
    "running_cost_per_month": 2,
    "total_cost_per_month": 2,
}
"""The places :func:`measure` and :func:`delta` round a figure to, where not 4 (counts are
whole numbers)."""

MONTHLY_FIGURES = (
    "unowned_exceptions_per_month",
    "human_hours_per_month",
    "fte",
    "labour_cost_per_month",
    "running_cost_per_month",
    "total_cost_per_month",
)
"""The figures :func:`measure` gives only at a volume (none per case only)."""


def touch_minutes(step: Step) -> float:
    """A person's minutes at one visit of a step: its touch time if a person does it (times its
    review rate for a review), none for an AI or system step."""
    if step.kind not in HUMAN_STEP_KINDS:
        return 0.0
    return step.touch_minutes * (step.review_rate if step.kind == "review" else 1.0)


def handling_minutes(case: EdgeCase) -> float:
    """An edge case's minutes at one visit of its step: how often it happens x handling minutes."""
    return case.rate * case.handling_minutes


def step_human_minutes(step: Step, visit: float, carried: Iterable[EdgeCase] = ()) -> float:
    """Expected human minutes per case at one step visited ``visit`` times a case: its
    :func:`touch_minutes` plus the :func:`handling_minutes` of its edge cases (and of the
    ``carried`` ones it has without listing them)."""
    exceptions = sum(handling_minutes(case) for case in (*step.edge_cases, *carried))
    return visit * (touch_minutes(step) + exceptions)


def review_minutes(
    process: Process, visit: dict[str, float]
) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Each reviewing role's minutes per case at its review steps (the part of its
    :attr:`RoleLoad.minutes_per_case` spent reviewing), with those steps, in process order."""
    minutes: dict[str, float] = defaultdict(float)
    steps: dict[str, list[str]] = defaultdict(list)
    for step in process.steps:
        if step.kind == "review":
            minutes[step.role] += visit.get(step.id, 0.0) * touch_minutes(step)
            steps[step.role].append(step.id)
    return {role: (minutes[role], tuple(steps[role])) for role in steps}


def monthly_hours(minutes_per_case: float, volume_per_month: float) -> float:
    """Hours a month of some minutes per case at a volume, from the minutes as reported (rounded):
    float noise of the summing order cannot reach the monthly figures, which multiply it (by a
    volume, by 1/headcount)."""
    return rounded(minutes_per_case) * volume_per_month / 60


def staffed_owner(owner: str | None, roles: dict[str, Role]) -> bool:
    """Whether a staffed person owns an edge case: its owner is a human role of this version
    with a headcount other than 0 (an unstated headcount is given the benefit of the doubt)."""
    role = roles.get(owner) if owner is not None else None
    return role is not None and role.kind == "human" and role.headcount != 0


@dataclass
class _Minutes:
    """One case's minutes by where they go, and its running costs."""

    by_role: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    review: float = 0.0
    exceptions: float = 0.0
    unowned: float = 0.0
    unowned_cases: float = 0.0
    running: float = 0.0
    monthly_running: float = 0.0


def measure(
    process: Process,
    *,
    volume_per_month: float | None = None,
    hours_per_fte_month: float = 140.0,
    hours_per_working_day: float = 8.0,
    carried: Iterable[tuple[str, EdgeCase]] = (),
    facts: FlowFacts | None = None,
) -> Metrics:
    """The metrics of one process at a volume (cases per month), or per case only.

    ``carried`` are edge cases the process does not list but still has, each with the step it
    is at (a redesign's implicitly carried edge cases, see :mod:`~lastmile_flows.analysis.
    fates`): they count as if listed there. ``facts`` are the process's flow figures when the
    caller has them already."""
    facts = facts or FlowFacts(process)
    roles = {role.id: role for role in process.roles}
    spent = _minutes(process, facts.visits, roles, carried)
    by_role = spent.by_role
    human = sum(by_role.values())
    handoffs, human_handoffs = _handoffs(process, facts)
    slowest = facts.longest_path(hours_per_working_day)
    monthly = volume_per_month is not None
    volume = volume_per_month or 0.0
    hours = human * volume / 60
    cost = sum(
        minutes * volume / 60 * (roles[role].cost_per_hour or 0.0)
        for role, minutes in by_role.items()
        if role in roles
    )
    running_month = spent.running * volume + spent.monthly_running
    figures: dict[str, float | None] = {
        "human_minutes_per_case": human,
        "review_minutes_per_case": spent.review,
        "exception_minutes_per_case": spent.exceptions,
        "unowned_exception_minutes_per_case": spent.unowned,
        "unowned_exceptions_per_case": spent.unowned_cases,
        "cycle_time_minutes": slowest.minutes,
        "running_cost_per_case": spent.running,
    }
    if monthly:
        figures |= {
            "unowned_exceptions_per_month": spent.unowned_cases * volume,
            "human_hours_per_month": hours,
            "fte": hours / hours_per_fte_month,
            "labour_cost_per_month": cost,
            "running_cost_per_month": running_month,
            "total_cost_per_month": cost + running_month,
        }
    else:  # none without a volume (not even divided: hours_per_fte_month may be 0)
        figures |= dict.fromkeys(MONTHLY_FIGURES)
    return Metrics.model_validate(
        {
            **{name: _rounded(name, value) for name, value in figures.items()},
            "human_steps": sum(step.kind in HUMAN_STEP_KINDS for step in process.steps),
            "ai_steps": sum(step.kind == "ai" for step in process.steps),
            "system_steps": sum(step.kind == "system" for step in process.steps),
            "review_steps": sum(step.kind == "review" for step in process.steps),
            "handoffs": handoffs,
            "human_handoffs": human_handoffs,
            "critical_path": slowest.steps,
            "volume_per_month": volume_per_month,
            "roles_without_cost": _unpriced(process, by_role),
            "roles": _role_loads(process, by_role, volume_per_month, hours_per_fte_month),
        }
    )


def _unpriced(process: Process, by_role: dict[str, float]) -> tuple[str, ...]:
    """The human roles that work on a case but have no cost_per_hour."""
    return tuple(
        role.id
        for role in process.roles
        if role.kind == "human" and role.cost_per_hour is None and by_role.get(role.id, 0.0) > 0
    )


def _handoffs(process: Process, facts: FlowFacts) -> tuple[int, int]:
    """How many step-to-step flows change role, and how many of those join two human roles."""
    step_role = {step.id: step.role for step in process.steps}
    crossing = [(a, b) for a, b in facts.step_successors if step_role[a] != step_role[b]]
    humans = {role.id for role in process.roles if role.kind == "human"}
    return len(crossing), sum(
        step_role[a] in humans and step_role[b] in humans for a, b in crossing
    )


def _minutes(
    process: Process,
    visit: dict[str, float],
    roles: dict[str, Role],
    carried: Iterable[tuple[str, EdgeCase]],
) -> _Minutes:
    """Where one case's minutes go: to each role (``(no owner)`` for exceptions nobody owns),
    to reviews, to exceptions, to exceptions without a staffed owner; and what it runs up."""
    spent = _Minutes()
    by_role = spent.by_role
    cases = [(step.id, case) for step, case in process.edge_cases()] + list(carried)
    for step in process.steps:
        times = visit.get(step.id, 0.0)
        if step.kind in HUMAN_STEP_KINDS:
            minutes = times * touch_minutes(step)
            by_role[step.role] += minutes
            if step.kind == "review":
                spent.review += minutes
        spent.running += times * (step.run_cost_per_execution or 0.0)
        spent.monthly_running += step.run_cost_per_month or 0.0
    for step_id, case in cases:
        times = visit.get(step_id, 0.0)
        minutes = times * handling_minutes(case)
        spent.exceptions += minutes
        owner = roles.get(case.owner) if case.owner else None
        if not staffed_owner(case.owner, roles):
            spent.unowned += minutes
            spent.unowned_cases += times * case.rate
        by_role[case.owner if owner is not None and case.owner else "(no owner)"] += minutes
    return spent


def _role_loads(
    process: Process,
    by_role: dict[str, float],
    volume_per_month: float | None,
    hours_per_fte_month: float,
) -> tuple[RoleLoad, ...]:
    """Each human role's minutes a case and, at a volume, its hours, FTE and utilisation."""
    monthly = volume_per_month is not None
    volume = volume_per_month or 0.0
    loads = []
    for role in process.roles:
        if role.kind != "human":
            continue
        minutes = rounded(by_role.get(role.id, 0.0))
        role_hours = monthly_hours(minutes, volume)
        capacity = (role.headcount or 0.0) * hours_per_fte_month
        utilisation = None
        if monthly and role.headcount is not None:
            utilisation = rounded(role_hours / capacity) if capacity else None
        loads.append(
            RoleLoad(
                role=role.id,
                minutes_per_case=minutes,
                hours_per_month=rounded(role_hours, 2) if monthly else None,
                fte_needed=rounded(role_hours / hours_per_fte_month, 3) if monthly else None,
                headcount=role.headcount,
                utilisation=utilisation,
            )
        )
    return tuple(loads)


def delta(current: Metrics, redesigned: Metrics) -> MetricsDelta:
    """Redesigned minus current, each figure rounded as the metrics round it (none where a
    version has none: a monthly figure without a volume)."""
    figures: dict[str, float | None] = {}
    for name, field_info in MetricsDelta.model_fields.items():
        after, before = getattr(redesigned, name), getattr(current, name)
        if after is None or before is None:
            figures[name] = None
        elif field_info.annotation is int:
            figures[name] = after - before
        else:
            figures[name] = _rounded(name, after - before)
    return MetricsDelta.model_validate(figures)


def _rounded(name: str, value: float | None) -> float | None:
    """Figure ``name``'s value rounded to its places (:data:`_PLACES`); none stays none."""
    return None if value is None else rounded(value, _PLACES.get(name, 4))
