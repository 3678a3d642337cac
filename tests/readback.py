"""What headless Chromium drew of our SVG files, as a :class:`~lastmile_flows.layout.check.
Drawing` the collision checks measure (tests/js/geometry.mjs reads the boxes and paths back).

Which drawn thing is what comes from the SVG's own structure: a group with an id directly in
the ``nodes`` group is a node (its first shape is its box); a numbered callout circle is a node of
its own; a group in ``links`` is a route, its path traced back from the sampled points into
right-angled runs, its ends the nodes its first and last point touch. Every other text (lane
headers, heading, legend, findings) is a text of its own, so two that overlap are caught too.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lastmile_flows.layout.check import Drawing, Text, Wire
from lastmile_flows.layout.graph import Point, Rect
from tests.support import run_in_chromium

STRAIGHT = 0.05
"""Sampled points this close in x (or y) are on one vertical (horizontal) run."""
SLANT = 3.0
"""A path slanting for more than this many pixels is not right-angled."""


@dataclass
class ReadBack:
    """One SVG as drawn: the drawing to measure, its texts' sizes, any slanted path."""

    file: str
    drawing: Drawing
    text_px: dict[str, float] = field(default_factory=dict)
    """The smallest font size (screen px) of the texts of each node."""
    slanted: list[str] = field(default_factory=list)
    texts: list[dict[str, Any]] = field(default_factory=list)


def read_back(jobs: list[tuple[Path, float, float]], tmp_path: Path) -> list[ReadBack]:
    """Show each SVG at (width, height) in Chromium and read back what it drew."""
    spec = tmp_path / "jobs.json"
    spec.write_text(
        json.dumps([{"file": str(p.resolve()), "width": w, "height": h} for p, w, h in jobs]),
        encoding="utf-8",
    )
    seen = run_in_chromium("geometry.mjs", spec, home=tmp_path, timeout=600)
    return [_convert(result) for result in seen]


def _is(group: str, name: str) -> bool:
    """Whether ``group`` is the container ``name`` (``before-nodes`` in a side-by-side)."""
    return group == name or group.endswith(f"-{name}")


def _rect(item: dict[str, Any]) -> Rect:
    return Rect(item["x"], item["y"], item["w"], item["h"])


def _convert(result: dict[str, Any]) -> ReadBack:
    drawing = Drawing()
    seen = ReadBack(result["file"], drawing, texts=result["texts"])
    nodes = {s["group"] for s in result["shapes"] if _is(s["parent"], "nodes")}
    links = {s["group"] for s in result["paths"] if _is(s["parent"], "links")}
    for shape in result["shapes"]:
        if shape["group"] in nodes:
            drawing.nodes[shape["group"]] = _rect(shape)
    for callout in result["callouts"]:
        drawing.nodes[f"{callout['group']}-callout-{callout['index']}"] = _rect(callout)
    for index, text in enumerate(result["texts"]):
        group = text["group"]
        box = _rect(text)
        if text["callout"] >= 0:
            owner = f"{group}-callout-{text['callout']}"
            drawing.texts.append(Text(owner, box, on=group))
        elif group in nodes:
            drawing.texts.append(Text(group, box, inside="caption" not in text["cls"].split()))
            seen.text_px[group] = min(seen.text_px.get(group, text["px"]), text["px"])
        elif group in links or group.startswith("lane-") or "-lane-" in group:
            drawing.texts.append(Text(group, box, inside=False))
        else:
            drawing.texts.append(Text(f"{group or 'page'}:{index}", box, inside=False))
    for path in result["paths"]:
        if path["group"] not in links or not path["points"]:
            continue
        points, slanted = _orthogonal([(x, y) for x, y in path["points"]])
        if slanted:
            seen.slanted.append(path["group"])
        ends = frozenset(_touching(drawing.nodes, points[0]) | _touching(drawing.nodes, points[-1]))
        drawing.wires.append(Wire(path["group"], tuple(points), ends, path["arrow"]))
    return seen


def _touching(nodes: dict[str, Rect], point: Point) -> set[str]:
    x, y = point
    return {
        name
        for name, r in nodes.items()
        if r.x - 1.5 <= x <= r.right + 1.5 and r.y - 1.5 <= y <= r.bottom + 1.5
    }


def _orthogonal(samples: list[Point]) -> tuple[list[Point], bool]:
    """The corners of a right-angled path from points sampled along it (a corner falls
    between two samples, so it is where a horizontal run's line meets a vertical run's);
    coordinates rounded to 0.01 px, and whether some stretch slants."""
    runs: list[tuple[str, float, Point, Point]] = []  # (h|v, constant, first, last)
    slant = 0.0
    slanted = False
    for a, b in itertools.pairwise(samples):
        dx, dy = abs(b[0] - a[0]), abs(b[1] - a[1])
        if dx <= STRAIGHT and dy <= STRAIGHT:
            continue
        kind = "h" if dy <= STRAIGHT else "v" if dx <= STRAIGHT else ""
        if not kind:
            slant += (dx * dx + dy * dy) ** 0.5
            slanted = slanted or slant > SLANT
            continue
        slant = 0.0
        constant = a[1] if kind == "h" else a[0]
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1], runs[-1][2], b)
        else:
            runs.append((kind, constant, a, b))
    if not runs:
        return [_round(samples[0]), _round(samples[-1])], slanted
    points = [_round(_on(runs[0], runs[0][2]))]
    for one, two in itertools.pairwise(runs):
        h, v = (one, two) if one[0] == "h" else (two, one)
        points.append(_round((v[1], h[1])))
    points.append(_round(_on(runs[-1], runs[-1][3])))
    return points, slanted


def _on(run: tuple[str, float, Point, Point], point: Point) -> Point:
    return (point[0], run[1]) if run[0] == "h" else (run[1], point[1])


def _round(point: Point) -> Point:
    return (round(point[0], 2), round(point[1], 2))
