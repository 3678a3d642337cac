"""``write_bpmn``: a process as BPMN 2.0 XML with diagram interchange (BPMNDI), valid against
the OMG schema, laid out like our SVG, with our own fields in the ``lastmile:`` namespace.

One pool (the process), one lane per role in model order. Steps are user tasks (people) or
service tasks (AI and systems), edge cases are boundary events on their step (error events
unless they say otherwise), with a sequence flow to their recovery step. Each sequence flow says
which model field it came from (``lastmile:origin``), so reading the file back rebuilds the
model exactly; message flows, retired edge cases and evidence travel as ``lastmile:`` extension
elements
(BPMN message flows need a second pool). Same model, same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from lastmile_flows.bpmn.diagram import Bounds, Layout, layout
from lastmile_flows.bpmn.fields import (
    EDGE_CASE_FIELDS,
    PROCESS_FIELDS,
    ROLE_FIELDS,
    STEP_FIELDS,
    evidence_attributes,
    write_fields,
)
from lastmile_flows.bpmn.names import BPMNDI, DC, DI, MODEL, NSMAP, lm
from lastmile_flows.bpmn.vocabulary import EVENT_TAG, GATEWAY_TAG, TASK_TAG, TRIGGER_TAG
from lastmile_flows.errors import BpmnError
from lastmile_flows.layout.backend import Backend, get_backend
from lastmile_flows.layout.swimlanes import lane_of
from lastmile_flows.model import Process, Redesign
from lastmile_flows.model.graph import Edge, edges, events

__all__ = ["bpmn_tree", "write_bpmn"]


def _bpmn(parent: etree._Element, name: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{MODEL}}}{name}", attributes)


class _Ids:
    """Ids for the elements the model has no id for, never clashing with the model's."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.used = set(taken)

    def __call__(self, base: str) -> str:
        candidate, number = base, 2
        while candidate in self.used:
            candidate, number = f"{base}_{number}", number + 1
        self.used.add(candidate)
        return candidate


def _origin(edge: Edge) -> str:
    if edge.origin[:1] == ("flows",):
        return "flow"
    if edge.origin[:1] == ("gateways",):
        return "branch"
    if edge.origin[-1:] == ("next",):
        return "next"
    return "implicit"


def _set(element: etree._Element, key: str, value: str, owner: str) -> None:
    try:
        element.set(key, value)
    except ValueError:
        raise BpmnError(
            f"a text of {owner!r} holds a character XML cannot carry (a control character): "
            f"{value[:40]!r}",
            element_id=owner,
        ) from None


def _document(element: etree._Element, text: str, owner: str) -> None:
    if not text:
        return
    doc = _bpmn(element, "documentation")
    try:
        doc.text = text
    except ValueError:
        raise BpmnError(
            f"the notes of {owner!r} hold a character XML cannot carry (a control character)",
            element_id=owner,
        ) from None


def _name(element: etree._Element, name: str, label: str, owner: str) -> None:
    _set(element, "name", label, owner)
    if not name:
        element.set(lm("unnamed"), "true")


def bpmn_tree(process: Process, *, backend: Backend | None = None) -> etree._Element:
    """The ``definitions`` element of ``process``'s BPMN file."""
    chosen = backend or get_backend("wasm")
    flows = edges(process)
    all_events = events(process)
    model_ids = [e.id for e in all_events] + [g.id for g in process.gateways]
    for step in process.steps:
        model_ids += [step.id, *(case.id for case in step.edge_cases)]
    ids = _Ids(model_ids)
    pid = process.id
    root = etree.Element(f"{{{MODEL}}}definitions", nsmap=NSMAP)
    root.set("id", ids(f"Definitions_{pid}"))
    root.set("targetNamespace", f"urn:lastmile-flows:process:{pid}")
    root.set("exporter", "lastmile_flows")
    root.set("exporterVersion", "1")
    collaboration = _bpmn(root, "collaboration", id=ids(f"Collaboration_{pid}"))
    process_id = ids(f"Process_{pid}")
    participant = _bpmn(collaboration, "participant", id=ids(f"Participant_{pid}"))
    _name(participant, process.name, process.label, pid)
    participant.set("processRef", process_id)

    body = _bpmn(root, "process", id=process_id, isExecutable="false")
    _name(body, process.name, process.label, pid)
    body.set(lm("id"), pid)
    write_fields(body, process, PROCESS_FIELDS)
    role_ids = {role.id for role in process.roles}
    former = sorted(
        {c.owner for _, c in process.edge_cases() if c.owner and c.owner not in role_ids}
    )
    if former:
        body.set(lm("formerRoles"), " ".join(former))
    _document(body, process.notes, pid)
    if process.messages or process.retired_edge_cases or process.evidence:
        extensions = _bpmn(body, "extensionElements")
        for message in process.messages:
            item = etree.SubElement(extensions, lm("message"))
            item.set("source", message.source)
            item.set("target", message.target)
            if message.name:
                _set(item, "name", message.name, pid)
        for retired in process.retired_edge_cases:
            item = etree.SubElement(extensions, lm("retired"))
            item.set("id", retired.id)
            _set(item, "reason", retired.reason, retired.id)
        for record in process.evidence:
            item = etree.SubElement(extensions, lm("evidence"))
            for key, value in evidence_attributes(record).items():
                _set(item, key, value, record.element)

    lanes_of = lane_of(process, flows)
    flow_ids = _flow_ids(process, flows, ids)
    recovery_ids = {
        case.id: ids(f"Flow_{case.id}_{case.recovery_step}")
        for step in process.steps
        for case in step.edge_cases
        if case.recovery_step
    }
    # an edge case handled outside the process flows to an end event of its own, so no
    # boundary event is a dead end (bpmnlint: no-disconnected, no-implicit-end)
    handled = {
        case.id: (ids(f"{case.id}_handled"), ids(f"Flow_{case.id}_handled"))
        for step in process.steps
        for case in step.edge_cases
        if not case.recovery_step
    }
    lane_ids = {role.id: ids(f"Lane_{role.id}") for role in process.roles}
    if process.roles:
        lane_set = _bpmn(body, "laneSet", id=ids(f"LaneSet_{pid}"))
        for role in process.roles:
            lane = _bpmn(lane_set, "lane", id=lane_ids[role.id])
            _name(lane, role.name, role.label, role.id)
            lane.set(lm("role"), role.id)
            write_fields(lane, role, ROLE_FIELDS, always=("kind",))
            _document(lane, role.notes, role.id)
            members = [node_id for node_id, lane_role in lanes_of.items() if lane_role == role.id]
            for step in process.steps:
                if step.role == role.id:
                    members += [case.id for case in step.edge_cases]
                    members += [handled[c.id][0] for c in step.edge_cases if c.id in handled]
            for member in _in_model_order(process, members):
                _bpmn(lane, "flowNodeRef").text = member

    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for edge, flow_id in zip(flows, flow_ids, strict=True):
        outgoing.setdefault(edge.source, []).append(flow_id)
        incoming.setdefault(edge.target, []).append(flow_id)
    for step in process.steps:
        for case in step.edge_cases:
            if case.recovery_step:
                outgoing.setdefault(case.id, []).append(recovery_ids[case.id])
                incoming.setdefault(case.recovery_step, []).append(recovery_ids[case.id])
            else:
                end_id, flow_id = handled[case.id]
                outgoing.setdefault(case.id, []).append(flow_id)
                incoming.setdefault(end_id, []).append(flow_id)

    def links(element: etree._Element, node_id: str) -> None:
        for flow_id in incoming.get(node_id, []):
            _bpmn(element, "incoming").text = flow_id
        for flow_id in outgoing.get(node_id, []):
            _bpmn(element, "outgoing").text = flow_id

    for event in all_events:
        element = _bpmn(body, EVENT_TAG[event.kind], id=event.id)
        _name(element, event.name, event.label, event.id)
        if not process.events:
            element.set(lm("implicit"), "true")
        links(element, event.id)
        if event.trigger:
            _bpmn(element, TRIGGER_TAG[event.trigger], id=ids(f"{event.id}_definition"))
    for step in process.steps:
        element = _bpmn(body, TASK_TAG[step.kind], id=step.id)
        _name(element, step.name, step.label, step.id)
        write_fields(element, step, STEP_FIELDS, always=("kind",))
        _document(element, step.notes, step.id)
        links(element, step.id)
    for gateway in process.gateways:
        element = _bpmn(body, GATEWAY_TAG[gateway.kind], id=gateway.id)
        _name(element, gateway.name, gateway.label, gateway.id)
        _document(element, gateway.notes, gateway.id)
        links(element, gateway.id)
    for step in process.steps:
        for case in step.edge_cases:
            element = _bpmn(body, "boundaryEvent", id=case.id, attachedToRef=step.id)
            _name(element, case.name, case.label, case.id)
            write_fields(element, case, EDGE_CASE_FIELDS, always=("rate",))
            _document(element, case.notes, case.id)
            links(element, case.id)
            _bpmn(element, TRIGGER_TAG[case.trigger or "error"], id=ids(f"{case.id}_definition"))
            if case.id in handled:
                end_id, _ = handled[case.id]
                end = _bpmn(body, "endEvent", id=end_id)
                _set(end, "name", f"{case.label}: handled outside the process", case.id)
                end.set(lm("generated"), "true")
                links(end, end_id)
    for edge, flow_id in zip(flows, flow_ids, strict=True):
        element = _bpmn(body, "sequenceFlow", id=flow_id, sourceRef=edge.source)
        element.set("targetRef", edge.target)
        if edge.label:
            _set(element, "name", edge.label, flow_id)
        element.set(lm("origin"), _origin(edge))
        if edge.probability is not None:
            element.set(lm("probability"), repr(edge.probability))
    for step in process.steps:
        for case in step.edge_cases:
            if case.recovery_step:
                element = _bpmn(body, "sequenceFlow", id=recovery_ids[case.id], sourceRef=case.id)
                element.set("targetRef", case.recovery_step)
                element.set(lm("origin"), "recovery")
            else:
                end_id, flow_id = handled[case.id]
                element = _bpmn(body, "sequenceFlow", id=flow_id, sourceRef=case.id)
                element.set("targetRef", end_id)
                element.set(lm("origin"), "handled")

    placed = layout(process, chosen)
    plane = _plane(root, ids, pid, collaboration.get("id", ""))
    _shapes(plane, ids, participant.get("id", ""), lane_ids, placed, process)
    for case_id, (end_id, _) in handled.items():
        _shape(plane, ids, end_id, placed.handled[case_id])
    for index, flow_id in enumerate(flow_ids):
        _edge(plane, ids, flow_id, placed.flows[index])
    for step in process.steps:
        for case in step.edge_cases:
            if case.recovery_step:
                _edge(plane, ids, recovery_ids[case.id], placed.recoveries[case.id])
            else:
                _, flow_id = handled[case.id]
                _edge(plane, ids, flow_id, placed.handled_flows[case.id])
    return root


def _flow_ids(process: Process, flows: tuple[Edge, ...], ids: _Ids) -> list[str]:
    return [ids(f"Flow_{edge.source}_{edge.target}") for edge in flows]


def _in_model_order(process: Process, members: list[str]) -> list[str]:
    order: list[str] = [e.id for e in events(process)]
    for step in process.steps:
        order += [step.id, *(case.id for case in step.edge_cases)]
    order += [g.id for g in process.gateways]
    wanted = set(members)
    return [node_id for node_id in order if node_id in wanted]


def _bounds(parent: etree._Element, box: Bounds) -> None:
    etree.SubElement(
        parent,
        f"{{{DC}}}Bounds",
        x=str(box.x),
        y=str(box.y),
        width=str(box.width),
        height=str(box.height),
    )


def _plane(root: etree._Element, ids: _Ids, pid: str, collaboration_id: str) -> etree._Element:
    diagram = etree.SubElement(root, f"{{{BPMNDI}}}BPMNDiagram", id=ids(f"BPMNDiagram_{pid}"))
    plane = etree.SubElement(diagram, f"{{{BPMNDI}}}BPMNPlane", id=ids(f"BPMNPlane_{pid}"))
    plane.set("bpmnElement", collaboration_id)
    return plane


def _shapes(
    plane: etree._Element,
    ids: _Ids,
    participant_id: str,
    lane_ids: dict[str, str],
    placed: Layout,
    process: Process,
) -> None:
    def shape(element_id: str, box: Bounds, **extra: str) -> None:
        _shape(plane, ids, element_id, box, **extra)

    shape(participant_id, placed.pool, isHorizontal="true")
    for role in process.roles:
        if role.id in placed.lanes:
            shape(lane_ids[role.id], placed.lanes[role.id], isHorizontal="true")
    for event in events(process):
        shape(event.id, placed.shapes[event.id])
    for step in process.steps:
        shape(step.id, placed.shapes[step.id])
    for gateway in process.gateways:
        shape(gateway.id, placed.shapes[gateway.id], isMarkerVisible="true")
    for step in process.steps:
        for case in step.edge_cases:
            shape(case.id, placed.shapes[case.id])


def _shape(plane: etree._Element, ids: _Ids, element_id: str, box: Bounds, **extra: str) -> None:
    item = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", id=ids(f"{element_id}_di"))
    item.set("bpmnElement", element_id)
    for key, value in extra.items():
        item.set(key, value)
    _bounds(item, box)


def _edge(plane: etree._Element, ids: _Ids, flow_id: str, points: list[tuple[int, int]]) -> None:
    item = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", id=ids(f"{flow_id}_di"))
    item.set("bpmnElement", flow_id)
    for x, y in points:
        etree.SubElement(item, f"{{{DI}}}waypoint", x=str(x), y=str(y))


def write_bpmn(
    model: Process | Redesign,
    *,
    which: str = "redesigned",
    backend: str | Backend = "wasm",
) -> bytes:
    """BPMN 2.0 XML of a process (for a :class:`Redesign`, of its ``which`` process:
    ``"current"`` or ``"redesigned"``). Deterministic: the same model gives the same bytes."""
    if isinstance(model, Redesign):
        if which not in ("current", "redesigned"):
            raise BpmnError(f"which must be 'current' or 'redesigned', not {which!r}")
        process = model.current if which == "current" else model.redesigned
    elif isinstance(model, Process):
        process = model
    else:
        raise TypeError(f"write_bpmn() writes a Process or a Redesign, not {type(model).__name__}")
    chosen = get_backend(backend) if isinstance(backend, str) else backend
    root = bpmn_tree(process, backend=chosen)
    body: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return body
