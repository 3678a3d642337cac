"""The geometry of a BPMN diagram, as the DI in the file says it or as bpmn-js placed it, and
what is wrong with it: shapes on shapes (a boundary event on its own task is meant), shapes
outside their pool, a flow with a slanted segment, a flow through a shape that is not one of
its ends."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from lxml import etree

from lastmile_flows.bpmn.names import BPMNDI, DC, DI, MODEL

__all__ = ["Placed", "di_elements", "geometry_problems", "registry_elements"]

NOT_SHAPES = {"Participant", "Lane", "Process", "Collaboration", "SequenceFlow", "MessageFlow"}
SLACK = 1.0
"""Pixels a shape may touch another, or a flow graze a shape's border, by rounding."""


@dataclass(frozen=True)
class Placed:
    """One element as drawn: a shape (``x``, ``y``, ``width``, ``height``) or a flow
    (``waypoints``), with its BPMN type (``Task``, ``BoundaryEvent`` ...)."""

    id: str
    kind: str
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    waypoints: tuple[tuple[float, float], ...] = ()
    source: str | None = None
    target: str | None = None
    host: str | None = None

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


def _kind(element: etree._Element) -> str:
    """``Task`` of ``bpmn:task``: the type's name as bpmn-js writes it."""
    name = etree.QName(element).localname
    return name[:1].upper() + name[1:]


def di_elements(xml: bytes) -> list[Placed]:
    """Every shape and edge of a BPMN file's diagram, with the model element's type, ends and
    host (for a boundary event)."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    model: dict[str, etree._Element] = {}
    for element in root.iter(etree.Element):
        if etree.QName(element).namespace == MODEL and element.get("id"):
            model[str(element.get("id"))] = element
    found = []
    for shape in root.iter(f"{{{BPMNDI}}}BPMNShape"):
        target = model[str(shape.get("bpmnElement"))]
        bounds = shape.find(f"{{{DC}}}Bounds")
        assert bounds is not None, shape.get("id")
        found.append(
            Placed(
                id=str(target.get("id")),
                kind=_kind(target),
                x=float(bounds.get("x") or "nan"),
                y=float(bounds.get("y") or "nan"),
                width=float(bounds.get("width") or "nan"),
                height=float(bounds.get("height") or "nan"),
                host=target.get("attachedToRef"),
            )
        )
    for edge in root.iter(f"{{{BPMNDI}}}BPMNEdge"):
        target = model[str(edge.get("bpmnElement"))]
        points = tuple(
            (float(p.get("x") or "nan"), float(p.get("y") or "nan"))
            for p in edge.iter(f"{{{DI}}}waypoint")
        )
        found.append(
            Placed(
                id=str(target.get("id")),
                kind=_kind(target),
                waypoints=points,
                source=target.get("sourceRef"),
                target=target.get("targetRef"),
            )
        )
    return found


def registry_elements(result: dict[str, Any]) -> list[Placed]:
    """The elements bpmn-js placed (its element registry, labels left out)."""
    found = []
    for element in result["elements"]:
        kind = str(element["type"]).removeprefix("bpmn:")
        if kind == "label":
            continue
        points = element["waypoints"]
        found.append(
            Placed(
                id=element["id"],
                kind=kind,
                x=element.get("x") or 0.0,
                y=element.get("y") or 0.0,
                width=element.get("width") or 0.0,
                height=element.get("height") or 0.0,
                waypoints=tuple((p[0], p[1]) for p in points) if points else (),
                source=element.get("source"),
                target=element.get("target"),
                host=element.get("host"),
            )
        )
    return found


def _overlap(a: Placed, b: Placed) -> bool:
    return (
        a.x < b.right - SLACK
        and b.x < a.right - SLACK
        and a.y < b.bottom - SLACK
        and b.y < a.bottom - SLACK
    )


def _crosses(start: tuple[float, float], end: tuple[float, float], shape: Placed) -> bool:
    """Whether an axis-parallel segment runs through the inside of ``shape``."""
    (x1, y1), (x2, y2) = start, end
    left, right = shape.x + SLACK, shape.right - SLACK
    top, bottom = shape.y + SLACK, shape.bottom - SLACK
    if abs(y1 - y2) <= SLACK:
        return top < y1 < bottom and min(x1, x2) < right and max(x1, x2) > left
    return left < x1 < right and min(y1, y2) < bottom and max(y1, y2) > top


def geometry_problems(elements: list[Placed]) -> list[str]:
    """What a reader would see wrong in the drawing, one line each (empty: nothing)."""
    shapes = [e for e in elements if e.kind not in NOT_SHAPES and not e.waypoints]
    flows = [e for e in elements if e.waypoints]
    pools = [e for e in elements if e.kind == "Participant"]
    problems = []
    for a, b in itertools.combinations(shapes, 2):
        if a.host == b.id or b.host == a.id:
            continue  # a boundary event sits on its task's border
        if _overlap(a, b):
            problems.append(f"{a.kind} {a.id} overlaps {b.kind} {b.id}")
    for shape in shapes if pools else ():
        inside = [
            pool
            for pool in pools
            if pool.x - SLACK <= shape.x
            and shape.right <= pool.right + SLACK
            and pool.y - SLACK <= shape.y
            and shape.bottom <= pool.bottom + SLACK
        ]
        if not inside:
            problems.append(f"{shape.kind} {shape.id} is in no pool")
    by_id = {shape.id: shape for shape in shapes}
    for flow in flows:
        ends = {flow.source, flow.target}
        # a flow from a boundary event leaves from its task's border
        ends |= {by_id[end].host for end in list(ends) if end in by_id and by_id[end].host}
        for start, end in itertools.pairwise(flow.waypoints):
            if abs(start[0] - end[0]) > SLACK and abs(start[1] - end[1]) > SLACK:
                problems.append(f"{flow.id} has a slanted segment {start} -> {end}")
                continue
            for shape in shapes:
                if shape.id not in ends and _crosses(start, end, shape):
                    problems.append(f"{flow.id} runs through {shape.kind} {shape.id}")
    return problems
