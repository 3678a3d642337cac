"""Tracks in the gaps of the grid: each vertical run in a channel and each horizontal run in a
corridor gets a track that no overlapping run shares, in the order that crosses fewest.

Runs are intervals: along a channel, between two heights given as sortable keys (lane, part of
the lane, offset) so that tracks are chosen before any coordinate exists; along a corridor,
between two channels. Each end of a run turns into a horizontal (in a channel: to the left or
the right) or a vertical (in a corridor: up or down), and crosses a neighbouring run when it
turns across it within that run's span. The runs of a channel or corridor are ordered to cross
fewest (an order by position, improved by swapping neighbours while that helps:
deterministic, ties by link id), then take tracks in that order. A corridor run counts as
reaching the whole width of the channels at its ends, so two runs that meet in a channel
never share a track.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Generic, TypeVar

__all__ = ["Channels", "Corridors", "Side", "YKey"]

YKey = tuple[int, int, float]
"""A height before coordinates: (lane index, part of the lane, offset or track)."""

K = TypeVar("K")


class _Runs(Generic[K]):
    def __init__(self) -> None:
        self.found: dict[K, int] = {}

    def counts(self) -> dict[K, int]:
        """Tracks used in each channel or corridor."""
        return dict(self.found)


Side = int
"""Which way a run's end turns: -1 to the left of its channel, +1 to the right."""


_Run = tuple[YKey, YKey, str, tuple[tuple[YKey, Side], tuple[YKey, Side]]]
"""A vertical run: its low and high ends, its link, and where each end turns."""


class Channels(_Runs[int]):
    """Vertical runs, by channel (channel ``k`` lies right of column ``k``).

    Each end of a run turns left or right into a horizontal. Two runs cross when one's end
    turns across the other's track within the other's height; so the runs of a channel are put
    in the left-to-right order with the fewest such crossings (from an order by length, improved
    by swapping neighbours while that helps), then given tracks in that order, a run sharing a
    track only with runs it does not overlap.
    """

    def __init__(self) -> None:
        super().__init__()
        self.channel_runs: dict[int, list[_Run]] = defaultdict(list)

    def add(
        self, link: str, channel: int, one: YKey, other: YKey, sides: tuple[Side, Side] = (-1, 1)
    ) -> None:
        """A run from height ``one`` to ``other``; ``sides``: where each end turns."""
        low, high = sorted((one, other))
        self.channel_runs[channel].append((low, high, link, ((one, sides[0]), (other, sides[1]))))

    def assign(self) -> dict[tuple[str, int], int]:
        """(link id, channel) -> track."""
        found: dict[tuple[str, int], int] = {}
        for channel, runs in self.channel_runs.items():
            tracks = _tracks(_fewest_crossings(runs))
            self.found[channel] = max(tracks.values(), default=-1) + 1
            found |= {(link, channel): track for link, track in tracks.items()}
        return found


def _cost(left: _Run, right: _Run) -> int:
    """Crossings when ``left`` runs left of ``right``: an end of ``left`` turning right inside
    the height of ``right``, or an end of ``right`` turning left inside ``left``'s."""
    count = 0
    for y, side in left[3]:
        if side > 0 and right[0] < y < right[1]:
            count += 1
    for y, side in right[3]:
        if side < 0 and left[0] < y < left[1]:
            count += 1
    return count


def _fewest_crossings(runs: list[_Run]) -> list[_Run]:
    ordered = sorted(runs, key=lambda run: (run[0], run[1], run[2]))
    for _ in range(len(ordered)):
        changed = False
        for index in range(len(ordered) - 1):
            a, b = ordered[index], ordered[index + 1]
            if _cost(b, a) < _cost(a, b):
                ordered[index], ordered[index + 1] = b, a
                changed = True
        if not changed:
            break
    return ordered


class Corridors(_Runs[tuple[int, int]]):
    """Horizontal runs, by corridor (lane index, the track it lies above): ordered top to
    bottom like the runs of a channel left to right, each end turning up or down into its
    channel."""

    def __init__(self) -> None:
        super().__init__()
        self.corridor_runs: dict[tuple[int, int], list[_Run]] = defaultdict(list)

    def add(
        self,
        link: str,
        corridor: tuple[int, int],
        first: int,
        last: int,
        turns: tuple[Side, Side] = (1, 1),
    ) -> None:
        """A run from the channel after column ``first`` to the channel ``last``; ``turns``:
        whether each end goes up (-1) or down (+1)."""
        low, high = sorted((first, last))
        one: YKey = (first, 0, 0.0)
        other: YKey = (last, 0, 0.0)
        self.corridor_runs[corridor].append(
            ((low, 0, 0.0), (high, 0, 0.0), link, ((one, turns[0]), (other, turns[1])))
        )

    def assign(self) -> dict[str, int]:
        """Link id -> track in its corridor."""
        found: dict[str, int] = {}
        for corridor, runs in self.corridor_runs.items():
            tracks = _tracks(_fewest_crossings(runs))
            self.found[corridor] = max(tracks.values(), default=-1) + 1
            found |= tracks
        return found


def _tracks(ordered: list[_Run]) -> dict[str, int]:
    """Tracks in the given order: each run one past the last of the earlier runs it meets."""
    tracks: dict[str, int] = {}
    for index, (low, high, link, _) in enumerate(ordered):
        below = [
            tracks[other]
            for other_low, other_high, other, _ in ordered[:index]
            if other_low <= high and low <= other_high
        ]
        tracks[link] = max(below, default=-1) + 1
    return tracks
