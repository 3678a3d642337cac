"""The diff diagram: the redesigned process, with what the redesign changed drawn on it.

- Redesigned steps are coloured by their change and tagged (NOW AI, NEW REVIEW, ...).
- The human work the redesign removes comes back greyed and struck out, with its name, in the
  lane of the role that did it, beside the step that took it over (a dotted line to it) or,
  for work simply eliminated, beside where it used to be (:mod:`~lastmile_flows.render.ghosts`).
- A role the redesign removes keeps its lane, marked removed; a role left with nobody in it is
  marked too. An exception whose owner is such a role is tied by a red dashed line to a marker
  in that lane; an exception the redesign drops hangs, dashed red, under the removed step.
- New hand-offs between roles are orange.
- Every finding is a numbered callout on the element it concerns, listed in plain words under
  the diagram (rule code and name in the tooltip).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.analysis.findings import Finding
from lastmile_flows.analysis.headlines import counted, headlines
from lastmile_flows.escape import plain_text
from lastmile_flows.model import Process
from lastmile_flows.model.graph import Edge, edges
from lastmile_flows.render import theme
from lastmile_flows.render.callouts import Names, numbered
from lastmile_flows.render.ghosts import GHOST_NAMES, ghosts, merge_ghosts
from lastmile_flows.render.process import lane, process_scene, svg_ids
from lastmile_flows.render.scene import Callout, Scene, SceneEdge, SceneNode
from lastmile_flows.render.words import step_facts

__all__ = ["caption", "diff_scene", "new_handoffs"]

TIMED = ("automated", "assisted", "retimed", "merged", "split", "reassigned")


def caption(comparison: Comparison) -> tuple[str, ...]:
    """The headline figures before → after, and how many findings there are."""
    rows = {h.key: h for h in headlines(comparison)}
    parts = []
    for key in ("human_minutes", "fte", "cycle_time"):
        found = rows.get(key)
        if found is not None:
            parts.append(f"{found.label}: {found.before} \u2192 {found.after}")
    parts.append(f"findings: {counted(list(comparison.findings))}")
    return (" \u00b7 ".join(parts),)


def new_handoffs(comparison: Comparison, redesigned: Process) -> set[tuple[str, str]]:
    """(source, target) model ids of redesigned flows that are new hand-offs between roles."""
    gateways = {g.id for g in redesigned.gateways}
    found = set()
    into: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges(redesigned):
        into[edge.target].append(edge)
    for handoff in comparison.handoffs.added:
        for edge in into.get(handoff.to_step, ()):
            if edge.source == handoff.from_step or edge.source in gateways:
                found.add((edge.source, edge.target))
    return found


def _keep_all(finding: Finding) -> bool:
    return True


def diff_scene(
    comparison: Comparison,
    current: Process,
    redesigned: Process,
    *,
    order: Sequence[str] = (),
    keep: Callable[[Finding], bool] = _keep_all,
    title: str = "",
    ghost_names: int = GHOST_NAMES,
) -> Scene:
    """The diff of ``comparison`` (which compares ``current`` with ``redesigned``); ``keep``
    selects the findings numbered on it; a box of removed steps lists ``ghost_names`` names."""
    removed_roles = [
        role for role in current.roles if role.id not in {r.id for r in redesigned.roles}
    ]
    scene = process_scene(redesigned, former_roles=removed_roles, order=order)
    scene.title = title or (
        f"{plain_text(comparison.name)}: {plain_text(current.version or 'current')} \u2192 "
        f"{plain_text(redesigned.version or 'redesigned')}"
    )
    scene.caption = caption(comparison)
    changed = _changed_steps(comparison, redesigned, scene)
    hot = new_handoffs(comparison, redesigned)
    model_ids = {svg: model for model, svg in svg_ids(redesigned).items()}
    scene.edges = [
        replace(edge, style="handoff_new", css="flow handoff-added")
        if edge.style == "flow" and _pair(edge, model_ids) in hot
        else edge
        for edge in scene.edges
    ]
    known_lanes = {item.id for item in scene.lanes}
    scene.lanes += [
        lane(role, removed=True) for role in removed_roles if role.id not in known_lanes
    ]
    if order:
        position = {role: index for index, role in enumerate(order)}
        scene.lanes.sort(key=lambda item: position.get(item.id, len(position)))
    removed = ghosts(comparison, current, redesigned, scene)
    scene.nodes = [changed.get(node.id, node) for node in scene.nodes] + removed
    _owner_ties(scene, redesigned, current)
    _number(scene, comparison, current, redesigned, keep)
    merge_ghosts(scene, shown=ghost_names)
    return scene


def _changed_steps(
    comparison: Comparison, redesigned: Process, scene: Scene
) -> dict[str, SceneNode]:
    """Each redesigned step's node in ``scene`` (by SVG id), coloured and tagged by its change,
    its facts saying the person-minutes before and after where a timed change moved them."""
    after_ids = svg_ids(redesigned)
    by_id = {node.id: node for node in scene.nodes}
    changes: dict[str, tuple[str, float, float]] = {}
    for change in comparison.steps:
        for step_id in change.redesigned:
            changes[step_id] = (
                change.change,
                change.human_minutes_before,
                change.human_minutes_after,
            )
    for step in redesigned.steps:
        kind, before, after = changes.get(step.id, ("unchanged", 0.0, 0.0))
        node = by_id[after_ids[step.id]]
        style = {
            "automated": "automated" if step.kind == "ai" else step.kind,
            "assisted": "assisted",
            "review_added": "review_added",
            "added": "added" if step.kind != "ai" else "ai",
        }.get(kind, node.style)
        facts = step_facts(step)
        if kind in TIMED and round(before, 1) != round(after, 1):
            facts += f" \u00b7 person {before:.1f} \u2192 {after:.1f} min"
        chip, _ = theme.CHIP.get(kind, ("", ""))
        by_id[node.id] = replace(
            node,
            style=style,
            facts=facts,
            chip=kind if chip else "",
            chip_text=chip,
            css=node.css + (f" {kind.replace('_', '-')}" if kind != "unchanged" else ""),
        )
    return by_id


def _pair(edge: SceneEdge, model_ids: dict[str, str]) -> tuple[str, str]:
    """The model ids an edge joins (``model_ids``: SVG id -> model id)."""
    return (model_ids.get(edge.source, ""), model_ids.get(edge.target, ""))


def _owner_ties(scene: Scene, redesigned: Process, current: Process) -> None:
    """A marker in the lane of each exception's owner that cannot handle it (removed, or with
    nobody in it), tied to the exception by a red dashed line."""
    staffed = {role.id: role for role in redesigned.roles}
    former = {role.id: role for role in current.roles}
    lanes = {lane.id for lane in scene.lanes}
    ids = svg_ids(redesigned)
    for step, case in redesigned.edge_cases():
        owner = case.owner
        if owner is None or owner not in lanes:
            continue
        role = staffed.get(owner)
        if role is not None and role.headcount != 0:
            continue
        why = "role removed" if role is None else "nobody staffed"
        name = (role or former[owner]).label
        marker = f"owner-{case.id}"
        scene.nodes.append(
            SceneNode(
                marker,
                owner,
                "box",
                "owner_gone",
                (f"owner of {plain_text(case.label)}",),
                facts=f"{plain_text(name)}: {why}",
                title=f"{plain_text(case.label)} ({case.id}) is owned by {plain_text(name)}: "
                f"{why}.",
                css="owner-gone",
                anchor=ids[step.id],
            )
        )
        scene.edges.append(
            SceneEdge(
                f"owner-tie-{case.id}",
                ids[case.id],
                marker,
                style="owner_tie",
                title=f"{plain_text(case.label)}: owned by {plain_text(name)} ({why})",
                css="owner-tie",
                ranks=False,
            )
        )


def _number(
    scene: Scene,
    comparison: Comparison,
    current: Process,
    redesigned: Process,
    keep: Callable[[Finding], bool],
) -> None:
    """Pin each kept finding, numbered, to the element it concerns."""
    names = Names(current, redesigned)
    after = svg_ids(redesigned)
    before = {step.id: f"was-step-{step.id}" for step in current.steps}
    before |= {case.id: f"was-edge-case-{case.id}" for _, case in current.edge_cases()}
    drawn = {node.id for node in scene.nodes} | {tag.id for tag in scene.tags}
    lanes = {lane.id for lane in scene.lanes}
    on: dict[str, list[Callout]] = defaultdict(list)
    for finding, callout in numbered(comparison, names, keep):
        scene.callouts.append(callout)
        mappings = [before, after] if finding.version == "current" else [after, before]
        target = None
        for mapping in mappings:
            target = next(
                (mapping[i] for i in finding.element_ids if mapping.get(i) in drawn), None
            )
            if target:
                break
        if target is None:
            target = next((f"lane-{i}" for i in finding.element_ids if i in lanes), None)
        if target is not None:
            on[target].append(callout)
    scene.nodes = [
        replace(node, callouts=tuple(on[node.id])) if node.id in on else node
        for node in scene.nodes
    ]
    scene.tags = [
        replace(tag, callouts=tuple(on[tag.id])) if tag.id in on else tag for tag in scene.tags
    ]
    scene.lanes = [
        replace(lane, callouts=tuple(on[f"lane-{lane.id}"])) if f"lane-{lane.id}" in on else lane
        for lane in scene.lanes
    ]
