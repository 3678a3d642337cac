"""A diagram drawn together with a map of where its parts are, for a page that shows it in
pieces: the printed report cuts a wide diagram between boxes, never through one, and repeats
the lane headers and the legend on every piece.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.errors import RenderError
from lastmile_flows.layout.backend import Backend
from lastmile_flows.layout.graph import Rect
from lastmile_flows.render.api import laid_out_view
from lastmile_flows.render.draw import geometry, root_svg
from lastmile_flows.render.legend import Entry, draw_legend, entries, place_entries
from lastmile_flows.render.page import MARGIN, draw, page

__all__ = ["Regions", "drawn_with_regions", "legend_svg"]


@dataclass(frozen=True)
class Regions:
    """Where the parts of one drawn diagram are, in its SVG's units."""

    width: float
    height: float
    header: float
    """The lane headers fill ``x`` from 0 to this."""
    lanes: tuple[tuple[float, float], ...]
    """Top and bottom of each lane band, top to bottom."""
    solid: tuple[Rect, ...]
    """Every box, exception, badge and label: what a cut must not go through."""
    legend: tuple[Entry, ...]
    legend_size: float

    def legend_height(self, width: float) -> float:
        """The height of the legend laid out in rows ``width`` wide (margins included)."""
        _, height = place_entries(list(self.legend), width - 2 * MARGIN, self.legend_size)
        return height + 2 * MARGIN


def drawn_with_regions(
    obj: Comparison,
    view: str,
    *,
    backend: str | Backend = "wasm",
    severity: Mapping[str, str] | None = None,
) -> tuple[etree._Element, Regions]:
    """The unstamped SVG root of a ``before``, ``after`` or ``diff`` view, and its map."""
    if view not in ("before", "after", "diff"):
        raise RenderError(f"only one-drawing views have a map, not {view!r}")
    scene, sized, layout = laid_out_view(obj, view=view, backend=backend, severity=severity)
    root = draw(scene, sized, layout)
    top = page(scene, layout).top
    drawing = geometry(scene, sized, layout)
    solid = [*drawing.nodes.values(), *(text.rect for text in drawing.texts)]
    return root, Regions(
        width=float(root.get("width") or 0),
        height=float(root.get("height") or 0),
        header=sized.header,
        lanes=tuple((band.y + top, band.bottom + top) for band in layout.lanes.values()),
        solid=tuple(Rect(r.x, r.y + top, r.width, r.height) for r in solid),
        legend=tuple(entries(scene)),
        legend_size=scene.size.legend,
    )


def legend_svg(regions: Regions, width: float) -> etree._Element:
    """The legend of a diagram on its own, laid out in rows ``width`` wide."""
    root = root_svg(width, regions.legend_height(width), "Legend")
    draw_legend(root, list(regions.legend), MARGIN, MARGIN, width - 2 * MARGIN, regions.legend_size)
    return root
