"""Where each BPMN shape goes: the same Graphviz layout as our SVG diagrams, in BPMN sizes.

The swimlane scene of :mod:`lastmile_flows.render` is laid out with tasks, events and gateways
at the sizes modeling tools use (100x80, 36x36, 50x50). Edge cases become boundary events on
their task's lower border; the place our diagram gives an edge case, under its task, holds the
end event of an edge case handled outside the process. Lanes are the bands of that layout, so
Camunda Modeler and bpmn.io show lanes in model order and nodes where our diagram has them. Sequence
flows are routed at right angles between the shapes' sides. Coordinates are whole numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lastmile_flows.model import Process, Step
from lastmile_flows.model.graph import events
from lastmile_flows.render.backend import Backend
from lastmile_flows.render.layout import INCH, place
from lastmile_flows.render.process import process_scene, svg_ids

__all__ = ["Bounds", "Layout", "down_route", "layout", "recovery_route", "route"]

TASK = (100, 80)
EVENT = (36, 36)
GATEWAY = (50, 50)
SPACING = 8
"""Between boundary events on one task."""
POOL_HEADER = 30
LANE_HEADER = 30
MARGIN = 40
BELOW = 30
"""How far under the lowest shape a flow that goes backwards runs."""


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
    """Bounds of every flow node, edge case (boundary event), lane (by role id) and the pool."""

    shapes: dict[str, Bounds]
    lanes: dict[str, Bounds]
    pool: Bounds
    floor: int
    """The bottom of the lowest shape: flows that loop back run under it."""
    handled: dict[str, Bounds]
    """By edge case: where the end event of an edge case handled outside the process goes."""


def _task(step: Step) -> tuple[int, int]:
    """Wide enough for its boundary events side by side."""
    count = len(step.edge_cases)
    return (max(TASK[0], count * (EVENT[0] + SPACING) + 2 * SPACING), TASK[1])


def layout(process: Process, backend: Backend) -> Layout:
    """Shapes for every element of ``process``, from Graphviz."""
    ids = svg_ids(process)
    sizes: dict[str, tuple[int, int]] = {ids[step.id]: _task(step) for step in process.steps}
    for step in process.steps:
        sizes |= {ids[case.id]: EVENT for case in step.edge_cases}
    sizes |= {ids[event.id]: EVENT for event in events(process)}
    sizes |= {ids[gateway.id]: GATEWAY for gateway in process.gateways}
    scene = process_scene(process, legend=False)
    scene.direction = "LR"
    scene.nodes = [
        replace(
            node,
            attrs={
                "shape": "box",
                "label": "",
                "width": sizes[node.id][0] / INCH,
                "height": sizes[node.id][1] / INCH,
                "fixedsize": True,
            },
        )
        for node in scene.nodes
        if node.id in sizes
    ]
    scene.edges = [
        edge
        for edge in scene.edges
        if edge.source in sizes and edge.target in sizes and not edge.id.startswith("recovery-")
    ]
    placed = place(scene, backend)
    # Graphviz: points, y upwards; BPMN: pixels, y downwards. Shift so everything is positive.
    left = min(band.x0 for band in placed.bands) if placed.bands else 0.0
    top = max(band.y1 for band in placed.bands) if placed.bands else 0.0
    dx = MARGIN + POOL_HEADER - left + LANE_HEADER - _HEADER_POINTS
    dy = MARGIN + top

    def x(value: float) -> int:
        return round(value + dx)

    def y(value: float) -> int:
        return round(dy - value)

    by_model = {model_id: svg_id for model_id, svg_id in ids.items()}
    shapes: dict[str, Bounds] = {}
    for model_id, svg_id in by_model.items():
        if svg_id not in sizes:
            continue
        cx, cy = placed.positions[svg_id]
        width, height = sizes[svg_id]
        shapes[model_id] = Bounds(x(cx) - width // 2, y(cy) - height // 2, width, height)
    handled: dict[str, Bounds] = {}
    for step in process.steps:
        task = shapes[step.id]
        count = len(step.edge_cases)
        first = task.x + (task.width - (count * EVENT[0] + (count - 1) * SPACING)) // 2
        for number, case in enumerate(step.edge_cases):
            handled[case.id] = shapes[case.id]  # where our diagram draws the edge case
            shapes[case.id] = Bounds(
                first + number * (EVENT[0] + SPACING),
                task.bottom - EVENT[1] // 2,
                EVENT[0],
                EVENT[1],
            )
    lanes: dict[str, Bounds] = {}
    right = max((b.right for b in shapes.values()), default=0) + MARGIN
    lane_left = MARGIN + POOL_HEADER
    for band in placed.bands:
        top_y, bottom_y = y(band.y1), y(band.y0)
        lanes[band.lane] = Bounds(lane_left, top_y, right - lane_left, bottom_y - top_y)
    floor = max((b.bottom for b in shapes.values()), default=MARGIN)
    if lanes:
        # room under the lowest shape for flows that loop back
        lowest = max(lanes, key=lambda lane: lanes[lane].bottom)
        extra = max(0, floor + 2 * BELOW - lanes[lowest].bottom)
        lanes[lowest] = replace(lanes[lowest], height=lanes[lowest].height + extra)
        first = min(b.y for b in lanes.values())
        last = max(b.bottom for b in lanes.values())
    else:
        first, last = MARGIN, max((b.bottom for b in shapes.values()), default=MARGIN) + MARGIN
    pool = Bounds(MARGIN, first, right - MARGIN, last - first)
    return Layout(shapes=shapes, lanes=lanes, pool=pool, floor=floor, handled=handled)


_HEADER_POINTS = 1.7 * INCH
"""The room our SVG lanes keep on the left for role names; BPMN tools write them sideways."""


def route(source: Bounds, target: Bounds, floor: int) -> list[tuple[int, int]]:
    """Waypoints at right angles from ``source`` to ``target``; ``floor`` is below every shape."""
    sx, sy = source.middle
    tx, ty = target.middle
    if target.x >= source.right:
        start, end = (source.right, sy), (target.x, ty)
        if sy == ty:
            return [start, end]
        middle = (source.right + target.x) // 2
        return [start, (middle, sy), (middle, ty), end]
    if abs(sx - tx) <= 2 and target.y >= source.bottom:
        return [(sx, source.bottom), (sx, target.y)]
    if abs(sx - tx) <= 2 and source.y >= target.bottom:
        return [(sx, source.y), (sx, target.bottom)]
    # backwards (a loop) or overlapping: under everything
    below = floor + BELOW
    return [(sx, source.bottom), (sx, below), (tx, below), (tx, target.bottom)]


def recovery_route(case: Bounds, target: Bounds, floor: int) -> list[tuple[int, int]]:
    """From a boundary event down, along under the shapes, and into ``target`` from below."""
    cx, _ = case.middle
    tx, _ = target.middle
    below = floor + BELOW // 2
    return [(cx, case.bottom), (cx, below), (tx, below), (tx, target.bottom)]


def down_route(case: Bounds, end: Bounds) -> list[tuple[int, int]]:
    """From a boundary event to the end event our layout placed under its task."""
    cx, _ = case.middle
    ex, ey = end.middle
    if abs(cx - ex) <= 2:
        return [(cx, case.bottom), (cx, end.y)]
    return [(cx, case.bottom), (cx, ey), (end.x if ex > cx else end.right, ey)]
