"""The rules of the flow between a process's nodes.

A process has a start and an end event; every flow joins known nodes, once; nothing flows out
of an end or into a start; only decisions fan out (steps and events have one way on) and only
their branches carry probabilities, which sum to 1 (within :data:`PROBABILITY_TOLERANCE`) except
at an inclusive gateway; every node is reachable from a start and reaches an end, and no loop
traps its cases; a review is not sampled twice; messages join known nodes or roles.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from lastmile_flows.model.collector import Collector
from lastmile_flows.model.graph import (
    Edge,
    adjacency,
    edges,
    events,
    nodes,
    reachable,
    recovery_links,
)
from lastmile_flows.model.problems import Loc, choices

if TYPE_CHECKING:
    from lastmile_flows.model.process import Process

__all__ = ["PROBABILITY_TOLERANCE", "check_flows"]

PROBABILITY_TOLERANCE = 1e-6


DECISIONS = ("exclusive", "inclusive", "event_based")
"""Gateways whose branches carry a probability (the share of cases taking each)."""


def _node_ids(process: Process) -> dict[str, object]:
    """Node ids to look references up in (a dict: ``in`` is a lookup, not a scan)."""
    return dict(nodes(process))


def check_flows(process: Process, report: Collector) -> None:
    """Every flow rule of ``process``: start and end, each flow, fan-out, gateways, review
    routing, reachability and messages, in that order."""
    locs = _locations(process)
    all_events = events(process)
    kinds: dict[str, str] = {event.id: event.kind for event in all_events}
    kinds.update({step.id: "step" for step in process.steps})
    kinds.update({gateway.id: gateway.kind for gateway in process.gateways})
    if not any(event.kind == "start" for event in all_events):
        report.add(
            "no-start", "the process has no start event", element_id=process.id, loc=("events",)
        )
    if not any(event.kind == "end" for event in all_events):
        report.add("no-end", "the process has no end event", element_id=process.id, loc=("events",))
    resolved = edges(process)
    outgoing = _check_edges(resolved, kinds, _node_ids(process), report)
    for node_id, targets in outgoing.items():
        if kinds.get(node_id) in ("step", "start", "intermediate") and len(targets) > 1:
            report.add(
                "step-fans-out",
                f"{node_id!r} flows to {len(targets)} places ({', '.join(map(repr, targets))}); "
                "route them through an exclusive or parallel gateway",
                element_id=node_id,
                loc=locs.get(node_id, ()),
            )
    _check_gateways(process, resolved, report)
    _check_review_routing(process, resolved, locs, report)
    _check_reachability(process, resolved, kinds, locs, report)
    _check_messages(process, {*kinds, *(role.id for role in process.roles)}, report)


def _check_edges(
    resolved: Iterable[Edge],
    kinds: dict[str, str],
    node_ids: dict[str, object],
    report: Collector,
) -> dict[str, list[str]]:
    """Each flow joins known nodes, is given once and may run where it runs; returns the
    targets of each node, in flow order (flows to unknown nodes left out)."""
    outgoing: dict[str, list[str]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for edge in resolved:
        if edge.source not in kinds:  # only an explicit flow can start at an unknown node
            report.reference(
                edge.source,
                node_ids,
                rule="unknown-node",
                what="node",
                element_id=None,
                loc=(*edge.origin, "source"),
            )
            continue
        if edge.target not in kinds:
            report.reference(
                edge.target,
                node_ids,
                rule="unknown-node",
                what="node",
                element_id=edge.source,
                loc=_target_loc(edge),
            )
            continue
        if (edge.source, edge.target) in seen:
            report.add(
                "duplicate-flow",
                f"the flow {edge.source!r} → {edge.target!r} is given twice",
                element_id=edge.source,
                loc=edge.origin,
            )
        seen.add((edge.source, edge.target))
        outgoing[edge.source].append(edge.target)
        _check_edge_kinds(edge, kinds, report)
    return outgoing


def _check_edge_kinds(edge: Edge, kinds: dict[str, str], report: Collector) -> None:
    """Nothing flows out of an end or into a start; only a decision's branch has a probability."""
    if kinds.get(edge.source) == "end":
        report.add(
            "flow-from-end",
            f"nothing flows out of end event {edge.source!r}",
            element_id=edge.source,
            loc=edge.origin,
        )
    if kinds[edge.target] == "start":
        report.add(
            "flow-into-start",
            f"nothing flows into start event {edge.target!r}",
            element_id=edge.source,
            loc=edge.origin,
        )
    if edge.probability is not None and kinds.get(edge.source) not in DECISIONS:
        report.add(
            "probability-off-exclusive",
            "only branches of an exclusive, inclusive or event-based gateway carry a "
            "probability; "
            f"{edge.source!r} is {_kind_phrase(kinds.get(edge.source))}",
            element_id=edge.source,
            loc=(*edge.origin, "probability"),
        )


def _check_messages(process: Process, known: set[str], report: Collector) -> None:
    for index, message in enumerate(process.messages):
        for field in ("source", "target"):
            report.reference(
                getattr(message, field),
                known,
                rule="unknown-message-endpoint",
                what="step, event or role",
                element_id=None,
                loc=("messages", index, field),
            )


def _target_loc(edge: Edge) -> Loc:
    if edge.origin[:1] == ("flows",):
        return (*edge.origin, "target")
    if edge.origin[:1] == ("gateways",):
        return (*edge.origin, "to")
    return edge.origin


def _kind_phrase(kind: str | None) -> str:
    phrases = {
        "step": "a step",
        "parallel": "a parallel gateway",
        "start": "a start event",
        "intermediate": "an intermediate event",
    }
    return phrases.get(kind or "", "not a gateway")


def _check_gateways(process: Process, resolved: Iterable[Edge], report: Collector) -> None:
    by_source: dict[str, list[Edge]] = defaultdict(list)
    for edge in resolved:
        by_source[edge.source].append(edge)
    for index, gateway in enumerate(process.gateways):
        loc: Loc = ("gateways", index)
        branches = by_source.get(gateway.id, [])
        if not branches:
            report.add(
                "gateway-without-branches",
                "a gateway needs at least one branch (branches: or flows:)",
                element_id=gateway.id,
                loc=(*loc, "branches"),
            )
            continue
        if gateway.kind not in DECISIONS or len(branches) < 2:
            continue
        missing = [edge.target for edge in branches if edge.probability is None]
        if missing:
            report.add(
                "probability-missing",
                f"every branch of {_article(gateway.kind)} gateway needs a probability; missing "
                f"on the branch{'es' if len(missing) > 1 else ''} to "
                f"{', '.join(map(repr, missing))}",
                element_id=gateway.id,
                loc=(*loc, "branches"),
            )
            continue
        if gateway.kind == "inclusive":
            continue  # each branch's share of the cases: they need not sum to 1
        total = math.fsum(edge.probability or 0.0 for edge in branches)
        if abs(total - 1.0) > PROBABILITY_TOLERANCE:
            parts = " + ".join(f"{edge.probability:g} ({edge.target})" for edge in branches)
            report.add(
                "probabilities-not-one",
                f"branch probabilities sum to {total:.6g}, not 1: {parts}",
                element_id=gateway.id,
                loc=(*loc, "branches"),
            )


def _check_review_routing(
    process: Process, resolved: Iterable[Edge], locs: dict[str, Loc], report: Collector
) -> None:
    """A review step reached only through shares below 1 (a decision's branch, an edge case's
    recovery) that samples the same share again with review_rate reviews share x share."""
    sampled = {s.id: s for s in process.steps if s.kind == "review" and s.review_rate < 1.0}
    if not sampled:
        return
    gateways = {g.id: g for g in process.gateways}
    ways_in: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for edge in resolved:
        if edge.target in sampled:
            gateway = gateways.get(edge.source)
            decides = gateway is not None and gateway.kind in DECISIONS
            share = edge.probability if decides else None
            ways_in[edge.target].append((f"the branch of {edge.source!r}", share))
    for step, case in process.edge_cases():
        if case.recovery_step in sampled:
            ways_in[case.recovery_step].append((f"edge case {case.id!r} of {step.id!r}", case.rate))
    for step_id, ways in ways_in.items():
        review = sampled[step_id]
        if any(share is None or share >= 1.0 for _, share in ways):
            continue  # some cases arrive whole: sampling them is what review_rate is for
        same = [(name, share) for name, share in ways if share == review.review_rate]
        if not same:
            continue
        name, share = same[0]
        assert share is not None
        report.add(
            "review-rate-applied-twice",
            f"review step {step_id!r} is reached only through {name} ({share:g} of the cases) and "
            f"samples review_rate {review.review_rate:g} of those again: it reviews "
            f"{share:g} x {review.review_rate:g} = {share * review.review_rate:.2%} of the cases "
            f"there, not {share:.0%}; set review_rate to 1 if the routing already picks the cases "
            "to review",
            element_id=step_id,
            loc=(*locs.get(step_id, ()), "review_rate"),
        )


def _article(kind: str) -> str:
    words = {
        "exclusive": "an exclusive",
        "inclusive": "an inclusive",
        "event_based": "an event-based",
    }
    return words.get(kind, f"a {kind}")


def _check_reachability(
    process: Process,
    resolved: Iterable[Edge],
    kinds: dict[str, str],
    locs: dict[str, Loc],
    report: Collector,
) -> None:
    pairs = [(e.source, e.target) for e in resolved if e.source in kinds and e.target in kinds]
    pairs += [(s, t) for s, t in recovery_links(process) if t in kinds]
    starts = [event.id for event in events(process) if event.kind == "start"]
    ends = [event.id for event in events(process) if event.kind == "end"]
    leaving = adjacency(pairs)
    forward = reachable(starts, leaving)
    backward = reachable(ends, adjacency(pairs, reverse=True))
    for node_id, kind in kinds.items():
        loc = locs.get(node_id, ())
        if kind in ("start", "end") and not process.events:
            continue
        if node_id not in forward:
            report.add(
                "unreachable",
                f"{node_id!r} cannot be reached from a start event: no flow leads to it "
                "(give the step before it a next:, or name it as an edge case's recovery_step)",
                element_id=node_id,
                loc=loc,
            )
        elif node_id not in backward:
            report.add(
                "dead-end",
                f"{node_id!r} never reaches an end event: no path from it leads to "
                f"{choices(ends)} (give it a next:)",
                element_id=node_id,
                loc=loc,
            )
    live = reachable(ends, adjacency(_live_pairs(process, resolved, kinds), reverse=True))
    trapped = [n for n in kinds if n in backward and n not in live and n in forward]
    closed = set(trapped)
    exits = [n for n in trapped if any(t not in closed for t in leaving.get(n, ()))]
    for node_id in exits or trapped[:1]:
        report.add(
            "loop-without-exit",
            f"cases at {node_id!r} never reach an end event: every way out of the loop it is "
            "in has probability 0 (give a way out a probability above zero)",
            element_id=node_id,
            loc=locs.get(node_id, ()),
        )


def _live_pairs(
    process: Process, resolved: Iterable[Edge], kinds: dict[str, str]
) -> list[tuple[str, str]]:
    """The flows that carry a share of cases above zero (a branch with probability 0 and a
    step's way on when its edge cases divert every case carry none)."""
    steps = {step.id: step for step in process.steps}
    diverted = {
        step.id: math.fsum(c.rate for c in step.edge_cases if c.recovery_step)
        for step in process.steps
    }
    outgoing: dict[str, int] = defaultdict(int)
    for edge in resolved:
        outgoing[edge.source] += 1
    pairs = []
    for edge in resolved:
        if edge.source not in kinds or edge.target not in kinds:
            continue
        if edge.source in steps and diverted[edge.source] >= 1.0:
            continue
        decision = kinds[edge.source] in DECISIONS and outgoing[edge.source] > 1
        if decision and not edge.probability:
            continue
        pairs.append((edge.source, edge.target))
    pairs += [
        (step.id, case.recovery_step)
        for step in process.steps
        for case in step.edge_cases
        if case.recovery_step in kinds and case.rate > 0
    ]
    return pairs


def _locations(process: Process) -> dict[str, Loc]:
    """Node id -> (field, index), for the flow rules to point at elements."""
    table: dict[str, Loc] = {}
    for field in ("events", "steps", "gateways"):
        for index, node in enumerate(getattr(process, field)):
            table.setdefault(node.id, (field, index))
    return table
