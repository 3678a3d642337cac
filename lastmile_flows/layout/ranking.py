"""Columns: which boxes stand one above the other, as the flow runs left to right.

1. Links that loop back (rework) are found by a depth-first search from the boxes nothing
   leads to, in the given order: a link to a box still on the search path closes a loop and
   does not rank.
2. Every box goes one column right of its furthest predecessor (longest path), so each link
   that ranks points rightwards.
3. Boxes then move right as far as their successors allow (a short branch ends next to where
   it joins, not next to where it leaves), which shortens links without lengthening any.
4. Boxes with a fixed column keep it, boxes anchored to another share its column; empty
   columns are removed.

No recursion: a process of any length is ranked with explicit stacks, in linear time.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from lastmile_flows.layout.graph import Diagram

__all__ = ["back_links", "columns"]


def back_links(diagram: Diagram) -> set[str]:
    """Ids of the ranking links that close a loop."""
    order = [box.id for box in diagram.boxes]
    ids = _ids(diagram)
    outgoing: dict[str, list[tuple[str, str]]] = defaultdict(list)
    incoming: dict[str, int] = defaultdict(int)
    for link in diagram.links:
        if link.ranks and link.source in ids and link.target in ids:
            outgoing[link.source].append((link.id, link.target))
            incoming[link.target] += 1
    roots = [node for node in order if not incoming[node]] + order
    state: dict[str, int] = {}  # 1: on the path, 2: done
    back: set[str] = set()
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node, index = stack[-1]
            if index < len(outgoing[node]):
                stack[-1] = (node, index + 1)
                link_id, target = outgoing[node][index]
                if state.get(target) == 1:
                    back.add(link_id)
                elif target not in state:
                    state[target] = 1
                    stack.append((target, 0))
            else:
                state[node] = 2
                stack.pop()
    return back


def _ids(diagram: Diagram) -> set[str]:
    return {box.id for box in diagram.boxes}


def columns(diagram: Diagram, back: set[str] | None = None) -> dict[str, int]:
    """The column of every box (see the module docstring)."""
    back = back_links(diagram) if back is None else back
    ids = _ids(diagram)
    anchored = {box.id: box.anchor for box in diagram.boxes if box.anchor is not None}
    fixed = {box.id: box.rank for box in diagram.boxes if box.rank is not None}
    fixed |= {
        key: value for key, value in diagram.ranks.items() if key in ids and key not in anchored
    }
    forward = [
        (link.source, link.target)
        for link in diagram.links
        if link.ranks and link.id not in back and link.source in ids and link.target in ids
    ]
    successors: dict[str, list[str]] = defaultdict(list)
    predecessors: dict[str, list[str]] = defaultdict(list)
    for source, target in forward:
        successors[source].append(target)
        predecessors[target].append(source)
    order = _topological([box.id for box in diagram.boxes], successors, predecessors)
    rank: dict[str, int] = {}
    for node in order:
        if node in fixed:
            rank[node] = fixed[node]
            continue
        rank[node] = max((rank[p] + 1 for p in predecessors[node] if p in rank), default=0)
    for node in reversed(order):
        if node in fixed or not successors[node] or not predecessors[node]:
            continue
        limit = min(rank[s] for s in successors[node]) - 1
        if limit > rank[node]:
            rank[node] = limit
    for box_id, anchor in anchored.items():
        rank[box_id] = rank.get(anchor, 0) if anchor not in anchored else 0
    used = sorted(set(rank.values()))
    compact = {value: index for index, value in enumerate(used)}
    return {node: compact[rank[node]] for node in rank}


def _topological(
    order: list[str], successors: dict[str, list[str]], predecessors: dict[str, list[str]]
) -> list[str]:
    """Kahn's order, ties broken by the given order (the links left are acyclic)."""
    position = {node: index for index, node in enumerate(order)}
    waiting = {node: len(predecessors[node]) for node in order}
    ready = [node for node in order if not waiting[node]]
    found: list[str] = []
    heap = [(position[node], node) for node in ready]
    heapq.heapify(heap)
    while heap:
        _, node = heapq.heappop(heap)
        found.append(node)
        for successor in successors[node]:
            waiting[successor] -= 1
            if waiting[successor] == 0:
                heapq.heappush(heap, (position[successor], successor))
    return found
