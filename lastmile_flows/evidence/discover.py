"""``discover_process(log)``: a draft current-state model for an analyst to edit.

Rules, in the order they apply:

- an activity in at least ``min_activity_share`` of the cases is a step (named as in the log,
  its id made from the name); rarer ones are candidate edge cases on the step they most often
  follow, up to ``max_edge_cases`` (most frequent first), the rest are left out and listed;
- flows come from the directly-follows relation of the steps (rare activities set aside): a
  step flows to each step that follows it in at least ``min_flow_share`` of its passes; a step
  with several successors gets an exclusive gateway with their probabilities; a flow back to an
  earlier step is labelled rework; flows below the threshold are left out and listed, unless
  one is needed to keep every step reachable from the start and able to reach the end;
- lanes come from the log's role or group column, else from the resources: steps whose sets of
  resources overlap (Jaccard index at least ``role_overlap``) share a lane, else from nothing
  (one lane, ``staff``);
- then :func:`~lastmile_flows.evidence.calibrate.calibrate` measures its numbers, with evidence.

Directly-follows relations cannot tell parallel work from a choice: activities seen in both
orders are noted as possibly parallel, for the analyst to model with a parallel gateway.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from lastmile_flows.evidence.calibrate import Calibration, calibrate
from lastmile_flows.evidence.mapping import ActivityMap
from lastmile_flows.evidence.read import EventLog
from lastmile_flows.evidence.traces import Variant, directly_follows, project, variants
from lastmile_flows.model import Process
from lastmile_flows.model.graph import reachable

__all__ = ["Discovery", "discover_process"]

END = ""


@dataclass(frozen=True)
class Discovery:
    """The draft (calibrated), its calibration, and what was left out of it."""

    process: Process
    calibration: Calibration
    left_out: tuple[str, ...]


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "activity"
    if not re.match(r"[a-z_]", base):
        base = f"a_{base}"
    base = base[:48].rstrip("_")
    candidate, number = base, 2
    while candidate in taken or candidate in ("start", "end"):
        candidate, number = f"{base}_{number}", number + 1
    taken.add(candidate)
    return candidate


def discover_process(
    log: EventLog,
    *,
    process_id: str | None = None,
    name: str = "",
    min_activity_share: float = 0.05,
    min_flow_share: float = 0.05,
    max_edge_cases: int = 20,
    role_overlap: float = 0.5,
) -> Discovery:
    """A draft model of ``log`` (see the module docstring for the rules and thresholds)."""
    found = variants(log)
    total = sum(v.cases for v in found)
    in_cases = _cases_per_activity(found)
    kept = sorted(a for a, n in in_cases.items() if n >= min_activity_share * total)
    if not kept:
        kept = [sorted(in_cases, key=lambda a: (-in_cases[a], a))[0]]
    rare = sorted((a for a in in_cases if a not in kept), key=lambda a: (-in_cases[a], a))
    left_out: list[str] = []
    taken: set[str] = set()
    order = _order(found, kept)
    ids = {activity: _slug(activity, taken) for activity in order}
    projected = project(found, {a: None for a in rare})
    follows = directly_follows(projected)
    flows, dropped = _flows(follows, order, min_flow_share)
    left_out += [f"flow {a or 'start'!r} -> {b or 'end'!r}: {n:,} cases" for (a, b), n in dropped]
    roles, lane = _lanes(log, ids, role_overlap)
    steps = _steps(order, ids, flows, lane)
    gateways = _gateways(order, ids, flows)
    edge_ids, cases_on, more = _edge_cases(found, rare, kept, ids, taken, in_cases, max_edge_cases)
    left_out += [
        f"activity {a!r}: in {in_cases[a]:,} cases ({in_cases[a] / total:.2%})" for a in more
    ]
    _attach_edge_cases(steps, edge_ids, cases_on, in_cases, log.source)
    starts = sorted(b for (a, b) in flows if a == END)
    events = _start_and_end(starts, ids)
    if len(starts) > 1:
        gateways.insert(0, _decision("choose_start", "First activity", END, flows, ids, order))
    notes = _notes(log, found, kept, left_out)
    process = Process.parse(
        {
            "id": process_id or _slug(log.source.split(".")[0], set()),
            "name": name or f"As practised ({log.source})",
            "version": "current",
            "roles": roles,
            "steps": steps,
            "gateways": gateways,
            "events": events,
            "notes": notes,
        }
    )
    mapping = ActivityMap({**{a: ids[a] for a in order}, **edge_ids}, {}, {}, (), ())
    calibration = calibrate(process, log, mapping=mapping)
    return Discovery(calibration.process, calibration, tuple(left_out))


def _cases_per_activity(found: tuple[Variant, ...]) -> Counter[str]:
    """The cases in which each activity happens."""
    in_cases: Counter[str] = Counter()
    for variant in found:
        for activity in set(variant.activities):
            in_cases[activity] += variant.cases
    return in_cases


def _attach_edge_cases(
    steps: list[dict[str, object]],
    edge_ids: dict[str, str],
    cases_on: dict[str, list[str]],
    in_cases: Counter[str],
    source: str,
) -> None:
    """Give each step its candidate edge cases, owned by the step's role."""
    for step in steps:
        step["edge_cases"] = [
            {
                "id": edge_ids[a],
                "name": a,
                "rate": 0.0,
                "owner": step["role"],
                "notes": f"candidate edge case from {source}: in {in_cases[a]:,} cases",
            }
            for a in cases_on.get(str(step["id"]), [])
        ]


def _start_and_end(starts: list[str], ids: dict[str, str]) -> list[dict[str, str]]:
    """The start event (leading to the first activity, or to ``choose_start`` when cases begin
    with one of several) and the end event."""
    return [
        {
            "id": "start",
            "kind": "start",
            "next": "choose_start" if len(starts) > 1 else ids[starts[0]],
        },
        {"id": "end", "kind": "end"},
    ]


def _order(found: tuple[Variant, ...], kept: list[str]) -> list[str]:
    """Steps by their mean position in the cases (then by name)."""
    where: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    wanted = set(kept)
    for variant in found:
        sequence = [a for a in variant.activities if a in wanted]
        for index, activity in enumerate(sequence):
            where[activity][0] += index * variant.cases
            where[activity][1] += variant.cases
    return sorted(kept, key=lambda a: (where[a][0] / max(1.0, where[a][1]), a))


def _flows(
    follows: Counter[tuple[str, str]], order: list[str], least: float
) -> tuple[dict[tuple[str, str], int], list[tuple[tuple[str, str], int]]]:
    out_total: Counter[str] = Counter()
    for (a, _), n in follows.items():
        out_total[a] += n
    strong = {pair: n for pair, n in follows.items() if n >= least * out_total[pair[0]]}
    weak = sorted(
        ((pair, n) for pair, n in follows.items() if pair not in strong),
        key=lambda item: (-item[1], item[0]),
    )
    nodes = [END, *order]
    while True:
        links: dict[str, list[str]] = defaultdict(list)
        back: dict[str, list[str]] = defaultdict(list)
        for a, b in strong:
            links[a].append(b if b else "<end>")
            back[b if b else "<end>"].append(a)
        forward = reachable([END], links)
        backward = reachable(["<end>"], back)
        missing = [n for n in nodes if n not in forward or (n != END and n not in backward)]
        if not missing:
            break
        fix = next(
            (item for item in weak if item[0][1] in missing and item[0][0] in forward), None
        ) or next(
            (
                item
                for item in weak
                if item[0][0] in missing and (item[0][1] or "<end>") in backward
            ),
            None,
        )
        if fix is None:
            break
        strong[fix[0]] = fix[1]
        weak.remove(fix)
    return strong, weak


def _steps(
    order: list[str], ids: dict[str, str], flows: dict[tuple[str, str], int], lane: dict[str, str]
) -> list[dict[str, object]]:
    steps: list[dict[str, object]] = []
    for activity in order:
        targets = sorted(b for (a, b) in flows if a == activity)
        step_id = ids[activity]
        if len(targets) > 1:
            following = f"after_{step_id}"
        else:
            following = ids[targets[0]] if targets and targets[0] else "end"
        steps.append({"id": step_id, "name": activity, "role": lane[activity], "next": following})
    return steps


def _decision(
    gateway_id: str,
    name: str,
    source: str,
    flows: dict[tuple[str, str], int],
    ids: dict[str, str],
    order: list[str],
) -> dict[str, object]:
    targets = sorted(
        (b for (a, b) in flows if a == source), key=lambda b: (not b, order.index(b) if b else 0)
    )
    total = sum(flows[(source, b)] for b in targets)
    position = order.index(source) if source else -1
    branches = []
    for target in targets:
        back = bool(target) and order.index(target) <= position
        branches.append(
            {
                "to": ids[target] if target else "end",
                "probability": round(flows[(source, target)] / total, 4),
                "label": "rework" if back else "",
            }
        )
    rest = sum(b["probability"] for b in branches[1:])  # type: ignore[misc]
    branches[0]["probability"] = round(1 - rest, 4)
    return {"id": gateway_id, "name": name, "branches": branches}


def _gateways(
    order: list[str], ids: dict[str, str], flows: dict[tuple[str, str], int]
) -> list[dict[str, object]]:
    return [
        _decision(f"after_{ids[a]}", f"After {a}", a, flows, ids, order)
        for a in order
        if len([pair for pair in flows if pair[0] == a]) > 1
    ]


def _lanes(
    log: EventLog, ids: dict[str, str], overlap: float
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Roles, and the role of each step's activity (see the module docstring)."""
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    people: dict[str, Counter[str]] = defaultdict(Counter)
    for resource, group, activity, count in log.query("resources"):
        if activity not in ids:
            continue
        people[activity][str(resource)] += int(count)
        if group is not None:
            by_group[activity][str(group)] += int(count)
    order = list(ids)
    lane: dict[str, str] = {}
    roles: list[dict[str, str]] = []
    taken: set[str] = set()
    if by_group:
        role_ids: dict[str, str] = {}
        for activity in order:
            if not by_group.get(activity):
                continue
            group = sorted(by_group[activity].items(), key=lambda item: (-item[1], item[0]))[0][0]
            if group not in role_ids:
                role_ids[group] = _slug(group, taken)
                roles.append({"id": role_ids[group], "name": group})
            lane[activity] = role_ids[group]
    elif people:
        team: dict[str, int] = {}
        for activity in order:
            mine = set(people.get(activity, {}))
            if not mine:
                continue
            for earlier in order[: order.index(activity)]:
                theirs = set(people.get(earlier, {}))
                if earlier in team and len(mine & theirs) >= overlap * len(mine | theirs):
                    team[activity] = team[earlier]
                    break
            else:
                team[activity] = len(set(team.values())) + 1
        for number in sorted(set(team.values())):
            members: Counter[str] = Counter()
            for activity, which in team.items():
                if which == number:
                    members.update(people[activity])
            top = [name for name, _ in sorted(members.items(), key=lambda i: (-i[1], i[0]))[:3]]
            more = ", ..." if len(members) > 3 else ""
            roles.append(
                {"id": f"team_{number}", "name": f"Team {number} ({', '.join(top)}{more})"}
            )
        lane = {activity: f"team_{number}" for activity, number in team.items()}
    if len(lane) < len(order):
        fallback = "staff" if not roles else "unassigned"
        roles.append(
            {"id": fallback, "name": "Staff" if fallback == "staff" else "No resource recorded"}
        )
        lane |= {activity: fallback for activity in order if activity not in lane}
    return roles, lane


def _edge_cases(
    found: tuple[Variant, ...],
    rare: list[str],
    kept: list[str],
    ids: dict[str, str],
    taken: set[str],
    in_cases: Counter[str],
    most: int,
) -> tuple[dict[str, str], dict[str, list[str]], list[str]]:
    """Rare activities as edge cases on the step they most often follow (or precede)."""
    chosen, more = rare[:most], rare[most:]
    wanted = set(kept)
    near: dict[str, Counter[str]] = defaultdict(Counter)
    for variant in found:
        last: str | None = None
        waiting: list[str] = []
        for activity in variant.activities:
            if activity in wanted:
                for rare_one in waiting:
                    near[rare_one][activity] += variant.cases
                waiting, last = [], activity
            elif last is not None:
                near[activity][last] += 2 * variant.cases  # coming after a step counts double
            else:
                waiting.append(activity)
    edge_ids: dict[str, str] = {}
    on: dict[str, list[str]] = defaultdict(list)
    for activity in chosen:
        if not near.get(activity):
            more.append(activity)
            continue
        step = sorted(near[activity].items(), key=lambda item: (-item[1], item[0]))[0][0]
        edge_ids[activity] = _slug(activity, taken)
        on[ids[step]].append(activity)
    return edge_ids, dict(on), sorted(more, key=lambda a: (-in_cases[a], a))


def _notes(log: EventLog, found: tuple[Variant, ...], kept: list[str], left_out: list[str]) -> str:
    follows = directly_follows(found)
    parallel = []
    for index, a in enumerate(kept):
        for b in kept[index + 1 :]:
            ab, ba = follows.get((a, b), 0), follows.get((b, a), 0)
            if ab and ba and min(ab, ba) >= 0.2 * max(ab, ba):
                parallel.append(f"{a} / {b}")
    cases = sum(v.cases for v in found)
    lines = [
        f"Drafted from the event log {log.source} ({cases:,} cases, {len(found):,} variants) "
        "by lastmile log discover: edit it into the process as it should be documented.",
    ]
    if parallel:
        lines.append(
            "Seen in both orders (perhaps parallel work, drawn as choices): "
            + "; ".join(parallel[:10])
            + "."
        )
    if left_out:
        lines.append("Left out (below the thresholds): " + "; ".join(left_out) + ".")
    return "\n".join(lines)
