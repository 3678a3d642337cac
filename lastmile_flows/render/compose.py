"""Two finished SVGs side by side, before | after, in one SVG file."""

from __future__ import annotations

from lxml import etree

from lastmile_flows.render.dot import number
from lastmile_flows.render.svg import SVG_NS, embeddable, stamp_metadata

__all__ = ["side_by_side"]

_SVG = f"{{{SVG_NS}}}"
GAP = 48.0
HEADING = 44.0


def _size(root: etree._Element) -> tuple[float, float]:
    box = (root.get("viewBox") or "0 0 100 100").split()
    return float(box[2]), float(box[3])


def side_by_side(before: bytes, after: bytes, *, stamp: dict[str, str]) -> bytes:
    """One SVG: ``before`` on the left, ``after`` on the right, headed, ids prefixed
    ``before-`` and ``after-`` so both stay addressable."""
    parts = [embeddable(data, name) for name, data in (("before", before), ("after", after))]
    sizes = [_size(part) for part in parts]
    width = sizes[0][0] + GAP + sizes[1][0]
    height = HEADING + max(h for _, h in sizes)
    root = etree.Element(
        f"{_SVG}svg",
        nsmap={None: SVG_NS, "xlink": "http://www.w3.org/1999/xlink"},  # type: ignore[dict-item]
        width=f"{number(width)}pt",
        height=f"{number(height)}pt",
        viewBox=f"0 0 {number(width)} {number(height)}",
    )
    root.append(stamp_metadata(stamp))
    etree.SubElement(
        root, f"{_SVG}rect", width=number(width), height=number(height), fill="#ffffff"
    )
    x = 0.0
    for name, part, (w, h) in zip(("before", "after"), parts, sizes, strict=True):
        heading = etree.SubElement(
            root,
            f"{_SVG}text",
            x=number(x + 20),
            y="30",
            attrib={
                "font-family": "Helvetica,sans-Serif",
                "font-size": "26",
                "font-weight": "bold",
                "fill": "#1a202c",
            },
        )
        heading.text = name.capitalize()
        part.set("x", number(x))
        part.set("y", number(HEADING))
        part.set("width", number(w))
        part.set("height", number(h))
        root.append(part)
        x += w + GAP
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
