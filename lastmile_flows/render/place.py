"""A scene sized, ranked by Graphviz and placed by the grid engine: the one way every view
gets its layout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from lastmile_flows.layout.backend import Backend
from lastmile_flows.layout.engine import lay_out
from lastmile_flows.layout.graph import Layout
from lastmile_flows.layout.graphviz import graphviz_ranks
from lastmile_flows.render.scene import Scene
from lastmile_flows.render.sizing import Sized, size_scene

__all__ = ["laid_out"]


def laid_out(
    scene: Scene,
    backend: Backend,
    lane_heights: Mapping[str, float] | None = None,
    *,
    ranks: Mapping[str, int] | None = None,
) -> tuple[Sized, Layout]:
    """``scene`` sized and placed; ``lane_heights`` are least heights of lanes (to line two
    diagrams up lane for lane); ``ranks`` the columns of nodes when they are known already
    (Graphviz is not run then)."""
    sized = size_scene(scene)
    diagram = sized.diagram
    if lane_heights:
        merged = dict(diagram.lane_heights)
        for lane, height in lane_heights.items():
            merged[lane] = max(merged.get(lane, 0.0), height)
        diagram = replace(diagram, lane_heights=merged)
    chosen = dict(ranks) if ranks is not None else graphviz_ranks(diagram, backend)
    diagram = replace(diagram, ranks=chosen)
    sized.diagram = diagram
    return sized, lay_out(diagram)
