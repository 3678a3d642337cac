"""The diagrams of the committee report: each inline, whole on one printed page, then in
overlapping parts at a readable scale when the whole prints too small (the parts show the same
drawing by reference, so the file does not grow; on screen they are hidden)."""

from __future__ import annotations

import math

from lxml import etree

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.layout.backend import Backend
from lastmile_flows.publish.html import add, inline_svg, svg_window, view_box
from lastmile_flows.render.api import render_svg

__all__ = ["DIAGRAMS", "OVERLAP", "PRINT_AREA", "PRINT_SCALE", "diagram_pages", "tile_boxes"]

DIAGRAMS = (
    ("before", "Before: the current process"),
    ("after", "After: the redesigned process"),
    ("diff", "What the redesign changes"),
)
PRINT_AREA = (774.0, 470.0)
"""The points an A4 landscape page gives a diagram: 273 mm wide, 166 mm under its heading."""
PRINT_SCALE = 0.5
"""The smallest scale a diagram prints at in detail: 13 pt step labels print at 6.5 pt."""
OVERLAP = 0.04


def diagram_pages(
    body: etree._Element, comparison: Comparison, view: str, title: str, backend: str | Backend
) -> None:
    """The diagram on its own page, then, when it prints too small to read, in parts."""
    section = add(body, "section", cls="diagram", id=f"{view}-diagram")
    add(section, "h2", title)
    svg = render_svg(comparison, view=view, backend=backend)  # type: ignore[arg-type]
    drawing = inline_svg(svg, view, title)
    section.append(drawing)
    _print_tiles(body, view, title, view_box(drawing))


def tile_boxes(
    box: tuple[float, float, float, float],
) -> list[tuple[float, float, float, float]]:
    """Windows on a drawing, each printed on its own page at a readable scale: none when the
    whole drawing already prints at :data:`PRINT_SCALE` or larger."""
    x, y, width, height = box
    tile_width, tile_height = PRINT_AREA[0] / PRINT_SCALE, PRINT_AREA[1] / PRINT_SCALE
    if width <= tile_width and height <= tile_height:
        return []
    found = []
    for top, tall in _spans(y, height, tile_height):
        for left, wide in _spans(x, width, tile_width):
            found.append((left, top, wide, tall))
    return found


def _spans(start: float, length: float, window: float) -> list[tuple[float, float]]:
    """Windows of at most ``window`` covering ``length``, overlapping by at least 4%."""
    if length <= window:
        return [(start, length)]
    count = math.ceil((length - window * OVERLAP) / (window * (1 - OVERLAP)))
    step = (length - window) / (count - 1)
    return [(start + index * step, window) for index in range(count)]


def _print_tiles(body: etree._Element, view: str, title: str, box: tuple[float, ...]) -> None:
    boxes = tile_boxes(box)  # type: ignore[arg-type]
    for number, part in enumerate(boxes, start=1):
        section = add(body, "section", cls="diagram tile", id=f"{view}-part-{number}")
        heading = f"{title}, part {number} of {len(boxes)}"
        add(section, "h2", heading)
        section.append(svg_window(view, part, heading))
