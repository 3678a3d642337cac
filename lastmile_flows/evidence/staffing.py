"""Who does the work and how much comes in: observed headcount per role, monthly volume.

- A resource belongs to the role the mapping file names, else to the role its group value names,
  else to the role of the steps it does most; headcount is the mean number of distinct people
  seen doing a human role's steps per full calendar month (people at work, not FTE).
- Volume is the mean number of cases started per full calendar month (the first and the last,
  usually partial, are left out when there are three or more), with a 95% interval.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

from lastmile_flows.evidence.collect import Collect
from lastmile_flows.evidence.mapping import ActivityMap
from lastmile_flows.evidence.read import EventLog
from lastmile_flows.evidence.stats import Z95
from lastmile_flows.model import Process

__all__ = ["headcounts", "volume"]


def headcounts(
    process: Process, log: EventLog, mapping: ActivityMap, out: Collect, cases: int
) -> dict[str, float]:
    """Observed people per role and month, from who did each role's steps."""
    steps = mapping.steps(process)
    role_of_step = {step.id: step.role for step in process.steps}
    humans = {role.id for role in process.roles if role.kind == "human"}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    seen: dict[str, set[str]] = defaultdict(set)
    for resource, group, activity, month, count in log.query("resource_work"):
        seen[str(resource)].add(str(month))
        if resource in mapping.resources:
            votes[resource][mapping.resources[resource]] += int(count)
        elif group is not None and group in mapping.groups:
            votes[resource][mapping.groups[group]] += int(count)
        elif activity in steps:
            votes[resource][role_of_step[steps[activity]]] += int(count)
    chosen = {
        str(resource): sorted(count.items(), key=lambda item: (-item[1], item[0]))[0][0]
        for resource, count in votes.items()
    }
    chosen = {resource: role for resource, role in chosen.items() if role in humans}
    people: dict[str, Counter[str]] = defaultdict(Counter)
    for resource, role in chosen.items():
        for month in seen[resource]:
            people[role][month] += 1
    months = {role: [count[m] for m in sorted(count)] for role, count in people.items()}
    found: dict[str, float] = {}
    for role, counts in sorted(months.items()):
        found[role] = _monthly(
            out,
            role,
            "headcount",
            counts,
            cases,
            "mean distinct resources doing its steps per full month (people seen, not FTE)",
            interval=False,
        )
    return found


def volume(process: Process, log: EventLog, out: Collect, cases: int) -> float | None:
    counts = [int(count) for _, count in log.query("months")]
    if not counts:
        return None
    return _monthly(
        out,
        process.id,
        "volume_per_month",
        counts,
        cases,
        "mean cases started per full calendar month (first and last left out)",
        interval=True,
    )


def _monthly(
    out: Collect,
    element: str,
    name: str,
    counts: list[int],
    cases: int,
    method: str,
    *,
    interval: bool,
) -> float:
    """Record and return the mean of monthly ``counts`` over the full months (the first and
    the last left out when there are three or more), with their median and, when
    ``interval``, a 95% interval of the mean."""
    full = counts[1:-1] if len(counts) >= 3 else counts
    mean = statistics.fmean(full)
    value = round(mean, 1)
    bounds: dict[str, float | None] = {"low": None, "high": None} if interval else {}
    if interval and len(full) >= 2:
        half = Z95 * statistics.stdev(full) / len(full) ** 0.5
        bounds = {"low": round(max(0.0, mean - half), 1), "high": round(mean + half, 1)}
    out.add(
        element,
        name,
        value,
        cases,
        observations=len(full),
        median=float(statistics.median(full)),
        mean=value,
        p90=None,
        **bounds,
        method=method,
    )
    return value
