"""The positioned DOT of a drawn scene: what ``to_dot`` returns, for people who take the
picture on in Graphviz's tools.

Every node carries ``pos`` (points, pinned) and its size, every edge its route as a polyline
``pos`` and its label, so ``neato -n2`` draws our layout as it is. Lanes become clusters with
their bands as ``bb`` (Graphviz draws cluster boxes only in ``dot``; the bands are in the SVG).
"""

from __future__ import annotations

from lastmile_flows.escape import dot_id
from lastmile_flows.layout.graph import Layout, Rect, Route
from lastmile_flows.render.dot import Label, Value, attr_list, edge_statement, node_statement
from lastmile_flows.render.scene import Scene, SceneEdge, SceneNode
from lastmile_flows.render.theme import FONT, LINK_STYLE, NODE_STYLE

__all__ = ["positioned_dot"]

INCH = 72.0


def _point(x: float, y: float, height: float) -> str:
    return f"{x:.2f},{height - y:.2f}"


def positioned_dot(scene: Scene, layout: Layout) -> str:
    """DOT with every node and route where the layout put it (y upwards, as Graphviz counts)."""
    height = layout.height
    lines = [
        f"digraph {dot_id(scene.name)} {{",
        "  graph"
        + attr_list(
            {
                "label": Label(scene.title),
                "labelloc": "t",
                "fontname": FONT,
                "splines": "polyline",
                "bb": f"0,0,{layout.width:.2f},{height:.2f}",
            }
        )
        + ";",
        "  node" + attr_list({"fontname": FONT, "fontsize": 14, "pin": True}) + ";",
        "  edge" + attr_list({"fontname": FONT, "fontsize": 12}) + ";",
    ]
    by_lane: dict[str, list[str]] = {lane: [] for lane in layout.order}
    for node in scene.nodes:
        statement = _node(node, layout.boxes[node.id], height)
        by_lane.setdefault(node.lane, []).append("    " + statement)
    for lane in layout.order:
        lines += _cluster(lane, layout.lanes[lane], by_lane.get(lane, []), height)
    for edge in scene.edges:
        route = layout.routes.get(edge.id)
        if route is not None:
            lines.append("  " + _edge(edge, route, height))
    return "\n".join([*lines, "}", ""])


def _node(node: SceneNode, rect: Rect, height: float) -> str:
    """The statement of ``node``, pinned at the centre of ``rect`` and as big."""
    style = NODE_STYLE[node.style]
    shape = {"box": "box", "diamond": "diamond", "circle": "circle"}[node.shape]
    attrs: dict[str, Value] = {
        "id": node.id,
        "label": Label(*node.lines) if node.lines else Label(node.mark),
        "shape": shape,
        "pos": _point(rect.cx, rect.cy, height),
        "width": round(rect.width / INCH, 4),
        "height": round(rect.height / INCH, 4),
        "fixedsize": True,
        "style": "filled",
        "fillcolor": style.fill,
        "color": style.border,
    }
    return node_statement(node.id, attrs)


def _cluster(lane: str, band: Rect, nodes: list[str], height: float) -> list[str]:
    """The cluster of ``lane``, its band as ``bb``, holding the statements ``nodes``."""
    bb = f"{band.x:.2f},{height - band.bottom:.2f},{band.right:.2f},{height - band.y:.2f}"
    graph = attr_list({"label": Label(lane), "bb": bb, "id": f"lane-{lane}"})
    return [f"  subgraph {dot_id('cluster_' + lane)} {{", f"    graph{graph};", *nodes, "  }"]


def _edge(edge: SceneEdge, route: Route, height: float) -> str:
    """The statement of ``edge``, its route as ``pos`` (the arrow's tip first, as ``e,``)."""
    points = " ".join(_point(x, y, height) for x, y in route.points[:-1])
    tip = route.points[-1]
    attrs: dict[str, Value] = {
        "id": edge.id,
        "pos": f"e,{_point(tip[0], tip[1], height)} {points}".strip(),
        "color": LINK_STYLE[edge.style].colour,
    }
    if edge.label:
        attrs["label"] = Label(edge.label)
    return edge_statement(edge.source, edge.target, attrs)
