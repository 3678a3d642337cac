"""The legend: one entry for every symbol a diagram draws, and none for what it does not.

Entries come from the styles the scene uses (:mod:`lastmile_flows.render.theme` names each
style's meaning), in a fixed order, so two diagrams with the same symbols have the same
legend. The legend is laid out in rows as wide as the space it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from lastmile_flows.layout.graph import Rect
from lastmile_flows.layout.text import text_width
from lastmile_flows.render import svgkit, theme
from lastmile_flows.render.scene import Scene
from lastmile_flows.render.svgkit import SVG, number
from lastmile_flows.render.theme import LINK_STYLE, NODE_STYLE

__all__ = ["Entry", "draw_legend", "entries", "place_entries"]

SAMPLE = (34.0, 18.0)
GAP = 26.0

NODE_ORDER = (
    "manual",
    "ai",
    "system",
    "review",
    "automated",
    "assisted",
    "review_added",
    "added",
    "ghost",
    "collapsed",
    "continued",
    "gateway",
    "start",
    "end",
    "intermediate",
    "edge_case",
    "edge_case_unowned",
    "edge_case_dropped",
    "owner_gone",
    "workaround",
)
LINK_ORDER = ("flow", "handoff_new", "recovery", "taken_over", "owner_tie", "workaround")
LANE_WORDS = {
    "removed": "Lane of a role the redesign removes",
    "unstaffed": "Lane of a role with nobody in it",
}


@dataclass(frozen=True)
class Entry:
    kind: str
    """``node``, ``link``, ``lane`` or ``callout``."""
    key: str
    words: str


def entries(scene: Scene) -> list[Entry]:
    """The legend entries of what ``scene`` draws."""
    nodes = {node.style for node in scene.nodes} | {tag.style for tag in scene.tags}
    links = {edge.style for edge in scene.edges}
    lanes = {lane.style for lane in scene.lanes}
    found = [
        Entry("node", key, NODE_STYLE[key].legend)
        for key in NODE_ORDER
        if key in nodes and NODE_STYLE[key].legend
    ]
    found += [
        Entry("link", key, LINK_STYLE[key].legend)
        for key in LINK_ORDER
        if key in links and LINK_STYLE[key].legend
    ]
    found += [Entry("lane", key, words) for key, words in LANE_WORDS.items() if key in lanes]
    numbered = any(node.callouts for node in scene.nodes) or any(t.callouts for t in scene.tags)
    if numbered or any(lane.callouts for lane in scene.lanes):
        found.append(Entry("callout", "error", "Finding, numbered as in the list"))
    return found


def place_entries(
    found: list[Entry], width: float, size: float
) -> tuple[list[tuple[Entry, float, float]], float]:
    """Each entry's top-left corner in rows no wider than ``width``, and the height used."""
    row = max(SAMPLE[1], size * 1.25) + 10
    placed = []
    x = y = 0.0
    for entry in found:
        wide = SAMPLE[0] + 8 + text_width(entry.words, size)
        if x and x + wide > width:
            x, y = 0.0, y + row
        placed.append((entry, x, y))
        x += wide + GAP
    return placed, (y + row) if found else 0.0


def draw_legend(
    parent: etree._Element, found: list[Entry], left: float, top: float, width: float, size: float
) -> None:
    """The legend's samples and words, in rows from (``left``, ``top``)."""
    if not found:
        return
    legend = svgkit.group(parent, "legend", "legend", "")
    placed, _ = place_entries(found, width, size)
    row = max(SAMPLE[1], size * 1.25)
    for entry, x, y in placed:
        _sample(legend, entry, left + x, top + y + (row - SAMPLE[1]) / 2, size)


def _sample(parent: etree._Element, entry: Entry, x: float, y: float, size: float) -> None:
    item = svgkit.group(parent, "", f"legend-{entry.kind}-{entry.key}", "")
    width, height = SAMPLE
    if entry.kind == "node":
        style = NODE_STYLE[entry.key]
        if entry.key == "gateway":
            cx, cy = x + width / 2, y + height / 2
            points = f"{number(cx)},{number(y - 3)} {number(cx + 12)},{number(cy)} "
            points += f"{number(cx)},{number(y + height + 3)} {number(cx - 12)},{number(cy)}"
            etree.SubElement(item, f"{SVG}polygon", points=points, attrib=svgkit.styled(style))
        elif entry.key in ("start", "end", "intermediate"):
            etree.SubElement(
                item,
                f"{SVG}circle",
                cx=number(x + width / 2),
                cy=number(y + height / 2),
                r="9",
                attrib=svgkit.styled(style),
            )
        else:
            radius = number(min(style.radius, 6))
            svgkit.rect(item, Rect(x, y, width, height), rx=radius, **svgkit.styled(style))
    elif entry.kind == "link":
        link = LINK_STYLE[entry.key]
        attrib = {
            "d": f"M{number(x)},{number(y + height / 2)} H{number(x + width)}",
            "stroke": link.colour,
            "stroke-width": number(link.width),
            "fill": "none",
            "marker-end": f"url(#arrow-{entry.key})",
        }
        if link.dash:
            attrib["stroke-dasharray"] = link.dash
        etree.SubElement(item, f"{SVG}path", attrib=attrib)
    elif entry.kind == "lane":
        svgkit.rect(
            item, Rect(x, y, width, height), fill=theme.REMOVED_LANE_HEADER, stroke=theme.GRID_LINE
        )
    else:
        etree.SubElement(
            item,
            f"{SVG}circle",
            cx=number(x + width / 2),
            cy=number(y + height / 2),
            r="10",
            fill=theme.SEVERITY_COLOUR["error"],
        )
        svgkit.text(
            item, x + width / 2, y + height / 2 - 7, "1", size=12, bold=True, fill="#ffffff"
        )
    svgkit.text(
        item, x + width + 8, y + (height - size * 1.2) / 2, entry.words, size=size, anchor="start"
    )
