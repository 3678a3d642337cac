"""The diff diagram: the redesigned process, with what the redesign changed drawn on it.

Redesigned steps are coloured by their change; steps the redesign eliminated come back greyed
and struck out in the lane of the role that did them (a removed role keeps its lane, marked
removed); flows and hand-offs only the current process had are dashed grey; new hand-offs are
orange; each audit finding is a badge on the element it concerns.
"""

from __future__ import annotations

from collections import defaultdict

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.analysis.findings import Finding
from lastmile_flows.model import Process
from lastmile_flows.model.graph import edges, events
from lastmile_flows.render import theme
from lastmile_flows.render.labels import edge_case_lines, step_facts, step_title, wrap
from lastmile_flows.render.lanes import lane_of
from lastmile_flows.render.process import Ghost, Overlay, process_scene, svg_ids
from lastmile_flows.render.scene import Scene
from lastmile_flows.report.headlines import headlines
from lastmile_flows.report.numbers import plural

__all__ = ["diff_scene"]

TIMED = ("automated", "assisted", "retimed", "merged", "split", "reassigned")


def _tag(change: str, before: float, after: float) -> str:
    if change in TIMED and round(before, 1) != round(after, 1):
        return f"{before:.1f} \u2192 {after:.1f} min"
    if change in ("added", "review_added") and after:
        return f"+{after:.1f} min"
    return ""


def _caption(comparison: Comparison) -> tuple[str, ...]:
    rows = {h.label: h for h in headlines(comparison)}
    parts = []
    for label in ("Human work per case (min)", "FTE needed", "Cycle time, slowest path"):
        found = rows.get(label)
        if found is not None:
            parts.append(f"{label}: {found.before} \u2192 {found.after}")
    errors = len(comparison.findings_at_or_above("error"))
    warnings = len(comparison.findings_at_or_above("warning")) - errors
    parts.append(f"findings: {plural(errors, 'error')}, {plural(warnings, 'warning')}")
    return (" \u00b7 ".join(parts),)


def diff_scene(comparison: Comparison, current: Process, redesigned: Process) -> Scene:
    """The diff overlay of ``comparison`` (which must compare ``current`` and ``redesigned``)."""
    after_ids = svg_ids(redesigned)
    current_lanes = lane_of(current, edges(current))
    kept_roles = {role.id for role in redesigned.roles}
    changes: dict[str, str] = {}
    tags: dict[str, str] = {}
    drawn: dict[str, str] = {}  # current model id -> svg id in the diff
    ghosts: list[Ghost] = []
    for change in comparison.steps:
        if change.redesigned:
            for step_id in change.redesigned:
                changes[step_id] = change.change
                tags[step_id] = _tag(
                    change.change, change.human_minutes_before, change.human_minutes_after
                )
            for step_id in change.current:
                drawn[step_id] = after_ids[change.redesigned[0]]
            continue
        for step_id in change.current:
            step = current.step(step_id)
            drawn[step_id] = f"was-step-{step_id}"
            cases = []
            for case in step.edge_cases:
                words, _ = edge_case_lines(current, case)
                cases.append((f"was-edge-case-{case.id}", tuple(words), f"Was: {case.label}"))
                drawn[case.id] = f"was-edge-case-{case.id}"
            ghosts.append(
                Ghost(
                    svg_id=f"was-step-{step_id}",
                    lane=step.role,
                    label=("ELIMINATED", *wrap(step.label), step_facts(step)),
                    title="Eliminated by the redesign.\n" + step_title(current, step),
                    edge_cases=tuple(cases),
                )
            )
    after_gateways = {g.id for g in redesigned.gateways}
    for gateway in current.gateways:
        if gateway.id in after_gateways:
            drawn[gateway.id] = after_ids[gateway.id]
        else:
            drawn[gateway.id] = f"was-gateway-{gateway.id}"
            ghosts.append(
                Ghost(
                    svg_id=f"was-gateway-{gateway.id}",
                    lane=current_lanes.get(gateway.id, current.roles[0].id),
                    label=(theme.GATEWAY_SYMBOL[gateway.kind],),
                    title=f"Removed decision: {gateway.label} ({gateway.id})",
                    shape="diamond",
                )
            )
    after_events = events(redesigned)
    for event in events(current):
        same = next((e for e in after_events if e.id == event.id), None)
        same = same or next((e for e in after_events if e.kind == event.kind), None)
        if same is not None:
            drawn[event.id] = after_ids[same.id]
    for _step, case in redesigned.edge_cases():
        drawn.setdefault(case.id, after_ids[case.id])

    flows_after = {(after_ids[e.source], after_ids[e.target]) for e in edges(redesigned)}
    ghost_flows: dict[tuple[str, str], str] = {}
    for edge in edges(current):
        pair = (drawn.get(edge.source, ""), drawn.get(edge.target, ""))
        if all(pair) and pair[0] != pair[1] and pair not in flows_after:
            ghost_flows.setdefault(pair, "")
    for handoff in comparison.handoffs.removed:
        pair = (drawn.get(handoff.from_step, ""), drawn.get(handoff.to_step, ""))
        if all(pair) and pair[0] != pair[1] and pair not in flows_after:
            ghost_flows[pair] = "hand-off removed"

    gateways_after = {g.id for g in redesigned.gateways}
    new_handoffs = set()
    for handoff in comparison.handoffs.added:
        for edge in edges(redesigned):
            if edge.target == handoff.to_step and (
                edge.source == handoff.from_step or edge.source in gateways_after
            ):
                new_handoffs.add((edge.source, edge.target))

    removed_roles = tuple(role for role in current.roles if role.id not in kept_roles)
    badges: dict[str, list[Finding]] = defaultdict(list)
    lanes = {role.id for role in redesigned.roles} | {role.id for role in removed_roles}
    for finding in comparison.findings:
        ids = after_ids if finding.version == "redesigned" else drawn
        target = next((ids[i] for i in finding.element_ids if i in ids), None)
        if target is None:
            target = next((f"lane-{i}" for i in finding.element_ids if i in lanes), None)
        if target is not None:
            badges[target].append(finding)

    overlay = Overlay(
        changes=changes,
        tags={k: v for k, v in tags.items() if v},
        removed_roles=removed_roles,
        ghosts=tuple(ghosts),
        ghost_flows=tuple((a, b, text) for (a, b), text in ghost_flows.items()),
        new_handoffs=frozenset(new_handoffs),
        badges={k: tuple(v) for k, v in badges.items()},
        caption=_caption(comparison),
    )
    title = f"{comparison.name}: {current.version or 'current'} \u2192 "
    title += redesigned.version or "redesigned"
    return process_scene(redesigned, title=(title,), overlay=overlay)
