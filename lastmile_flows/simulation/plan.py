"""A process compiled for the engine: nodes, routes, queues and samplers as plain lists.

The rules the engine follows, node by node:

- a start event sends a new case on; an intermediate event passes it on; an end event ends
  the token (a case is done when its last token ends);
- an exclusive or event-based gateway picks one branch by its probability; a parallel
  gateway sends a token down every branch and, as a join (several flows in), waits for one
  token from each; an inclusive gateway takes each branch with its probability (at least one)
  and, as a join, waits for as many tokens as its case's last inclusive split sent;
- a step first waits its ``wait_minutes`` (working minutes for people's steps), then a human
  step queues at its role (one first-come-first-served queue per role, shared by all its
  steps and the edge cases it owns) for its touch time; AI and system steps take their time
  with no queue. A review step reviews its ``review_rate`` of the cases reaching it, the rest
  pass straight on;
- after the work, each edge case happens with its rate. Those with a ``recovery_step`` exclude
  each other (their rates divert the case there, as the static metrics count them); the
  others are independent. An edge case whose owner is a role of the process queues at that
  role for its ``handling_minutes`` (AI and system owners take the time with no queue) and the
  case waits for it; one whose owner is missing or is not a role of the process any more is
  *unhandled*: counted, and the case goes on.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from lastmile_flows.analysis.trust import error_rate_of, errors_in_review, review_share
from lastmile_flows.model import Process, Step
from lastmile_flows.model.elements import working_wait
from lastmile_flows.model.graph import events, nodes
from lastmile_flows.simulation.calendar import Calendar
from lastmile_flows.simulation.distributions import (
    Exponential,
    Fixed,
    Lognormal,
    Triangular,
)

__all__ = [
    "AND",
    "END",
    "OR",
    "PASS",
    "START",
    "STEP",
    "XOR",
    "CasePlan",
    "Plan",
    "RolePlan",
    "Sampler",
    "TrustPlan",
    "compile_plan",
    "sampler",
]

START, END, STEP, XOR, AND, OR, PASS = range(7)
NO_QUEUE = -1

Sampler = tuple[int, float, float, float]
"""(shape, a, b, c): 0 fixed a; 1 exponential of mean a; 2 triangular a, b, c (low, mode,
high); 3 lognormal with mu a and sigma b."""

AnyShape = Fixed | Exponential | Triangular | Lognormal


def sampler(shape: AnyShape | None, minutes: float) -> Sampler:
    """The engine's sampler for a step of ``minutes`` (its mean unless the shape says)."""
    if minutes <= 0 and not isinstance(shape, Triangular | Lognormal):
        return (0, 0.0, 0.0, 0.0)
    if shape is None or isinstance(shape, Exponential):
        mean = minutes if shape is None else shape.mean(minutes)
        return (1, mean, 0.0, 0.0)
    if isinstance(shape, Fixed):
        return (0, shape.mean(minutes), 0.0, 0.0)
    if isinstance(shape, Triangular):
        return (2, shape.low, shape.mode, shape.high)
    return (3, math.log(shape.median), shape.sigma, 0.0)


@dataclass
class RolePlan:
    id: str
    servers: int
    speed: float
    """Share of full speed each of its people works at (see calendar.py)."""
    headcount: float | None


@dataclass
class CasePlan:
    id: str
    step: str
    rate: float
    owner_queue: int
    """The owner's queue, or -1: no queue (``delay``) or nobody (``unhandled``)."""
    delay: bool
    """Owned by an AI or system role: its handling takes time but joins no queue."""
    unhandled: bool
    handling: Sampler
    handling_mean: float
    recovery: int
    """Node the case is diverted to, or -1."""


@dataclass
class TrustPlan:
    step: str
    error_rate: float
    share: float
    """The review share the model designs: the share of this step's output reviewed."""
    error_if_reviewed: float
    """Chance an output that reaches a reviewer is wrong: e x f(r) / r."""
    error_if_unreviewed: float
    """Chance an output nobody reviews is wrong: e x (1 - f(r)) / (1 - r)."""
    modes: list[str]
    mode_cum: list[float]


@dataclass
class Plan:
    process_id: str
    node_ids: list[str]
    kind: list[int]
    succ: list[list[int]]
    prob: list[list[float]]
    join_need: list[int]
    starts: list[int]
    step_of: dict[int, Step] = field(default_factory=dict)
    step_index: list[int] = field(default_factory=list)
    """Per node: index among the steps (for per-step figures), or -1."""
    step_ids: list[str] = field(default_factory=list)
    role: list[int] = field(default_factory=list)
    wait: list[float] = field(default_factory=list)
    human: list[bool] = field(default_factory=list)
    touch: list[Sampler] = field(default_factory=list)
    touch_mean: list[float] = field(default_factory=list)
    review_rate: list[float] = field(default_factory=list)
    recovering: list[list[tuple[float, int]]] = field(default_factory=list)
    """Per node: (cumulative rate, case index) of the edge cases that divert the case."""
    independent: list[list[int]] = field(default_factory=list)
    cases: list[CasePlan] = field(default_factory=list)
    ai_trust: list[int] = field(default_factory=list)
    review_trust: list[int] = field(default_factory=list)
    catch: list[float] = field(default_factory=list)
    roles: list[RolePlan] = field(default_factory=list)
    trust: list[TrustPlan] = field(default_factory=list)


def compile_plan(
    process: Process,
    *,
    calendar: Calendar,
    hours_per_fte_month: float,
    distributions: dict[str, AnyShape] | None = None,
) -> Plan:
    """The engine's view of ``process`` (see the module docstring for the rules)."""
    shapes = distributions or {}
    every = nodes(process)
    order = list(every)
    index = {node_id: number for number, node_id in enumerate(order)}
    incoming: dict[str, int] = defaultdict(int)
    outgoing: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for edge in process.edges():
        incoming[edge.target] += 1
        outgoing[edge.source].append((edge.target, edge.probability))
    plan = Plan(process.id, order, [], [], [], [], [])
    for node_id in order:
        node = every[node_id]
        targets = [index[target] for target, _ in outgoing.get(node_id, []) if target in index]
        probabilities = [p for target, p in outgoing.get(node_id, []) if target in index]
        kind = getattr(node, "kind", None)
        need = 0
        if isinstance(node, Step):
            code = STEP
        elif node_id in {event.id for event in events(process)}:
            code = {"start": START, "end": END}.get(str(kind), PASS)
        elif kind == "parallel":
            code = AND
            need = incoming[node_id] if incoming[node_id] > 1 else 0
        elif kind == "inclusive":
            code = OR
            need = -1 if incoming[node_id] > 1 else 0
        else:
            code = XOR if len(targets) > 1 else PASS
        if code in (XOR, OR):
            shares = [p or 0.0 for p in probabilities]
            if code == XOR:
                total = sum(shares) or 1.0
                running, cumulative = 0.0, []
                for share in shares:
                    running += share / total
                    cumulative.append(running)
                cumulative[-1] = 1.0
                shares = cumulative
            plan.prob.append(shares)
        else:
            plan.prob.append([])
        plan.kind.append(code)
        plan.succ.append(targets)
        plan.join_need.append(need)
        if code == START:
            plan.starts.append(index[node_id])
    _steps(process, plan, index, shapes, calendar, hours_per_fte_month)
    return plan


def _roles(process: Process, calendar: Calendar, hours_per_fte_month: float) -> list[RolePlan]:
    found = []
    for role in process.roles:
        if role.kind != "human":
            continue
        headcount = role.headcount or 0.0
        servers = math.ceil(headcount - 1e-9) if headcount > 0 else 0
        speed = 0.0
        if servers:
            speed = headcount * hours_per_fte_month / (servers * calendar.open_hours_per_month)
        found.append(RolePlan(role.id, servers, speed, role.headcount))
    return found


def _steps(
    process: Process,
    plan: Plan,
    index: dict[str, int],
    shapes: dict[str, AnyShape],
    calendar: Calendar,
    hours_per_fte_month: float,
) -> None:
    plan.roles = _roles(process, calendar, hours_per_fte_month)
    queue = {role.id: number for number, role in enumerate(plan.roles)}
    kinds = {role.id: role.kind for role in process.roles}
    trust_index = _trust(process, plan)
    size = len(plan.node_ids)
    plan.step_index = [-1] * size
    plan.role = [NO_QUEUE] * size
    plan.wait = [0.0] * size
    plan.human = [False] * size
    plan.touch = [(0, 0.0, 0.0, 0.0)] * size
    plan.touch_mean = [0.0] * size
    plan.review_rate = [1.0] * size
    plan.recovering = [[] for _ in range(size)]
    plan.independent = [[] for _ in range(size)]
    plan.ai_trust = [-1] * size
    plan.review_trust = [-1] * size
    plan.catch = [1.0] * size
    for number, step in enumerate(process.steps):
        node = index[step.id]
        plan.step_of[node] = step
        plan.step_index[node] = number
        plan.step_ids.append(step.id)
        human = step.kind in ("manual", "review")
        plan.human[node] = human
        plan.role[node] = queue.get(step.role, NO_QUEUE) if human else NO_QUEUE
        plan.wait[node] = working_wait(step, calendar.hours_per_day)
        shape = shapes.get(step.id)
        plan.touch[node] = sampler(shape, step.touch_minutes)
        plan.touch_mean[node] = (
            step.touch_minutes if shape is None else shape.mean(step.touch_minutes)
        )
        if step.kind == "review":
            plan.review_rate[node] = step.review_rate
            plan.review_trust[node] = trust_index.get(step.reviews or "", -1)
            plan.catch[node] = 1.0 if step.catch_rate is None else step.catch_rate
        plan.ai_trust[node] = trust_index.get(step.id, -1) if step.kind == "ai" else -1
        _edge_cases(step, node, plan, index, queue, kinds)


def _edge_cases(
    step: Step,
    node: int,
    plan: Plan,
    index: dict[str, int],
    queue: dict[str, int],
    kinds: Mapping[str, str],
) -> None:
    """Plan a step's edge cases: who handles each (a queue, a machine, or nobody in the
    process), and which divert the case to a recovery step (by cumulative rate) or not."""
    running = 0.0
    for case in step.edge_cases:
        owner = case.owner
        in_process = owner is not None and owner in kinds
        delay = in_process and kinds[owner or ""] != "human"
        plan.cases.append(
            CasePlan(
                id=case.id,
                step=step.id,
                rate=case.rate,
                owner_queue=queue.get(owner or "", NO_QUEUE) if in_process else NO_QUEUE,
                delay=delay,
                unhandled=not in_process,
                handling=sampler(None, case.handling_minutes),
                handling_mean=case.handling_minutes,
                recovery=index.get(case.recovery_step or "", -1),
            )
        )
        case_number = len(plan.cases) - 1
        if case.recovery_step is not None and case.recovery_step in index:
            running += case.rate
            plan.recovering[node].append((running, case_number))
        else:
            plan.independent[node].append(case_number)


def _trust(process: Process, plan: Plan) -> dict[str, int]:
    found: dict[str, int] = {}
    for step in process.steps:
        rate = error_rate_of(step) if step.kind == "ai" else None
        if rate is None:
            continue
        share = review_share(process, step.id)
        caught = errors_in_review(step, share) if share > 0 else 0.0
        reviewed = min(1.0, rate * caught / share) if share > 0 else 0.0
        unreviewed = min(1.0, rate * (1 - caught) / (1 - share)) if share < 1 else 0.0
        modes = [(c.id, c.error_share) for c in step.edge_cases if c.error_share is not None]
        cumulative, running = [], 0.0
        for _, share_of_errors in modes:
            running += share_of_errors or 0.0
            cumulative.append(running)
        found[step.id] = len(plan.trust)
        plan.trust.append(
            TrustPlan(
                step=step.id,
                error_rate=rate,
                share=share,
                error_if_reviewed=reviewed,
                error_if_unreviewed=unreviewed,
                modes=[mode for mode, _ in modes],
                mode_cum=cumulative,
            )
        )
    return found
