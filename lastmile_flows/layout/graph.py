"""What the layout engine takes and gives: boxes in lanes and the links between them, then
rectangles, lane bands and orthogonal routes. Plain data, in pixels, y growing downwards.

Input (:class:`Diagram`): lanes in the order to draw them (or to be chosen), boxes (steps,
gateways, events) each in a lane, attachments stacked under a box (edge cases), and links. A
link ``ranks`` when it is part of the flow the columns are made from; others (recovery paths,
connectors from removed work) are routed but do not shape the columns. A box may come with a
fixed column (``rank``): removed steps drawn in the diff are placed beside what replaced them.

Output (:class:`Layout`): a rectangle for every box and attachment, a band for every lane, and
for every link a route (its corner points from the source's side to the target's side) with
the rectangle its label occupies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

__all__ = [
    "Attachment",
    "Box",
    "Diagram",
    "Layout",
    "Link",
    "Point",
    "Rect",
    "Route",
    "Shape",
    "straighten",
]

Shape = Literal["box", "diamond", "circle"]
Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    def overlaps(self, other: Rect, margin: float = 0.0) -> bool:
        """Whether the two rectangles share area (touching edges do not count), each grown by
        ``margin``."""
        return (
            self.x - margin < other.right + margin
            and other.x - margin < self.right + margin
            and self.y - margin < other.bottom + margin
            and other.y - margin < self.bottom + margin
        )

    def contains(self, other: Rect, slack: float = 0.0) -> bool:
        return (
            other.x >= self.x - slack
            and other.y >= self.y - slack
            and other.right <= self.right + slack
            and other.bottom <= self.bottom + slack
        )


@dataclass(frozen=True)
class Box:
    """A flow node: its size, its lane, its drawn shape (routes end on the shape's outline)."""

    id: str
    lane: str
    width: float
    height: float
    shape: Shape = "box"
    rank: int | None = None
    """A fixed column."""
    anchor: str | None = None
    """Another box whose column this one shares (removed work shown beside what replaced it)."""
    main: bool = False
    """On the main path: kept on its lane's first track, so the main path runs straight."""
    badge: float = 0.0
    """Height of the badge row above the box (findings), kept clear of routes."""
    caption: tuple[float, float] | None = None
    """Width and height of a small shape's name, set under it and left of its middle (routes
    into and out of a small shape run right of its middle, so never through its name)."""


@dataclass(frozen=True)
class Attachment:
    """Something stacked under a box in its cell (an edge case), in order."""

    id: str
    owner: str
    width: float
    height: float


@dataclass(frozen=True)
class Link:
    """A route from a box or attachment to a box."""

    id: str
    source: str
    target: str
    label: tuple[float, float] | None = None
    """Width and height of the label, when it has one."""
    ranks: bool = True


@dataclass(frozen=True)
class Diagram:
    lanes: tuple[str, ...]
    boxes: tuple[Box, ...]
    attachments: tuple[Attachment, ...] = ()
    links: tuple[Link, ...] = ()
    lane_order: Literal["given", "crossings"] = "crossings"
    """``crossings``: the lane order with the fewest lane boundaries crossed by links (the given
    order breaks ties); ``given``: as listed."""
    lane_heights: dict[str, float] = field(default_factory=dict)
    """The least height of a lane's band (to line up two diagrams lane for lane)."""
    header: float = 150.0
    """Width of the lane headers at the left."""
    ranks: dict[str, int] = field(default_factory=dict)
    """Columns chosen by the caller (e.g. by Graphviz); boxes not named get one here."""


@dataclass(frozen=True)
class Route:
    """A link's corner points, from where it leaves its source to where it enters its target
    (the arrow's tip), and where its label sits."""

    points: tuple[Point, ...]
    label: Rect | None = None


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Rect]
    """The drawn shape's bounding rectangle of every box (badge row excluded)."""
    attachments: dict[str, Rect]
    lanes: dict[str, Rect]
    """Each lane's band, header included, in the order drawn."""
    routes: dict[str, Route]
    width: float
    height: float
    order: tuple[str, ...]
    """The lanes, top to bottom."""
    columns: dict[str, int]
    """The column of every box."""
    badges: dict[str, Rect]
    """The badge row above each box that has one."""
    captions: dict[str, Rect]
    """The name under each small shape that has one."""


N = TypeVar("N", int, float)


def straighten(points: Sequence[tuple[N, N]]) -> list[tuple[N, N]]:
    """A right-angled path without repeated points or middle points on a straight run."""
    found: list[tuple[N, N]] = []
    for point in points:
        if found and point == found[-1]:
            continue
        if len(found) >= 2:
            (x0, y0), (x1, y1) = found[-2], found[-1]
            if (x0 == x1 == point[0]) or (y0 == y1 == point[1]):
                found[-1] = point
                continue
        found.append(point)
    return found
