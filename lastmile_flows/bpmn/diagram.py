"""Where each BPMN shape goes: the grid engine's layout (:mod:`lastmile_flows.layout`), at the
sizes modeling tools use (tasks 100x80, events 36x36, gateways 50x50).

The lanes are the engine's bands, in the order that crosses fewest lane boundaries; shapes sit
in their cells, and every sequence flow is the engine's orthogonal route, so no flow runs
through a shape and every waypoint turns at a right angle. Edge cases become boundary events
spread along their task's lower border; under the task each gets a row of its own, which holds
the end event of an edge case handled outside the process (right under its boundary event) or
carries its recovery flow down and out to the engine's route. Coordinates are whole numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lastmile_flows.layout.backend import Backend
from lastmile_flows.layout.engine import lay_out
from lastmile_flows.layout.graph import Attachment, Box, Diagram, Link, Point, Rect, straighten
from lastmile_flows.layout.graphviz import graphviz_ranks
from lastmile_flows.layout.swimlanes import lane_of, shared_lane_order
from lastmile_flows.model import Process, Step
from lastmile_flows.model.graph import edges, events

__all__ = ["Bounds", "Layout", "layout"]

TASK = (100, 80)
EVENT = (36, 36)
GATEWAY = (50, 50)
SPACING = 8
"""Between boundary events on one task."""
POOL_HEADER = 30
LANE_HEADER = 30
MARGIN = 40
ROW = EVENT[1] + 18
"""The row under a task that each edge case gets (its boundary event reaches into it)."""


@dataclass(frozen=True)
class Bounds:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def middle(self) -> tuple[int, int]:
        return (self.x + self.width // 2, self.y + self.height // 2)


@dataclass(frozen=True)
class Layout:
    """Bounds of every flow node, boundary event, lane (by role id) and the pool; waypoints
    of every sequence flow (by its index in :func:`~lastmile_flows.model.graph.edges`), every
    recovery flow and every flow to a handled end event (by edge case)."""

    shapes: dict[str, Bounds]
    lanes: dict[str, Bounds]
    pool: Bounds
    handled: dict[str, Bounds]
    """By edge case: the end event of an edge case handled outside the process."""
    flows: dict[int, list[tuple[int, int]]]
    recoveries: dict[str, list[tuple[int, int]]]
    handled_flows: dict[str, list[tuple[int, int]]]


def _task(step: Step) -> tuple[int, int]:
    """Wide enough for its boundary events side by side."""
    count = len(step.edge_cases)
    return (max(TASK[0], count * (EVENT[0] + SPACING) + 2 * SPACING), TASK[1])


def _diagram(process: Process) -> Diagram:
    flows = edges(process)
    lanes = lane_of(process, flows)
    boxes = [
        Box(e.id, lanes[e.id], EVENT[0], EVENT[1], "circle")
        for e in events(process)
        if e.id in lanes
    ]
    boxes += [
        Box(g.id, lanes[g.id], GATEWAY[0], GATEWAY[1], "diamond")
        for g in process.gateways
        if g.id in lanes
    ]
    attachments = []
    links = []
    for step in process.steps:
        width, height = _task(step)
        boxes.append(Box(step.id, step.role, width, height))
        for case in step.edge_cases:
            attachments.append(Attachment(case.id, step.id, width, ROW))
            if case.recovery_step:
                links.append(Link(f"recovery-{case.id}", case.id, case.recovery_step, ranks=False))
    links += [Link(f"flow-{index}", e.source, e.target) for index, e in enumerate(flows)]
    written = [e.id for e in events(process)] + [s.id for s in process.steps]
    position = {
        node_id: index for index, node_id in enumerate(written + [g.id for g in process.gateways])
    }
    return Diagram(
        lanes=tuple(shared_lane_order(process)),
        boxes=tuple(sorted(boxes, key=lambda box: position.get(box.id, len(position)))),
        attachments=tuple(attachments),
        links=tuple(links),
        header=LANE_HEADER,
        lane_order="given",
    )


def _int(point: Point, dx: float, dy: float) -> tuple[int, int]:
    return (round(point[0] + dx), round(point[1] + dy))


def layout(process: Process, backend: Backend) -> Layout:
    """Shapes and waypoints for every element of ``process``."""
    diagram = _diagram(process)
    ranks = graphviz_ranks(diagram, backend)
    placed = lay_out(replace(diagram, ranks=ranks))
    dx, dy = MARGIN + POOL_HEADER, MARGIN

    def bounds(rect: Rect) -> Bounds:
        return Bounds(round(rect.x + dx), round(rect.y + dy), round(rect.width), round(rect.height))

    shapes = {node_id: bounds(rect) for node_id, rect in placed.boxes.items()}
    handled: dict[str, Bounds] = {}
    recoveries: dict[str, list[tuple[int, int]]] = {}
    handled_flows: dict[str, list[tuple[int, int]]] = {}
    for step in process.steps:
        task = shapes[step.id]
        count = len(step.edge_cases)
        first = task.x + (task.width - (count * EVENT[0] + (count - 1) * SPACING)) // 2
        for number, case in enumerate(step.edge_cases):
            event = Bounds(
                first + number * (EVENT[0] + SPACING),
                task.bottom - EVENT[1] // 2,
                EVENT[0],
                EVENT[1],
            )
            shapes[case.id] = event
            row = bounds(placed.attachments[case.id])
            x, _ = event.middle
            if case.recovery_step:
                route = placed.routes[f"recovery-{case.id}"].points
                tail = [_int(point, dx, dy) for point in route]
                recoveries[case.id] = straighten([(x, event.bottom), (x, tail[0][1]), *tail])
            else:
                end = Bounds(event.x, row.bottom - EVENT[1], EVENT[0], EVENT[1])
                handled[case.id] = end
                handled_flows[case.id] = [(x, event.bottom), (x, end.y)]
    flows = {
        int(link_id.removeprefix("flow-")): straighten(
            [_int(point, dx, dy) for point in route.points]
        )
        for link_id, route in placed.routes.items()
        if link_id.startswith("flow-")
    }
    lanes = {
        lane: Bounds(
            MARGIN + POOL_HEADER,
            round(rect.y + dy),
            round(rect.width),
            round(rect.height),
        )
        for lane, rect in placed.lanes.items()
        if lane in {role.id for role in process.roles}
    }
    top = min((b.y for b in lanes.values()), default=MARGIN)
    bottom = max((b.bottom for b in lanes.values()), default=MARGIN)
    right = max((b.right for b in lanes.values()), default=MARGIN + POOL_HEADER)
    pool = Bounds(MARGIN, top, right - MARGIN, bottom - top)
    return Layout(shapes, lanes, pool, handled, flows, recoveries, handled_flows)
