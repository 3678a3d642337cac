"""The positioned DOT of a placed scene: what ``neato`` draws, and what ``to_dot`` returns.

Every node carries ``pos="x,y!"`` (inches, pinned), so any Graphviz that reads the file draws
the same picture; two invisible corner markers carry the lane bands' extent, so the drawing's
bounding box includes the bands added to the SVG afterwards.
"""

from __future__ import annotations

from lastmile_flows.escape import dot_id
from lastmile_flows.render.dot import Label, Value, attr_list, edge_statement, node_statement
from lastmile_flows.render.layout import INCH, NODE_DEFAULTS, Placed
from lastmile_flows.render.scene import Scene
from lastmile_flows.render.theme import FLOW, FONT, INK

__all__ = ["CORNERS", "positioned_dot"]

CORNERS = ("lm-corner-low", "lm-corner-high")
"""Marker nodes at the bands' lower-left and upper-right corners, removed from the SVG."""


def _pos(point: tuple[float, float]) -> str:
    x, y = point
    return f"{x / INCH:.4f},{y / INCH:.4f}!"


def positioned_dot(scene: Scene, placed: Placed) -> str:
    """DOT for ``neato``: pinned nodes, lanes as a comment (they are drawn into the SVG)."""
    graph: dict[str, Value] = {
        "label": Label(*scene.heading, left=True),
        "labelloc": "t",
        "labeljust": "l",
        "fontname": FONT,
        "fontsize": 22,
        "fontcolor": INK,
        "splines": "true",
        "outputorder": "edgesfirst",
        "pad": "0.3",
        "bgcolor": "#ffffff",
        "forcelabels": True,
    }
    lines = [
        f"digraph {dot_id(scene.name)} {{",
        "  graph" + attr_list(graph) + ";",
        "  node" + attr_list({**NODE_DEFAULTS, "pin": True}) + ";",
        "  edge"
        + attr_list({"fontname": FONT, "fontsize": 12, "color": FLOW, "arrowsize": 0.8})
        + ";",
    ]
    if placed.bands:
        low = (min(b.x0 for b in placed.bands), min(b.y0 for b in placed.bands))
        high = (max(b.x1 for b in placed.bands), max(b.y1 for b in placed.bands))
        for name, point in zip(CORNERS, (low, high), strict=True):
            marker: dict[str, Value] = {
                "id": name,
                "shape": "point",
                "width": 0.01,
                "color": "#ffffff",
                "label": "",
                "pos": _pos(point),
            }
            lines.append("  " + node_statement(name, marker))
    for node in scene.nodes:
        attrs = {"id": node.id, **node.attrs, "pos": _pos(placed.positions[node.id])}
        lines.append("  " + node_statement(node.id, attrs))
    for name, label, style in scene.legend:
        attrs = {"id": name, **style, "label": label, "pos": _pos(placed.positions[name])}
        lines.append("  " + node_statement(name, attrs))
    for edge in scene.edges:
        lines.append("  " + edge_statement(edge.source, edge.target, {"id": edge.id, **edge.attrs}))
    return "\n".join([*lines, "}", ""])
