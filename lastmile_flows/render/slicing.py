"""A committee drawing too big for one slide, cut into parts that each fit at
:data:`~lastmile_flows.render.committee.MIN_SCALE` or more: between columns, as evenly as fits;
a column too tall between its lanes; a lane of one column between its nodes. Each part is laid
out on its own, and a link to a node on another slide ends in a marker naming the step and the
slide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.layout.backend import Backend
from lastmile_flows.layout.graph import Layout
from lastmile_flows.model import Redesign
from lastmile_flows.render.committee import (
    MIN_SCALE,
    Region,
    committee_scene,
    drawing_region,
    slide_scale,
)
from lastmile_flows.render.place import laid_out
from lastmile_flows.render.scene import Callout, Scene, SceneNode
from lastmile_flows.render.sizing import Sized

__all__ = ["Window", "committee_parts"]

Window = tuple[int, int, frozenset[str] | None, frozenset[str] | None]
"""Columns ``low`` to ``high`` of the whole drawing, and of them only the nodes in these lanes,
and of those only these nodes (``None``: all): what one slide shows."""


def _in(window: Window, column: int, node: SceneNode) -> bool:
    low, high, lanes, nodes = window
    return (
        low <= column <= high
        and (lanes is None or node.lane in lanes)
        and (nodes is None or node.id in nodes)
    )


def _part(
    scene: Scene, layout: Layout, window: Window, number_: int, where: dict[str, int]
) -> tuple[Scene, dict[str, int]]:
    """The part of ``scene`` in ``window``, with a marker beside its node for every link to or
    from another slide; and the column of each of its nodes (the whole drawing's; a marker on
    the side the other slide's node lies, or for a node in the same column, left of the node a
    link comes into and right of the node it leaves)."""
    low, high, _, _ = window
    inside = {n.id for n in scene.nodes if _in(window, layout.columns[n.id], n)}
    names = {
        node.id: (node.lines[0] if node.lines else node.caption[0] if node.caption else node.id)
        for node in scene.nodes
    }
    lanes = {node.id: node.lane for node in scene.nodes}
    part = replace(
        scene, nodes=[n for n in scene.nodes if n.id in inside], edges=[], tags=[], callouts=[]
    )
    part.tags = [tag for tag in scene.tags if tag.owner in inside]
    markers: dict[str, SceneNode] = {}
    ranks = {node: layout.columns[node] - low for node in inside}
    for edge in scene.edges:
        source_in, target_in = edge.source in inside, edge.target in inside
        if source_in and target_in:
            part.edges.append(edge)
            continue
        if not edge.ranks or not (source_in or target_in):
            continue
        other = edge.target if source_in else edge.source
        column = layout.columns[other]
        before = column < low or (low <= column <= high and not source_in)
        marker = _marker(
            markers,
            f"{number_}-{'to' if source_in else 'from'}-{where.get(other, 0)}",
            lane=lanes[edge.source if source_in else edge.target],
            before=before,
            name=names[other],
        )
        ranks[marker.id] = -1 if before else high - low + 1
        if source_in:
            part.edges.append(replace(edge, target=marker.id, id=f"{edge.id}-out"))
        else:
            part.edges.append(replace(edge, source=marker.id, id=f"{edge.id}-in"))
    part.nodes = part.nodes + list(markers.values())
    used = {node.lane for node in part.nodes}
    part.lanes = [lane for lane in scene.lanes if lane.id in used]
    part.callouts = _shown(scene.callouts, part)
    return part, ranks


def _marker(
    markers: dict[str, SceneNode], link: str, *, lane: str, before: bool, name: str
) -> SceneNode:
    """The marker in ``markers`` (made if new) for the links ``link`` in ``lane``, before or
    after the part's nodes, its title naming ``name`` too: one marker for every link between
    this lane and one other slide, in one direction. ``link`` is ``"<this slide>-to-<other
    slide>"`` or ``"<this slide>-from-<other slide>"``."""
    _, words, slide = link.split("-")
    marker_id = f"continued-{link}-{lane}-{int(before)}"
    found = markers.get(marker_id)
    if found is None:
        found = SceneNode(
            marker_id,
            lane,
            "box",
            "continued",
            (f"{words} slide {slide}",),
            title=f"Continues on slide {slide}: {name}",
            css="continued",
        )
    elif name not in found.title:
        found = replace(found, title=f"{found.title}, {name}")
    markers[marker_id] = found
    return found


def _shown(callouts: list[Callout], part: Scene) -> list[Callout]:
    """The ``callouts`` whose numbers ``part`` shows on a node, tag or lane."""
    shown = {c.number for n in part.nodes for c in n.callouts}
    shown |= {c.number for t in part.tags for c in t.callouts}
    shown |= {c.number for lane in part.lanes for c in lane.callouts}
    return [c for c in callouts if c.number in shown]


def _where(scene: Scene, layout: Layout, windows: list[Window]) -> dict[str, int]:
    """The slide each node is on."""
    found = {}
    for node in scene.nodes:
        column = layout.columns[node.id]
        for number_, window in enumerate(windows, start=1):
            if _in(window, column, node):
                found[node.id] = number_
                break
    return found


def _windows_that_fit(
    scene: Scene, layout: Layout, backend: Backend, region: Region
) -> list[Window]:
    """Windows that each fit the region at :data:`MIN_SCALE` or more: column ranges, as few as
    the greedy cut finds (each range as long as still fits) or one fewer, and as even in width
    as fits, so the last slide is not a stub. A single column too tall for a slide is cut
    between its lanes (a single lane of a single column that does not fit is a slide of its
    own: nothing smaller can be cut)."""
    columns = sorted(set(layout.columns.values()))

    def fits(window: Window) -> bool:
        trial, ranks = _part(scene, layout, window, 1, _where(scene, layout, [window]))
        return slide_scale(laid_out(trial, backend, ranks=ranks)[1], region) >= MIN_SCALE

    greedy: list[Window] = []
    cut_lanes = False
    start = 0
    while start < len(columns):
        end = start
        while end + 1 < len(columns) and fits((columns[start], columns[end + 1], None, None)):
            end += 1
        column = columns[start]
        if end == start and not fits((column, column, None, None)):
            greedy += _lane_groups(scene, layout, column, fits)
            cut_lanes = True
        else:
            greedy.append((columns[start], columns[end], None, None))
        start = end + 1
    if cut_lanes:
        return greedy
    for count in (len(greedy) - 1, len(greedy)):
        if count < 1:
            continue
        even = _even(columns, layout, count)
        if len(even) == count and all(fits(window) for window in even):
            return even
    return greedy


def _lane_groups(
    scene: Scene, layout: Layout, column: int, fits: Callable[[Window], bool]
) -> list[Window]:
    """One column cut into runs of neighbouring lanes, each as long as still fits."""
    used = {node.lane for node in scene.nodes if layout.columns[node.id] == column}
    lanes = [lane for lane in layout.order if lane in used]
    groups: list[Window] = []
    start = 0
    while start < len(lanes):
        end = start
        while end + 1 < len(lanes) and fits(
            (column, column, frozenset(lanes[start : end + 2]), None)
        ):
            end += 1
        groups.append((column, column, frozenset(lanes[start : end + 1]), None))
        start = end + 1
    return groups


def _even(columns: list[int], layout: Layout, count: int) -> list[Window]:
    """``count`` column ranges (or fewer) whose widest is as narrow as can be, by the widths
    the columns have in the whole drawing."""
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for node_id, column in layout.columns.items():
        box = layout.boxes[node_id]
        left[column] = min(left.get(column, box.x), box.x)
        right[column] = max(right.get(column, box.right), box.right)

    def cut(limit: float) -> list[Window]:
        found: list[Window] = []
        start = 0
        for index in range(1, len(columns) + 1):
            if index == len(columns) or right[columns[index]] - left[columns[start]] > limit:
                found.append((columns[start], columns[index - 1], None, None))
                start = index
        return found

    low, high = 0.0, max(right.values()) - min(left.values())
    for _ in range(40):
        middle = (low + high) / 2
        if len(cut(middle)) <= count:
            high = middle
        else:
            low = middle
    return cut(high)


def committee_parts(
    comparison: Comparison, redesign: Redesign, backend: Backend
) -> list[tuple[Scene, Sized, Layout]]:
    """The drawing of each slide, laid out: the whole committee scene when it fits one slide
    at :data:`MIN_SCALE` or more, else its parts along the flow."""
    scene = committee_scene(comparison, redesign)
    region = drawing_region()
    sized, layout = laid_out(scene, backend)
    if slide_scale(layout, region) >= MIN_SCALE:
        return [(scene, sized, layout)]
    windows = _windows_that_fit(scene, layout, backend, region)
    while True:
        # a part tried alone shows links to every other slide as one marker a lane; with the
        # slides known some need more, so a part that no longer fits is cut again
        where = _where(scene, layout, windows)
        parts = []
        for number_, window in enumerate(windows, start=1):
            part, ranks = _part(scene, layout, window, number_, where)
            parts.append((part, *laid_out(part, backend, ranks=ranks)))
        again: list[Window] = []
        for window, (_, _, found) in zip(windows, parts, strict=True):
            halves = (
                _halves(scene, layout, window) if slide_scale(found, region) < MIN_SCALE else []
            )
            again += halves or [window]
        if again == windows:
            return parts
        windows = again


def _halves(scene: Scene, layout: Layout, window: Window) -> list[Window]:
    """``window`` cut in two: between its columns, else between its lanes, else between the
    nodes of its one lane and column (top to bottom); nothing when it holds one node."""
    low, high, lanes, nodes = window
    shown = [n for n in scene.nodes if _in(window, layout.columns[n.id], n)]
    columns = sorted({layout.columns[n.id] for n in shown})
    if len(columns) > 1:
        middle = columns[len(columns) // 2]
        return [(low, middle - 1, lanes, nodes), (middle, high, lanes, nodes)]
    used = [lane for lane in layout.order if any(n.lane == lane for n in shown)]
    if len(used) > 1:
        middle = len(used) // 2
        return [
            (low, high, frozenset(used[:middle]), nodes),
            (low, high, frozenset(used[middle:]), nodes),
        ]
    if len(shown) < 2:
        return []
    ordered = sorted(shown, key=lambda n: layout.boxes[n.id].y)
    middle = len(ordered) // 2
    return [
        (low, high, lanes, frozenset(n.id for n in ordered[:middle])),
        (low, high, lanes, frozenset(n.id for n in ordered[middle:])),
    ]
