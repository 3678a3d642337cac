"""Second pass of the import: records from :mod:`collect` become a valid :class:`Process`.

Two ways:

- **Our own export**, untouched (every flow says which model field it came from): the model is
  rebuilt exactly, so export then import gives back an equal model.
- **Any other file**: BPMN's implicit behaviour is made explicit, each time with a note:
  an activity with several outgoing flows gets a gateway after it (parallel, or inclusive when
  the flows have conditions); an element with no outgoing flow gets an end event; a pool with no
  start event gets one; decisions get equal branch probabilities; boundary events become edge
  cases; what cannot be reached from a start event is dropped.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import replace
from typing import Any

from lastmile_flows.bpmn.collect import Collected, ImportNote, RawFlow, RawNode, RawRole
from lastmile_flows.errors import BpmnError, InvalidModelError
from lastmile_flows.model import Process
from lastmile_flows.model.process import parse_redesigned

__all__ = ["assemble"]

_ORIGINS = frozenset({"implicit", "next", "branch", "flow", "recovery", "handled"})
_ROLE_FOR_STEP = {"manual": "human", "review": "human", "ai": "ai", "system": "system"}
_DECISIONS = frozenset({"exclusive", "event_based"})


def assemble(found: Collected) -> Process:
    """The model, validated; :class:`BpmnError` (naming the file) if it is not valid."""
    if not any(node.category == "step" for node in found.nodes):
        raise BpmnError(
            "no task or sub-process to import (a process needs at least one step)",
            path=found.path,
            tag="process" if found.process_bpmn_id else "definitions",
            element_id=found.process_bpmn_id,
        )
    exact = (
        found.ours
        and all(flow.origin in _ORIGINS for flow in found.flows)
        and all(node.category != "step" or "kind" in node.fields for node in found.nodes)
    )
    data = _exact(found) if exact else _general(found)
    if not data["steps"]:
        raise BpmnError(
            "no task can be reached from a start event (see the notes: each unconnected task "
            "was left out), so there is no process to import",
            path=found.path,
            tag="process",
            element_id=found.process_bpmn_id,
        )
    try:
        if found.former_roles:
            return parse_redesigned(data, frozenset(found.former_roles))
        return Process.parse(data)
    except InvalidModelError as error:
        first = error.problems[0]
        where = {n.id: (n.tag, n.line, n.bpmn_id) for n in found.nodes}
        where |= {b.id: ("boundaryEvent", b.line, b.bpmn_id) for b in found.boundaries}
        where |= {r.id: ("lane" if r.lane else "participant", r.line, r.id) for r in found.roles}
        tag, line, bpmn_id = where.get(first.element_id or "", (None, None, first.element_id))
        raise BpmnError(
            f"the imported process is not valid: {error}",
            path=found.path,
            line=line,
            tag=tag or None,
            element_id=bpmn_id,
        ) from error


def _step_data(node: RawNode, cases: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": node.id, "name": node.name, "role": node.role, "kind": node.kind}
    data |= node.fields
    if node.notes:
        data["notes"] = "\n\n".join(node.notes)
    if cases:
        data["edge_cases"] = cases
    return data


def _head(found: Collected) -> dict[str, Any]:
    data: dict[str, Any] = {"id": found.process_id, "name": found.name, **found.fields}
    if found.notes:
        data["notes"] = "\n\n".join(found.notes)
    if found.retired:
        data["retired_edge_cases"] = found.retired
    if found.evidence:
        data["evidence"] = found.evidence
    return data


def _role_data(role: RawRole) -> dict[str, Any]:
    data: dict[str, Any] = {"id": role.id, "name": role.name, **role.fields}
    if role.notes:
        data["notes"] = "\n\n".join(role.notes)
    return data


# -- our own export, rebuilt exactly ---------------------------------------------------------


def _exact(found: Collected) -> dict[str, Any]:
    by_bpmn = {node.bpmn_id: node for node in found.nodes}
    nexts: dict[str, str] = {}
    branches: dict[str, list[dict[str, Any]]] = defaultdict(list)
    flows: list[dict[str, Any]] = []
    for flow in found.flows:
        start, end = by_bpmn.get(flow.source), by_bpmn.get(flow.target)
        if flow.origin == "recovery" or start is None or end is None:
            continue
        if flow.origin == "next":
            nexts[start.id] = end.id
        elif flow.origin == "branch":
            branches[start.id].append(_edge_data(flow, end.id, "to"))
        elif flow.origin == "flow":
            flows.append({"source": start.id, **_edge_data(flow, end.id, "target")})
    cases: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for boundary in found.boundaries:
        owner_step = by_bpmn.get(boundary.attached)
        if owner_step is not None:
            cases[owner_step.id].append(
                {"id": boundary.id, "name": boundary.name, **_notes(boundary.notes)}
                | boundary.fields
            )
    data = _head(found)
    data["roles"] = [_role_data(role) for role in found.roles if role.lane]
    steps = []
    for raw in found.nodes:
        if raw.category == "step":
            step = _step_data(raw, cases[raw.id])
            if raw.id in nexts:
                step["next"] = nexts[raw.id]
            steps.append(step)
    data["steps"] = steps
    events = [node for node in found.nodes if node.category == "event"]
    if not all(event.implicit for event in events):
        data["events"] = [
            {"id": e.id, "name": e.name, "kind": e.kind, "trigger": e.trigger}
            | ({"next": nexts[e.id]} if e.id in nexts else {})
            for e in events
        ]
    data["gateways"] = [
        {"id": g.id, "name": g.name, "kind": g.kind, "branches": branches[g.id]} | _notes(g.notes)
        for g in found.nodes
        if g.category == "gateway"
    ]
    data["flows"] = flows
    data["messages"] = [
        {"source": source, "target": target, "name": name}
        for source, target, name, _ in found.messages
    ]
    return data


def _notes(notes: list[str]) -> dict[str, str]:
    return {"notes": "\n\n".join(notes)} if notes else {}


def _edge_data(flow: RawFlow, target: str, key: str) -> dict[str, Any]:
    data: dict[str, Any] = {key: target, "label": flow.name}
    if flow.probability is not None:
        data["probability"] = flow.probability
    return data


# -- any other file ----------------------------------------------------------------------------


class _Graph:
    """Nodes and flows by model id, with the edits the import makes."""

    def __init__(self, found: Collected) -> None:
        self.found = found
        self.nodes: dict[str, RawNode] = {}
        self.by_bpmn: dict[str, RawNode] = {}
        for node in found.nodes:
            self.nodes[node.id] = node
            self.by_bpmn[node.bpmn_id] = node
        self.edges: list[tuple[str, str, RawFlow | None]] = []

    def leaving(self) -> dict[str, list[tuple[str, str, RawFlow | None]]]:
        """The flows leaving each node, in order, as the edges stand now (one pass)."""
        found: dict[str, list[tuple[str, str, RawFlow | None]]] = defaultdict(list)
        for edge in self.edges:
            found[edge[0]].append(edge)
        return found

    def add(self, node: RawNode) -> None:
        self.nodes[node.id] = node
        self.found.nodes.append(node)

    def remove(self, node: RawNode) -> None:
        del self.nodes[node.id]
        self.found.nodes.remove(node)


def _general(found: Collected) -> dict[str, Any]:
    graph = _Graph(found)
    seen: dict[tuple[str, str], int] = {}
    boundaries = {b.bpmn_id: b for b in found.boundaries}
    handled_by: dict[str, list[str]] = defaultdict(list)
    for flow in found.flows:
        if flow.source in boundaries and flow.target in graph.by_bpmn:
            handled_by[flow.source].append(graph.by_bpmn[flow.target].id)
            continue
        source, target = graph.by_bpmn.get(flow.source), graph.by_bpmn.get(flow.target)
        if source is None or target is None:
            missing = flow.source if source is None else flow.target
            found.report.append(
                _note(flow, f"sequence flow to or from {missing!r}, which is not imported: skipped")
            )
            continue
        _add_flow(graph, seen, source.id, target.id, flow)
    cases = _edge_cases(found, graph, handled_by)
    _split_fan_outs(graph)
    _add_starts(graph)
    _add_ends(graph)
    _drop_unreachable(graph, cases)
    _check_roles(found, graph)
    return _general_data(found, graph, cases)


def _add_flow(
    graph: _Graph, seen: dict[tuple[str, str], int], source: str, target: str, flow: RawFlow
) -> None:
    """A sequence flow into the graph; a second flow between the same two elements (legal in
    BPMN, meaningless to a model of shares) joins the first, their probabilities added.
    ``seen`` is where each pair's flow is in ``graph.edges``."""
    index = seen.get((source, target))
    if index is not None:
        start, end, earlier = graph.edges[index]
        assert earlier is not None
        merged = earlier
        if earlier.probability is not None and flow.probability is not None:
            total = _number(earlier.probability) + _number(flow.probability)
            merged = replace(earlier, probability=repr(total))
        graph.edges[index] = (start, end, merged)
        graph.found.report.append(
            _note(
                flow,
                f"a second sequence flow from {source!r} to {target!r} (besides "
                f"{earlier.id!r}) is imported as the same flow"
                + (", their probabilities added" if merged is not earlier else ""),
            )
        )
        return
    seen[(source, target)] = len(graph.edges)
    graph.edges.append((source, target, flow))


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _note(flow: RawFlow, message: str) -> ImportNote:
    return ImportNote(message, flow.id or None, "sequenceFlow", flow.line)


def _edge_cases(
    found: Collected, graph: _Graph, handled_by: dict[str, list[str]]
) -> dict[str, list[dict[str, Any]]]:
    """Boundary events become edge cases of their step, owned by the lane of the path that
    handles them, recovered at the first step on that path."""
    cases: dict[str, list[dict[str, Any]]] = defaultdict(list)
    successors: dict[str, list[str]] = defaultdict(list)
    for source, target, _ in graph.edges:
        successors[source].append(target)
    for boundary in found.boundaries:
        step = graph.by_bpmn.get(boundary.attached)
        where = ImportNote("", boundary.bpmn_id, "boundaryEvent", boundary.line)
        if step is None or step.category != "step":
            found.report.append(
                _with(where, f"attached to {boundary.attached!r}, which is not an imported step")
            )
            continue
        data: dict[str, Any] = {"id": boundary.id, "name": boundary.name}
        if boundary.trigger in (
            "error",
            "escalation",
            "timer",
            "message",
            "conditional",
            "signal",
            "compensation",
            "cancel",
        ):
            data["trigger"] = boundary.trigger
        data |= _notes(boundary.notes)
        handlers = handled_by.get(boundary.bpmn_id, [])
        if handlers and "owner" not in boundary.fields:
            data["owner"] = graph.nodes[handlers[0]].role
        recovery = _first_step(handlers, successors, graph)
        if recovery is not None and "recovery_step" not in boundary.fields:
            data["recovery_step"] = recovery
        if not handlers:
            found.report.append(
                _with(where, "no flow leaves this boundary event: the edge case has no owner")
            )
        data |= boundary.fields
        if "rate" not in data:
            data["rate"] = 0.0
            found.report.append(
                _with(where, "the file gives no rate for this exception: imported as 0; set it")
            )
        cases[step.id].append(data)
    return cases


def _with(note: ImportNote, message: str) -> ImportNote:
    return replace(note, message=message)


def _first_step(starts: list[str], successors: dict[str, list[str]], graph: _Graph) -> str | None:
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


def _added(
    graph: _Graph, base: str, category: str, kind: str, role: str | None, pool: str
) -> RawNode:
    """A node the import adds (a gateway or event BPMN leaves implicit), under a fresh id."""
    node = RawNode(
        id=graph.found.ids.fresh(base),
        bpmn_id="",
        tag="",
        line=None,
        category=category,
        kind=kind,
        name="",
        role=role,
        pool=pool,
    )
    graph.add(node)
    return node


def _split_fan_outs(graph: _Graph) -> None:
    """BPMN lets an activity or event send a case down several flows at once (unconditional
    flows: all of them; conditional ones: those whose condition holds). The model says so with a
    gateway."""
    outgoing = graph.leaving()  # a split only changes the flows leaving the node it splits
    split: set[str] = set()
    added: list[tuple[str, str, RawFlow | None]] = []
    for node in list(graph.nodes.values()):
        if node.category == "gateway":
            continue
        leaving = outgoing.get(node.id, [])
        if len(leaving) < 2:
            continue
        conditional = any(
            flow is not None and (flow.condition or flow.id in graph.found.defaults)
            for _, _, flow in leaving
        )
        kind = "inclusive" if conditional else "parallel"
        gateway = _added(graph, f"{node.id}-split", "gateway", kind, node.role, node.pool)
        split.add(node.id)
        added.append((node.id, gateway.id, None))
        added += [(gateway.id, target, flow) for _, target, flow in leaving]
        graph.found.report.append(
            ImportNote(
                f"flows to {len(leaving)} places at once: imported with {kind} gateway "
                f"{gateway.id!r} after it",
                node.bpmn_id,
                node.tag,
                node.line,
            )
        )
    if split:
        graph.edges = [edge for edge in graph.edges if edge[0] not in split] + added


def _add_starts(graph: _Graph) -> None:
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
        start = _added(graph, f"{pool}-start", "event", "start", first[0].role, pool)
        if len(first) == 1:
            graph.edges.append((start.id, first[0].id, None))
        else:
            fork = _added(graph, f"{pool}-start-split", "gateway", "parallel", first[0].role, pool)
            graph.edges.append((start.id, fork.id, None))
            graph.edges += [(fork.id, n.id, None) for n in first]
        graph.found.report.append(
            ImportNote(
                f"pool {pool!r} has no start event: added {start.id!r} before "
                f"{', '.join(n.id for n in first)}"
            )
        )


def _add_ends(graph: _Graph) -> None:
    """An element with no outgoing flow ends the case there (BPMN's implicit end)."""
    sources = {edge[0] for edge in graph.edges}
    for node in list(graph.nodes.values()):
        if node.id in sources or (node.category == "event" and node.kind == "end"):
            continue
        if node.category == "event" and node.kind == "start":
            graph.found.report.append(
                ImportNote(
                    "start event with no flow: not imported", node.bpmn_id, node.tag, node.line
                )
            )
            graph.remove(node)
            continue
        end = _added(graph, f"{node.id}-end", "event", "end", node.role, node.pool)
        graph.edges.append((node.id, end.id, None))
        graph.found.report.append(
            ImportNote(
                f"no flow leaves it: added end event {end.id!r} after it",
                node.bpmn_id or node.id,
                node.tag or "gateway",
                node.line,
            )
        )


def _drop_unreachable(graph: _Graph, cases: dict[str, list[dict[str, Any]]]) -> None:
    links: dict[str, list[str]] = defaultdict(list)
    for source, target, _ in graph.edges:
        links[source].append(target)
    for step_id, step_cases in cases.items():
        links[step_id] += [case["recovery_step"] for case in step_cases if "recovery_step" in case]
    starts = [n.id for n in graph.nodes.values() if n.category == "event" and n.kind == "start"]
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for target in links.get(queue.popleft(), []):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for node in list(graph.nodes.values()):
        if node.id in seen:
            continue
        graph.found.report.append(
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


def _check_roles(found: Collected, graph: _Graph) -> None:
    """Steps need a role of the right kind: a lane with people and services gets a companion
    role for the services (or AI) it holds."""
    steps = [n for n in found.nodes if n.category == "step"]
    used = {step.role for step in steps}
    for role in list(found.roles):
        mine = [step for step in steps if step.role == role.id]
        if not mine:
            continue
        needed = sorted(
            {_ROLE_FOR_STEP.get(str(s.fields.get("kind", s.kind)), "human") for s in mine}
        )
        if role.kind_given:
            continue
        main = "human" if "human" in needed else needed[0]
        role.fields["kind"] = main
        for other in needed:
            if other == main:
                continue
            label = {"system": "systems", "ai": "AI"}[other]
            companion = RawRole(
                id=found.ids.fresh(f"{role.id}-{label.lower()}"),
                name=f"{role.name or role.id} ({label})",
                line=role.line,
                lane=True,
                fields={"kind": other},
            )
            found.roles.insert(found.roles.index(role) + 1, companion)
            moved = [
                s for s in mine if _ROLE_FOR_STEP.get(str(s.fields.get("kind", s.kind))) == other
            ]
            for step in moved:
                step.role = companion.id
            found.report.append(
                ImportNote(
                    f"lane {role.name or role.id!r} holds both people's tasks and {label} tasks "
                    f"({', '.join(s.id for s in moved)}): those are in role {companion.id!r}"
                )
            )
            used.add(companion.id)
    message_ends = {end for source, target, _, _ in found.messages for end in (source, target)}
    pools = set(found.pool_roles.values())
    found.roles[:] = [
        role
        for role in found.roles
        if role.id in used
        or role.lane
        or (role.id in pools and any(found.pool_roles.get(e) == role.id for e in message_ends))
    ]


def _general_data(
    found: Collected, graph: _Graph, cases: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    data = _head(found)
    data["roles"] = [_role_data(role) for role in found.roles]
    nodes = list(graph.nodes.values())
    data["steps"] = [_step_data(n, cases.get(n.id, [])) for n in nodes if n.category == "step"]
    data["events"] = [
        {"id": n.id, "name": n.name, "kind": n.kind, "trigger": n.trigger}
        for n in nodes
        if n.category == "event"
    ]
    gateways = []
    flows = []
    outgoing = graph.leaving()
    for node in nodes:
        if node.category != "gateway":
            continue
        leaving = outgoing.get(node.id, [])
        given = [flow.probability if flow else None for _, _, flow in leaving]
        probabilities: list[Any] = [None] * len(leaving)
        if len(leaving) > 1 and node.kind in (*_DECISIONS, "inclusive"):
            if all(p is not None for p in given):
                probabilities = given
            elif node.kind == "inclusive":
                probabilities = [1.0] * len(leaving)
                found.report.append(
                    ImportNote(
                        "inclusive gateway without branch shares: every branch taken (1.0); "
                        "set each branch's probability",
                        node.bpmn_id or node.id,
                        node.tag or "gateway",
                        node.line,
                    )
                )
            else:
                probabilities = [1.0 / len(leaving)] * len(leaving)
                found.report.append(
                    ImportNote(
                        f"no branch probabilities in the file: assumed equal (1/{len(leaving)}); "
                        "set them",
                        node.bpmn_id,
                        node.tag,
                        node.line,
                    )
                )
        branches = []
        for (_, target, flow), probability in zip(leaving, probabilities, strict=True):
            branch: dict[str, Any] = {"to": target, "label": _label(flow, found)}
            if probability is not None:
                branch["probability"] = probability
            branches.append(branch)
        gateways.append(
            {"id": node.id, "name": node.name, "kind": node.kind, "branches": branches}
            | _notes(node.notes)
        )
    for source, target, flow in graph.edges:
        if graph.nodes[source].category != "gateway":
            flows.append({"source": source, "target": target, "label": _label(flow, found)})
    data["gateways"] = gateways
    data["flows"] = flows
    data["messages"] = _messages(found, graph)
    if any(n.category == "step" for n in nodes):
        found.report.append(
            ImportNote(
                "the file gives no durations: touch and wait minutes are 0 until you set them"
            )
        )
    return data


def _label(flow: RawFlow | None, found: Collected) -> str:
    if flow is None:
        return ""
    text = flow.name or " ".join(flow.condition.split())
    if not text and flow.id in found.defaults:
        text = "default"
    return text if len(text) <= 80 else text[:79] + "\u2026"


def _messages(found: Collected, graph: _Graph) -> list[dict[str, str]]:
    kept = []
    roles = {role.id for role in found.roles}
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
            found.report.append(
                ImportNote(
                    f"message flow {source!r} \u2192 {target!r}: one end is not imported; skipped",
                    None,
                    "messageFlow",
                    line,
                )
            )
    return kept
