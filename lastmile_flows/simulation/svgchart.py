"""A small, deterministic SVG writer for charts: lxml elements, numbers rounded on purpose,
every text through :mod:`lastmile_flows.escape`, nothing built from strings.

Charts are drawn on a 1200 x 675 canvas (16:9); text is 15 units or larger, so it stays at
least 12 pixels high when the chart is fitted to a 1920 x 1080 slide (or shown at 800 wide).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from lxml import etree

from lastmile_flows.escape import plain_text, svg_text

__all__ = ["FONT", "MIN_TEXT", "PALETTE", "Canvas", "Panel", "nice_ticks", "number"]

SVG_NS = "http://www.w3.org/2000/svg"
_SVG = f"{{{SVG_NS}}}"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
MIN_TEXT = 15.0
PALETTE = ("#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#475569")


def number(value: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low`` to ``high`` (about ``count`` of them)."""
    if not math.isfinite(low) or not math.isfinite(high) or high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


class Canvas:
    """An SVG document with a title; elements are added in drawing order."""

    def __init__(self, ident: str, title: str, *, width: float = 1200, height: float = 675) -> None:
        self.width, self.height = width, height
        self.root = etree.Element(
            _SVG + "svg",
            nsmap={None: SVG_NS},  # type: ignore[dict-item]
            attrib={
                "id": ident,
                "viewBox": f"0 0 {number(width)} {number(height)}",
                "width": number(width),
                "height": number(height),
                "role": "img",
                "aria-label": plain_text(title),
                "font-family": FONT,
            },
        )
        etree.SubElement(self.root, _SVG + "title").text = svg_text(title)
        self.rect(0, 0, width, height, fill="#ffffff")

    def element(
        self, tag: str, attrib: dict[str, str], parent: etree._Element | None = None
    ) -> etree._Element:
        return etree.SubElement(self.root if parent is None else parent, _SVG + tag, attrib=attrib)

    def group(self, cls: str, *, ident: str | None = None) -> etree._Element:
        attrib = {"class": cls} | ({"id": ident} if ident else {})
        return self.element("g", attrib)

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str = "none",
             stroke: str | None = None, parent: etree._Element | None = None) -> None:  # fmt: skip
        attrib = {"x": number(x), "y": number(y), "width": number(w), "height": number(h),
                  "fill": fill}  # fmt: skip
        if stroke:
            attrib["stroke"] = stroke
        self.element("rect", attrib, parent)

    def line(self, x1: float, y1: float, x2: float, y2: float, *, stroke: str = "#94a3b8",
             width: float = 1, dash: str | None = None,
             parent: etree._Element | None = None) -> None:  # fmt: skip
        attrib = {"x1": number(x1), "y1": number(y1), "x2": number(x2), "y2": number(y2),
                  "stroke": stroke, "stroke-width": number(width)}  # fmt: skip
        if dash:
            attrib["stroke-dasharray"] = dash
        self.element("line", attrib, parent)

    def polyline(self, points: Sequence[tuple[float, float]], *, stroke: str, width: float = 3,
                 dash: str | None = None, parent: etree._Element | None = None,
                 title: str | None = None) -> None:  # fmt: skip
        if not points:
            return
        attrib = {"points": " ".join(f"{number(x)},{number(y)}" for x, y in points),
                  "fill": "none", "stroke": stroke, "stroke-width": number(width),
                  "stroke-linejoin": "round"}  # fmt: skip
        if dash:
            attrib["stroke-dasharray"] = dash
        element = self.element("polyline", attrib, parent)
        if title:
            etree.SubElement(element, _SVG + "title").text = svg_text(title)

    def circle(self, x: float, y: float, r: float, *, fill: str,
               parent: etree._Element | None = None, title: str | None = None) -> None:  # fmt: skip
        attrib = {"cx": number(x), "cy": number(y), "r": number(r), "fill": fill}
        element = self.element("circle", attrib, parent)
        if title:
            etree.SubElement(element, _SVG + "title").text = svg_text(title)

    def text(self, x: float, y: float, content: str, *, size: float = 16, anchor: str = "start",
             weight: str | None = None, fill: str = "#1e293b", rotate: bool = False,
             parent: etree._Element | None = None) -> None:  # fmt: skip
        attrib = {"x": number(x), "y": number(y), "font-size": number(max(size, MIN_TEXT)),
                  "text-anchor": anchor, "fill": fill}  # fmt: skip
        if weight:
            attrib["font-weight"] = weight
        if rotate:
            attrib["transform"] = f"rotate(-90 {number(x)} {number(y)})"
        self.element("text", attrib, parent).text = plain_text(content)

    def to_string(self) -> str:
        """The SVG document, with its XML declaration (as the process diagrams have)."""
        data = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return data.decode("utf-8")


class Panel:
    """A plot area with axes: maps data to canvas coordinates and draws ticks and labels."""

    def __init__(self, canvas: Canvas, box: tuple[float, float, float, float],
                 x_range: tuple[float, float], y_range: tuple[float, float], *,
                 x_label: str, y_label: str, title: str = "",
                 x_format: Callable[[float], str] = lambda v: f"{v:g}",
                 y_format: Callable[[float], str] = lambda v: f"{v:g}") -> None:  # fmt: skip
        self.canvas = canvas
        self.left, self.top, self.width, self.height = box
        self.x_ticks = nice_ticks(*x_range)
        self.y_ticks = nice_ticks(*y_range)
        self.x0, self.x1 = self.x_ticks[0], self.x_ticks[-1]
        self.y0, self.y1 = self.y_ticks[0], self.y_ticks[-1]
        group = canvas.group("axes")
        for tick in self.y_ticks:
            y = self.y(tick)
            canvas.line(self.left, y, self.left + self.width, y, stroke="#e2e8f0", parent=group)
            canvas.text(self.left - 8, y + 5, y_format(tick), anchor="end", parent=group)
        for tick in self.x_ticks:
            x = self.x(tick)
            canvas.line(x, self.top + self.height, x, self.top + self.height + 6, parent=group)
            canvas.text(x, self.top + self.height + 24, x_format(tick), anchor="middle",
                        parent=group)  # fmt: skip
        canvas.rect(self.left, self.top, self.width, self.height, stroke="#64748b", parent=group)
        canvas.text(self.left + self.width / 2, self.top + self.height + 48, x_label,
                    anchor="middle", parent=group)  # fmt: skip
        canvas.text(self.left - 62, self.top + self.height / 2, y_label, anchor="middle",
                    rotate=True, parent=group)  # fmt: skip
        if title:
            canvas.text(self.left, self.top - 12, title, size=18, weight="bold", parent=group)

    def x(self, value: float) -> float:
        span = (self.x1 - self.x0) or 1.0
        return self.left + (min(max(value, self.x0), self.x1) - self.x0) / span * self.width

    def y(self, value: float) -> float:
        span = (self.y1 - self.y0) or 1.0
        clamped = min(max(value, self.y0), self.y1)
        return self.top + self.height - (clamped - self.y0) / span * self.height
