"""The diagrams of the committee report.

First the committee view (each slide inline, full width), then before, after and diff, each
whole on one printed page and, when the whole prints too small to read, in printed parts: the
drawing cut between boxes (never through one, and between lanes where it must be cut across),
each part with the lane headers on its left and the legend under it. The parts show the same
drawing by reference (``<use>``), so the file does not grow by their number; on screen they
are hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lxml import etree

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.layout.backend import Backend
from lastmile_flows.model import Redesign
from lastmile_flows.render.api import svg_roots
from lastmile_flows.render.dot import number
from lastmile_flows.render.svg import SVG_NS
from lastmile_flows.render.svgkit import SVG
from lastmile_flows.report.html import XLINK_NS, add, inline_svg
from lastmile_flows.report.regions import Regions, drawn_with_regions, legend_svg

__all__ = [
    "DIAGRAMS",
    "PRINT_AREA",
    "PRINT_SCALE",
    "Tile",
    "committee_slides_section",
    "diagram_pages",
    "tiles",
]

DIAGRAMS = (
    ("before", "Before: the current process"),
    ("after", "After: the redesigned process"),
    ("diff", "What the redesign changes"),
)
PRINT_AREA = (774.0, 470.0)
"""The points an A4 landscape page gives a diagram: 273 mm wide, 166 mm under its heading."""
PRINT_SCALE = 0.5
"""The smallest scale a diagram prints at in detail: 13 pt step labels print at 6.5 pt."""


@dataclass(frozen=True)
class Tile:
    """One printed part: the window ``x`` to ``x + width`` of the drawing right of the lane
    headers, over ``y`` to ``y + height`` of its lanes."""

    x: float
    width: float
    y: float
    height: float


def committee_slides_section(
    body: etree._Element, comparison: Comparison, redesign: Redesign, backend: str | Backend
) -> None:
    """The committee view: each slide inline, one printed page each."""
    slides = svg_roots(comparison, view="committee", backend=backend)
    for number_, root in enumerate(slides, start=1):
        name = "committee" if len(slides) == 1 else f"committee-{number_}"
        section = add(body, "section", cls="diagram slide", id=f"{name}-diagram")
        title = "The redesign at a glance"
        if len(slides) > 1:
            title += f" ({number_} of {len(slides)})"
        add(section, "h2", title)
        section.append(inline_svg(etree.tostring(root), name, title))


def diagram_pages(
    body: etree._Element, comparison: Comparison, view: str, title: str, backend: str | Backend
) -> None:
    """The diagram on its own page, then, when it prints too small to read, in parts."""
    section = add(body, "section", cls="diagram", id=f"{view}-diagram")
    add(section, "h2", title)
    root, regions = drawn_with_regions(comparison, view, backend=backend)
    section.append(inline_svg(etree.tostring(root), view, title))
    parts = tiles(regions)
    for index, tile in enumerate(parts, start=1):
        heading = f"{title}, part {index} of {len(parts)}"
        part = add(body, "section", cls="diagram tile", id=f"{view}-part-{index}")
        add(part, "h2", heading)
        part.append(_tile_svg(view, f"{view}-part-{index}", tile, regions, heading))


def tiles(regions: Regions) -> list[Tile]:
    """The printed parts of a drawing: none when the whole prints at :data:`PRINT_SCALE` or
    larger; else windows that each print at that scale with the lane headers and the legend,
    cut in the gaps between boxes and between lanes."""
    page_width, page_height = PRINT_AREA[0] / PRINT_SCALE, PRINT_AREA[1] / PRINT_SCALE
    if regions.width <= page_width and regions.height <= page_height:
        return []
    across = _cuts(
        regions.header,
        regions.width,
        page_width - regions.header,
        [(box.x, box.right) for box in regions.solid],
    )
    # a legend never takes more than half the page (it is a few rows: this only bounds the loop)
    body = max(page_height - regions.legend_height(page_width), page_height / 2)
    down = _lane_groups(regions, body)
    return [Tile(x0, x1 - x0, y0, y1 - y0) for y0, y1 in down for x0, x1 in across]


def _merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping spans joined, in order."""
    found: list[tuple[float, float]] = []
    for low, high in sorted(spans):
        if found and low <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], high))
        else:
            found.append((low, high))
    return found


def _cuts(
    start: float, end: float, window: float, solid: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """``start`` to ``end`` in pieces no longer than ``window``, each cut in the middle of a
    gap between ``solid`` spans (through one only when a single span is longer than the
    window); pieces of about equal length where the gaps allow as few pieces that way."""
    runs = _merged(solid)
    fewest = math.ceil((end - start) / window - 1e-9)
    even = _greedy(start, end, min(window, (end - start) / fewest * 1.15), runs)
    return even if len(even) <= fewest else _greedy(start, end, window, runs)


def _greedy(
    start: float, end: float, window: float, runs: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """:func:`_cuts`, each piece as long as the window and the gaps allow."""
    pieces = []
    at = start
    while end - at > 1e-6:
        limit = at + window
        if limit >= end:
            pieces.append((at, end))
            break
        cut = limit
        for index, (low, high) in enumerate(runs):
            if low < limit < high:
                before = runs[index - 1][1] if index else start
                middle = (max(before, at) + low) / 2
                cut = middle if middle > at + 1e-6 else limit
                break
        pieces.append((at, cut))
        at = cut
    return pieces


def _lane_groups(regions: Regions, height: float) -> list[tuple[float, float]]:
    """Runs of neighbouring lanes, each no taller than ``height``; a lane taller than that is
    cut between its boxes."""
    groups: list[tuple[float, float]] = []
    for top, bottom in regions.lanes:
        if groups and bottom - groups[-1][0] <= height:
            groups[-1] = (groups[-1][0], bottom)
            continue
        if bottom - top <= height:
            groups.append((top, bottom))
            continue
        inside = [(box.y, box.bottom) for box in regions.solid if top <= box.cy <= bottom]
        groups += _cuts(top, bottom, height, inside)
    return groups


def _window(
    parent: etree._Element,
    drawing: str,
    at: tuple[float, float],
    box: tuple[float, float, float, float],
) -> None:
    """A window on the inlined drawing ``drawing`` showing ``box``, placed at ``at``."""
    _, _, width, height = box
    window = etree.SubElement(
        parent,
        f"{SVG}svg",
        x=number(at[0]),
        y=number(at[1]),
        width=number(width),
        height=number(height),
        viewBox=" ".join(number(value) for value in box),
    )
    window.set("overflow", "hidden")
    etree.SubElement(window, f"{SVG}use", {"href": f"#{drawing}-whole"})


def _tile_svg(
    drawing: str, prefix: str, tile: Tile, regions: Regions, label: str
) -> etree._Element:
    """One printed part: the lane headers of its lanes, its window, the legend under them; a
    page wide, so every part prints at the same scale (a narrow last part leaves room on the
    right) and its legend is laid out as :func:`tiles` counted it."""
    width = PRINT_AREA[0] / PRINT_SCALE
    legend = legend_svg(regions, width)
    legend_height = float(legend.get("height") or 0)
    height = tile.height + legend_height
    root = etree.Element(
        f"{SVG}svg",
        nsmap={None: SVG_NS, "xlink": XLINK_NS},  # type: ignore[dict-item]
        viewBox=f"0 0 {number(width)} {number(height)}",
        preserveAspectRatio="xMinYMin meet",
        role="img",
    )
    root.set("aria-label", label)
    _window(root, drawing, (0, 0), (0, tile.y, regions.header, tile.height))
    _window(root, drawing, (regions.header, 0), (tile.x, tile.y, tile.width, tile.height))
    placed = inline_svg(etree.tostring(legend), f"{prefix}-legend", "Legend")
    placed.set("x", "0")
    placed.set("y", number(tile.height))
    placed.set("width", number(width))
    placed.set("height", number(legend_height))
    root.append(placed)
    return root
