"""Replaying a case on a process model: an optimal alignment over the model's reachable states.

The model is read as a Petri net whose places are its sequence flows (and one place per edge-
case recovery path): a token on a flow means the case is there.

- a start event puts a token on its outgoing flow (one start event is chosen, silently);
- a step takes a token from any one incoming flow and puts it on its outgoing flow, or, for an
  edge case with a ``recovery_step``, on the path to that step; it is the only *visible* move,
  named by the step id;
- an exclusive or event-based gateway moves a token from any incoming flow to one outgoing flow;
- a parallel gateway takes a token from every incoming flow and puts one on every outgoing
  flow, so any interleaving of parallel branches replays without cost;
- an inclusive gateway sends a token along any non-empty set of its outgoing flows and, as a
  join, merges the tokens of all its incoming flows that hold one (exact when the branches
  taken have all arrived; a join that fires early is an approximation BPMN's non-local rule
  would not allow);
- an intermediate event passes a token on; an end event consumes it. A case fits when it ends
  with no token left.

An alignment pairs the case's activities with model moves: a *synchronous* move (activity and
step agree) costs 0, a *log move* (an activity the model cannot do there) 1, a *model move* (a
step the case skipped) 1, silent moves a ten-thousandth (to break ties, see ``DEVIATION``). An
A* search over (position in the case, marking) finds a cheapest one; ties are broken by model
order, so the result is deterministic. The search is bounded: tokens per place (``max_tokens``)
and states explored per case (``max_states``); a case that exceeds the bound is reported as not
judged, never guessed.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from lastmile_flows.model import Process, Step
from lastmile_flows.model.graph import events, nodes

__all__ = ["Alignment", "Marking", "Move", "Net", "Transition", "align_trace", "fire", "net_of"]

MoveKind = Literal["sync", "log", "model", "silent"]
MAX_INCLUSIVE_FANOUT = 4
"""An inclusive gateway with more branches gets single branches and all of them only."""


@dataclass(frozen=True)
class Transition:
    """One way the model can move. ``label`` is the step id for visible moves, else ``None``;
    ``choice`` names the branch taken: (gateway or step id, target id)."""

    label: str | None
    consume: tuple[int, ...]
    produce: tuple[int, ...]
    choice: tuple[str, str] | None = None
    merge: bool = False
    """An inclusive join: consumes the token of every input that holds one (at least one)."""


@dataclass(frozen=True)
class Net:
    """A process as places (flows) and transitions, with its initial choices."""

    places: tuple[tuple[str, str], ...]
    transitions: tuple[Transition, ...]
    initial: tuple[tuple[int, ...], ...]
    """Each start event's initial marking (its outgoing flows)."""
    labels: frozenset[str]
    by_input: dict[int, tuple[int, ...]] = field(default_factory=dict)
    reach: dict[int, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Move:
    kind: MoveKind
    activity: str | None
    """The case's activity (sync and log moves) or the step skipped (model moves)."""
    choice: tuple[str, str] | None = None


@dataclass(frozen=True)
class Alignment:
    """A cheapest alignment of one case; ``judged`` is false when the search hit its bound."""

    moves: tuple[Move, ...]
    cost: int
    judged: bool = True
    method: Literal["alignment", "token replay"] = "alignment"

    @property
    def fits(self) -> bool:
        return self.judged and self.cost == 0


def net_of(process: Process) -> Net:
    """The Petri net of ``process`` (see the module docstring for its rules)."""
    every = nodes(process)
    places: list[tuple[str, str]] = []
    incoming: dict[str, list[int]] = {}
    outgoing: dict[str, list[int]] = {}

    def place(source: str, target: str) -> int:
        places.append((source, target))
        index = len(places) - 1
        outgoing.setdefault(source, []).append(index)
        incoming.setdefault(target, []).append(index)
        return index

    for edge in process.edges():
        place(edge.source, edge.target)
    for step in process.steps:
        for case in step.edge_cases:
            if case.recovery_step:
                place(step.id, case.recovery_step)
    transitions: list[Transition] = []
    for node_id, node in every.items():
        ins, outs = incoming.get(node_id, []), outgoing.get(node_id, [])
        kind = getattr(node, "kind", None)
        if isinstance(node, Step):
            for i, o in itertools.product(ins, outs or [None]):  # type: ignore[list-item]
                produced = () if o is None else (o,)
                choice = (node_id, places[o][1]) if o is not None and len(outs) > 1 else None
                transitions.append(Transition(node_id, (i,), produced, choice))
        elif kind == "parallel":
            transitions.append(Transition(None, tuple(ins), tuple(outs)))
        elif kind == "inclusive":
            transitions += _inclusive(node_id, ins, outs, places)
        elif kind in ("exclusive", "event_based"):
            for i, o in itertools.product(ins, outs):
                choice = (node_id, places[o][1]) if len(outs) > 1 else None
                transitions.append(Transition(None, (i,), (o,), choice))
        elif kind in ("intermediate", "end"):
            for i in ins:
                transitions.append(Transition(None, (i,), tuple(outs)))
    starts = [e.id for e in events(process) if e.kind == "start"]
    initial = tuple(tuple(outgoing.get(start, [])) for start in starts)
    by_input: dict[int, list[int]] = {}
    for index, transition in enumerate(transitions):
        for p in set(transition.consume):
            by_input.setdefault(p, []).append(index)
    net = Net(
        tuple(places),
        tuple(transitions),
        initial,
        frozenset(step.id for step in process.steps),
        {p: tuple(ts) for p, ts in by_input.items()},
    )
    return Net(net.places, net.transitions, net.initial, net.labels, net.by_input, _reach(net))


def _inclusive(
    node_id: str, ins: list[int], outs: list[int], places: list[tuple[str, str]]
) -> list[Transition]:
    found: list[Transition] = []
    if len(ins) > 1:
        return [Transition(None, tuple(ins), tuple(outs), merge=True)]
    if len(outs) > MAX_INCLUSIVE_FANOUT:
        sets = [(o,) for o in outs] + [tuple(outs)]
    else:
        sets = [c for size in range(1, len(outs) + 1) for c in itertools.combinations(outs, size)]
    for i in ins:
        for chosen in sets:
            choice = (node_id, places[chosen[0]][1]) if len(chosen) == 1 and len(outs) > 1 else None
            found.append(Transition(None, (i,), chosen, choice))
    return found


Marking = tuple[int, ...]
"""The places holding a token, sorted, a place repeated once per extra token."""


def fire(marking: Marking, transition: Transition, max_tokens: int) -> Marking | None:
    tokens = list(marking)
    if transition.merge:
        held = [p for p in transition.consume if p in tokens]
        if not held:
            return None
        for p in held:
            tokens.remove(p)
        consumed: tuple[int, ...] = ()
    else:
        consumed = transition.consume
    for p in consumed:
        try:
            tokens.remove(p)
        except ValueError:
            return None
    for p in transition.produce:
        tokens.append(p)
        if tokens.count(p) > max_tokens:
            return None
    return tuple(sorted(tokens))


def _reach(net: Net) -> dict[int, frozenset[str]]:
    """The step ids reachable from a token on each place (an over-approximation: joins are
    treated as if their other inputs were there)."""
    after: dict[int, set[int]] = {}
    labels_of: dict[int, set[str]] = {}
    for transition in net.transitions:
        for p in transition.consume:
            after.setdefault(p, set()).update(transition.produce)
            if transition.label is not None:
                labels_of.setdefault(p, set()).add(transition.label)
    found: dict[int, frozenset[str]] = {}
    for place in range(len(net.places)):
        seen, stack, labels = {place}, [place], set()
        while stack:
            current = stack.pop()
            labels |= labels_of.get(current, set())
            for nxt in after.get(current, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        found[place] = frozenset(labels)
    return found


def _bound(reach: dict[int, frozenset[str]], trace: Sequence[str]) -> Callable[[int, Marking], int]:
    """The search's bound at (position, marking): the activities from ``position`` on that no
    token of the marking can reach (each is a log move); one table per marking, kept."""
    bounds: dict[Marking, list[int]] = {}

    def bound(position: int, marking: Marking) -> int:
        table = bounds.get(marking)
        if table is None:
            possible: set[str] = set()
            for p in set(marking):
                possible |= reach[p]
            table = [0] * (len(trace) + 1)
            for index in range(len(trace) - 1, -1, -1):
                table[index] = table[index + 1] + (trace[index] not in possible)
            bounds[marking] = table
        return table[position]

    return bound


def _successors(net: Net, max_tokens: int) -> Callable[[Marking], list[tuple[int, Marking]]]:
    """The transitions enabled in a marking (by index, in model order) with the markings they
    lead to; kept per marking."""
    successors: dict[Marking, list[tuple[int, Marking]]] = {}

    def moves_from(marking: Marking) -> list[tuple[int, Marking]]:
        found = successors.get(marking)
        if found is None:
            found = []
            for index in sorted({t for p in set(marking) for t in net.by_input.get(p, ())}):
                after = fire(marking, net.transitions[index], max_tokens)
                if after is not None:
                    found.append((index, after))
            successors[marking] = found
        return found

    return moves_from


def align_trace(
    net: Net, trace: Sequence[str], *, max_tokens: int = 1, max_states: int = 50_000
) -> Alignment:
    """A cheapest alignment of ``trace`` (step ids and other activities) with ``net``.

    The search is A* with an admissible bound: every remaining activity that no token can
    reach any more must be a log move."""
    reach = net.reach if net.reach else _reach(net)
    bound = _bound(reach, trace)
    moves_from = _successors(net, max_tokens)
    State = tuple[int, Marking]
    counter = itertools.count()
    queue: list[tuple[int, int, int, int, Marking]] = []
    parents: dict[State, tuple[State | None, int, int]] = {}
    best: dict[State, int] = {}
    for start in net.initial:
        marking = tuple(sorted(start))
        if (0, marking) not in best:
            best[(0, marking)] = 0
            parents[(0, marking)] = (None, 0, -1)
            heapq.heappush(queue, (DEVIATION * bound(0, marking), next(counter), 0, 0, marking))
    settled: set[State] = set()
    length = len(trace)
    transitions = net.transitions
    while queue:
        _, _, cost, position, marking = heapq.heappop(queue)
        state = (position, marking)
        if state in settled:
            continue
        settled.add(state)
        if len(settled) > max_states:
            return Alignment((), 0, judged=False)
        if position == length and not marking:
            return Alignment(_moves(parents, state, trace, transitions), cost // DEVIATION)
        activity = trace[position] if position < length else None
        pushes: list[tuple[int, Marking, int, int, int]] = []
        for index, after in moves_from(marking):
            label = transitions[index].label
            if label is None:
                pushes.append((position, after, cost + SILENT_COST, SILENT, index))
                continue
            if label == activity:
                pushes.append((position + 1, after, cost, SYNC, index))
            pushes.append((position, after, cost + DEVIATION, MODEL, index))
        if activity is not None:
            pushes.append((position + 1, marking, cost + DEVIATION, LOG, -1))
        for new_position, new_marking, new_cost, kind, index in pushes:
            new = (new_position, new_marking)
            if new in settled or best.get(new, new_cost + 1) <= new_cost:
                continue
            best[new] = new_cost
            parents[new] = (state, kind, index)
            estimate = new_cost + DEVIATION * bound(new_position, new_marking)
            heapq.heappush(queue, (estimate, next(counter), new_cost, new_position, new_marking))
    return Alignment((), 0, judged=False)


SILENT, SYNC, MODEL, LOG = range(4)
DEVIATION = 10_000
"""The cost of a log or model move; a silent move costs 1, so that among alignments with the
fewest deviations the search takes the one with the fewest silent moves first, instead of
exploring every interleaving of parallel gateways at equal cost (as pm4py weighs them)."""
SILENT_COST = 1
_KINDS: tuple[MoveKind, ...] = ("silent", "sync", "model", "log")


def _moves(
    parents: dict[tuple[int, Marking], tuple[tuple[int, Marking] | None, int, int]],
    state: tuple[int, Marking],
    trace: Sequence[str],
    transitions: tuple[Transition, ...],
) -> tuple[Move, ...]:
    found: list[Move] = []
    current: tuple[int, Marking] | None = state
    while current is not None:
        previous, kind, index = parents[current]
        if previous is not None:
            transition = transitions[index] if index >= 0 else None
            choice = transition.choice if transition is not None else None
            if kind == SILENT:
                found.append(Move("silent", None, choice))
            elif kind == MODEL:
                found.append(Move("model", transition.label if transition else None, choice))
            else:
                found.append(Move(_KINDS[kind], trace[previous[0]], choice))
        current = previous
    return tuple(reversed(found))
