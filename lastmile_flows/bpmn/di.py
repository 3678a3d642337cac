"""The diagram (BPMNDI) part of an exported file: a plane with a shape for the pool, each lane
and each flow node, and an edge with waypoints for each sequence flow, placed by
:func:`lastmile_flows.bpmn.diagram.layout`."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from lastmile_flows.bpmn.diagram import Bounds, Layout
from lastmile_flows.bpmn.names import BPMNDI, DC, DI
from lastmile_flows.model import Process
from lastmile_flows.model.graph import events

__all__ = ["Ids", "add_edge", "add_plane", "add_shape", "add_shapes"]

Ids = Callable[[str], str]
"""A new id, unique in the file, from a base."""


def _bounds(parent: etree._Element, box: Bounds) -> None:
    etree.SubElement(
        parent,
        f"{{{DC}}}Bounds",
        x=str(box.x),
        y=str(box.y),
        width=str(box.width),
        height=str(box.height),
    )


def add_plane(root: etree._Element, ids: Ids, pid: str, collaboration_id: str) -> etree._Element:
    diagram = etree.SubElement(root, f"{{{BPMNDI}}}BPMNDiagram", id=ids(f"BPMNDiagram_{pid}"))
    plane = etree.SubElement(diagram, f"{{{BPMNDI}}}BPMNPlane", id=ids(f"BPMNPlane_{pid}"))
    plane.set("bpmnElement", collaboration_id)
    return plane


def add_shapes(
    plane: etree._Element,
    ids: Ids,
    participant_id: str,
    lane_ids: dict[str, str],
    placed: Layout,
    process: Process,
) -> None:
    def shape(element_id: str, box: Bounds, **extra: str) -> None:
        add_shape(plane, ids, element_id, box, **extra)

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


def add_shape(plane: etree._Element, ids: Ids, element_id: str, box: Bounds, **extra: str) -> None:
    item = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", id=ids(f"{element_id}_di"))
    item.set("bpmnElement", element_id)
    for key, value in extra.items():
        item.set(key, value)
    _bounds(item, box)


def add_edge(plane: etree._Element, ids: Ids, flow_id: str, points: list[tuple[int, int]]) -> None:
    item = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", id=ids(f"{flow_id}_di"))
    item.set("bpmnElement", flow_id)
    for x, y in points:
        etree.SubElement(item, f"{{{DI}}}waypoint", x=str(x), y=str(y))
