"""Removed work on the diff diagram: each human step the redesign removes comes back greyed and
struck out, with its name, in the lane of the role that did it, beside the step that took it
over (a dotted line to it) or, for work simply eliminated, beside where it used to be; the
exceptions it handled that the redesign dropped hang under it. Removed steps taken over by one
step in one lane share one box.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import replace

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.escape import plain_text
from lastmile_flows.model import EdgeCase, Process, Step
from lastmile_flows.model.graph import edges, events
from lastmile_flows.numbers import percent
from lastmile_flows.render import theme
from lastmile_flows.render.process import svg_ids
from lastmile_flows.render.scene import Scene, SceneEdge, SceneNode, SceneTag
from lastmile_flows.render.words import step_facts, step_title

__all__ = ["GHOST_NAMES", "ghosts", "merge_ghosts"]

GHOST_NAMES = 6
"""A box of removed steps taken over by one step lists this many names, then "and N more"."""


def _anchors(comparison: Comparison, current: Process, redesigned: Process) -> dict[str, str]:
    """Current step id -> the redesigned node a removed step is drawn beside: the step that
    took it over, or the one that now follows what came before it."""
    after_ids = svg_ids(redesigned)
    mapped: dict[str, str] = {}
    for change in comparison.steps:
        if change.redesigned:
            for step_id in change.current:
                mapped[step_id] = change.redesigned[0]
    unchanged = {g.id for g in current.gateways} | {e.id for e in events(current)}
    for node_id in after_ids:
        if node_id in unchanged:
            mapped.setdefault(node_id, node_id)
    predecessors: dict[str, list[str]] = defaultdict(list)
    for edge in edges(current):
        predecessors[edge.target].append(edge.source)
    anchors: dict[str, str] = {}
    first = redesigned.steps[0].id if redesigned.steps else next(iter(after_ids))
    for step in current.steps:
        if step.id in mapped and mapped[step.id] != step.id:
            anchors[step.id] = mapped[step.id]
            continue
        if step.id in mapped:
            continue
        seen, queue, found = {step.id}, deque(predecessors[step.id]), None
        while queue and found is None:
            node = queue.popleft()
            if node in seen:
                continue
            seen.add(node)
            if node in mapped and mapped[node] in after_ids:
                found = mapped[node]
            queue += predecessors[node]
        anchors[step.id] = found or first
    return anchors


def ghosts(
    comparison: Comparison, current: Process, redesigned: Process, scene: Scene
) -> list[SceneNode]:
    """Removed work: struck-out steps in their old lanes, beside what replaced them (added to
    ``scene``: a dotted line to the step that took each over, the exceptions dropped with it)."""
    after_ids = svg_ids(redesigned)
    kept = {step.id for step in redesigned.steps}
    anchors = _anchors(comparison, current, redesigned)
    dropped = {f.element_ids[0] for f in comparison.findings if f.name == "edge_case.dropped"}
    takers: dict[str, str] = {}
    for change in comparison.steps:
        if change.redesigned:
            for step_id in change.current:
                if step_id not in kept:
                    takers[step_id] = change.redesigned[0]
    lanes = {lane.id for lane in scene.lanes}
    by_id = {step.id: step for step in redesigned.steps}
    found = []
    for step in current.steps:
        if step.id in kept or step.role not in lanes:
            continue
        taker = takers.get(step.id)
        ghost = _ghost(
            current,
            step,
            by_id[taker] if taker else None,
            anchor=after_ids.get(anchors.get(step.id, ""), None),
        )
        found.append(ghost)
        if taker:
            scene.edges.append(_taken_over(step, ghost.id, by_id[taker], after_ids[taker]))
        scene.tags += [
            _dropped(case, step, ghost.id) for case in step.edge_cases if case.id in dropped
        ]
    return found


def _ghost(current: Process, step: Step, taker: Step | None, *, anchor: str | None) -> SceneNode:
    """``step`` of ``current``, removed, struck out in its old lane: replaced by ``taker`` or,
    with no taker, eliminated; drawn beside ``anchor``."""
    chip = "replaced" if taker else "eliminated"
    title = (
        f"Taken over by {plain_text(taker.label)}.\n" if taker else "Eliminated by the redesign.\n"
    )
    return SceneNode(
        f"was-step-{step.id}",
        step.role,
        "box",
        "ghost",
        (plain_text(step.label),),
        facts=step_facts(step),
        chip=chip,
        chip_text=theme.CHIP[chip][0],
        title=title + step_title(current, step),
        css="step eliminated" if not taker else "step replaced",
        anchor=anchor,
    )


def _taken_over(step: Step, ghost_id: str, taker: Step, taker_id: str) -> SceneEdge:
    """The dotted line from removed ``step`` (drawn as ``ghost_id``) to the step that does its
    work now (drawn as ``taker_id``)."""
    return SceneEdge(
        f"taken-over-{step.id}",
        ghost_id,
        taker_id,
        style="taken_over",
        title=f"{plain_text(step.label)} is now done by {plain_text(taker.label)}",
        css="taken-over",
        ranks=False,
    )


def _dropped(case: EdgeCase, step: Step, ghost_id: str) -> SceneTag:
    """Exception ``case`` of removed ``step``, hung dashed red under its ghost: the redesign
    dropped it."""
    return SceneTag(
        f"was-edge-case-{case.id}",
        ghost_id,
        "edge_case_dropped",
        (
            f"\u26a0 {plain_text(case.label)}",
            percent(case.rate),
            "dropped: nobody handles it now",
        ),
        title=f"Exception {plain_text(case.label)} ({case.id}) was handled at "
        f"{plain_text(step.label)}; the redesign neither restates nor retires it.",
        css="edge-case dropped",
    )


def merge_ghosts(scene: Scene, *, shown: int) -> None:
    """Removed steps taken over by one step, in one lane, drawn as one box listing them (one
    dotted line to the step that does them now, instead of one each): the box keeps the first
    one's id, every one's callouts and tooltip."""
    groups: dict[tuple[str, str, str], list[SceneNode]] = defaultdict(list)
    for node in scene.nodes:
        if node.style == "ghost" and node.anchor:
            groups[(node.lane, node.anchor, node.chip)].append(node)
    gone: dict[str, str] = {}
    merged: dict[str, SceneNode] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        names = [node.lines[0] for node in members]
        listed = names[:shown] + ([f"and {len(names) - shown} more"] if len(names) > shown else [])
        first = members[0]
        merged[first.id] = replace(
            first,
            lines=tuple(listed),
            facts=f"{len(members)} steps",
            title="\n\n".join(node.title for node in members),
            callouts=tuple(c for node in members for c in node.callouts),
        )
        gone |= {node.id: first.id for node in members[1:]}
    scene.nodes = [merged.get(node.id, node) for node in scene.nodes if node.id not in gone]
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for edge in scene.edges:
        source = gone.get(edge.source, edge.source)
        key = (source, edge.target, edge.style)
        if edge.source in gone and key in seen:
            continue
        seen.add(key)
        kept.append(replace(edge, source=source) if source != edge.source else edge)
    scene.edges = kept
    scene.tags = [replace(tag, owner=gone.get(tag.owner, tag.owner)) for tag in scene.tags]
