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
from dataclasses import dataclass, field

from lxml import etree

from lastmile_flows.bpmn.di import add_edge, add_plane, add_shape, add_shapes
from lastmile_flows.bpmn.diagram import Layout, layout
from lastmile_flows.bpmn.fields import (
    PROCESS_FIELDS,
    evidence_attributes,
    write_fields,
)
from lastmile_flows.bpmn.names import MODEL, NSMAP, lm
from lastmile_flows.bpmn.vocabulary import EVENT_TAG, GATEWAY_TAG, TASK_TAG, TRIGGER_TAG
from lastmile_flows.errors import BpmnError
from lastmile_flows.layout.backend import Backend, get_backend
from lastmile_flows.layout.swimlanes import lane_of
from lastmile_flows.model import EdgeCase, Process, Redesign
from lastmile_flows.model.elements import (
    EDGE_CASE_VALUE_FIELDS,
    ROLE_VALUE_FIELDS,
    STEP_VALUE_FIELDS,
)
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
    _process_head(body, process)
    plan = _Plan.of(process, ids)
    _lanes(body, plan)
    _flow_nodes(body, plan)
    _sequence_flows(body, plan)
    placed = layout(process, chosen)
    plane = add_plane(root, ids, pid, collaboration.get("id", ""))
    add_shapes(plane, ids, participant.get("id", ""), plan.lane_ids, placed, process)
    _edges(plane, plan, placed)
    return root


def _process_head(body: etree._Element, process: Process) -> None:
    """The process element's name, fields, former roles, notes and our extension elements."""
    pid = process.id
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
    if not (process.messages or process.retired_edge_cases or process.evidence):
        return
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


@dataclass(frozen=True)
class _Plan:
    """The ids of what the file adds to the model (flows, recovery flows, the end events of
    edge cases handled outside the process, lanes) and each node's incoming and outgoing
    flows. Ids are given in file order, so the same model gives the same ids."""

    process: Process
    ids: _Ids
    flows: tuple[Edge, ...]
    flow_ids: list[str]
    recovery_ids: dict[str, str]
    handled: dict[str, tuple[str, str]]
    """By edge case handled outside the process: its end event and the flow there (so no
    boundary event is a dead end: bpmnlint's no-disconnected, no-implicit-end)."""
    lane_ids: dict[str, str]
    incoming: dict[str, list[str]] = field(default_factory=dict)
    outgoing: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, process: Process, ids: _Ids) -> _Plan:
        flows = edges(process)
        cases = [case for step in process.steps for case in step.edge_cases]
        plan = cls(
            process,
            ids,
            flows,
            _flow_ids(process, flows, ids),
            {c.id: ids(f"Flow_{c.id}_{c.recovery_step}") for c in cases if c.recovery_step},
            {
                c.id: (ids(f"{c.id}_handled"), ids(f"Flow_{c.id}_handled"))
                for c in cases
                if not c.recovery_step
            },
            {role.id: ids(f"Lane_{role.id}") for role in process.roles},
        )
        for edge, flow_id in zip(flows, plan.flow_ids, strict=True):
            plan.link(edge.source, edge.target, flow_id)
        for case in cases:
            if case.recovery_step:
                plan.link(case.id, case.recovery_step, plan.recovery_ids[case.id])
            else:
                end_id, flow_id = plan.handled[case.id]
                plan.link(case.id, end_id, flow_id)
        return plan

    def link(self, source: str, target: str, flow_id: str) -> None:
        self.outgoing.setdefault(source, []).append(flow_id)
        self.incoming.setdefault(target, []).append(flow_id)

    def links(self, element: etree._Element, node_id: str) -> None:
        """The ``incoming`` and ``outgoing`` children of a flow node."""
        for flow_id in self.incoming.get(node_id, []):
            _bpmn(element, "incoming").text = flow_id
        for flow_id in self.outgoing.get(node_id, []):
            _bpmn(element, "outgoing").text = flow_id


def _lanes(body: etree._Element, plan: _Plan) -> None:
    """One lane per role, in model order, listing its flow nodes in model order."""
    process = plan.process
    if not process.roles:
        return
    lanes_of = lane_of(process, plan.flows)
    lane_set = _bpmn(body, "laneSet", id=plan.ids(f"LaneSet_{process.id}"))
    for role in process.roles:
        lane = _bpmn(lane_set, "lane", id=plan.lane_ids[role.id])
        _name(lane, role.name, role.label, role.id)
        lane.set(lm("role"), role.id)
        write_fields(lane, role, ROLE_VALUE_FIELDS, always=("kind",))
        _document(lane, role.notes, role.id)
        members = [node_id for node_id, lane_role in lanes_of.items() if lane_role == role.id]
        for step in process.steps:
            if step.role == role.id:
                members += [case.id for case in step.edge_cases]
                members += [plan.handled[c.id][0] for c in step.edge_cases if c.id in plan.handled]
        for member in _in_model_order(process, members):
            _bpmn(lane, "flowNodeRef").text = member


def _flow_nodes(body: etree._Element, plan: _Plan) -> None:
    """Events, tasks, gateways, then each step's boundary events (with the end event of an
    edge case handled outside the process right after its boundary event)."""
    process, ids = plan.process, plan.ids
    for event in events(process):
        element = _bpmn(body, EVENT_TAG[event.kind], id=event.id)
        _name(element, event.name, event.label, event.id)
        if not process.events:
            element.set(lm("implicit"), "true")
        plan.links(element, event.id)
        if event.trigger:
            _bpmn(element, TRIGGER_TAG[event.trigger], id=ids(f"{event.id}_definition"))
    for step in process.steps:
        element = _bpmn(body, TASK_TAG[step.kind], id=step.id)
        _name(element, step.name, step.label, step.id)
        write_fields(element, step, STEP_VALUE_FIELDS, always=("kind",))
        _document(element, step.notes, step.id)
        plan.links(element, step.id)
    for gateway in process.gateways:
        element = _bpmn(body, GATEWAY_TAG[gateway.kind], id=gateway.id)
        _name(element, gateway.name, gateway.label, gateway.id)
        _document(element, gateway.notes, gateway.id)
        plan.links(element, gateway.id)
    for step in process.steps:
        for case in step.edge_cases:
            _boundary_event(body, plan, step.id, case)


def _boundary_event(body: etree._Element, plan: _Plan, step_id: str, case: EdgeCase) -> None:
    element = _bpmn(body, "boundaryEvent", id=case.id, attachedToRef=step_id)
    _name(element, case.name, case.label, case.id)
    write_fields(element, case, EDGE_CASE_VALUE_FIELDS, always=("rate",))
    _document(element, case.notes, case.id)
    plan.links(element, case.id)
    _bpmn(element, TRIGGER_TAG[case.trigger or "error"], id=plan.ids(f"{case.id}_definition"))
    if case.id in plan.handled:
        end_id, _ = plan.handled[case.id]
        end = _bpmn(body, "endEvent", id=end_id)
        _set(end, "name", f"{case.label}: handled outside the process", case.id)
        end.set(lm("generated"), "true")
        plan.links(end, end_id)


def _sequence_flows(body: etree._Element, plan: _Plan) -> None:
    """The model's flows (each saying which field it came from), then recovery flows and the
    flows to handled end events."""
    for edge, flow_id in zip(plan.flows, plan.flow_ids, strict=True):
        element = _bpmn(body, "sequenceFlow", id=flow_id, sourceRef=edge.source)
        element.set("targetRef", edge.target)
        if edge.label:
            _set(element, "name", edge.label, flow_id)
        element.set(lm("origin"), _origin(edge))
        if edge.probability is not None:
            element.set(lm("probability"), repr(edge.probability))
    for step in plan.process.steps:
        for case in step.edge_cases:
            if case.recovery_step:
                flow_id, target, origin = plan.recovery_ids[case.id], case.recovery_step, "recovery"
            else:
                target, flow_id = plan.handled[case.id]
                origin = "handled"
            element = _bpmn(body, "sequenceFlow", id=flow_id, sourceRef=case.id)
            element.set("targetRef", target)
            element.set(lm("origin"), origin)


def _edges(plane: etree._Element, plan: _Plan, placed: Layout) -> None:
    """Handled end events' shapes, then every sequence flow's waypoints."""
    for case_id, (end_id, _) in plan.handled.items():
        add_shape(plane, plan.ids, end_id, placed.handled[case_id])
    for index, flow_id in enumerate(plan.flow_ids):
        add_edge(plane, plan.ids, flow_id, placed.flows[index])
    for step in plan.process.steps:
        for case in step.edge_cases:
            if case.recovery_step:
                add_edge(plane, plan.ids, plan.recovery_ids[case.id], placed.recoveries[case.id])
            else:
                _, flow_id = plan.handled[case.id]
                add_edge(plane, plan.ids, flow_id, placed.handled_flows[case.id])


def _flow_ids(process: Process, flows: tuple[Edge, ...], ids: _Ids) -> list[str]:
    return [ids(f"Flow_{edge.source}_{edge.target}") for edge in flows]


def _in_model_order(process: Process, members: list[str]) -> list[str]:
    order: list[str] = [e.id for e in events(process)]
    for step in process.steps:
        order += [step.id, *(case.id for case in step.edge_cases)]
    order += [g.id for g in process.gateways]
    wanted = set(members)
    return [node_id for node_id in order if node_id in wanted]


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
