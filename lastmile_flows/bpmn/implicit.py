"""A BPMN file from any tool as model data: what BPMN leaves implicit is made explicit, each
time with a note.

An activity with several outgoing flows gets a gateway after it (parallel, or inclusive when the
flows have conditions); an element with no outgoing flow gets an end event; a pool with no start
event gets one; decisions get equal branch probabilities; boundary events become edge cases;
what cannot be reached from a start event is dropped. The records are not changed: the working
graph (:class:`Graph`) holds its own nodes, roles and ids.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import replace
from typing import Any

from lastmile_flows.bpmn.drafts import Draft, head_data, notes_data, role_data, step_data
from lastmile_flows.bpmn.flowgraph import Edge, Graph, label, note_on
from lastmile_flows.bpmn.gateways import gateway_data
from lastmile_flows.bpmn.records import Collected, ImportNote, RawFlow
from lastmile_flows.bpmn.roles import check_roles
from lastmile_flows.bpmn.vocabulary import BOUNDARY_TRIGGERS
from lastmile_flows.model.graph import adjacency, reachable

__all__ = ["general"]

Cases = dict[str, list[dict[str, Any]]]
"""Edge case data by step id."""


def _on_flow(flow: RawFlow, message: str) -> ImportNote:
    return ImportNote(message, flow.id or None, "sequenceFlow", flow.line)


def general(found: Collected) -> Draft:
    """The model data of a file from any tool, with the notes on what the import did."""
    graph = Graph(found)
    handled_by = _flows(graph)
    cases = _edge_cases(graph, handled_by)
    _split_fan_outs(graph)
    _add_starts(graph)
    _add_ends(graph)
    _drop_unreachable(graph, cases)
    check_roles(graph)
    data = _data(graph, cases)
    return Draft(data, graph.listed, graph.roles, graph.notes)


def _flows(graph: Graph) -> dict[str, list[str]]:
    """The sequence flows into the graph; the steps each boundary event's flows lead to."""
    seen: dict[tuple[str, str], int] = {}
    boundaries = {b.bpmn_id for b in graph.found.boundaries}
    handled_by: dict[str, list[str]] = defaultdict(list)
    for flow in graph.found.flows:
        if flow.source in boundaries and flow.target in graph.by_bpmn:
            handled_by[flow.source].append(graph.by_bpmn[flow.target].id)
            continue
        source, target = graph.by_bpmn.get(flow.source), graph.by_bpmn.get(flow.target)
        if source is None or target is None:
            missing = flow.source if source is None else flow.target
            graph.notes.append(
                _on_flow(
                    flow, f"sequence flow to or from {missing!r}, which is not imported: skipped"
                )
            )
            continue
        _add_flow(graph, seen, source.id, target.id, flow)
    return handled_by


def _add_flow(
    graph: Graph, seen: dict[tuple[str, str], int], source: str, target: str, flow: RawFlow
) -> None:
    """A sequence flow into the graph; a second flow between the same two elements (legal in
    BPMN, meaningless to a model of shares) joins the first, their probabilities added.
    ``seen`` is where each pair's flow is in ``graph.edges``."""
    index = seen.get((source, target))
    if index is None:
        seen[(source, target)] = len(graph.edges)
        graph.edges.append((source, target, flow))
        return
    start, end, earlier = graph.edges[index]
    assert earlier is not None
    merged = earlier
    if earlier.probability is not None and flow.probability is not None:
        total = _number(earlier.probability) + _number(flow.probability)
        merged = replace(earlier, probability=repr(total))
    graph.edges[index] = (start, end, merged)
    graph.notes.append(
        _on_flow(
            flow,
            f"a second sequence flow from {source!r} to {target!r} (besides "
            f"{earlier.id!r}) is imported as the same flow"
            + (", their probabilities added" if merged is not earlier else ""),
        )
    )


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _edge_cases(graph: Graph, handled_by: dict[str, list[str]]) -> Cases:
    """Boundary events become edge cases of their step, owned by the lane of the path that
    handles them, recovered at the first step on that path."""
    cases: Cases = defaultdict(list)
    successors = adjacency((source, target) for source, target, _ in graph.edges)
    for boundary in graph.found.boundaries:
        step = graph.by_bpmn.get(boundary.attached)
        where = ImportNote("", boundary.bpmn_id, "boundaryEvent", boundary.line)
        if step is None or step.category != "step":
            graph.notes.append(
                replace(
                    where,
                    message=f"attached to {boundary.attached!r}, which is not an imported step",
                )
            )
            continue
        data: dict[str, Any] = {"id": boundary.id, "name": boundary.name}
        if boundary.trigger in BOUNDARY_TRIGGERS:
            data["trigger"] = boundary.trigger
        data |= notes_data(boundary.notes)
        handlers = handled_by.get(boundary.bpmn_id, [])
        if handlers and "owner" not in boundary.fields:
            data["owner"] = graph.nodes[handlers[0]].role
        recovery = _first_step(handlers, successors, graph)
        if recovery is not None and "recovery_step" not in boundary.fields:
            data["recovery_step"] = recovery
        if not handlers:
            graph.notes.append(
                replace(
                    where, message="no flow leaves this boundary event: the edge case has no owner"
                )
            )
        data |= boundary.fields
        if "rate" not in data:
            data["rate"] = 0.0
            graph.notes.append(
                replace(
                    where,
                    message="the file gives no rate for this exception: imported as 0; set it",
                )
            )
        cases[step.id].append(data)
    return cases


def _first_step(starts: list[str], successors: dict[str, list[str]], graph: Graph) -> str | None:
    """The nearest step from ``starts`` (in breadth-first order, so the first of equals in the
    file's order): :func:`~lastmile_flows.model.graph.reachable` gives a set, not an order."""
    seen = set(starts)
    queue = deque(starts)
    while queue:
        node_id = queue.popleft()
        if graph.nodes[node_id].category == "step":
            return node_id
        for target in successors.get(node_id, []):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return None


def _split_fan_outs(graph: Graph) -> None:
    """BPMN lets an activity or event send a case down several flows at once (unconditional
    flows: all of them; conditional ones: those whose condition holds). The model says so with a
    gateway."""
    outgoing = graph.leaving()  # a split only changes the flows leaving the node it splits
    split: set[str] = set()
    added: list[Edge] = []
    for node in list(graph.nodes.values()):
        leaving = outgoing.get(node.id, [])
        if node.category == "gateway" or len(leaving) < 2:
            continue
        conditional = any(
            flow is not None and (flow.condition or flow.id in graph.found.defaults)
            for _, _, flow in leaving
        )
        kind = "inclusive" if conditional else "parallel"
        gateway = graph.added(f"{node.id}-split", "gateway", kind, node.role, node.pool)
        split.add(node.id)
        added.append((node.id, gateway.id, None))
        added += [(gateway.id, target, flow) for _, target, flow in leaving]
        graph.notes.append(
            note_on(
                node,
                f"flows to {len(leaving)} places at once: imported with {kind} gateway "
                f"{gateway.id!r} after it",
            )
        )
    if split:
        graph.edges = [edge for edge in graph.edges if edge[0] not in split] + added


def _add_starts(graph: Graph) -> None:
    """A pool without a start event starts at every element nothing flows into."""
    for pool in dict.fromkeys(node.pool for node in list(graph.nodes.values())):
        members = [n for n in graph.nodes.values() if n.pool == pool]
        if any(n.category == "event" and n.kind == "start" for n in members):
            continue
        targets = {edge[1] for edge in graph.edges}
        first = [
            n
            for n in members
            if n.id not in targets and not (n.category == "event" and n.kind == "end")
        ]
        if not first:
            continue
        start = graph.added(f"{pool}-start", "event", "start", first[0].role, pool)
        if len(first) == 1:
            graph.edges.append((start.id, first[0].id, None))
        else:
            fork = graph.added(f"{pool}-start-split", "gateway", "parallel", first[0].role, pool)
            graph.edges.append((start.id, fork.id, None))
            graph.edges += [(fork.id, n.id, None) for n in first]
        graph.notes.append(
            ImportNote(
                f"pool {pool!r} has no start event: added {start.id!r} before "
                f"{', '.join(n.id for n in first)}"
            )
        )


def _add_ends(graph: Graph) -> None:
    """An element with no outgoing flow ends the case there (BPMN's implicit end)."""
    sources = {edge[0] for edge in graph.edges}
    for node in list(graph.nodes.values()):
        if node.id in sources or (node.category == "event" and node.kind == "end"):
            continue
        if node.category == "event" and node.kind == "start":
            graph.notes.append(note_on(node, "start event with no flow: not imported"))
            graph.remove(node)
            continue
        end = graph.added(f"{node.id}-end", "event", "end", node.role, node.pool)
        graph.edges.append((node.id, end.id, None))
        graph.notes.append(
            ImportNote(
                f"no flow leaves it: added end event {end.id!r} after it",
                node.bpmn_id or node.id,
                node.tag or "gateway",
                node.line,
            )
        )


def _drop_unreachable(graph: Graph, cases: Cases) -> None:
    """What no path from a start event reaches (along flows and recoveries) is left out."""
    links = adjacency((source, target) for source, target, _ in graph.edges)
    for step_id, step_cases in cases.items():
        links[step_id] += [case["recovery_step"] for case in step_cases if "recovery_step" in case]
    starts = [n.id for n in graph.nodes.values() if n.category == "event" and n.kind == "start"]
    seen = reachable(starts, links)
    for node in list(graph.nodes.values()):
        if node.id in seen:
            continue
        graph.notes.append(
            ImportNote(
                "cannot be reached from a start event (only from a boundary event's path, or "
                "not at all): not imported",
                node.bpmn_id or node.id,
                node.tag or node.category,
                node.line,
            )
        )
        graph.remove(node)
        cases.pop(node.id, None)
    graph.edges = [e for e in graph.edges if e[0] in graph.nodes and e[1] in graph.nodes]


def _data(graph: Graph, cases: Cases) -> dict[str, Any]:
    """The model data of the graph as it stands."""
    data = head_data(graph.found)
    data["roles"] = [role_data(role) for role in graph.roles]
    nodes = list(graph.nodes.values())
    data["steps"] = [
        step_data(n, cases.get(n.id, []), graph.role_of(n)) for n in nodes if n.category == "step"
    ]
    data["events"] = [
        {"id": n.id, "name": n.name, "kind": n.kind, "trigger": n.trigger}
        for n in nodes
        if n.category == "event"
    ]
    data["gateways"] = gateway_data(graph)
    data["flows"] = [
        {"source": source, "target": target, "label": label(flow, graph.found)}
        for source, target, flow in graph.edges
        if graph.nodes[source].category != "gateway"
    ]
    data["messages"] = _messages(graph)
    if any(n.category == "step" for n in nodes):
        graph.notes.append(
            ImportNote(
                "the file gives no durations: touch and wait minutes are 0 until you set them"
            )
        )
    return data


def _messages(graph: Graph) -> list[dict[str, str]]:
    """Message flows whose two ends were imported (a node, or a pool's role)."""
    kept = []
    found = graph.found
    roles = {role.id for role in graph.roles}
    for source, target, name, line in found.messages:
        ends = []
        for end in (source, target):
            node = graph.by_bpmn.get(end)
            if node is not None and node.id in graph.nodes:
                ends.append(node.id)
            elif found.pool_roles.get(end) in roles:
                ends.append(found.pool_roles[end])
        if len(ends) == 2:
            kept.append({"source": ends[0], "target": ends[1], "name": name})
        else:
            graph.notes.append(
                ImportNote(
                    f"message flow {source!r} \u2192 {target!r}: one end is not imported; skipped",
                    None,
                    "messageFlow",
                    line,
                )
            )
    return kept
