"""Finishing touches on our SVGs: the stamp that makes them checkable without drawing, and
embedding one SVG beside others without id clashes.

SVG read back is parsed with the one hardened parser (no DTD, no entities, no network).
"""

from __future__ import annotations

import re

from lxml import etree

from lastmile_flows.render.svgkit import SVG, SVG_NS
from lastmile_flows.xmlparser import safe_parser

__all__ = ["META_NS", "SVG_NS", "embeddable", "read_stamp", "stamp_metadata", "svg_parser"]

META_NS = "urn:lastmile-flows:render"
"""Namespace of the ``<metadata>`` stamp: what the SVG was drawn from, by what."""
_REFERENCE = re.compile(r"url\(#([^)]+)\)")


def svg_parser() -> etree.XMLParser:
    """The hardened parser, dropping comments."""
    return safe_parser(remove_comments=True)


def stamp_metadata(stamp: dict[str, str]) -> etree._Element:
    """The ``<metadata>`` element holding a stamp (attributes sorted, so bytes are stable)."""
    metadata = etree.Element(f"{SVG}metadata")
    etree.SubElement(
        metadata,
        f"{{{META_NS}}}render",
        attrib=dict(sorted(stamp.items())),
        nsmap={"lastmile": META_NS},
    )
    return metadata


def embeddable(data: bytes | etree._Element, prefix: str) -> etree._Element:
    """One of our SVGs, to sit beside others in one document: every id prefixed ``prefix-``
    (and every ``url(#...)`` reference to one), the render stamp dropped (the document carries
    its own), the root given the id ``prefix``."""
    root = etree.fromstring(data, svg_parser()) if isinstance(data, bytes) else data
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("id"):
            element.set("id", f"{prefix}-{element.get('id')}")
        for name, value in element.attrib.items():
            text = str(value)
            if "url(#" in text:
                element.set(name, _REFERENCE.sub(lambda m: f"url(#{prefix}-{m.group(1)})", text))
    for old in root.findall(f"{SVG}metadata"):
        root.remove(old)
    root.set("id", prefix)
    return root


def read_stamp(data: bytes) -> dict[str, str] | None:
    """The stamp of an SVG this package wrote, or ``None`` (not ours, or not an SVG)."""
    try:
        root = etree.fromstring(data, svg_parser())
    except etree.XMLSyntaxError:
        return None
    found = root.find(f"{SVG}metadata/{{{META_NS}}}render")
    return {str(k): str(v) for k, v in found.attrib.items()} if found is not None else None
