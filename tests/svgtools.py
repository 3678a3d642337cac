"""Reading our SVGs in tests: ids, classes, the text shown in an element; and how much of a
screenshot is not blank."""

from __future__ import annotations

import struct
import zlib

from lxml import etree

from lastmile_flows.render.svg import SVG_NS, svg_parser

SVG = f"{{{SVG_NS}}}"


def parse(svg: str | bytes) -> etree._Element:
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    return etree.fromstring(data, svg_parser())


def groups(root: etree._Element) -> dict[str, etree._Element]:
    return {str(g.get("id")): g for g in root.iter(f"{SVG}g") if g.get("id")}


def shown_lines(group: etree._Element) -> list[str]:
    """The text lines drawn in a group (not its tooltip)."""
    return [t.text or "" for t in group.iter(f"{SVG}text")]


def tooltip(group: etree._Element) -> str:
    title = group.find(f"{SVG}title")
    return title.text or "" if title is not None else ""


def classes(group: etree._Element) -> set[str]:
    return set((group.get("class") or "").split())


def png_ink(png: bytes) -> float:
    """Share of bytes in the decoded image rows that are not white (0xff)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data = 8, b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        if kind == b"IDAT":
            data += png[position + 8 : position + 8 + length]
        position += 12 + length
    raw = zlib.decompress(data)
    return sum(1 for byte in raw[::7] if byte != 0xFF) / max(1, len(raw[::7]))
