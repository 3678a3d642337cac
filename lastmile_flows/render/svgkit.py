"""The SVG primitives every drawing uses, written with lxml: text lines, rectangles, groups
with a tooltip, arrowheads, numbered callouts. Every string from a model passes
:func:`lastmile_flows.escape.svg_text`; every number is rounded to two decimals."""

from __future__ import annotations

from lxml import etree

from lastmile_flows.escape import svg_text
from lastmile_flows.layout.graph import Rect
from lastmile_flows.layout.text import LINE_HEIGHT
from lastmile_flows.render import theme
from lastmile_flows.render.scene import Callout

__all__ = [
    "BADGE",
    "CALLOUT",
    "SVG",
    "SVG_NS",
    "callouts",
    "document",
    "group",
    "line_height",
    "markers",
    "number",
    "rect",
    "styled",
    "text",
]

SVG_NS = "http://www.w3.org/2000/svg"
SVG = f"{{{SVG_NS}}}"
BADGE = 24.0
"""Height of a row of numbered callouts."""
CALLOUT = 22.0
"""Width one numbered callout takes in its row."""


def number(value: float) -> str:
    """A coordinate as SVG text: at most two decimals, no trailing zeros."""
    text_ = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text_ in ("-0", "") else text_


def document(width: float, height: float) -> etree._Element:
    """An empty ``<svg>`` root of that size (``width``, ``height`` and a ``viewBox`` from 0,0)."""
    return etree.Element(
        f"{SVG}svg",
        nsmap={None: SVG_NS},  # type: ignore[dict-item]
        width=number(width),
        height=number(height),
        viewBox=f"0 0 {number(width)} {number(height)}",
    )


def line_height(size: float) -> float:
    return size * LINE_HEIGHT


def text(
    parent: etree._Element,
    x: float,
    y: float,
    content: str,
    *,
    size: float,
    anchor: str = "middle",
    bold: bool = False,
    fill: str = theme.INK,
    struck: bool = False,
    css: str = "",
) -> etree._Element:
    """One line of text, its line box starting at ``y`` (the baseline is set from it)."""
    attrib = {
        "x": number(x),
        "y": number(y + size * 0.95),
        "font-size": number(size),
        "text-anchor": anchor,
        "fill": fill,
    }
    if bold:
        attrib["font-weight"] = "bold"
    if struck:
        attrib["text-decoration"] = "line-through"
    if css:
        attrib["class"] = css
    element = etree.SubElement(parent, f"{SVG}text", attrib=attrib)
    element.text = svg_text(content)
    return element


def group(parent: etree._Element, element_id: str, css: str, title: str) -> etree._Element:
    """A ``<g>`` with an id (when given), classes and a tooltip (when given)."""
    attrib = {"class": css} if css else {}
    if element_id:
        attrib = {"id": element_id, **attrib}
    found = etree.SubElement(parent, f"{SVG}g", attrib=attrib)
    if title:
        etree.SubElement(found, f"{SVG}title").text = svg_text(title)
    return found


def rect(parent: etree._Element, box: Rect, **attrib: str) -> etree._Element:
    base = {
        "x": number(box.x),
        "y": number(box.y),
        "width": number(box.width),
        "height": number(box.height),
    }
    return etree.SubElement(parent, f"{SVG}rect", attrib={**base, **attrib})


def styled(style: theme.NodeStyle) -> dict[str, str]:
    """Fill, stroke and dash of a node style."""
    attrib = {"fill": style.fill, "stroke": style.border, "stroke-width": number(style.width)}
    if style.dash:
        attrib["stroke-dasharray"] = style.dash
    return attrib


def markers(root: etree._Element) -> None:
    """One arrowhead per link style, 10 px long whatever the stroke width."""
    defs = etree.SubElement(root, f"{SVG}defs")
    for key, style in theme.LINK_STYLE.items():
        marker = etree.SubElement(
            defs,
            f"{SVG}marker",
            id=f"arrow-{key}",
            viewBox="0 0 10 10",
            refX="10",
            refY="5",
            markerWidth="10",
            markerHeight="10",
            markerUnits="userSpaceOnUse",
            orient="auto",
        )
        etree.SubElement(marker, f"{SVG}path", d="M0,0 L10,5 L0,10 z", fill=style.colour)


def callouts(
    parent: etree._Element, found: tuple[Callout, ...], x: float, y: float, size: float = 12.0
) -> None:
    """Numbered circles in a row from ``x``, the row's top at ``y``; the finding in words in
    each circle's tooltip."""
    for index, callout in enumerate(found):
        centre = x + CALLOUT / 2 + index * CALLOUT
        item = group(
            parent,
            "",
            f"callout {callout.severity}",
            f"{callout.number}. {callout.text}"
            + (f" ({callout.detail})" if callout.detail else ""),
        )
        etree.SubElement(
            item,
            f"{SVG}circle",
            cx=number(centre),
            cy=number(y + BADGE / 2),
            r="10.5",
            fill=theme.SEVERITY_COLOUR.get(callout.severity, theme.RED),
        )
        text(
            item,
            centre,
            y + BADGE / 2 - size * 0.6,
            str(callout.number),
            size=size,
            bold=True,
            fill="#ffffff",
        )
