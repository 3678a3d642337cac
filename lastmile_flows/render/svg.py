"""Graphviz's SVG, finished: lanes drawn in, tooltips and classes set, metadata stamped, and
checked to contain every element of the model.

The SVG is parsed with lxml (no DTD, no entities, no network) and written back by lxml, so
nothing here builds XML from strings. Graphviz's comments, version banner included, are dropped.
"""

from __future__ import annotations

from lxml import etree

from lastmile_flows.errors import RenderError
from lastmile_flows.escape import svg_text
from lastmile_flows.render.dot import number
from lastmile_flows.render.dotsource import CORNERS
from lastmile_flows.render.layout import HEADER, INCH, Band, Placed
from lastmile_flows.render.scene import Scene
from lastmile_flows.xmlparser import safe_parser

__all__ = ["META_NS", "SVG_NS", "finish_svg", "read_stamp", "stamp_metadata", "svg_parser"]

SVG_NS = "http://www.w3.org/2000/svg"
META_NS = "urn:lastmile-flows:render"
"""Namespace of the ``<metadata>`` stamp: what the SVG was drawn from, by what."""
_SVG = f"{{{SVG_NS}}}"
LANE_FONT_SIZE = 15.0


def svg_parser() -> etree.XMLParser:
    """The hardened parser, dropping comments (Graphviz writes one per node and edge)."""
    return safe_parser(remove_comments=True)


def _parse(raw: bytes) -> etree._Element:
    try:
        return etree.fromstring(raw, svg_parser())
    except etree.XMLSyntaxError as error:
        raise RenderError(f"Graphviz produced SVG that does not parse: {error}") from None


class _Mapping:
    """Graphviz coordinates (points, y up) -> SVG user units, per axis ``a * v + b``."""

    def __init__(self, groups: dict[str | None, etree._Element], placed: Placed) -> None:
        low = (min(b.x0 for b in placed.bands), min(b.y0 for b in placed.bands))
        high = (max(b.x1 for b in placed.bands), max(b.y1 for b in placed.bands))
        seen = []
        for name in CORNERS:
            marker = groups.get(name)
            found = marker.find(f"{_SVG}ellipse") if marker is not None else None
            if found is None:
                raise RenderError(f"Graphviz left out the layout marker {name}")
            seen.append((float(found.get("cx", "0")), float(found.get("cy", "0"))))
        self.ax = (seen[1][0] - seen[0][0]) / ((high[0] - low[0]) or 1.0)
        self.bx = seen[0][0] - self.ax * low[0]
        self.ay = (seen[1][1] - seen[0][1]) / ((high[1] - low[1]) or 1.0)
        self.by = seen[0][1] - self.ay * low[1]

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.ax * x + self.bx, self.ay * y + self.by


def _lane_group(scene: Scene, band: Band, mapping: _Mapping) -> etree._Element:
    lane = next(item for item in scene.lanes if item.id == band.lane)
    x0, y0 = mapping.point(band.x0, band.y1)
    x1, y1 = mapping.point(band.x1, band.y0)
    left, top = min(x0, x1), min(y0, y1)
    width, height = abs(x1 - x0), abs(y1 - y0)
    group = etree.Element(f"{_SVG}g", id=f"lane-{lane.id}", attrib={"class": lane.css})
    etree.SubElement(group, f"{_SVG}title").text = svg_text(lane.title)
    etree.SubElement(
        group,
        f"{_SVG}rect",
        x=number(left),
        y=number(top),
        width=number(width),
        height=number(height),
        fill=lane.fill,
        stroke="#cbd5e0",
    )
    across = scene.direction == "LR"
    header = HEADER * INCH * abs(mapping.ax if across else mapping.ay)
    head = etree.SubElement(
        group,
        f"{_SVG}rect",
        x=number(left),
        y=number(top),
        width=number(header if across else width),
        height=number(height if across else header * 0.6),
        fill="#e2e8f0",
        stroke="#cbd5e0",
    )
    head.set("class", "lane-header")
    centre = left + (header if across else width) / 2
    line_height = LANE_FONT_SIZE * 1.25
    first = top + 0.3 * INCH
    for index, line in enumerate(lane.label):
        text = etree.SubElement(
            group,
            f"{_SVG}text",
            x=number(centre),
            y=number(first + index * line_height),
            attrib={
                "text-anchor": "middle",
                "font-family": "Helvetica,sans-Serif",
                "font-size": number(LANE_FONT_SIZE),
                "fill": lane.font,
            },
        )
        text.text = svg_text(line)
    return group


def finish_svg(raw: bytes, scene: Scene, placed: Placed, *, stamp: dict[str, str]) -> bytes:
    """The final SVG bytes; :class:`RenderError` if Graphviz dropped any element of the scene."""
    root = _parse(raw)
    graph = root.find(f"{_SVG}g")
    if graph is None:
        raise RenderError("Graphviz produced an SVG without a drawing")
    groups = {g.get("id"): g for g in root.iter(f"{_SVG}g")}
    expected_nodes = [n.id for n in scene.nodes] + [name for name, _, _ in scene.legend]
    expected_edges = [e.id for e in scene.edges]
    lost = [i for i in [*expected_nodes, *expected_edges] if i not in groups]
    if lost:
        shown = ", ".join(lost[:10]) + (f" and {len(lost) - 10} more" if len(lost) > 10 else "")
        raise RenderError(f"the SVG lacks elements of the model: {shown}")
    if placed.bands:
        mapping = _Mapping(groups, placed)
        background = graph.find(f"{_SVG}polygon")
        at = list(graph).index(background) + 1 if background is not None else 0
        for offset, band in enumerate(placed.bands):
            graph.insert(at + offset, _lane_group(scene, band, mapping))
    for name in CORNERS:
        marker = groups.get(name)
        parent = marker.getparent() if marker is not None else None
        if marker is not None and parent is not None:
            parent.remove(marker)
    titled = {n.id: (n.title, n.css, n.struck) for n in scene.nodes}
    titled |= {e.id: (e.title, e.css, False) for e in scene.edges}
    titled |= {name: ("", "legend", False) for name, _, _ in scene.legend}
    for element_id, (title, css, struck) in titled.items():
        group = groups[element_id]
        kind = group.get("class", "")
        if css:
            group.set("class", f"{kind} {css}".strip())
        heading = group.find(f"{_SVG}title")
        if heading is not None and title:
            heading.text = svg_text(title)
        if struck:
            for text in group.iter(f"{_SVG}text"):
                text.set("text-decoration", "line-through")
    root.insert(0, stamp_metadata(stamp))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def stamp_metadata(stamp: dict[str, str]) -> etree._Element:
    """The ``<metadata>`` element holding a stamp (attributes sorted, so bytes are stable)."""
    metadata = etree.Element(f"{_SVG}metadata")
    etree.SubElement(
        metadata,
        f"{{{META_NS}}}render",
        attrib=dict(sorted(stamp.items())),
        nsmap={"lastmile": META_NS},
    )
    return metadata


def embeddable(data: bytes, prefix: str) -> etree._Element:
    """One of our SVGs, parsed, to sit beside others in one document: every id prefixed
    ``prefix-`` (no clashes), the render stamp dropped (the document carries its own), the root
    given the id ``prefix``."""
    root = etree.fromstring(data, svg_parser())
    for element in root.iter():
        if element.get("id"):
            element.set("id", f"{prefix}-{element.get('id')}")
    for old in root.findall(f"{_SVG}metadata"):
        root.remove(old)
    root.set("id", prefix)
    return root


def read_stamp(data: bytes) -> dict[str, str] | None:
    """The stamp of an SVG this package wrote, or ``None`` (not ours, or not an SVG)."""
    try:
        root = etree.fromstring(data, svg_parser())
    except etree.XMLSyntaxError:
        return None
    found = root.find(f"{_SVG}metadata/{{{META_NS}}}render")
    return {str(k): str(v) for k, v in found.attrib.items()} if found is not None else None
