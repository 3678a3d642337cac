"""A placed scene as SVG: the lanes, the routes, the nodes and edge cases
(:func:`draw_diagram`); :mod:`~lastmile_flows.render.page` puts the heading, the legend and the
numbered findings around it.

Elements are written in scene order with rounded numbers and escaped text, so the same scene
gives the same bytes. :func:`geometry` returns what is drawn as a :class:`~lastmile_flows.
layout.check.Drawing` (every box, every line of text as measured, every route) for the
collision checks.
"""

from __future__ import annotations

from lxml import etree

from lastmile_flows.escape import svg_text
from lastmile_flows.layout.check import Drawing, Text, Wire
from lastmile_flows.layout.graph import Layout, Rect, Route
from lastmile_flows.layout.text import text_width
from lastmile_flows.render import svgkit, theme
from lastmile_flows.render.scene import Scene, SceneEdge, SceneLane, SceneNode, SceneTag
from lastmile_flows.render.sizing import (
    HEADER_PAD,
    LABEL_PAD,
    Sized,
    chip_height,
    chip_width,
)
from lastmile_flows.render.svgkit import BADGE, CALLOUT, SVG, SVG_NS, line_height, number
from lastmile_flows.render.theme import FONT, INK, LINK_STYLE, NODE_STYLE, Size

__all__ = ["SVG_NS", "draw_diagram", "geometry", "number", "root_svg"]


def _shift(box: Rect, dx: float, dy: float) -> Rect:
    return Rect(box.x + dx, box.y + dy, box.width, box.height)


def _pill(
    item: etree._Element, rect: Rect, words: str, rx: str, fill: str, css: str, size: Size
) -> None:
    """A rounded tag at the top of a step: a diff's chip (NOW AI ...) or the AI mark."""
    svgkit.rect(item, rect, rx=rx, fill=fill)
    svgkit.text(
        item, rect.cx, rect.y + 3.5, words, size=size.chip, bold=True, fill="#ffffff", css=css
    )


def _node(
    parent: etree._Element, node: SceneNode, box: Rect, sized: Sized, badge: Rect | None
) -> etree._Element:
    size = sized.size
    style = NODE_STYLE[node.style]
    item = svgkit.group(parent, node.id, node.css, node.title)
    if node.shape == "diamond":
        points = f"{number(box.cx)},{number(box.y)} {number(box.right)},{number(box.cy)} "
        points += f"{number(box.cx)},{number(box.bottom)} {number(box.x)},{number(box.cy)}"
        etree.SubElement(item, f"{SVG}polygon", points=points, attrib=svgkit.styled(style))
        if node.mark:
            svgkit.text(item, box.cx, box.cy - 12, node.mark, size=20, fill=style.ink)
    elif node.shape == "circle":
        etree.SubElement(
            item,
            f"{SVG}circle",
            cx=number(box.cx),
            cy=number(box.cy),
            r=number(box.width / 2),
            attrib=svgkit.styled(style),
        )
    else:
        svgkit.rect(item, box, rx=number(style.radius), **svgkit.styled(style))
        block = sized.blocks[node.id]
        y = box.cy - block.height / 2
        if block.header:
            tall = chip_height(size)
            if node.chip:
                chip = Rect(box.x + 6, y, chip_width(node.chip_text, size), tall)
                _pill(item, chip, node.chip_text, "4", theme.CHIP[node.chip][1], "chip", size)
            if node.mark:
                wide = chip_width(node.mark, size)
                mark = Rect(box.right - 6 - wide, y, wide, tall)
                _pill(item, mark, node.mark, number(tall / 2), "#6d28d9", "mark", size)
            y += block.header
        for line in block.lines:
            svgkit.text(item, box.cx, y, line, size=size.text, fill=style.ink, struck=style.struck)
            y += line_height(size.text)
        for line in block.facts:
            svgkit.text(
                item, box.cx, y, line, size=size.facts, fill=theme.MUTED, struck=style.struck
            )
            y += line_height(size.facts)
    if badge is not None and node.callouts:
        svgkit.callouts(item, node.callouts, badge.x, badge.y, sized.size.callout)
    return item


def _tag_text_x(tag: SceneTag, box: Rect) -> float:
    """The middle of an edge case's text (right of its callouts, if any)."""
    return box.cx + len(tag.callouts) * CALLOUT / 2


def _tag(parent: etree._Element, tag: SceneTag, box: Rect, sized: Sized) -> None:
    style = NODE_STYLE[tag.style]
    font = sized.size.edge_case
    item = svgkit.group(parent, tag.id, tag.css, tag.title)
    block = sized.blocks[tag.id]
    svgkit.rect(item, box, rx=number(style.radius), **svgkit.styled(style))
    y = box.cy - block.height / 2
    x = _tag_text_x(tag, box)
    for index, line in enumerate(block.lines):
        svgkit.text(
            item,
            x,
            y,
            line,
            size=font,
            fill=style.ink,
            bold=index < block.header,
            struck=style.struck,
        )
        y += line_height(font)
    if tag.callouts:
        svgkit.callouts(item, tag.callouts, box.x + 4, box.cy - BADGE / 2, sized.size.callout)


def _caption(parent: etree._Element, node: SceneNode, box: Rect, sized: Sized) -> None:
    font = sized.size.edge_case
    y = box.y
    for line in sized.captions.get(node.id, ()):
        svgkit.text(
            parent, box.right, y, line, size=font, anchor="end", fill=theme.MUTED, css="caption"
        )
        y += line_height(font)


def _lane(
    parent: etree._Element, lane: SceneLane, band: Rect, index: int, sized: Sized, width: float
) -> None:
    size = sized.size
    fill, header = theme.LANE_FILL[index % 2], theme.LANE_HEADER
    if lane.style == "ai":
        fill = theme.AI_LANE_FILL
    if lane.style in ("removed", "unstaffed"):
        fill, header = theme.REMOVED_LANE_FILL, theme.REMOVED_LANE_HEADER
    item = svgkit.group(parent, f"lane-{lane.id}", f"lane {lane.style}", lane.title)
    svgkit.rect(item, Rect(band.x, band.y, width, band.height), fill=fill, stroke=theme.GRID_LINE)
    head = svgkit.rect(
        item, Rect(band.x, band.y, sized.header, band.height), fill=header, stroke=theme.GRID_LINE
    )
    head.set("class", "lane-header")
    names, notes = sized.lane_lines[lane.id]
    y = band.y + HEADER_PAD
    for line in names:
        svgkit.text(item, band.x + sized.header / 2, y, line, size=size.lane, bold=True)
        y += line_height(size.lane)
    warn = lane.style in ("removed", "unstaffed")
    for line in notes:
        svgkit.text(
            item,
            band.x + sized.header / 2,
            y,
            line,
            size=size.legend,
            bold=warn,
            fill=theme.RED if warn else INK,
            css="lane-note",
        )
        y += line_height(size.legend)
    if lane.callouts:
        svgkit.callouts(item, lane.callouts, band.x + HEADER_PAD, y, sized.size.callout)


def _link(
    parent: etree._Element, edge: SceneEdge, route: Route, sized: Sized, dx: float, dy: float
) -> None:
    """One edge along its route, moved by (``dx``, ``dy``), with its label on a white box."""
    style = LINK_STYLE[edge.style]
    item = svgkit.group(parent, edge.id, edge.css, edge.title)
    path = "M" + " L".join(f"{number(x + dx)},{number(y + dy)}" for x, y in route.points)
    attrib = {
        "d": path,
        "fill": "none",
        "stroke": style.colour,
        "stroke-width": number(style.width),
    }
    if style.dash:
        attrib["stroke-dasharray"] = style.dash
    if style.arrow:
        attrib["marker-end"] = f"url(#arrow-{edge.style})"
    etree.SubElement(item, f"{SVG}path", attrib=attrib)
    if route.label is not None and edge.label:
        box = _shift(route.label, dx, dy)
        svgkit.rect(item, box, fill="#ffffff", **{"fill-opacity": "0.9"})
        svgkit.text(
            item,
            box.x + LABEL_PAD,
            box.y,
            edge.label,
            size=sized.size.label,
            anchor="start",
            fill=style.colour if edge.style != "flow" else INK,
            css="label",
        )


def draw_diagram(
    parent: etree._Element,
    scene: Scene,
    sized: Sized,
    layout: Layout,
    *,
    dx: float = 0.0,
    dy: float = 0.0,
    width: float | None = None,
) -> None:
    """The lanes, routes, nodes and edge cases, moved by (``dx``, ``dy``); lane bands
    ``width`` wide (default: the layout's)."""
    lanes = svgkit.group(parent, "lanes", "lanes", "")
    by_lane = {lane.id: lane for lane in scene.lanes}
    for index, lane_id in enumerate(layout.order):
        if lane_id in by_lane:
            _lane(
                lanes,
                by_lane[lane_id],
                _shift(layout.lanes[lane_id], dx, dy),
                index,
                sized,
                width or layout.width,
            )
    links = svgkit.group(parent, "links", "links", "")
    for edge in scene.edges:
        route = layout.routes.get(edge.id)
        if route is not None:
            _link(links, edge, route, sized, dx, dy)
    nodes = svgkit.group(parent, "nodes", "nodes", "")
    for node in scene.nodes:
        badge = layout.badges.get(node.id)
        item = _node(
            nodes,
            node,
            _shift(layout.boxes[node.id], dx, dy),
            sized,
            _shift(badge, dx, dy) if badge else None,
        )
        if node.id in layout.captions:
            _caption(item, node, _shift(layout.captions[node.id], dx, dy), sized)
    for tag in scene.tags:
        if tag.id in layout.attachments:
            _tag(nodes, tag, _shift(layout.attachments[tag.id], dx, dy), sized)


def root_svg(width: float, height: float, title: str) -> etree._Element:
    """An empty SVG document of that size, white, with the arrowheads defined."""
    root = svgkit.document(width, height)
    root.set("font-family", FONT)
    etree.SubElement(root, f"{SVG}title").text = svg_text(title)
    svgkit.markers(root)
    svgkit.rect(root, Rect(0, 0, width, height), fill="#ffffff")
    return root


def geometry(scene: Scene, sized: Sized, layout: Layout) -> Drawing:
    """What :func:`draw_diagram` draws, as rectangles and routes (the texts as the layout
    measures them), for :func:`lastmile_flows.layout.check.measure`."""
    size = sized.size
    drawing = Drawing()
    for node in scene.nodes:
        box = layout.boxes[node.id]
        drawing.nodes[node.id] = box
        block = sized.blocks[node.id]
        y = box.cy - block.height / 2 + block.header
        for line in block.lines:
            w = text_width(line, size.text)
            drawing.texts.append(Text(node.id, Rect(box.cx - w / 2, y, w, size.text)))
            y += line_height(size.text)
        for line in block.facts:
            w = text_width(line, size.facts)
            drawing.texts.append(Text(node.id, Rect(box.cx - w / 2, y, w, size.facts)))
            y += line_height(size.facts)
        badge = layout.badges.get(node.id)
        if badge is not None:
            drawing.nodes[f"{node.id}-callouts"] = Rect(
                badge.x, badge.y, len(node.callouts) * CALLOUT, BADGE
            )
        caption = layout.captions.get(node.id)
        if caption is not None:
            y = caption.y
            for line in sized.captions.get(node.id, ()):
                w = text_width(line, size.edge_case)
                box_ = Rect(caption.right - w, y, w, size.edge_case)
                drawing.texts.append(Text(node.id, box_, inside=False))
                y += line_height(size.edge_case)
    for tag in scene.tags:
        found = layout.attachments.get(tag.id)
        if found is None:
            continue
        drawing.nodes[tag.id] = found
        block = sized.blocks[tag.id]
        y = found.cy - block.height / 2
        x = _tag_text_x(tag, found)
        for index, line in enumerate(block.lines):
            w = text_width(line, size.edge_case, bold=index < block.header)
            drawing.texts.append(Text(tag.id, Rect(x - w / 2, y, w, size.edge_case)))
            y += line_height(size.edge_case)
    for edge in scene.edges:
        route = layout.routes.get(edge.id)
        if route is None:
            continue
        ends = frozenset({edge.source, edge.target})
        drawing.wires.append(Wire(edge.id, route.points, ends, LINK_STYLE[edge.style].arrow))
        if route.label is not None and edge.label:
            drawing.texts.append(Text(edge.id, route.label, inside=False))
    return drawing
