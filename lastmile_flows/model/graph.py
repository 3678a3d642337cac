"""The flow graph of a process: implicit flows made explicit, and what can reach what.

Rules, in the order they apply:

- a process that lists no events gets a start event ``start`` and an end event ``end``;
- an event or step with ``next`` flows there; a gateway flows along its ``branches``;
- explicit ``flows`` are added as given;
- when a process has no explicit ``flows``, a start event without ``next`` flows to the first
  step, and a step without ``next`` flows to the step listed after it (the last step to the
  first end event). Giving any explicit flow turns this step-after-step rule off.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from lastmile_flows.model.elements import Event, Gateway, Step
from lastmile_flows.model.problems import Loc

if TYPE_CHECKING:
    from lastmile_flows.model.process import Process

__all__ = [
    "DEFAULT_EVENTS",
    "Edge",
    "Node",
    "adjacency",
    "edges",
    "events",
    "nodes",
    "reachable",
    "recovery_links",
]

Node = Union[Event, Step, Gateway]

DEFAULT_EVENTS = (Event(id="start", kind="start"), Event(id="end", kind="end"))


@dataclass(frozen=True)
class Edge:
    """A resolved sequence flow; ``origin`` is where in the model it comes from."""

    source: str
    target: str
    probability: float | None = None
    label: str = ""
    origin: Loc = ()


def events(process: Process) -> tuple[Event, ...]:
    """The process's events, or the default ``start`` and ``end`` when it lists none."""
    return process.events or DEFAULT_EVENTS


def nodes(process: Process) -> dict[str, Node]:
    """Every flow node by id: events, then steps, then gateways (on a clash the first wins)."""
    found: dict[str, Node] = {}
    every: tuple[Node, ...] = (*events(process), *process.steps, *process.gateways)
    for node in every:
        found.setdefault(node.id, node)
    return found


def edges(process: Process) -> tuple[Edge, ...]:
    """Every sequence flow of the process, implicit ones included, in model order."""
    implicit = not process.flows
    all_events = events(process)
    explicit_events = bool(process.events)
    first_step = process.steps[0].id if process.steps else None
    first_end = next((event.id for event in all_events if event.kind == "end"), None)
    found: list[Edge] = []
    for index, event in enumerate(all_events):
        loc: Loc = ("events", index) if explicit_events else ()
        if event.next is not None:
            found.append(Edge(event.id, event.next, origin=(*loc, "next")))
        elif event.kind == "start" and implicit and first_step is not None:
            found.append(Edge(event.id, first_step, origin=loc))
    for index, step in enumerate(process.steps):
        if step.next is not None:
            found.append(Edge(step.id, step.next, origin=("steps", index, "next")))
        elif implicit:
            after = process.steps[index + 1].id if index + 1 < len(process.steps) else first_end
            if after is not None:
                found.append(Edge(step.id, after, origin=("steps", index)))
    for index, gateway in enumerate(process.gateways):
        for number, branch in enumerate(gateway.branches):
            origin: Loc = ("gateways", index, "branches", number)
            found.append(Edge(gateway.id, branch.to, branch.probability, branch.label, origin))
    for index, flow in enumerate(process.flows):
        found.append(Edge(flow.source, flow.target, flow.probability, flow.label, ("flows", index)))
    return tuple(found)


def recovery_links(process: Process) -> tuple[tuple[str, str], ...]:
    """(step, recovery step) for every edge case that names the step handling it."""
    return tuple(
        (step.id, case.recovery_step)
        for step in process.steps
        for case in step.edge_cases
        if case.recovery_step is not None
    )


def reachable(starts: Iterable[str], links: Mapping[str, Iterable[str]]) -> set[str]:
    """Every id reachable from ``starts`` (included) along ``links``."""
    seen = set(starts)
    queue = deque(sorted(seen))
    while queue:
        for target in links.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def adjacency(pairs: Iterable[tuple[str, str]], *, reverse: bool = False) -> dict[str, list[str]]:
    """Successor (or, with ``reverse``, predecessor) lists from (source, target) pairs."""
    links: dict[str, list[str]] = defaultdict(list)
    for source, target in pairs:
        if reverse:
            links[target].append(source)
        else:
            links[source].append(target)
    return links
