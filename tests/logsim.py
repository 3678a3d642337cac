"""Event logs simulated from a model, for tests that know the truth.

A case is played on the model's Petri net (:func:`lastmile_flows.evidence.replay.net_of`): at
each point one group of enabled transitions (those competing for the same tokens) is picked at
random, then one transition in it, weighted by its branch probability. Parallel branches thus
interleave at random. Each step takes its ``touch_minutes`` (exactly, or spread around it).
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

from lastmile_flows import Process
from lastmile_flows.evidence.replay import Transition, fire, net_of

START = datetime(2024, 1, 1, 8, 0, 0)


def _probability(process: Process, transition: Transition) -> float:
    if transition.choice is None:
        return 1.0
    source, target = transition.choice
    for gateway in process.gateways:
        if gateway.id == source:
            for branch in gateway.branches:
                if branch.to == target and branch.probability is not None:
                    return branch.probability
    return 1.0


def simulate(
    process: Process, cases: int, *, seed: int = 1, spread: float = 0.0, max_steps: int = 500
) -> list[list[str]]:
    """Rows ``case_id, activity, start_time, end_time, resource`` (activity = step name or
    id), cases starting a day apart."""
    rng = random.Random(seed)
    net = net_of(process)
    steps = {step.id: step for step in process.steps}
    rows: list[list[str]] = []
    for number in range(cases):
        clock = START + timedelta(days=number % 400, minutes=number // 400)
        marking = tuple(sorted(net.initial[0]))
        for _ in range(max_steps):
            if not marking:
                break
            enabled = [
                t
                for t in net.transitions
                if set(t.consume) <= set(marking) and fire(marking, t, 1) is not None
            ]
            groups: dict[tuple[int, ...], list[Transition]] = {}
            for transition in enabled:
                groups.setdefault(transition.consume, []).append(transition)
            group = groups[rng.choice(sorted(groups))]
            weights = [_probability(process, t) for t in group]
            chosen = rng.choices(group, weights=weights)[0]
            after = fire(marking, chosen, 1)
            assert after is not None
            marking = after
            if chosen.label is not None:
                step = steps[chosen.label]
                minutes = step.touch_minutes * (1 + spread * (2 * rng.random() - 1))
                start = clock + timedelta(minutes=5)
                clock = start + timedelta(minutes=minutes)
                rows.append(
                    [
                        f"case{number:05d}",
                        step.label,
                        start.isoformat(sep=" "),
                        clock.isoformat(sep=" "),
                        f"{step.role}-{rng.randrange(3)}",
                    ]
                )
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["case_id", "activity", "start_time", "end_time", "resource"])
        writer.writerows(rows)
    return path
