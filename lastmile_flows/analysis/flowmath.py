"""How cases move through a process: expected visits per case, the longest path, hand-offs.

Visits are the expected number of times one case passes each node. They solve a linear system,
so rework loops are fine as long as some way out of each loop has a probability above zero:

- a start event receives 1 case (shared equally when there are several start events);
- an exclusive or event-based gateway sends each branch its probability (a single branch gets
  everything);
- a parallel gateway sends every branch all of its cases; one with ``k`` incoming flows is a
  join and passes on 1/k of what it receives (one case per ``k`` arriving tokens);
- an inclusive gateway sends each branch its probability (the share of cases taking it, so
  several may be taken); as a join it behaves like a parallel join, which is exact when every
  branch was taken and undercounts otherwise;
- a step passes its cases on, except that each edge case with a ``recovery_step`` diverts its
  rate to that step (an interrupting boundary event, in BPMN terms).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lastmile_flows.errors import LastmileError
from lastmile_flows.model import Process, Step
from lastmile_flows.model.elements import working_wait
from lastmile_flows.model.graph import events, nodes

__all__ = [
    "AnalysisError",
    "Link",
    "LongestPath",
    "links",
    "longest_path",
    "step_successors",
    "visits",
]


class AnalysisError(LastmileError, ValueError):
    """A valid model whose numbers cannot be computed (a loop no case ever leaves)."""


@dataclass(frozen=True)
class Link:
    """A share of the cases at ``source`` that moves on to ``target``."""

    source: str
    target: str
    share: float


def links(process: Process) -> list[Link]:
    """Every flow with the share of the source's cases it carries, recovery paths included."""
    every = nodes(process)
    incoming: dict[str, int] = defaultdict(int)
    outgoing: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for edge in process.edges():
        incoming[edge.target] += 1
        outgoing[edge.source].append((edge.target, edge.probability))
    found: list[Link] = []
    for node_id, node in every.items():
        targets = outgoing.get(node_id, [])
        kind = getattr(node, "kind", None)
        if isinstance(node, Step):
            diverted = [(c.recovery_step, c.rate) for c in node.edge_cases if c.recovery_step]
            stay = max(0.0, 1.0 - sum(rate for _, rate in diverted))
            found += [Link(node_id, target, stay) for target, _ in targets]
            found += [Link(node_id, target, rate) for target, rate in diverted if target]
        elif kind in ("parallel", "inclusive") and incoming.get(node_id, 1) > 1:
            joined = incoming[node_id]
            found += [Link(node_id, target, 1.0 / joined) for target, _ in targets]
        elif kind == "parallel" or (kind == "inclusive" and len(targets) == 1):
            found += [Link(node_id, target, 1.0) for target, _ in targets]
        elif kind in ("exclusive", "inclusive", "event_based") and len(targets) > 1:
            found += [Link(node_id, target, p or 0.0) for target, p in targets]
        else:
            found += [Link(node_id, target, 1.0) for target, _ in targets]
    return found


def visits(process: Process) -> dict[str, float]:
    """Expected visits per case of every node (see the module docstring for the rules)."""
    order = list(nodes(process))
    index = {node_id: position for position, node_id in enumerate(order)}
    size = len(order)
    # (I - M) x = b, with M[target][source] the share of the source's cases reaching the target
    matrix = [[1.0 if row == column else 0.0 for column in range(size)] for row in range(size)]
    for link in links(process):
        if link.source in index and link.target in index:
            matrix[index[link.target]][index[link.source]] -= link.share
    starts = [event.id for event in events(process) if event.kind == "start"]
    rhs = [0.0] * size
    for start in starts:
        rhs[index[start]] = 1.0 / len(starts)
    solution = _solve(matrix, rhs, order)
    return {
        node_id: (0.0 if abs(value) < 1e-12 else value)
        for node_id, value in zip(order, solution, strict=True)
    }


def _solve(matrix: list[list[float]], rhs: list[float], names: list[str]) -> list[float]:
    """Gaussian elimination with partial pivoting; a singular system is a loop with no exit."""
    size = len(rhs)
    rows = [[*row[:], value] for row, value in zip(matrix, rhs, strict=True)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda row: abs(rows[row][column]))
        if abs(rows[pivot][column]) < 1e-12:
            raise AnalysisError(
                f"cases never leave the loop through {names[column]!r}: give a way out of the "
                "loop a probability above zero"
            )
        rows[column], rows[pivot] = rows[pivot], rows[column]
        lead = rows[column][column]
        for row in range(size):
            if row != column and rows[row][column] != 0.0:
                factor = rows[row][column] / lead
                rows[row] = [a - factor * b for a, b in zip(rows[row], rows[column], strict=True)]
    return [rows[row][size] / rows[row][row] for row in range(size)]


@dataclass(frozen=True)
class LongestPath:
    """The slowest way from a start to an end event: elapsed minutes and the steps on it."""

    minutes: float
    steps: tuple[str, ...]


def longest_path(process: Process, *, hours_per_working_day: float = 8.0) -> LongestPath:
    """The path from a start event to an end event with the most wait + touch minutes.

    Loops are cut where they close (a rework loop is counted once); exclusive branches and
    edge-case recovery paths count at their worst, so this is the cycle time of the slowest case.
    A calendar wait counts one working day per calendar day (:func:`~lastmile_flows.model.
    elements.working_wait`).
    """
    every = nodes(process)
    successors: dict[str, list[str]] = defaultdict(list)
    for link in links(process):
        if link.target not in successors[link.source]:
            successors[link.source].append(link.target)

    def weight(node_id: str) -> float:
        node = every.get(node_id)
        if not isinstance(node, Step):
            return 0.0
        return working_wait(node, hours_per_working_day) + node.touch_minutes

    ends = {event.id for event in events(process) if event.kind == "end"}
    best: dict[str, tuple[float, tuple[str, ...]]] = {}
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node_id: str) -> tuple[float, tuple[str, ...]] | None:
        # iterative post-order DFS would be longer; processes are small, recursion is bounded
        if state.get(node_id) == 2:
            return best.get(node_id)
        state[node_id] = 1
        tails = []
        for target in successors.get(node_id, []):
            if state.get(target) == 1:
                continue  # the edge closes a loop
            tail = visit(target)
            if tail is not None:
                tails.append(tail)
        state[node_id] = 2
        here = (node_id,) if isinstance(every.get(node_id), Step) else ()
        if node_id in ends:
            best[node_id] = (weight(node_id), here)
        elif tails:
            minutes, path = max(tails, key=lambda tail: (tail[0], tail[1]))
            best[node_id] = (weight(node_id) + minutes, here + path)
        return best.get(node_id)

    results = [visit(event.id) for event in events(process) if event.kind == "start"]
    found = [result for result in results if result is not None]
    if not found:
        return LongestPath(0.0, ())
    minutes, path = max(found, key=lambda result: (result[0], result[1]))
    return LongestPath(minutes, path)


def step_successors(process: Process) -> list[tuple[str, str]]:
    """(step, next step) pairs, looking through gateways and events, in model order."""
    every = nodes(process)
    successors: dict[str, list[str]] = defaultdict(list)
    for link in links(process):
        if link.target not in successors[link.source]:
            successors[link.source].append(link.target)
    pairs: list[tuple[str, str]] = []
    for step in process.steps:
        seen: set[str] = set()
        stack = list(reversed(successors.get(step.id, [])))
        while stack:
            target = stack.pop()
            if target in seen:
                continue
            seen.add(target)
            if isinstance(every.get(target), Step):
                if (step.id, target) not in pairs:
                    pairs.append((step.id, target))
            else:
                stack.extend(reversed(successors.get(target, [])))
    return pairs
