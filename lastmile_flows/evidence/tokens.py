"""Token replay: the fallback when an optimal alignment would take too long.

A model with wide parallel or inclusive blocks has more reachable states than an alignment
can search case by case. Token replay walks the case once instead (as pm4py's token-based
replay does):

- an activity the model lacks is a log move;
- a step whose transition is enabled fires; if it is not, a short search over silent moves
  (gateways, events; at most ``max_states`` markings) looks for a marking that enables it;
- if none does, the step fires anyway with the tokens it lacked added: a step done where the
  model does not allow it (a log move of a documented step);
- at the end, silent moves try to empty the marking; each token left is a step the case
  skipped (the first step after the place it sits on).

The result is a :class:`~.replay.Alignment` whose ``method`` is ``"token replay"``: the same
findings, found greedily, so a deviation may be attributed differently from an optimal one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from lastmile_flows.evidence.replay import Alignment, Marking, Move, Net, Transition, fire

__all__ = ["token_replay"]


def _silent_search(
    net: Net, start: Marking, goal: object, max_tokens: int, max_states: int
) -> tuple[Marking, list[int]] | None:
    """The first marking reached by silent moves (breadth first) where ``goal(marking)``
    holds, with the silent transitions fired to get there."""
    queue: deque[tuple[Marking, list[int]]] = deque([(start, [])])
    seen = {start}
    while queue and len(seen) <= max_states:
        marking, path = queue.popleft()
        if goal(marking):  # type: ignore[operator]
            return marking, path
        for index in sorted({t for p in set(marking) for t in net.by_input.get(p, ())}):
            transition = net.transitions[index]
            if transition.label is not None:
                continue
            after = fire(marking, transition, max_tokens)
            if after is not None and after not in seen:
                seen.add(after)
                queue.append((after, [*path, index]))
    return None


def _forced(marking: Marking, transition: Transition) -> Marking:
    tokens = list(marking)
    for p in transition.consume:
        if p in tokens:
            tokens.remove(p)
    tokens += transition.produce
    return tuple(sorted(tokens))


def _first_step(net: Net, place: int) -> str | None:
    """The step a token on ``place`` is waiting for (through silent transitions); ``None``
    when only gateways and events are left before the end (a join that fired early)."""
    seen, queue = {place}, deque([place])
    while queue:
        current = queue.popleft()
        for index in net.by_input.get(current, ()):
            transition = net.transitions[index]
            if transition.label is not None:
                return transition.label
            for nxt in transition.produce:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
    return None


def token_replay(
    net: Net, trace: Sequence[str], *, max_tokens: int = 1, max_states: int = 2_000
) -> Alignment:
    """Replay ``trace`` on ``net`` greedily (see the module docstring)."""
    moves: list[Move] = []
    by_label: dict[str, list[Transition]] = {}
    for transition in net.transitions:
        if transition.label is not None:
            by_label.setdefault(transition.label, []).append(transition)
    marking: Marking = tuple(sorted(net.initial[0])) if net.initial else ()
    cost = 0
    for activity in trace:
        candidates = by_label.get(activity)
        if not candidates:
            moves.append(Move("log", activity))
            cost += 1
            continue

        def enables(m: Marking, options: list[Transition] = candidates) -> bool:
            return any(fire(m, t, max_tokens) is not None for t in options)

        found = _silent_search(net, marking, enables, max_tokens, max_states)
        if found is None:
            marking = _forced(marking, candidates[0])
            moves.append(Move("log", activity))
            cost += 1
            continue
        marking, path = found
        moves += [Move("silent", None, net.transitions[i].choice) for i in path]
        for transition in candidates:
            after = fire(marking, transition, max_tokens)
            if after is not None:
                marking = after
                moves.append(Move("sync", activity, transition.choice))
                break
    ended = _silent_search(net, marking, lambda m: not m, max_tokens, max_states)
    if ended is not None:
        moves += [Move("silent", None, net.transitions[i].choice) for i in ended[1]]
    else:
        for place in sorted(set(marking)):
            step = _first_step(net, place)
            if step is not None:
                moves.append(Move("model", step))
                cost += 1
    return Alignment(tuple(moves), cost, method="token replay")
