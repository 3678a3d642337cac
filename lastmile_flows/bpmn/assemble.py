"""Second pass of the import: records from :mod:`collect` become a valid :class:`Process`.

Two ways:

- **Our own export**, untouched (every flow says which model field it came from): the model is
  rebuilt exactly, so export then import gives back an equal model.
- **Any other file**: BPMN's implicit behaviour is made explicit (:mod:`implicit`), each time
  with a note.

The records are read, never changed: what the import adds or assumes comes back as notes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from lastmile_flows.bpmn.drafts import Draft, head_data, notes_data, role_data, step_data
from lastmile_flows.bpmn.implicit import general
from lastmile_flows.bpmn.records import Collected, ImportNote, RawFlow
from lastmile_flows.errors import BpmnError, InvalidModelError
from lastmile_flows.model import Process
from lastmile_flows.model.process import parse_redesigned

__all__ = ["assemble"]

_ORIGINS = frozenset({"implicit", "next", "branch", "flow", "recovery", "handled"})


def assemble(found: Collected) -> tuple[Process, list[ImportNote]]:
    """The model, validated, and the notes on what the import added or assumed;
    :class:`BpmnError` (naming the file) if it is not valid."""
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
    draft = Draft(_exact(found), found.nodes, found.roles) if exact else general(found)
    if not draft.data["steps"]:
        raise BpmnError(
            "no task can be reached from a start event (see the notes: each unconnected task "
            "was left out), so there is no process to import",
            path=found.path,
            tag="process",
            element_id=found.process_bpmn_id,
        )
    try:
        if found.former_roles:
            return parse_redesigned(draft.data, frozenset(found.former_roles)), draft.notes
        return Process.parse(draft.data), draft.notes
    except InvalidModelError as error:
        raise _invalid(error, found, draft) from error


def _invalid(error: InvalidModelError, found: Collected, draft: Draft) -> BpmnError:
    """The model's first problem, naming the element of the file it comes from."""
    first = error.problems[0]
    where = {n.id: (n.tag, n.line, n.bpmn_id) for n in draft.nodes}
    where |= {b.id: ("boundaryEvent", b.line, b.bpmn_id) for b in found.boundaries}
    where |= {r.id: ("lane" if r.lane else "participant", r.line, r.id) for r in draft.roles}
    tag, line, bpmn_id = where.get(first.element_id or "", (None, None, first.element_id))
    return BpmnError(
        f"the imported process is not valid: {error}",
        path=found.path,
        line=line,
        tag=tag or None,
        element_id=bpmn_id,
    )


def _exact(found: Collected) -> dict[str, Any]:
    """Our own export, rebuilt from the model field each flow says it came from."""
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
    data = head_data(found)
    data["roles"] = [role_data(role) for role in found.roles if role.lane]
    cases = _exact_cases(found, by_bpmn)
    steps = []
    for raw in found.nodes:
        if raw.category == "step":
            step = step_data(raw, cases[raw.id])
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
        {"id": g.id, "name": g.name, "kind": g.kind, "branches": branches[g.id]}
        | notes_data(g.notes)
        for g in found.nodes
        if g.category == "gateway"
    ]
    data["flows"] = flows
    data["messages"] = [
        {"source": source, "target": target, "name": name}
        for source, target, name, _ in found.messages
    ]
    return data


def _exact_cases(found: Collected, by_bpmn: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each step's edge cases, from the boundary events on it."""
    cases: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for boundary in found.boundaries:
        owner_step = by_bpmn.get(boundary.attached)
        if owner_step is not None:
            cases[owner_step.id].append(
                {"id": boundary.id, "name": boundary.name, **notes_data(boundary.notes)}
                | boundary.fields
            )
    return cases


def _edge_data(flow: RawFlow, target: str, key: str) -> dict[str, Any]:
    data: dict[str, Any] = {key: target, "label": flow.name}
    if flow.probability is not None:
        data["probability"] = flow.probability
    return data
