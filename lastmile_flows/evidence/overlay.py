"""Conformance drawn on the process diagram: ``conformance_svg(process, result)``.

The base diagram is :func:`lastmile_flows.render.render_svg`'s; this module only adds to its
lxml tree (never builds XML from strings):

- each step practice skips is shaded from white to amber by the share of the cases reaching it
  that skip it, with that share under it and in its tooltip (``class="skipped"``);
- each undocumented activity is a dashed *ghost* step beside the diagram, level with the step
  it most often follows (to the right of a top-to-bottom diagram, below a left-to-right one),
  with its share of the cases (``class="ghost undocumented"``, id ``ghost-<n>``), joined to that
  step by a dashed line; the canvas grows to hold them.

:func:`overlay_data` gives the same as data, for a renderer that draws it itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from lastmile_flows.escape import plain_text, svg_text
from lastmile_flows.evidence.conform import Conformance
from lastmile_flows.model import Process
from lastmile_flows.render.svg import SVG_NS, svg_parser

__all__ = ["Ghost", "OverlayData", "conformance_svg", "overlay_data"]

_SVG = f"{{{SVG_NS}}}"
GHOST_WIDTH, GHOST_HEIGHT, GHOST_GAP = 180.0, 40.0, 18.0
MIN_GHOST_SHARE = 0.01
"""Undocumented activities in fewer cases than this share are not drawn (the JSON lists them)."""
FONT = "Helvetica,sans-Serif"


@dataclass(frozen=True)
class Ghost:
    """An undocumented activity to draw near ``after`` (a step id, or none)."""

    activity: str
    share: float
    cases: int
    after: str | None


@dataclass(frozen=True)
class OverlayData:
    """Per step, the share of the cases reaching it that skip it; the ghosts to draw."""

    skipped: dict[str, float]
    ghosts: tuple[Ghost, ...]


def overlay_data(result: Conformance, *, min_share: float = MIN_GHOST_SHARE) -> OverlayData:
    """What the overlay draws, as data (shares rounded to 4 places)."""
    skipped = {
        d.name: round(d.cases / result.step_cases[d.name], 4)
        for d in result.skipped
        if result.step_cases.get(d.name)
    }
    ghosts = tuple(
        Ghost(d.name, d.share, d.cases, d.after)
        for d in result.undocumented
        if d.share >= min_share
    )
    return OverlayData(skipped, ghosts)


def _shade(share: float) -> str:
    """White (0) to amber (1)."""
    low, high = (255, 255, 255), (246, 173, 85)
    mix = [round(a + (b - a) * min(1.0, max(0.0, share))) for a, b in zip(low, high, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _box(group: etree._Element) -> tuple[float, float, float, float] | None:
    """x0, y0, x1, y1 of a node's outline (its path or polygon)."""
    shape = group.find(f"{_SVG}path")
    if shape is None:
        shape = group.find(f"{_SVG}polygon")
    if shape is None:
        return None
    numbers = [
        float(n)
        for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d") or shape.get("points") or "")
    ]
    xs, ys = numbers[0::2], numbers[1::2]
    if not xs or not ys:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _text(parent: etree._Element, x: float, y: float, text: str, **style: str) -> None:
    element = etree.SubElement(parent, f"{_SVG}text")
    element.set("x", f"{x:.2f}")
    element.set("y", f"{y:.2f}")
    element.set("text-anchor", "middle")
    element.set("font-family", FONT)
    element.set("font-size", style.get("size", "11"))
    element.set("fill", style.get("fill", "#1a202c"))
    element.text = plain_text(text)


def conformance_svg(
    process: Process,
    result: Conformance,
    *,
    backend: Any = "wasm",
    min_share: float = MIN_GHOST_SHARE,
) -> str:
    """The process diagram with the conformance overlay (see the module docstring)."""
    from lastmile_flows.render import render_svg

    root = etree.fromstring(render_svg(process, backend=backend).encode("utf-8"), svg_parser())
    data = overlay_data(result, min_share=min_share)
    graph = root.find(f"{_SVG}g")
    assert graph is not None
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for group in graph.iter(f"{_SVG}g"):
        ident = group.get("id") or ""
        if ident.startswith("step-"):
            box = _box(group)
            if box is not None:
                boxes[ident[5:]] = box
            step_id = ident[5:]
            if step_id in data.skipped:
                _mark_skipped(group, box, data.skipped[step_id])
    _place_ghosts(root, graph, data.ghosts, boxes)
    body: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return body.decode("utf-8")


def _mark_skipped(
    group: etree._Element, box: tuple[float, float, float, float] | None, share: float
) -> None:
    group.set("class", (group.get("class") or "") + " skipped")
    shape = group.find(f"{_SVG}path")
    if shape is None:
        shape = group.find(f"{_SVG}polygon")
    if shape is not None:
        shape.set("fill", _shade(share))
    title = group.find(f"{_SVG}title")
    if title is not None:
        title.text = (title.text or "") + f"\nSkipped in {share:.0%} of the cases reaching it"
    if box is not None:
        _text(group, (box[0] + box[2]) / 2, box[3] + 12, f"skipped {share:.0%}", fill="#9c4221")


def _place_ghosts(
    root: etree._Element,
    graph: etree._Element,
    ghosts: tuple[Ghost, ...],
    boxes: dict[str, tuple[float, float, float, float]],
) -> None:
    """Ghosts beside the diagram, level with the step they follow: in a column to the right
    of a tall (top-to-bottom) diagram, in a row below a wide one; the canvas grows."""
    if not ghosts:
        return
    width = float((root.get("width") or "0").removesuffix("pt"))
    height = float((root.get("height") or "0").removesuffix("pt"))
    tall = height > width
    left = max((box[2] for box in boxes.values()), default=0.0) + 3 * GHOST_GAP
    bottom = max((box[3] for box in boxes.values()), default=0.0) + 3 * GHOST_GAP
    taken: list[float] = []
    for number, ghost in enumerate(ghosts, start=1):
        anchor = boxes.get(ghost.after or "")
        if tall:
            wanted = anchor[1] if anchor else -height + GHOST_GAP * number
            where = _free(wanted, taken, GHOST_HEIGHT + GHOST_GAP)
            x0, top = left, where
        else:
            wanted = anchor[0] if anchor else GHOST_GAP * number
            where = _free(wanted, taken, GHOST_WIDTH + GHOST_GAP)
            x0, top = where, bottom
        taken.append(where)
        _ghost(graph, number, ghost, x0, top, anchor, tall)
    if tall:
        _grow(root, graph, right=GHOST_WIDTH + 4 * GHOST_GAP)
    else:
        _grow(root, graph, below=GHOST_HEIGHT + 4 * GHOST_GAP)


def _free(wanted: float, taken: list[float], size: float) -> float:
    """``wanted``, or the nearest place after it that overlaps no ghost placed already."""
    place = wanted
    while any(abs(place - other) < size for other in taken):
        place = max(other for other in taken if abs(place - other) < size) + size
    return place


def _ghost(
    graph: etree._Element,
    number: int,
    ghost: Ghost,
    x0: float,
    top: float,
    anchor: tuple[float, float, float, float] | None,
    tall: bool,
) -> None:
    group = etree.SubElement(graph, f"{_SVG}g")
    group.set("id", f"ghost-{number}")
    group.set("class", "ghost undocumented")
    title = etree.SubElement(group, f"{_SVG}title")
    title.text = svg_text(
        f"Undocumented activity: {ghost.activity}\nIn {ghost.cases:,} cases ({ghost.share:.1%})"
        + (f"\nMostly after step {ghost.after}" if ghost.after else "")
    )
    if anchor is not None:
        line = etree.SubElement(group, f"{_SVG}path")
        if tall:
            middle = (anchor[1] + anchor[3]) / 2
            start, end = (anchor[2], middle), (x0, top + GHOST_HEIGHT / 2)
        else:
            middle = (anchor[0] + anchor[2]) / 2
            start, end = (middle, anchor[3]), (x0 + GHOST_WIDTH / 2, top)
        line.set("d", f"M{start[0]:.2f},{start[1]:.2f}L{end[0]:.2f},{end[1]:.2f}")
        line.set("stroke", "#718096")
        line.set("stroke-dasharray", "4 3")
        line.set("fill", "none")
    rect = etree.SubElement(group, f"{_SVG}rect")
    for key, value in (("x", x0), ("y", top), ("width", GHOST_WIDTH), ("height", GHOST_HEIGHT)):
        rect.set(key, f"{value:.2f}")
    rect.set("rx", "6")
    rect.set("fill", "#ffffff")
    rect.set("fill-opacity", "0.6")
    rect.set("stroke", "#718096")
    rect.set("stroke-dasharray", "6 4")
    name = ghost.activity if len(ghost.activity) <= 28 else ghost.activity[:27] + "\u2026"
    _text(group, x0 + GHOST_WIDTH / 2, top + 17, name)
    _text(
        group,
        x0 + GHOST_WIDTH / 2,
        top + 32,
        f"not in the model: {ghost.share:.1%} of cases",
        size="9",
        fill="#4a5568",
    )


def _grow(
    root: etree._Element, graph: etree._Element, *, right: float = 0.0, below: float = 0.0
) -> None:
    """Make the canvas wider (to the right) or taller (below; the graph's y axis points up)."""
    width = float((root.get("width") or "0").removesuffix("pt"))
    height = float((root.get("height") or "0").removesuffix("pt"))
    box = [float(n) for n in (root.get("viewBox") or "0 0 0 0").split()]
    root.set("width", f"{width + right:.0f}pt")
    root.set("height", f"{height + below:.0f}pt")
    root.set("viewBox", f"{box[0]:.2f} {box[1]:.2f} {box[2] + right:.2f} {box[3] + below:.2f}")
    background = graph.find(f"{_SVG}polygon")
    if background is None:
        return
    points = [[float(v) for v in p.split(",")] for p in (background.get("points") or "").split()]
    if not points:
        return
    high_x, high_y = max(x for x, _ in points), max(y for _, y in points)
    moved = [(x + right if x == high_x else x, y + below if y == high_y else y) for x, y in points]
    background.set("points", " ".join(f"{x:.2f},{y:.2f}" for x, y in moved))
