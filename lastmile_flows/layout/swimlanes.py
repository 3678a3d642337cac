"""Which swimlane each flow node sits in, and how many ranks deep a process is.

Steps sit in their role's lane. A gateway or event has no role: it sits in the lane of the
step that leads into it (a start event: of the step it leads to), so decisions appear next
to the work that makes them.
"""

from __future__ import annotations

from collections import defaultdict

from lastmile_flows.layout.lanes import lane_order
from lastmile_flows.model import Process
from lastmile_flows.model.graph import Edge, edges, nodes

__all__ = ["lane_of", "rank_depth", "shared_lane_order"]


def lane_of(process: Process, edges: tuple[Edge, ...]) -> dict[str, str]:
    """Role id for every flow node that can be placed (steps first, then by neighbours)."""
    placed = {step.id: step.role for step in process.steps}
    incoming: dict[str, list[str]] = defaultdict(list)
    outgoing: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        incoming[edge.target].append(edge.source)
        outgoing[edge.source].append(edge.target)
    pending = [node_id for node_id in nodes(process) if node_id not in placed]
    while pending:
        progress = False
        for node_id in list(pending):
            found = next((placed[s] for s in incoming[node_id] if s in placed), None)
            if found is None:
                found = next((placed[t] for t in outgoing[node_id] if t in placed), None)
            if found is not None:
                placed[node_id] = found
                pending.remove(node_id)
                progress = True
        if not progress:
            break
    first_role = process.roles[0].id if process.roles else None
    if first_role is not None:
        for node_id in pending:
            placed[node_id] = first_role
    return placed


def rank_depth(process: Process, edges: tuple[Edge, ...]) -> int:
    """Flow nodes on the longest path without going round a loop: the diagram's length."""
    outgoing: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        outgoing[edge.source].append(edge.target)
    depth: dict[str, int] = {}
    for root in nodes(process):
        if root in depth:
            continue
        # iterative DFS; an edge back to a node on the current path is a loop and is skipped
        on_path = {root}
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node_id, index = stack[-1]
            targets = outgoing.get(node_id, [])
            if index < len(targets):
                stack[-1] = (node_id, index + 1)
                target = targets[index]
                if target not in depth and target not in on_path:
                    on_path.add(target)
                    stack.append((target, 0))
                continue
            stack.pop()
            on_path.discard(node_id)
            depth[node_id] = 1 + max(
                (depth[t] for t in targets if t in depth and t not in on_path), default=0
            )
    return max(depth.values(), default=0)


def shared_lane_order(*processes: Process) -> list[str]:
    """One lane order for several versions of a process (before and after line up lane for
    lane): the roles of all of them, first seen first, ordered to cross the fewest lane
    boundaries over all their flows and exception owners. A process with ``lane_order:
    as_written`` pins them: the roles in the order written, first seen first."""
    roles: list[str] = []
    pairs: list[tuple[str, str]] = []
    for process in processes:
        flows = edges(process)
        lanes = lane_of(process, flows)
        roles += [role.id for role in process.roles]
        pairs += [
            (lanes[e.source], lanes[e.target])
            for e in flows
            if e.source in lanes and e.target in lanes
        ]
        pairs += [
            (step.role, case.owner) for step, case in process.edge_cases() if case.owner is not None
        ]
    written = list(dict.fromkeys(roles))
    if any(process.lane_order == "as_written" for process in processes):
        return written
    return lane_order(written, pairs)
