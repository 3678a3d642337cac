"""A diagram on a page: the heading (title and caption) above the drawing, the legend and the
numbered findings under it (:func:`draw`); :func:`page` says where each part goes."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from lastmile_flows.layout.graph import Layout
from lastmile_flows.layout.text import text_width, wrap_to_width
from lastmile_flows.render import svgkit
from lastmile_flows.render.draw import draw_diagram, root_svg
from lastmile_flows.render.legend import draw_legend, entries, place_entries
from lastmile_flows.render.scene import Callout, Scene
from lastmile_flows.render.sizing import Sized
from lastmile_flows.render.svgkit import BADGE, CALLOUT, line_height

__all__ = ["MARGIN", "Page", "draw", "page"]

MARGIN = 16.0
SECTION_GAP = 18.0


@dataclass(frozen=True)
class Page:
    """Where the parts of a page go: the diagram's top, the legend's and the findings' tops,
    the size of the whole."""

    top: float
    legend_top: float
    findings_top: float
    width: float
    height: float
    heading: tuple[str, ...]
    findings: tuple[tuple[Callout, tuple[str, ...]], ...]


def page(scene: Scene, layout: Layout) -> Page:
    """Where the parts of ``scene``'s page go, laid out as ``layout``, and its findings wrapped."""
    size = scene.size
    width = layout.width
    heading = (scene.title, *scene.caption)
    top = MARGIN + line_height(size.title) + len(scene.caption) * line_height(size.caption) + 8
    for index, line in enumerate(heading):
        font = size.title if index == 0 else size.caption
        width = max(width, text_width(line, font, bold=index == 0) + 2 * MARGIN)
    legend_top = top + layout.height + SECTION_GAP
    _, legend_height = place_entries(entries(scene), width - 2 * MARGIN, size.legend)
    findings_top = legend_top + legend_height + (SECTION_GAP if legend_height else 0.0)
    wrapped = []
    height = findings_top
    for callout in scene.callouts:
        lines = wrap_to_width(
            f"{callout.number}. {callout.text}", width - 2 * MARGIN - CALLOUT, size.legend
        )
        wrapped.append((callout, tuple(lines)))
        height += max(len(lines) * line_height(size.legend), BADGE) + 4
    return Page(top, legend_top, findings_top, width, height + MARGIN, heading, tuple(wrapped))


def _findings(parent: etree._Element, scene: Scene, found: Page, left: float, top: float) -> None:
    if not found.findings:
        return
    size = scene.size.legend
    listing = svgkit.group(parent, "findings", "findings", "")
    y = top
    for callout, lines in found.findings:
        item = svgkit.group(listing, "", f"finding {callout.severity}", callout.detail)
        svgkit.callouts(
            item, (callout,), left, y + (line_height(size) - BADGE) / 2, scene.size.callout
        )
        for index, line in enumerate(lines):
            svgkit.text(
                item,
                left + CALLOUT + 6,
                y,
                line,
                size=size,
                anchor="start",
                bold=index == 0 and False,
            )
            y += line_height(size)
        y += max(0.0, BADGE - len(lines) * line_height(size)) + 4


def draw(scene: Scene, sized: Sized, layout: Layout) -> etree._Element:
    """The page: heading, the diagram, the legend and the numbered findings (no stamp: the
    caller adds it)."""
    found = page(scene, layout)
    root = root_svg(found.width, found.height, scene.title)
    heading = svgkit.group(root, "heading", "heading", "")
    y = MARGIN
    for index, line in enumerate(found.heading):
        font = scene.size.title if index == 0 else scene.size.caption
        svgkit.text(heading, MARGIN, y, line, size=font, anchor="start", bold=index == 0)
        y += line_height(font)
    draw_diagram(root, scene, sized, layout, dy=found.top, width=found.width)
    draw_legend(
        root, entries(scene), MARGIN, found.legend_top, found.width - 2 * MARGIN, scene.size.legend
    )
    _findings(root, scene, found, MARGIN, found.findings_top)
    return root
