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
from functools import cached_property
from typing import Union

from lastmile_flows.errors import AnalysisError
from lastmile_flows.model import Process, Step
from lastmile_flows.model.elements import working_wait
from lastmile_flows.model.graph import Node, events, nodes

__all__ = [
    "AnalysisError",
    "FlowFacts",
    "Link",
    "LongestPath",
    "links",
    "longest_path",
    "step_successors",
    "visits",
]


@dataclass(frozen=True)
class Link:
    """A share of the cases at ``source`` that moves on to ``target``."""

    source: str
    target: str
    share: float


def links(process: Process) -> list[Link]:
    """Every flow with the share of the source's cases it carries, recovery paths included."""
    return FlowFacts(process).links


def _links(process: Process, every: dict[str, Node]) -> list[Link]:
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
    """Expected visits per case of every node (see the module docstring for the rules).

    The system ``x = b + M x`` (``M[target][source]`` the share of the source's cases reaching
    the target) is solved one strongly connected component at a time, in flow order: a node on
    no loop is the sum of what flows in, a loop is solved as a small dense system. Process
    graphs are mostly acyclic with small loops, so this is linear in the size of the process.
    """
    return FlowFacts(process).visits


def _visits(process: Process, every: dict[str, Node], found: list[Link]) -> dict[str, float]:
    order = list(every)
    index = {node_id: position for position, node_id in enumerate(order)}
    incoming: list[list[tuple[int, float]]] = [[] for _ in order]
    outgoing: list[list[int]] = [[] for _ in order]
    for link in found:
        if link.source in index and link.target in index:
            source, target = index[link.source], index[link.target]
            incoming[target].append((source, link.share))
            outgoing[source].append(target)
    starts = [event.id for event in events(process) if event.kind == "start"]
    rhs = [0.0] * len(order)
    for start in starts:
        rhs[index[start]] = 1.0 / len(starts)
    solution = [0.0] * len(order)
    for component in _components(outgoing):
        if len(component) == 1 and component[0] not in outgoing[component[0]]:
            node = component[0]
            solution[node] = rhs[node] + sum(share * solution[s] for s, share in incoming[node])
            continue
        _solve_loop(component, incoming, rhs, solution, order)
    return {
        node_id: (0.0 if abs(value) < 1e-12 else value)
        for node_id, value in zip(order, solution, strict=True)
    }


def _components(outgoing: list[list[int]]) -> list[list[int]]:
    """Strongly connected components (Tarjan's, with an explicit stack), sources first; each
    component's nodes in index order."""
    size = len(outgoing)
    number = [-1] * size
    low = [0] * size
    on_stack = [False] * size
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(size):
        if number[root] >= 0:
            continue
        work = [(root, 0)]
        number[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            node, position = work[-1]
            if position < len(outgoing[node]):
                work[-1] = (node, position + 1)
                target = outgoing[node][position]
                if number[target] < 0:
                    number[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack[target] = True
                    work.append((target, 0))
                elif on_stack[target]:
                    low[node] = min(low[node], number[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == number[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    found.reverse()
    return found


def _solve_loop(
    component: list[int],
    incoming: list[list[tuple[int, float]]],
    rhs: list[float],
    solution: list[float],
    names: list[str],
) -> None:
    """The visits of one loop: ``(I - M) x = b`` on its nodes, what flows in from outside
    added to ``b``."""
    local = {node: position for position, node in enumerate(component)}
    size = len(component)
    matrix = [[1.0 if row == column else 0.0 for column in range(size)] for row in range(size)]
    inflow = [rhs[node] for node in component]
    for row, node in enumerate(component):
        for source, share in incoming[node]:
            if source in local:
                matrix[row][local[source]] -= share
            else:
                inflow[row] += share * solution[source]
    values = _solve(matrix, inflow, [names[node] for node in component])
    for node, value in zip(component, values, strict=True):
        solution[node] = value


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
    return FlowFacts(process).longest_path(hours_per_working_day)


def _longest_path(
    process: Process,
    every: dict[str, Node],
    successors: dict[str, list[str]],
    hours_per_working_day: float,
) -> LongestPath:
    def weight(node_id: str) -> float:
        node = every.get(node_id)
        if not isinstance(node, Step):
            return 0.0
        return working_wait(node, hours_per_working_day) + node.touch_minutes

    ends = {event.id for event in events(process) if event.kind == "end"}
    best: dict[str, tuple[float, _Path]] = {}
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def finish(node_id: str, tails: list[tuple[float, _Path]]) -> None:
        state[node_id] = 2
        here = isinstance(every.get(node_id), Step)
        if node_id in ends:
            best[node_id] = (weight(node_id), (node_id, None) if here else None)
        elif tails:
            minutes, path = _slowest(tails)
            best[node_id] = (weight(node_id) + minutes, (node_id, path) if here else path)

    def visit(root: str) -> tuple[float, _Path] | None:
        # a depth-first search with an explicit stack: a process of any length has a path
        if state.get(root) == 2:
            return best.get(root)
        state[root] = 1
        stack: list[tuple[str, int, list[tuple[float, _Path]]]] = [(root, 0, [])]
        while stack:
            node_id, position, tails = stack[-1]
            targets = successors.get(node_id, [])
            if position == len(targets):
                stack.pop()
                finish(node_id, tails)
                if stack and node_id in best:
                    stack[-1][2].append(best[node_id])
                continue
            stack[-1] = (node_id, position + 1, tails)
            target = targets[position]
            if state.get(target) == 1:
                continue  # the link closes a loop
            if state.get(target) == 2:
                if target in best:
                    tails.append(best[target])
                continue
            state[target] = 1
            stack.append((target, 0, []))
        return best.get(root)

    results = [visit(event.id) for event in events(process) if event.kind == "start"]
    found = [result for result in results if result is not None]
    if not found:
        return LongestPath(0.0, ())
    minutes, path = _slowest(found)
    return LongestPath(minutes, _steps(path))


_Path = Union[tuple[str, "_Path"], None]
"""A path as a linked list (step id, rest of the path), so a path shares its tail with the
paths of the steps after it instead of copying it at every step."""


def _steps(path: _Path) -> tuple[str, ...]:
    found = []
    while path is not None:
        found.append(path[0])
        path = path[1]
    return tuple(found)


def _before(a: _Path, b: _Path) -> bool:
    """Whether path ``a`` sorts before ``b`` (as the tuples of their steps would)."""
    while a is not None and b is not None:
        if a is b:
            return False
        if a[0] != b[0]:
            return a[0] < b[0]
        a, b = a[1], b[1]
    return a is None and b is not None


def _slowest(tails: list[tuple[float, _Path]]) -> tuple[float, _Path]:
    """The tail with the most minutes, ties to the path that sorts last (the first of equals)."""
    chosen = tails[0]
    for tail in tails[1:]:
        if tail[0] > chosen[0] or (tail[0] == chosen[0] and _before(chosen[1], tail[1])):
            chosen = tail
    return chosen


def step_successors(process: Process) -> list[tuple[str, str]]:
    """(step, next step) pairs, looking through gateways and events, in model order."""
    return FlowFacts(process).step_successors


def _step_successors(
    process: Process, every: dict[str, Node], successors: dict[str, list[str]]
) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    known: set[tuple[str, str]] = set()
    for step in process.steps:
        seen: set[str] = set()
        stack = list(reversed(successors.get(step.id, [])))
        while stack:
            target = stack.pop()
            if target in seen:
                continue
            seen.add(target)
            if isinstance(every.get(target), Step):
                if (step.id, target) not in known:
                    known.add((step.id, target))
                    pairs.append((step.id, target))
            else:
                stack.extend(reversed(successors.get(target, [])))
    return pairs


def _successors(found: list[Link]) -> dict[str, list[str]]:
    """Each node's distinct link targets, in link order."""
    successors: dict[str, list[str]] = defaultdict(list)
    for link in found:
        if link.target not in successors[link.source]:
            successors[link.source].append(link.target)
    return successors


class FlowFacts:
    """The flow figures of one process, each worked out once, when first read: one object per
    process, made by the analysis that needs them and passed to every function that reads them
    (a comparison reads each figure of each version from one object; nothing is kept globally).
    The module's functions (:func:`visits`, :func:`links`, ...) make a fresh one each call."""

    def __init__(self, process: Process) -> None:
        self.process = process
        self._paths: dict[float, LongestPath] = {}

    @cached_property
    def nodes(self) -> dict[str, Node]:
        return nodes(self.process)

    @cached_property
    def links(self) -> list[Link]:
        return _links(self.process, self.nodes)

    @cached_property
    def visits(self) -> dict[str, float]:
        return _visits(self.process, self.nodes, self.links)

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        return _successors(self.links)

    @cached_property
    def step_successors(self) -> list[tuple[str, str]]:
        return _step_successors(self.process, self.nodes, self.successors)

    def longest_path(self, hours_per_working_day: float = 8.0) -> LongestPath:
        if hours_per_working_day not in self._paths:
            self._paths[hours_per_working_day] = _longest_path(
                self.process, self.nodes, self.successors, hours_per_working_day
            )
        return self._paths[hours_per_working_day]
