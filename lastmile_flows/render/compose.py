"""Several finished SVGs in one: before | after side by side, or slides one under another."""

from __future__ import annotations

from lxml import etree

from lastmile_flows.render.svg import embeddable
from lastmile_flows.render.svgkit import SVG_NS, document, number

__all__ = ["side_by_side", "stacked"]

_SVG = f"{{{SVG_NS}}}"
GAP = 48.0


def _size(root: etree._Element) -> tuple[float, float]:
    box = (root.get("viewBox") or "0 0 100 100").split()
    return float(box[2]), float(box[3])


def _frame(width: float, height: float, title: str) -> etree._Element:
    root = document(width, height)
    etree.SubElement(root, f"{_SVG}title").text = title
    etree.SubElement(
        root, f"{_SVG}rect", width=number(width), height=number(height), fill="#ffffff"
    )
    return root


def side_by_side(before: etree._Element, after: etree._Element) -> etree._Element:
    """``before`` on the left, ``after`` on the right, ids prefixed ``before-`` and ``after-``
    so both stay addressable (their lanes already line up: same order, same heights)."""
    parts = [embeddable(root, name) for name, root in (("before", before), ("after", after))]
    sizes = [_size(part) for part in parts]
    width = sizes[0][0] + GAP + sizes[1][0]
    height = max(h for _, h in sizes)
    root = _frame(width, height, "Before and after")
    x = 0.0
    for part, (w, h) in zip(parts, sizes, strict=True):
        part.set("x", number(x))
        part.set("y", "0")
        part.set("width", number(w))
        part.set("height", number(h))
        root.append(part)
        x += w + GAP
    return root


def stacked(roots: list[etree._Element]) -> etree._Element:
    """Slides one under the other, ids prefixed ``slide-1-``, ``slide-2-``, ..."""
    parts = [embeddable(root, f"slide-{n}") for n, root in enumerate(roots, start=1)]
    sizes = [_size(part) for part in parts]
    width = max(w for w, _ in sizes)
    height = sum(h for _, h in sizes) + GAP * (len(parts) - 1)
    root = _frame(width, height, "Slides")
    y = 0.0
    for part, (w, h) in zip(parts, sizes, strict=True):
        part.set("x", "0")
        part.set("y", number(y))
        part.set("width", number(w))
        part.set("height", number(h))
        root.append(part)
        y += h + GAP
    return root
