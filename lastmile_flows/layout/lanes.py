"""The order of the lanes, top to bottom: the one whose links cross the fewest lane
boundaries.

A link between lanes ``i`` and ``j`` positions apart crosses ``|i - j|`` boundaries; the total
over all links is what the order changes. That total is the sum, over each cut between the
first ``k`` lanes and the rest, of the links the cut separates, so the best order is found by
dynamic programming over the sets of lanes placed first (exact up to :data:`EXACT_LANES`
lanes, 2^n sets). Ties go to the order given. Above that, lanes are placed greedily and
improved by swapping neighbours while that helps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

__all__ = ["EXACT_LANES", "crossings", "lane_order"]

EXACT_LANES = 12


def crossings(order: Sequence[str], pairs: Sequence[tuple[str, str]]) -> int:
    """Lane boundaries crossed by links between the lanes of ``pairs``, in ``order``."""
    position = {lane: index for index, lane in enumerate(order)}
    return sum(abs(position[a] - position[b]) for a, b in pairs if a in position and b in position)


def lane_order(lanes: Sequence[str], pairs: Sequence[tuple[str, str]]) -> list[str]:
    """The order of ``lanes`` with the fewest crossings (see the module docstring)."""
    count = len(lanes)
    if count <= 2:
        return list(lanes)
    index = {lane: number for number, lane in enumerate(lanes)}
    weight: dict[tuple[int, int], int] = defaultdict(int)
    for a, b in pairs:
        if a in index and b in index and a != b:
            i, j = sorted((index[a], index[b]))
            weight[(i, j)] += 1
    if not weight:
        return list(lanes)
    if count > EXACT_LANES:
        return _greedy(list(lanes), pairs)
    edges = list(weight.items())
    full = (1 << count) - 1
    cut = [0] * (full + 1)
    for subset in range(1, full + 1):
        total = 0
        for (i, j), value in edges:
            if ((subset >> i) & 1) != ((subset >> j) & 1):
                total += value
        cut[subset] = total
    # best[s]: (cost, order) of placing the lanes in s first; ties prefer the given order
    best: list[tuple[int, tuple[int, ...]] | None] = [None] * (full + 1)
    best[0] = (0, ())
    for subset in range(1, full + 1):
        found: tuple[int, tuple[int, ...]] | None = None
        for lane in range(count):
            if not (subset >> lane) & 1:
                continue
            before = best[subset & ~(1 << lane)]
            assert before is not None
            candidate = (before[0] + cut[subset], (*before[1], lane))
            if found is None or candidate < found:
                found = candidate
        best[subset] = found
    chosen = best[full]
    assert chosen is not None
    return [lanes[i] for i in chosen[1]]


def _greedy(lanes: list[str], pairs: Sequence[tuple[str, str]]) -> list[str]:
    order = list(lanes)
    cost = crossings(order, pairs)
    improved = True
    while improved:
        improved = False
        for position in range(len(order) - 1):
            swapped = order[:]
            swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
            value = crossings(swapped, pairs)
            if value < cost:
                order, cost, improved = swapped, value, True
    return order
