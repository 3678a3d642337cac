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
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lastmile_flows.layout.graph import Diagram, Layout, Link, Point, Rect, Route, straighten
from lastmile_flows.layout.lanes import lane_order
from lastmile_flows.layout.ranking import back_links, columns
from lastmile_flows.layout.router import Channels, Corridors, YKey
from lastmile_flows.layout.slots import Side, assign

__all__ = ["lay_out"]

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
ATTACH_GAP = 8.0
ATTACH_SPREAD = 10.0
"""Between the routes that leave one attachment."""
LABEL_LIFT = 6.0
"""From a stub up to the bottom of its label (clear of the arrowhead)."""
LEAD = 14.0
"""The shortest last run of a lead into a small shape's top or bottom."""
CAPTION_GAP = 4.0
MARGIN = 16.0


@dataclass
class _Link:
    link: Link
    source_box: str
    """The box of the source (its owner, for an attachment)."""
    kind: str = "corridor"
    exit: float = 0.0
    entry: float = 0.0
    corridor: tuple[int, int] | None = None
    """(lane index, track) of the corridor it runs along."""
    tracks: dict[int, int] = field(default_factory=dict)
    """Channel -> track."""
    corridor_track: int = 0


def lay_out(diagram: Diagram) -> Layout:
    """Place every box and attachment and route every link (see the module docstring)."""
    grid = _Grid(diagram)
    grid.classify()
    grid.slot()
    grid.route()
    return grid.place()


class _Grid:
    def __init__(self, diagram: Diagram) -> None:
        self.diagram = diagram
        self.boxes = {box.id: box for box in diagram.boxes}
        self.owner = {a.id: a.owner for a in diagram.attachments if a.owner in self.boxes}
        self.attached: dict[str, list[str]] = defaultdict(list)
        for attachment in diagram.attachments:
            if attachment.owner in self.boxes:
                self.attached[attachment.owner].append(attachment.id)
        self.attachment = {a.id: a for a in diagram.attachments}
        self.back = back_links(diagram)
        self.column = columns(diagram, self.back)
        links = [
            link
            for link in diagram.links
            if link.target in self.boxes
            and (link.source in self.boxes or link.source in self.owner)
        ]
        self.links = [_Link(link, self.owner.get(link.source, link.source)) for link in links]
        self.by_id = {item.link.id: item for item in self.links}
        self.exits: dict[str, list[_Link]] = defaultdict(list)
        """Links leaving a box's right side (not those leaving its attachments)."""
        self.entries: dict[str, list[_Link]] = defaultdict(list)
        self.from_attachments: dict[str, list[_Link]] = defaultdict(list)
        """By box: links leaving its attachments."""
        for item in self.links:
            if item.link.source == item.source_box:
                self.exits[item.source_box].append(item)
            else:
                self.from_attachments[item.source_box].append(item)
            self.entries[item.link.target].append(item)
        lanes = list(dict.fromkeys([*diagram.lanes, *(box.lane for box in diagram.boxes)]))
        pairs = [
            (self.boxes[item.source_box].lane, self.boxes[item.link.target].lane)
            for item in self.links
        ]
        self.order = lanes if diagram.lane_order == "given" else lane_order(lanes, pairs)
        self.lane_index = {lane: index for index, lane in enumerate(self.order)}
        self.track = self._tracks()
        self.tracks_in: dict[str, int] = defaultdict(int)
        for box_id, track in self.track.items():
            lane = self.boxes[box_id].lane
            self.tracks_in[lane] = max(self.tracks_in[lane], track + 1)
        self.cell = {(self.boxes[b].lane, self.track[b], self.column[b]): b for b in self.boxes}
        self.row_number: dict[tuple[str, int], int] = {}
        count = 0
        for lane in self.order:
            for track in range(max(1, self.tracks_in[lane])):
                self.row_number[(lane, track)] = count
                count += 1
        self.offsets: dict[str, float] = {}
        self.height: dict[str, float] = {}

    # -- the grid ---------------------------------------------------------------------------

    def _tracks(self) -> dict[str, int]:
        """Each box's row in its lane: boxes sharing a lane and a column stack, the main path
        first, then by where their predecessors are."""
        cells: dict[tuple[str, int], list[str]] = defaultdict(list)
        for box in self.diagram.boxes:
            cells[(box.lane, self.column[box.id])].append(box.id)
        predecessors: dict[str, list[str]] = defaultdict(list)
        for item in self.links:
            if item.link.ranks:
                predecessors[item.link.target].append(item.source_box)
        track: dict[str, int] = {}
        position = {box.id: index for index, box in enumerate(self.diagram.boxes)}
        for (_, _), members in sorted(cells.items(), key=lambda item: (item[0][1], item[0][0])):

            def key(box_id: str) -> tuple[int, float, int]:
                seen = [track[p] for p in predecessors[box_id] if p in track]
                centre = sum(seen) / len(seen) if seen else 0.0
                box = self.boxes[box_id]
                priority = 0 if box.main else 2 if box.anchor is not None else 1
                return (priority, centre, position[box_id])

            for index, box_id in enumerate(sorted(members, key=key)):
                track[box_id] = index
        return track

    def _row(self, box_id: str) -> tuple[str, int]:
        return (self.boxes[box_id].lane, self.track[box_id])

    def _row_index(self, box_id: str) -> int:
        return self.row_number[self._row(box_id)]

    def classify(self) -> None:
        """Straight, through one channel, or along a corridor."""
        used_exit: set[str] = set()
        used_entry: set[str] = set()
        ordered = sorted(
            self.links,
            key=lambda item: (
                0 if self.boxes[item.source_box].main and self.boxes[item.link.target].main else 1
            ),
        )
        for item in ordered:
            source, target = item.source_box, item.link.target
            start, end = self.column[source], self.column[target]
            if (
                item.link.source == source
                and item.link.id not in self.back
                and self._row(source) == self._row(target)
                and end > start
                and source not in used_exit
                and target not in used_entry
                and all(
                    (self._row(source)[0], self._row(source)[1], column) not in self.cell
                    for column in range(start + 1, end)
                )
            ):
                item.kind = "straight"
                used_exit.add(source)
                used_entry.add(target)
            elif end == start + 1:
                item.kind = "adjacent"
            else:
                item.kind = "corridor"
                lane, track = self._row(target if end > start else source)
                item.corridor = (self.lane_index[lane], track)

    # -- slots ------------------------------------------------------------------------------

    def _approach(self, item: _Link, toward: str) -> float:
        """Where the link comes from (or goes to), in rows above (<0) or below the box."""
        here = self._row_index(toward)
        if item.kind == "corridor" and item.corridor is not None:
            lane, track = item.corridor
            corridor = self.row_number[(self.order[lane], track)] - 0.5
            return corridor - here
        other = item.source_box if toward == item.link.target else item.link.target
        below = 0.3 if item.link.source != item.source_box and toward != item.source_box else 0
        return self._row_index(other) + below - here

    def slot(self) -> None:
        """Offsets of every stub, column by column (entries avoid the exits just left)."""
        exits, entries = self.exits, self.entries
        by_column: dict[int, list[str]] = defaultdict(list)
        for box_id in self.boxes:
            by_column[self.column[box_id]].append(box_id)
        for column in sorted(by_column):
            for box_id in by_column[column]:
                box = self.boxes[box_id]
                clear = 0.0 if box.shape == "box" else box.height / 2 + LEAD
                below = clear + (box.caption[1] + CAPTION_GAP if box.caption else 0.0)
                side = Side(
                    links=tuple(
                        (i.link.id, self._approach(i, box_id), False) for i in exits[box_id]
                    ),
                    straight=next((i.link.id for i in exits[box_id] if i.kind == "straight"), None),
                    clear=clear,
                    below=below,
                )
                for link_id, offset in assign(side).items():
                    self.by_id[link_id].exit = offset
                lane, track = self._row(box_id)
                left = self.cell.get((lane, track, column - 1))
                avoid = frozenset(self._exit_offsets(left)) if left else frozenset()
                side = Side(
                    links=tuple(
                        (i.link.id, self._approach(i, box_id), i.link.label is not None)
                        for i in entries[box_id]
                    ),
                    straight=next(
                        (i.link.id for i in entries[box_id] if i.kind == "straight"), None
                    ),
                    avoid=avoid,
                    clear=clear,
                    below=below,
                )
                for link_id, offset in assign(side).items():
                    self.by_id[link_id].entry = offset
                self.height[box_id] = self._box_height(box_id, exits[box_id], entries[box_id])
                below = self.height[box_id] / 2
                for attachment_id in self.attached[box_id]:
                    attachment = self.attachment[attachment_id]
                    below += ATTACH_GAP
                    self.offsets[attachment_id] = below + attachment.height / 2
                    below += attachment.height
                leaving: dict[str, list[_Link]] = defaultdict(list)
                for item in self.from_attachments[box_id]:
                    leaving[item.link.source].append(item)
                for attachment_id, items in leaving.items():
                    middle = self.offsets[attachment_id]
                    for index, item in enumerate(items):
                        item.exit = middle + (index - (len(items) - 1) / 2) * ATTACH_SPREAD

    def _exit_offsets(self, box_id: str) -> list[float]:
        found = [i.exit for i in self.exits[box_id] if i.kind != "straight"]
        found += [i.exit for i in self.from_attachments[box_id]]
        return found + [self.offsets[a] for a in self.attached[box_id] if a in self.offsets]

    def _box_height(self, box_id: str, exits: list[_Link], entries: list[_Link]) -> float:
        box = self.boxes[box_id]
        if box.shape != "box":
            return box.height
        used = [abs(i.exit) for i in exits] + [abs(i.entry) for i in entries]
        return max(box.height, 2 * (max(used, default=0.0) + 10.0))

    # -- routing ----------------------------------------------------------------------------

    def _ykey(self, box_id: str, offset: float) -> YKey:
        lane, track = self._row(box_id)
        return (self.lane_index[lane], 2 * track + 1, offset)

    def route(self) -> None:
        """Tracks in the corridors, then in the channels."""
        corridors = Corridors()
        for item in self.links:
            if item.kind != "corridor" or item.corridor is None:
                continue
            start, end = self.column[item.source_box], self.column[item.link.target]
            lane, track = item.corridor
            here: YKey = (lane, 2 * track, 0.0)
            exit_key = self._ykey(item.source_box, item.exit)
            entry_key = self._ykey(item.link.target, item.entry)
            turns = (1 if exit_key > here else -1, 1 if entry_key > here else -1)
            corridors.add(item.link.id, item.corridor, start, end - 1, turns)
        corridor_tracks = corridors.assign()
        self.corridor_count = corridors.counts()
        channels = Channels()
        for item in self.links:
            source, target = item.source_box, item.link.target
            start, end = self.column[source], self.column[target]
            exit_key = self._ykey(source, item.exit)
            entry_key = self._ykey(target, item.entry)
            if item.kind == "adjacent":
                channels.add(item.link.id, start, exit_key, entry_key, (-1, 1))
            elif item.kind == "corridor" and item.corridor is not None:
                item.corridor_track = corridor_tracks[item.link.id]
                lane, track = item.corridor
                key = (lane, 2 * track, float(item.corridor_track))
                along = 1 if end - 1 > start else -1
                channels.add(item.link.id, start, exit_key, key, (-1, along))
                channels.add(item.link.id, end - 1, key, entry_key, (-along, 1))
        for (link_id, channel), track in channels.assign().items():
            self.by_id[link_id].tracks[channel] = track
        self.channel_count = channels.counts()

    # -- coordinates ------------------------------------------------------------------------

    def place(self) -> Layout:
        count = max(self.column.values(), default=-1) + 1
        widths = [0.0] * count
        for box_id, box in self.boxes.items():
            column = self.column[box_id]
            widths[column] = max(widths[column], box.width)
            if box.caption:
                widths[column] = max(widths[column], 2 * (box.caption[0] + CAPTION_GAP))
            for attachment_id in self.attached[box_id]:
                widths[column] = max(widths[column], self.attachment[attachment_id].width)
        zones: dict[int, float] = defaultdict(float)
        for item in self.links:
            if item.link.label is not None:
                channel = self.column[item.link.target] - 1
                zones[channel] = max(zones[channel], item.link.label[0] + LABEL_GAP)
        channel_x: dict[int, float] = {}
        column_x: list[float] = []
        x = self.diagram.header
        for channel in range(-1, count):
            channel_x[channel] = x
            tracks = self.channel_count.get(channel, 0)
            x += max(CHANNEL_MIN, CHANNEL_LEFT + tracks * TRACK + zones[channel] + CHANNEL_RIGHT)
            if channel + 1 < count:
                column_x.append(x)
                x += widths[channel + 1]
        total_width = x + MARGIN
        rows, corridors, lanes, total_height = self._rows()
        rects: dict[str, Rect] = {}
        attachments: dict[str, Rect] = {}
        badges: dict[str, Rect] = {}
        captions: dict[str, Rect] = {}
        for box_id, box in self.boxes.items():
            column = self.column[box_id]
            centre_x = column_x[column] + widths[column] / 2
            centre_y = rows[self._row(box_id)]
            height = self.height[box_id]
            rect = Rect(centre_x - box.width / 2, centre_y - height / 2, box.width, height)
            rects[box_id] = rect
            if box.badge:
                badges[box_id] = Rect(rect.x, rect.y - box.badge - 2, box.width, box.badge)
            if box.caption:
                width, tall = box.caption
                captions[box_id] = Rect(
                    centre_x - CAPTION_GAP - width, rect.bottom + CAPTION_GAP, width, tall
                )
            for attachment_id in self.attached[box_id]:
                attachment = self.attachment[attachment_id]
                middle = centre_y + self.offsets[attachment_id]
                attachments[attachment_id] = Rect(
                    centre_x - attachment.width / 2,
                    middle - attachment.height / 2,
                    attachment.width,
                    attachment.height,
                )
        routes = {
            item.link.id: self._path(item, rects, attachments, channel_x, zones, corridors)
            for item in self.links
        }
        return Layout(
            boxes=rects,
            attachments=attachments,
            lanes={
                lane: Rect(0.0, top, total_width, height) for lane, (top, height) in lanes.items()
            },
            routes=routes,
            width=total_width,
            height=total_height,
            order=tuple(self.order),
            columns=dict(self.column),
            badges=badges,
            captions=captions,
        )

    def _rows(
        self,
    ) -> tuple[
        dict[tuple[str, int], float],
        dict[tuple[int, int], float],
        dict[str, tuple[float, float]],
        float,
    ]:
        """Centre line of every row, top of every corridor, every lane's band, total height."""
        above: dict[tuple[str, int], float] = defaultdict(float)
        below: dict[tuple[str, int], float] = defaultdict(float)
        for box_id, box in self.boxes.items():
            row = self._row(box_id)
            half = self.height[box_id] / 2
            upper = half + box.badge + 2
            lower = half + (box.caption[1] + CAPTION_GAP if box.caption else 0.0)
            for item in self.entries[box_id]:
                lift = (item.link.label[1] + LABEL_LIFT) if item.link.label else 0.0
                upper = max(upper, -item.entry + lift)
                lower = max(lower, item.entry)
            for item in self.exits[box_id]:
                upper = max(upper, -item.exit)
                lower = max(lower, item.exit)
            for attachment_id in self.attached[box_id]:
                lower = max(
                    lower, self.offsets[attachment_id] + self.attachment[attachment_id].height / 2
                )
            above[row] = max(above[row], upper)
            below[row] = max(below[row], lower)
        centres: dict[tuple[str, int], float] = {}
        corridors: dict[tuple[int, int], float] = {}
        lanes: dict[str, tuple[float, float]] = {}
        y = MARGIN
        for index, lane in enumerate(self.order):
            top = y
            for track in range(max(1, self.tracks_in[lane])):
                corridors[(index, track)] = y
                y += self._corridor_height(index, track)
                y += above[(lane, track)] + ROW_PAD
                centres[(lane, track)] = y
                y += below[(lane, track)] + ROW_PAD
            y += CORRIDOR_MIN / 2
            wanted = self.diagram.lane_heights.get(lane, 0.0)
            if y - top < wanted:
                y = top + wanted
            lanes[lane] = (top, y - top)
        return centres, corridors, lanes, y + MARGIN

    def _corridor_height(self, lane: int, track: int) -> float:
        tracks = self.corridor_count.get((lane, track), 0)
        if not tracks:
            return CORRIDOR_MIN
        return max(CORRIDOR_MIN, 2 * CORRIDOR_PAD + (tracks - 1) * CORRIDOR_TRACK)

    def _path(
        self,
        item: _Link,
        rects: dict[str, Rect],
        attachments: dict[str, Rect],
        channel_x: dict[int, float],
        zones: dict[int, float],
        corridors: dict[tuple[int, int], float],
    ) -> Route:
        source, target = item.source_box, item.link.target
        box = self.boxes[source]
        if item.link.source in attachments:
            rect = attachments[item.link.source]
            start: list[Point] = [(rect.right, rects[source].cy + item.exit)]
        else:
            spread = _spread(
                [i.entry for i in self.entries[source]],
                [i.exit for i in self.exits[source]],
                item.exit,
                rects[source],
                entry=False,
            )
            start = _leave(rects[source], box.shape, item.exit, spread)
        spread = _spread(
            [i.entry for i in self.entries[target]],
            [i.exit for i in self.exits[target]],
            item.entry,
            rects[target],
            entry=True,
        )
        end = _enter(rects[target], self.boxes[target].shape, item.entry, spread)
        exit_y, entry_y = start[-1][1], end[0][1]
        points = list(start)
        start_column, end_column = self.column[source], self.column[target]

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
            tracks = self.channel_count.get(channel, 0)
            zone = channel_x[channel] + CHANNEL_LEFT + tracks * TRACK + 2
            width, height = item.link.label
            label = Rect(zone, entry_y - LABEL_LIFT - height, width, height)
        return Route(points=_simplify(points), label=label)


def _spread(
    entries: list[float], exits: list[float], offset: float, rect: Rect, *, entry: bool
) -> float:
    """How far right of a small shape's middle the lead to ``offset`` runs. Leads beyond the
    shape on one side fan out right of the middle (the shape's name sits left of it): entries
    nearest the middle, then exits, and in each group the nearest slot furthest out, so no
    two leads overlap or cross."""
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
