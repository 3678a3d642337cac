"""Geometry of a finished diagram, measured: what collides, and how many routes cross.

The same checks run on the layout engine's own numbers (in the tests, for every example and
for generated processes) and on what a browser actually drew (the test harness reads each
element's box back from headless Chromium into a :class:`Drawing`). Kinds of collision:

- ``text-on-text``: two texts of different elements overlap;
- ``text-on-node``: a text lies over a node (box, edge case, badge) that is not its own;
- ``text-outside``: a node's text leaves the node;
- ``edge-through-node``: a route passes through a node other than its two ends;
- ``edge-through-text``: a route passes through a text that is not its own label;
- ``arrow-on-text``: an arrowhead lies on a text;
- ``edge-on-edge``: two routes run along the same line for a stretch.

Touching is not overlapping (a tolerance of half a pixel). ``crossings`` counts the points
where two routes cross at a right angle.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from lastmile_flows.layout.graph import Point, Rect

__all__ = ["ARROW", "KINDS", "Drawing", "Report", "Text", "Wire", "measure"]

KINDS = (
    "text-on-text",
    "text-on-node",
    "text-outside",
    "edge-through-node",
    "edge-through-text",
    "arrow-on-text",
    "edge-on-edge",
)
ARROW = (10.0, 5.0)
"""An arrowhead's length and half width."""
TOLERANCE = 0.5


@dataclass(frozen=True)
class Text:
    """A piece of text and the element it belongs to (a node, or a route's label)."""

    owner: str
    rect: Rect
    inside: bool = True
    """The text should lie inside its owner node (labels of routes do not)."""
    on: str = ""
    """A node the text may lie on besides its owner: the one a numbered badge annotates."""


@dataclass(frozen=True)
class Wire:
    """A route: its points, the ids of the nodes it joins, whether it ends in an arrow."""

    id: str
    points: tuple[Point, ...]
    ends: frozenset[str]
    arrow: bool = True


@dataclass
class Drawing:
    nodes: dict[str, Rect] = field(default_factory=dict)
    texts: list[Text] = field(default_factory=list)
    wires: list[Wire] = field(default_factory=list)


@dataclass
class Report:
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    crossings: int = 0

    def add(self, kind: str, example: str) -> None:
        self.counts[kind] += 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < 5:
            shown.append(example)

    @property
    def collisions(self) -> int:
        return sum(self.counts[kind] for kind in KINDS)


def _segments(points: tuple[Point, ...]) -> list[tuple[Point, Point]]:
    return list(pairwise(points))


def _hits(a: Point, b: Point, rect: Rect) -> bool:
    """Whether the axis-parallel segment ``a``-``b`` passes through the inside of ``rect``."""
    low_x, high_x = sorted((a[0], b[0]))
    low_y, high_y = sorted((a[1], b[1]))
    t = TOLERANCE
    return (
        low_x < rect.right - t
        and high_x > rect.x + t
        and low_y < rect.bottom - t
        and high_y > rect.y + t
    )


def _arrow(points: tuple[Point, ...]) -> Rect | None:
    if len(points) < 2:
        return None
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length, half = ARROW
    if y0 == y1:
        left = x1 - length if x1 >= x0 else x1
        return Rect(left, y1 - half, length, 2 * half)
    top = y1 - length if y1 >= y0 else y1
    return Rect(x1 - half, top, 2 * half, length)


def _crossing(s: tuple[Point, Point], t: tuple[Point, Point]) -> bool:
    (a, b), (c, d) = s, t
    horizontal_s, horizontal_t = a[1] == b[1], c[1] == d[1]
    if horizontal_s == horizontal_t:
        return False
    h, v = (s, t) if horizontal_s else (t, s)
    y = h[0][1]
    x = v[0][0]
    return (
        min(h[0][0], h[1][0]) + TOLERANCE < x < max(h[0][0], h[1][0]) - TOLERANCE
        and min(v[0][1], v[1][1]) + TOLERANCE < y < max(v[0][1], v[1][1]) - TOLERANCE
    )


def _along(s: tuple[Point, Point], t: tuple[Point, Point]) -> bool:
    """Whether two segments lie on one line and share a stretch longer than the tolerance."""
    (a, b), (c, d) = s, t
    if a[1] == b[1] == c[1] == d[1]:
        low = max(min(a[0], b[0]), min(c[0], d[0]))
        high = min(max(a[0], b[0]), max(c[0], d[0]))
        return high - low > 1.0
    if a[0] == b[0] == c[0] == d[0]:
        low = max(min(a[1], b[1]), min(c[1], d[1]))
        high = min(max(a[1], b[1]), max(c[1], d[1]))
        return high - low > 1.0
    return False


def measure(drawing: Drawing) -> Report:
    """Every collision and crossing in ``drawing`` (see the module docstring)."""
    report = Report()
    texts = drawing.texts
    for index, one in enumerate(texts):
        for other in texts[index + 1 :]:
            if one.owner != other.owner and one.rect.overlaps(other.rect, -TOLERANCE):
                report.add("text-on-text", f"{one.owner} / {other.owner}")
        for node, rect in drawing.nodes.items():
            if node not in (one.owner, one.on) and one.rect.overlaps(rect, -TOLERANCE):
                report.add("text-on-node", f"{one.owner} on {node}")
        home = drawing.nodes.get(one.owner)
        if one.inside and home is not None and not home.contains(one.rect, TOLERANCE):
            report.add("text-outside", one.owner)
    for wire in drawing.wires:
        segments = _segments(wire.points)
        for node, rect in drawing.nodes.items():
            if node in wire.ends:
                continue
            if any(_hits(a, b, rect) for a, b in segments):
                report.add("edge-through-node", f"{wire.id} through {node}")
        for text in texts:
            if text.owner == wire.id or (text.owner in wire.ends and text.inside):
                continue
            if any(_hits(a, b, text.rect) for a, b in segments):
                report.add("edge-through-text", f"{wire.id} through {text.owner}")
        head = _arrow(wire.points) if wire.arrow else None
        if head is not None:
            for text in texts:
                if text.owner not in wire.ends and head.overlaps(text.rect, -TOLERANCE):
                    report.add("arrow-on-text", f"{wire.id} on {text.owner}")
    wires = drawing.wires
    for index, wire in enumerate(wires):
        mine = _segments(wire.points)
        for later in wires[index + 1 :]:
            theirs = _segments(later.points)
            report.crossings += sum(1 for s in mine for t in theirs if _crossing(s, t))
            if any(_along(s, t) for s in mine for t in theirs):
                report.add("edge-on-edge", f"{wire.id} / {later.id}")
    return report
