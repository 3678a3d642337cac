"""Branch probabilities of decisions, from the directly-follows pairs of mapped steps.

A *pass* of gateway ``g`` is a step before it (looking back through other gateways and events;
``""`` for the start of a case) directly followed, among the mapped steps, by a step one of its
branches leads to (looking forward the same way; ``""`` for the end). Each branch's share of the
passes is its probability, rounded so that a decision's shares sum to exactly 1, with a Wilson
interval. Rework loops count every turn; an activity that follows in a parallel branch is not a
pass.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from lastmile_flows.evidence.collect import Collect
from lastmile_flows.evidence.mapping import ActivityMap
from lastmile_flows.evidence.stats import share
from lastmile_flows.evidence.traces import Variant, directly_follows, project
from lastmile_flows.model import Event, Evidence, Process, Step
from lastmile_flows.model.graph import nodes

__all__ = ["branch_shares"]


def branch_shares(
    process: Process, found: tuple[Variant, ...], mapping: ActivityMap, out: Collect, least: int
) -> dict[tuple[str, str], float]:
    """Branch probabilities of decisions from the directly-follows pairs of mapped steps: a
    pass of gateway ``g`` is a step before it followed directly by a step its branch leads to
    (looking through gateways and events; ``""`` is the start or end of a case)."""
    steps = mapping.steps(process)
    keep = {a: steps.get(a) for a in {x for v in found for x in v.activities}}
    follows = directly_follows(project(found, keep))
    every = nodes(process)
    edges = process.edges()
    found_shares: dict[tuple[str, str], float] = {}
    for gateway in process.gateways:
        if gateway.kind not in ("exclusive", "event_based", "inclusive"):
            continue
        before = _silent_closure(gateway.id, every, edges, forward=False)
        targets = list(dict.fromkeys(e.target for e in edges if e.source == gateway.id))
        counts: Counter[str] = Counter()
        claimed: set[tuple[str, str]] = set()
        for target in targets:
            for entry in sorted(_silent_closure(target, every, edges, forward=True, first=True)):
                for source in sorted(before):
                    pair = (source, entry)
                    if pair not in claimed:
                        claimed.add(pair)
                        counts[target] += follows.get(pair, 0)
        passes = sum(counts.values())
        if passes < least:
            out.notes.append(f"gateway {gateway.id!r}: {passes} passes seen; probabilities kept")
            continue
        shares = {t: share(counts[t], passes) for t in targets}
        values = _summing_to_one({t: s.value for t, s in shares.items()})
        for target in targets:
            found_shares[(gateway.id, target)] = values[target]
            out.records.append(
                Evidence(
                    element=gateway.id,
                    field="probability",
                    target=target,
                    value=values[target],
                    source=out.source,
                    cases=out.cases,
                    observations=passes,
                    low=shares[target].low,
                    high=shares[target].high,
                    method=f"{counts[target]} of {passes} passes took this branch",
                )
            )
    return found_shares


def _silent_closure(
    start: str, every: dict[str, Any], edges: tuple[Any, ...], *, forward: bool, first: bool = False
) -> set[str]:
    """The steps (``""`` for a start or end event) reached from ``start`` through gateways and
    intermediate events only: after it (``forward``) or before it. ``first`` counts ``start``
    itself when it is a step."""
    found: set[str] = set()
    stack, seen = [start], set()
    while stack:
        node_id = stack.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        node = every.get(node_id)
        if isinstance(node, Step) and (node_id != start or first):
            found.add(node_id)
            continue
        if isinstance(node, Event) and node.kind in ("start", "end") and node_id != start:
            found.add("")
            continue
        if isinstance(node, Event) and node.kind in ("start", "end") and first:
            found.add("")
            continue
        if forward:
            stack += [e.target for e in edges if e.source == node_id]
        else:
            stack += [e.source for e in edges if e.target == node_id]
    return found


def _summing_to_one(values: dict[str, float]) -> dict[str, float]:
    """Rounded shares whose sum is exactly 1: the largest absorbs the rounding."""
    if not values:
        return values
    largest = sorted(values, key=lambda t: (-values[t], t))[0]
    rest = sum(v for t, v in values.items() if t != largest)
    return {**values, largest: round(1.0 - rest, 4)}
