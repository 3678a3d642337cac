"""The grid of the layout engine: each box's column and row, each link's kind (straight,
through one channel, along a corridor), the offsets of its stubs on the boxes' sides and its
tracks in the channels and corridors (see :mod:`~lastmile_flows.layout.engine`). Coordinates
come after, in :mod:`~lastmile_flows.layout.coordinates`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lastmile_flows.layout.graph import Diagram, Link
from lastmile_flows.layout.lanes import lane_order
from lastmile_flows.layout.ranking import back_links, columns
from lastmile_flows.layout.router import Channels, Corridors, YKey
from lastmile_flows.layout.slots import Side, assign

__all__ = ["CAPTION_GAP", "Grid", "GridLink"]

ATTACH_GAP = 8.0
ATTACH_SPREAD = 10.0
"""Between the routes that leave one attachment."""
LEAD = 14.0
"""The shortest last run of a lead into a small shape's top or bottom."""
CAPTION_GAP = 4.0


@dataclass
class GridLink:
    """A link as the grid routes it: how it is drawn, its stubs' offsets, its tracks."""

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


class Grid:
    """The boxes of a diagram in lanes by columns, each in its row, and how each link runs
    between them (see :mod:`~lastmile_flows.layout.engine`)."""

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
        self.links = [GridLink(link, self.owner.get(link.source, link.source)) for link in links]
        self.by_id = {item.link.id: item for item in self.links}
        self.exits: dict[str, list[GridLink]] = defaultdict(list)
        """Links leaving a box's right side (not those leaving its attachments)."""
        self.entries: dict[str, list[GridLink]] = defaultdict(list)
        self.from_attachments: dict[str, list[GridLink]] = defaultdict(list)
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

    def row(self, box_id: str) -> tuple[str, int]:
        """The lane and track of ``box_id``."""
        return (self.boxes[box_id].lane, self.track[box_id])

    def _row_index(self, box_id: str) -> int:
        return self.row_number[self.row(box_id)]

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
                and self.row(source) == self.row(target)
                and end > start
                and source not in used_exit
                and target not in used_entry
                and all(
                    (self.row(source)[0], self.row(source)[1], column) not in self.cell
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
                lane, track = self.row(target if end > start else source)
                item.corridor = (self.lane_index[lane], track)

    # -- slots ------------------------------------------------------------------------------

    def _approach(self, item: GridLink, toward: str) -> float:
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
                lane, track = self.row(box_id)
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
                leaving: dict[str, list[GridLink]] = defaultdict(list)
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

    def _box_height(self, box_id: str, exits: list[GridLink], entries: list[GridLink]) -> float:
        box = self.boxes[box_id]
        if box.shape != "box":
            return box.height
        used = [abs(i.exit) for i in exits] + [abs(i.entry) for i in entries]
        return max(box.height, 2 * (max(used, default=0.0) + 10.0))

    # -- routing ----------------------------------------------------------------------------

    def _ykey(self, box_id: str, offset: float) -> YKey:
        lane, track = self.row(box_id)
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
