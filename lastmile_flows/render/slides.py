"""The committee slides drawn: title, headline tiles, the drawing scaled into its region,
the numbered findings beside it and the legend under them (see
:mod:`lastmile_flows.render.committee`)."""

from __future__ import annotations

from lxml import etree

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.escape import plain_text
from lastmile_flows.layout.backend import Backend
from lastmile_flows.layout.graph import Layout, Rect
from lastmile_flows.layout.text import text_width, wrap_to_width
from lastmile_flows.model import Redesign
from lastmile_flows.render import svgkit, theme
from lastmile_flows.render.committee import (
    FOOTER,
    PAD,
    PANEL,
    SLIDE,
    TILE_HEIGHT,
    TILE_TOP,
    Region,
    drawing_region,
    kpis,
    slide_scale,
)
from lastmile_flows.render.draw import draw_diagram, root_svg
from lastmile_flows.render.legend import draw_legend as legend_rows
from lastmile_flows.render.legend import entries, place_entries
from lastmile_flows.render.scene import Callout, Scene
from lastmile_flows.render.sizing import Sized
from lastmile_flows.render.slicing import committee_parts
from lastmile_flows.render.svgkit import BADGE, CALLOUT, SVG, line_height, number
from lastmile_flows.render.theme import INK, SLIDE_SIZE

__all__ = ["committee_slides"]


def committee_slides(
    comparison: Comparison, redesign: Redesign, backend: Backend
) -> list[etree._Element]:
    """The slides of the committee view (see the module docstring)."""
    parts = committee_parts(comparison, redesign, backend)
    return [
        _slide(part, sized, layout, comparison, redesign, index, len(parts), drawing_region())
        for index, (part, sized, layout) in enumerate(parts, start=1)
    ]


def _slide(
    scene: Scene,
    sized: Sized,
    layout: Layout,
    comparison: Comparison,
    redesign: Redesign,
    number_: int,
    count: int,
    region: Region,
) -> etree._Element:
    width, height = SLIDE
    title = scene.title + (f" ({number_} of {count})" if count > 1 else "")
    root = root_svg(width, height, title)
    heading = svgkit.group(root, "heading", "heading", "")
    svgkit.text(heading, PAD, 16, title, size=28, anchor="start", bold=True)
    volume = redesign.volume_per_month
    subtitle = (
        f"{plain_text(redesign.current.version or 'current')} \u2192 "
        f"{plain_text(redesign.redesigned.version or 'redesigned')}"
        + (f" \u00b7 {volume:,.0f} cases a month" if volume else "")
    )
    svgkit.text(heading, PAD, 54, subtitle, size=16, anchor="start", fill=theme.MUTED)
    _tiles(root, kpis(comparison))
    scale = slide_scale(layout, region)
    frame = etree.SubElement(
        root,
        f"{SVG}svg",
        id="drawing",
        x=number(region.x),
        y=number(region.y),
        width=number(layout.width * scale),
        height=number(layout.height * scale),
        viewBox=f"0 0 {number(layout.width)} {number(layout.height)}",
    )
    draw_diagram(frame, scene, sized, layout)
    found = entries(scene)
    _, legend_height = place_entries(found, PANEL, SLIDE_SIZE.legend)
    legend_top = region.y + region.height - legend_height
    _panel(root, scene.callouts, region, legend_top - 16)
    legend_rows(root, found, width - PAD - PANEL, legend_top, PANEL, SLIDE_SIZE.legend)
    footer = f"{plain_text(comparison.name)} \u00b7 slide {number_} of {count}" if count > 1 else ""
    if footer:
        svgkit.text(
            root, width - PAD, height - FOOTER + 6, footer, size=13, anchor="end", fill=theme.MUTED
        )
    return root


def _tiles(root: etree._Element, figures: list[tuple[str, str, str, bool]]) -> None:
    strip = svgkit.group(root, "headlines", "headlines", "")
    gap = 16.0
    count = max(len(figures), 1)
    wide = (SLIDE[0] - 2 * PAD - gap * (count - 1)) / count
    for index, (label, before, after, worse) in enumerate(figures):
        x = PAD + index * (wide + gap)
        tile = svgkit.group(strip, "", "headline" + (" worse" if worse else ""), "")
        svgkit.rect(
            tile,
            _rect(x, TILE_TOP, wide, TILE_HEIGHT),
            rx="8",
            fill="#f1f5f9",
            stroke=theme.RED if worse else theme.GRID_LINE,
            **{"stroke-width": "2" if worse else "1"},
        )
        svgkit.text(tile, x + 14, TILE_TOP + 7, label, size=14, anchor="start", fill=theme.MUTED)
        value = f"{before} \u2192 {after}"
        size = 22.0
        while size > 15 and text_width(value, size, bold=True) > wide - 28:
            size -= 1
        svgkit.text(
            tile,
            x + 14,
            TILE_TOP + 28,
            value,
            size=size,
            anchor="start",
            bold=True,
            fill=theme.RED if worse else INK,
        )


def _rect(x: float, y: float, width: float, height: float) -> Rect:
    return Rect(x, y, width, height)


def _panel(root: etree._Element, callouts: list[Callout], region: Region, bottom: float) -> None:
    panel = svgkit.group(root, "findings", "findings", "")
    left = SLIDE[0] - PAD - PANEL
    size = SLIDE_SIZE.legend
    heading = "Who owns the failures" if callouts else "Nothing flagged in this part"
    svgkit.text(panel, left, region.y, heading, size=20, anchor="start", bold=True)
    y = region.y + 36
    for index, callout in enumerate(callouts):
        lines = wrap_to_width(callout.text, PANEL - CALLOUT - 8, size, max_lines=3)
        needed = max(len(lines) * line_height(size), BADGE) + 8
        if y + needed > bottom - line_height(size):
            rest = len(callouts) - index
            svgkit.text(
                panel,
                left,
                y,
                f"and {rest} more in the report",
                size=size,
                anchor="start",
                fill=theme.MUTED,
            )
            break
        item = svgkit.group(panel, "", f"finding {callout.severity}", callout.detail)
        svgkit.callouts(
            item, (callout,), left, y + (line_height(size) - BADGE) / 2, SLIDE_SIZE.callout
        )
        for number_, line in enumerate(lines):
            svgkit.text(
                item,
                left + CALLOUT + 8,
                y + number_ * line_height(size),
                line,
                size=size,
                anchor="start",
            )
        y += needed
