"""Columns from Graphviz: ``dot`` ranks the flow (network simplex, the shortest total link
length), and the grid engine does the rest.

Only the links that rank are given to ``dot``, boxes at their sizes, left to right; its
``plain`` output gives each box an x, and boxes with the same x share a column. Ranks are the
one thing Graphviz does here: lanes, rows, routes and the SVG are the engine's, so the picture
is the same whatever Graphviz's version (the ``dot`` backend's ranks may still differ).
Above :data:`MAX_BOXES` boxes the engine's own ranking is used instead (``dot``'s time grows
faster than linearly there, and both give the same columns on the processes measured).
"""

from __future__ import annotations

from lastmile_flows.errors import RenderError
from lastmile_flows.escape import dot_id
from lastmile_flows.layout.backend import Backend
from lastmile_flows.layout.graph import Diagram

__all__ = ["MAX_BOXES", "graphviz_ranks", "ranking_dot", "read_plain"]

MAX_BOXES = 2_000
INCH = 72.0


def ranking_dot(diagram: Diagram, name: str = "flow") -> str:
    """The DOT ``dot`` ranks: the boxes (sizes in inches) and the links that rank."""
    ids = {box.id for box in diagram.boxes}
    lines = [
        f"digraph {dot_id(name)} {{",
        "  graph [rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.5];",
        '  node [shape=box, fixedsize=true, label=""];',
    ]
    for box in diagram.boxes:
        if box.anchor is not None:
            continue
        width, height = box.width / INCH, box.height / INCH
        lines.append(f"  {dot_id(box.id)} [width={width:.3f}, height={height:.3f}];")
    for link in diagram.links:
        if link.ranks and link.source in ids and link.target in ids:
            lines.append(f"  {dot_id(link.source)} -> {dot_id(link.target)};")
    return "\n".join([*lines, "}", ""])


def read_plain(text: str) -> dict[str, tuple[float, float]]:
    """Node name -> (x, y) in inches from Graphviz's ``plain`` output."""
    found: dict[str, tuple[float, float]] = {}
    for line in text.splitlines():
        if not line.startswith("node "):
            continue
        rest = line[5:]
        if rest.startswith('"'):
            name, _, rest = rest[1:].partition('" ')
            name = name.replace('\\"', '"').replace("\\\\", "\\")
        else:
            name, _, rest = rest.partition(" ")
        fields = rest.split(" ", 2)
        try:
            found[name] = (float(fields[0]), float(fields[1]))
        except (IndexError, ValueError):
            raise RenderError(
                f"unexpected line in Graphviz's plain output: {line[:80]!r}"
            ) from None
    return found


def graphviz_ranks(diagram: Diagram, backend: Backend) -> dict[str, int]:
    """The column of every box that no fixed ``rank`` places, from ``dot``."""
    free = [box for box in diagram.boxes if box.rank is None and box.anchor is None]
    if len(free) > MAX_BOXES or not free:
        return {}
    plain = read_plain(backend.run(ranking_dot(diagram), engine="dot", format="plain").decode())
    missing = [box.id for box in free if box.id not in plain]
    if missing:
        raise RenderError(f"Graphviz left out {', '.join(missing[:5])}")
    positions = sorted({round(plain[box.id][0], 2) for box in free})
    index = {x: number for number, x in enumerate(positions)}
    return {box.id: index[round(plain[box.id][0], 2)] for box in free}
