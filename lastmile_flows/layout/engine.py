"""The layout engine: a grid of lanes by columns, with every route in the gaps of the grid.

The picture is a grid. Columns come from :mod:`~lastmile_flows.layout.ranking`; lanes are
bands in the order :mod:`~lastmile_flows.layout.lanes` chooses; a lane holds one row (track)
per box it has to stack in one column. Between columns run *channels*, above every row run
*corridors*: boxes, edge cases and badges live only in cells, routes only in channels and
corridors, so a route never passes through a box or a label that is not its own.

A link is drawn in one of three ways:

- *straight*, when its ends share a row and nothing stands between them;
- through the channel between adjacent columns: right from the source, along the channel,
  right into the target;
- otherwise right into the channel after the source, along a corridor (above the target's row
  when the link goes forwards, above the source's row when it loops back), and down the
  channel before the target into it.

Every vertical run in a channel and every horizontal run in a corridor gets its own track
(greedy interval colouring), so no two routes overlap; a channel is as wide as its tracks and
the labels of the links that enter the next column need; a label sits above the stub that
enters its target, in a zone of the channel no vertical run reaches. All of it is arithmetic
on the model's own order: the same diagram gives the same numbers on every machine, in time
linear in the number of links (times the tracks of a channel).

The grid (columns, rows, kinds, stubs and tracks) is worked out in
:mod:`~lastmile_flows.layout.grid`, the coordinates in :mod:`~lastmile_flows.layout.coordinates`.
"""

from __future__ import annotations

from lastmile_flows.layout.coordinates import place
from lastmile_flows.layout.graph import Diagram, Layout
from lastmile_flows.layout.grid import Grid

__all__ = ["lay_out"]


def lay_out(diagram: Diagram) -> Layout:
    """Place every box and attachment and route every link (see the module docstring)."""
    grid = Grid(diagram)
    grid.classify()
    grid.slot()
    grid.route()
    return place(grid)
