"""Coordinates of a routed grid: column and channel widths, row and corridor heights, and from
them every box, attachment, badge, caption, lane band and route (see
:mod:`~lastmile_flows.layout.engine`).
"""

from __future__ import annotations

from collections import defaultdict

from lastmile_flows.layout.graph import Layout, Point, Rect, Route, straighten
from lastmile_flows.layout.grid import CAPTION_GAP, Grid, GridLink

__all__ = ["place"]

CHANNEL_LEFT = 18.0
"""From a column to the first track of the channel after it."""
CHANNEL_RIGHT = 14.0
"""From the label zone to the next column (room for the arrowhead)."""
TRACK = 12.0
LABEL_GAP = 8.0
CHANNEL_MIN = 48.0
CORRIDOR_PAD = 9.0
CORRIDOR_TRACK = 10.0
CORRIDOR_MIN = 18.0
ROW_PAD = 6.0
LABEL_LIFT = 6.0
"""From a stub up to the bottom of its label (clear of the arrowhead)."""
MARGIN = 16.0


def place(grid: Grid) -> Layout:
    """Coordinates for every box, attachment, badge, caption, lane and route of ``grid``."""
    widths = _widths(grid)
    zones = _zones(grid)
    channel_x, column_x, total_width = _across(grid, widths, zones)
    rows, corridors, lanes, total_height = _rows(grid)
    rects: dict[str, Rect] = {}
    attachments: dict[str, Rect] = {}
    badges: dict[str, Rect] = {}
    captions: dict[str, Rect] = {}
    for box_id, box in grid.boxes.items():
        column = grid.column[box_id]
        centre_x = column_x[column] + widths[column] / 2
        centre_y = rows[grid.row(box_id)]
        height = grid.height[box_id]
        rect = Rect(centre_x - box.width / 2, centre_y - height / 2, box.width, height)
        rects[box_id] = rect
        if box.badge:
            badges[box_id] = Rect(rect.x, rect.y - box.badge - 2, box.width, box.badge)
        if box.caption:
            width, tall = box.caption
            captions[box_id] = Rect(
                centre_x - CAPTION_GAP - width, rect.bottom + CAPTION_GAP, width, tall
            )
        for attachment_id in grid.attached[box_id]:
            attachment = grid.attachment[attachment_id]
            middle = centre_y + grid.offsets[attachment_id]
            attachments[attachment_id] = Rect(
                centre_x - attachment.width / 2,
                middle - attachment.height / 2,
                attachment.width,
                attachment.height,
            )
    routes = {
        item.link.id: _path(grid, item, rects, attachments, channel_x, zones, corridors)
        for item in grid.links
    }
    return Layout(
        boxes=rects,
        attachments=attachments,
        lanes={lane: Rect(0.0, top, total_width, height) for lane, (top, height) in lanes.items()},
        routes=routes,
        width=total_width,
        height=total_height,
        order=tuple(grid.order),
        columns=dict(grid.column),
        badges=badges,
        captions=captions,
    )


def _widths(grid: Grid) -> list[float]:
    """Each column's width: its widest box, caption or attachment."""
    widths = [0.0] * (max(grid.column.values(), default=-1) + 1)
    for box_id, box in grid.boxes.items():
        column = grid.column[box_id]
        widths[column] = max(widths[column], box.width)
        if box.caption:
            widths[column] = max(widths[column], 2 * (box.caption[0] + CAPTION_GAP))
        for attachment_id in grid.attached[box_id]:
            widths[column] = max(widths[column], grid.attachment[attachment_id].width)
    return widths


def _zones(grid: Grid) -> dict[int, float]:
    """Each channel's label zone: as wide as the widest label of a link into the next column."""
    zones: dict[int, float] = defaultdict(float)
    for item in grid.links:
        if item.link.label is not None:
            channel = grid.column[item.link.target] - 1
            zones[channel] = max(zones[channel], item.link.label[0] + LABEL_GAP)
    return zones


def _across(
    grid: Grid, widths: list[float], zones: dict[int, float]
) -> tuple[dict[int, float], list[float], float]:
    """The left edge of every channel (channel -1 runs before the first column) and of every
    column, and the total width: a channel as wide as its tracks and label zone need."""
    count = len(widths)
    channel_x: dict[int, float] = {}
    column_x: list[float] = []
    x = grid.diagram.header
    for channel in range(-1, count):
        channel_x[channel] = x
        tracks = grid.channel_count.get(channel, 0)
        x += max(CHANNEL_MIN, CHANNEL_LEFT + tracks * TRACK + zones[channel] + CHANNEL_RIGHT)
        if channel + 1 < count:
            column_x.append(x)
            x += widths[channel + 1]
    return channel_x, column_x, x + MARGIN


def _rows(
    grid: Grid,
) -> tuple[
    dict[tuple[str, int], float],
    dict[tuple[int, int], float],
    dict[str, tuple[float, float]],
    float,
]:
    """Centre line of every row, top of every corridor, every lane's band, total height."""
    above: dict[tuple[str, int], float] = defaultdict(float)
    below: dict[tuple[str, int], float] = defaultdict(float)
    for box_id, box in grid.boxes.items():
        row = grid.row(box_id)
        half = grid.height[box_id] / 2
        upper = half + box.badge + 2
        lower = half + (box.caption[1] + CAPTION_GAP if box.caption else 0.0)
        for item in grid.entries[box_id]:
            lift = (item.link.label[1] + LABEL_LIFT) if item.link.label else 0.0
            upper = max(upper, -item.entry + lift)
            lower = max(lower, item.entry)
        for item in grid.exits[box_id]:
            upper = max(upper, -item.exit)
            lower = max(lower, item.exit)
        for attachment_id in grid.attached[box_id]:
            lower = max(
                lower, grid.offsets[attachment_id] + grid.attachment[attachment_id].height / 2
            )
        above[row] = max(above[row], upper)
        below[row] = max(below[row], lower)
    centres: dict[tuple[str, int], float] = {}
    corridors: dict[tuple[int, int], float] = {}
    lanes: dict[str, tuple[float, float]] = {}
    y = MARGIN
    for index, lane in enumerate(grid.order):
        top = y
        for track in range(max(1, grid.tracks_in[lane])):
            corridors[(index, track)] = y
            y += _corridor_height(grid, index, track)
            y += above[(lane, track)] + ROW_PAD
            centres[(lane, track)] = y
            y += below[(lane, track)] + ROW_PAD
        y += CORRIDOR_MIN / 2
        wanted = grid.diagram.lane_heights.get(lane, 0.0)
        if y - top < wanted:
            y = top + wanted
        lanes[lane] = (top, y - top)
    return centres, corridors, lanes, y + MARGIN


def _corridor_height(grid: Grid, lane: int, track: int) -> float:
    """How tall a corridor is: as its tracks need, at least :data:`CORRIDOR_MIN`."""
    tracks = grid.corridor_count.get((lane, track), 0)
    if not tracks:
        return CORRIDOR_MIN
    return max(CORRIDOR_MIN, 2 * CORRIDOR_PAD + (tracks - 1) * CORRIDOR_TRACK)


def _path(
    grid: Grid,
    item: GridLink,
    rects: dict[str, Rect],
    attachments: dict[str, Rect],
    channel_x: dict[int, float],
    zones: dict[int, float],
    corridors: dict[tuple[int, int], float],
) -> Route:
    """The route of ``item``: its stubs, its runs along its tracks, and its label's box."""
    source, target = item.source_box, item.link.target
    box = grid.boxes[source]
    if item.link.source in attachments:
        rect = attachments[item.link.source]
        start: list[Point] = [(rect.right, rects[source].cy + item.exit)]
    else:
        spread = _spread(grid, source, item.exit, rects[source], entry=False)
        start = _leave(rects[source], box.shape, item.exit, spread)
    spread = _spread(grid, target, item.entry, rects[target], entry=True)
    end = _enter(rects[target], grid.boxes[target].shape, item.entry, spread)
    exit_y, entry_y = start[-1][1], end[0][1]
    points = list(start)
    start_column, end_column = grid.column[source], grid.column[target]

    def track_x(channel: int) -> float:
        return channel_x[channel] + CHANNEL_LEFT + item.tracks.get(channel, 0) * TRACK

    if item.kind == "adjacent":
        x = track_x(start_column)
        points += [(x, exit_y), (x, entry_y)]
    elif item.kind == "corridor" and item.corridor is not None:
        y = corridors[item.corridor] + CORRIDOR_PAD + item.corridor_track * CORRIDOR_TRACK
        first, last = track_x(start_column), track_x(end_column - 1)
        points += [(first, exit_y), (first, y), (last, y), (last, entry_y)]
    points += end
    label = None
    if item.link.label is not None:
        channel = end_column - 1
        tracks = grid.channel_count.get(channel, 0)
        zone = channel_x[channel] + CHANNEL_LEFT + tracks * TRACK + 2
        width, height = item.link.label
        label = Rect(zone, entry_y - LABEL_LIFT - height, width, height)
    return Route(points=_simplify(points), label=label)


def _spread(grid: Grid, box_id: str, offset: float, rect: Rect, *, entry: bool) -> float:
    """How far right of the middle of small shape ``box_id`` (drawn as ``rect``) the lead to
    ``offset`` runs. Leads beyond the shape on one side fan out right of the middle (the
    shape's name sits left of it): entries nearest the middle, then exits, and in each group
    the nearest slot furthest out, so no two leads overlap or cross."""
    entries = [i.entry for i in grid.entries[box_id]]
    exits = [i.exit for i in grid.exits[box_id]]
    half = rect.height / 2

    def beyond(values: list[float]) -> list[float]:
        found = [v for v in values if abs(v) >= half - 0.5 and v != 0 and (v < 0) == (offset < 0)]
        return sorted(found, key=abs, reverse=True)

    ins, outs = beyond(entries), beyond(exits)
    if entry and offset in ins:
        rank = ins.index(offset)
    elif not entry and offset in outs:
        rank = len(ins) + outs.index(offset)
    else:
        return 0.0
    return min(rank * 7.0, rect.width / 2 - 6.0)


def _leave(rect: Rect, shape: str, offset: float, spread: float = 0.0) -> list[Point]:
    """The first points of a route leaving ``rect``'s right side at ``offset``; beyond a
    small shape, from its bottom (or top), ``spread`` right of its middle."""
    y = rect.cy + offset
    half_w, half_h = rect.width / 2, rect.height / 2
    if shape == "box":
        return [(rect.right, y)]
    if abs(offset) < half_h - 0.5 or offset == 0:
        return [(rect.cx + _outline(shape, half_w, half_h, offset), y)]
    edge = _outline(shape, half_h, half_w, spread)
    start = rect.cy - edge if offset < 0 else rect.cy + edge
    return [(rect.cx + spread, start), (rect.cx + spread, y)]


def _enter(rect: Rect, shape: str, offset: float, spread: float = 0.0) -> list[Point]:
    """The last points of a route entering ``rect``'s left side at ``offset`` (the tip last);
    beyond a small shape, into its top (or bottom), ``spread`` left of its middle."""
    y = rect.cy + offset
    half_w, half_h = rect.width / 2, rect.height / 2
    if shape == "box":
        return [(rect.x, y)]
    if abs(offset) < half_h - 0.5 or offset == 0:
        return [(rect.cx - _outline(shape, half_w, half_h, offset), y)]
    edge = _outline(shape, half_h, half_w, spread)
    tip = rect.cy - edge if offset < 0 else rect.cy + edge
    return [(rect.cx + spread, y), (rect.cx + spread, tip)]


def _outline(shape: str, half_w: float, half_h: float, offset: float) -> float:
    """How far from the centre the outline is, across, at ``offset`` along (for a diamond
    or a circle of half sizes ``half_w`` across and ``half_h`` along)."""
    if shape == "diamond":
        return half_w * (1 - abs(offset) / half_h)
    return float(max(half_w * half_w - offset * offset, 0.0) ** 0.5)


def _simplify(points: list[Point]) -> tuple[Point, ...]:
    """Rounded to 0.01, with repeated and collinear middle points removed."""
    return tuple(straighten([(round(x, 2), round(y, 2)) for x, y in points]))
