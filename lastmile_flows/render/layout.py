"""Placing a scene: Graphviz orders the flow, lanes are bands in model order.

Graphviz's ``dot`` ranks the flow well but does not keep clusters in a given order, so lanes
would come out shuffled. Layout therefore takes two passes:

1. ``dot`` lays out the flow without lanes. Its rank positions (x when the flow runs left to
   right) and its order within each rank are kept.
2. Each lane becomes a band in model order. In a band, nodes of one rank stack across the flow:
   the step on the lane's spine, its edge cases and badges below it. ``neato`` then draws the
   nodes at those pinned positions and routes the edges around them.

The bands themselves are drawn into the SVG afterwards (:mod:`lastmile_flows.render.svg`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lastmile_flows.errors import RenderError
from lastmile_flows.escape import dot_id
from lastmile_flows.render.backend import Backend
from lastmile_flows.render.dot import Value, attr_list, edge_statement, node_statement
from lastmile_flows.render.scene import Scene
from lastmile_flows.render.theme import FONT

__all__ = ["Band", "Placed", "place", "ranking_dot", "read_plain"]

INCH = 72.0
HEADER = 1.7
"""Width of the lane headers (inches), where role names are written."""
PAD = 0.25
GAP = 0.16
RANK_GAP = 0.5
LEGEND_GAP = 0.5
NODE_DEFAULTS: dict[str, Value] = {"fontname": FONT, "fontsize": 13, "margin": "0.12,0.06"}
EDGE_DEFAULTS: dict[str, Value] = {"fontname": FONT, "fontsize": 12}


@dataclass(frozen=True)
class Band:
    """A lane's rectangle in points (y grows upwards, as in Graphviz)."""

    lane: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Placed:
    """Node centres in points, and the lane bands around them."""

    positions: dict[str, tuple[float, float]]
    bands: tuple[Band, ...]


def ranking_dot(scene: Scene) -> str:
    """The flow alone, for ``dot`` to rank: no lanes, attached nodes beside their node."""
    lines = [
        f"digraph {dot_id(scene.name)} {{",
        f"  graph [rankdir={scene.direction}, newrank=true, nodesep=0.3, ranksep=0.55];",
        "  node" + attr_list(NODE_DEFAULTS) + ";",
        "  edge" + attr_list(EDGE_DEFAULTS) + ";",
    ]
    lines += ["  " + node_statement(node.id, _sizing(node.attrs)) for node in scene.nodes]
    lines += [
        "  " + node_statement(name, _sizing({**attrs, "label": label}))
        for name, label, attrs in scene.legend
    ]
    attached: dict[str, list[str]] = defaultdict(list)
    for node in scene.nodes:
        if node.attached_to is not None:
            attached[node.attached_to].append(node.id)
    for parent, children in attached.items():
        names = " ".join(f"{dot_id(name)};" for name in [parent, *children])
        lines.append("  {rank=same; " + names + "}")
    lines += ["  " + edge_statement(e.source, e.target, {}) for e in scene.edges if e.ranks]
    return "\n".join([*lines, "}", ""])


def _sizing(attrs: dict[str, Value]) -> dict[str, Value]:
    keep = ("label", "shape", "fontsize", "width", "height", "fixedsize", "margin", "peripheries")
    return {key: attrs[key] for key in keep if key in attrs}


def read_plain(text: str) -> dict[str, tuple[float, float, float, float]]:
    """Node name -> (x, y, width, height) in inches from Graphviz's ``plain`` output."""
    found: dict[str, tuple[float, float, float, float]] = {}
    for line in text.splitlines():
        if not line.startswith("node "):
            continue
        rest = line[5:]
        if rest.startswith('"'):
            name, _, rest = rest[1:].partition('" ')
        else:
            name, _, rest = rest.partition(" ")
        fields = rest.split(" ", 4)
        try:
            found[name] = (float(fields[0]), float(fields[1]), float(fields[2]), float(fields[3]))
        except (IndexError, ValueError):
            raise RenderError(
                f"unexpected line in Graphviz's plain output: {line[:80]!r}"
            ) from None
    return found


def place(scene: Scene, backend: Backend) -> Placed:
    """Positions for every node and a band for every lane."""
    plain = read_plain(backend.run(ranking_dot(scene), engine="dot", format="plain").decode())
    missing = [node.id for node in scene.nodes if node.id not in plain]
    missing += [name for name, _, _ in scene.legend if name not in plain]
    if missing:
        raise RenderError(f"Graphviz left out nodes {', '.join(missing)}")
    across = scene.direction == "LR"

    def dot_rank(name: str) -> float:
        x, y, _, _ = plain[name]
        return round(x if across else -y, 2)

    def extent(name: str) -> float:
        """Size across the flow (inches)."""
        _, _, width, height = plain[name]
        return height if across else width

    def along(name: str) -> float:
        """Size along the flow (inches)."""
        _, _, width, height = plain[name]
        return width if across else height

    def order(name: str) -> float:
        x, y, _, _ = plain[name]
        return -y if across else x

    # ranks packed: each as wide as its widest node, a fixed gap between ranks
    columns: dict[float, float] = defaultdict(float)
    for node in scene.nodes:
        columns[dot_rank(node.id)] = max(columns[dot_rank(node.id)], along(node.id))
    packed: dict[float, float] = {}
    edge_at = 0.0
    for rank in sorted(columns):
        packed[rank] = edge_at + columns[rank] / 2
        edge_at += columns[rank] + RANK_GAP

    def rank_of(name: str) -> float:
        return packed.get(dot_rank(name), 0.0)

    parent_of = {node.id: node.attached_to for node in scene.nodes if node.attached_to}
    lane_of = {node.id: node.lane for node in scene.nodes}
    # stacks[lane][rank] = node names in order across the flow: main nodes first (each
    # followed by what is attached to it), in Graphviz's order
    stacks: dict[str, dict[float, list[str]]] = defaultdict(lambda: defaultdict(list))
    loose: dict[str, list[str]] = defaultdict(list)
    flow_nodes = {e.source for e in scene.edges if e.ranks} | {
        e.target for e in scene.edges if e.ranks
    }
    mains = sorted(
        (n.id for n in scene.nodes if n.attached_to is None),
        key=lambda name: (rank_of(name), order(name)),
    )
    children: dict[str, list[str]] = defaultdict(list)
    for node in scene.nodes:
        if node.attached_to is not None:
            children[_root(node.attached_to, parent_of)].append(node.id)
    for name in mains:
        if name not in flow_nodes and not children[name]:
            loose[lane_of[name]].append(name)
            continue
        stacks[lane_of[name]][rank_of(name)] += [name, *children[name]]

    positions: dict[str, tuple[float, float]] = {}
    bands: list[Band] = []
    flow = [node.id for node in scene.nodes]
    low = min((rank_of(n) - along(n) / 2 for n in flow), default=0.0) - PAD - HEADER
    high = max((rank_of(n) + along(n) / 2 for n in flow), default=1.0) + PAD
    cursor = 0.0  # across the flow, inches, lanes stacked from the start
    for lane in scene.lanes:
        lane_stacks = stacks.get(lane.id, {})
        head = max((extent(s[0]) / 2 for s in lane_stacks.values()), default=0.3)
        tail = max(
            (sum(extent(n) + GAP for n in s[1:]) + extent(s[0]) / 2 for s in lane_stacks.values()),
            default=0.3,
        )
        loose_size = sum(extent(n) + GAP for n in loose.get(lane.id, []))
        label_size = 0.28 * (len(lane.label) + 1)
        size = max(PAD + head + tail + PAD, label_size + loose_size + PAD, 1.0)
        spine = cursor + PAD + head
        for rank, stack in lane_stacks.items():
            offset = spine - extent(stack[0]) / 2
            for name in stack:
                centre = offset + extent(name) / 2
                positions[name] = _point(rank, centre, across)
                offset += extent(name) + GAP
        offset = cursor + label_size
        for name in loose.get(lane.id, []):
            positions[name] = _point(low + HEADER / 2, offset + extent(name) / 2, across)
            offset += extent(name) + GAP
        bands.append(_band(lane.id, low, high, cursor, cursor + size, across))
        cursor += size
    # the legend: a row under everything, from the left edge
    x, top = (low, cursor) if across else (0.0, high)
    for name, _, _ in scene.legend:
        _, _, width, height = plain[name]
        positions[name] = ((x + width / 2) * INCH, -(top + LEGEND_GAP + height / 2) * INCH)
        x += width + GAP * 2
    # anything left (a node in no lane) goes after the last lane
    for node in scene.nodes:
        if node.id not in positions:
            positions[node.id] = _point(rank_of(node.id), cursor + extent(node.id) / 2, across)
    return Placed(positions=positions, bands=tuple(bands))


def _root(name: str, parent_of: dict[str, str]) -> str:
    seen = {name}
    while name in parent_of and parent_of[name] not in seen:
        name = parent_of[name]
        seen.add(name)
    return name


def _point(along: float, across_flow: float, across: bool) -> tuple[float, float]:
    """(x, y) in points; lanes go downwards, so y is negative across the flow."""
    if across:
        return (along * INCH, -across_flow * INCH)
    return (across_flow * INCH, -along * INCH)


def _band(lane: str, low: float, high: float, start: float, end: float, across: bool) -> Band:
    if across:
        return Band(lane, low * INCH, -end * INCH, high * INCH, -start * INCH)
    return Band(lane, start * INCH, -high * INCH, end * INCH, -low * INCH)
