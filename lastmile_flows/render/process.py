"""One process as a scene: a lane per role, steps by kind, each edge case under its step with
its owner, gateways and events with their names under them, the flows with their branch
labels. The diff (:mod:`lastmile_flows.render.diff`) restyles this scene and adds to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from lastmile_flows.escape import plain_text
from lastmile_flows.layout.swimlanes import lane_of
from lastmile_flows.layout.text import wrap_to_width
from lastmile_flows.model import EdgeCase, Event, Gateway, Process, Role, Step
from lastmile_flows.model.graph import Edge, edges, events
from lastmile_flows.numbers import percent
from lastmile_flows.render import theme
from lastmile_flows.render.scene import Scene, SceneEdge, SceneLane, SceneNode, SceneTag
from lastmile_flows.render.words import (
    edge_case_lines,
    edge_case_title,
    gateway_title,
    step_facts,
    step_title,
)

__all__ = ["edge_label", "edge_title", "lane", "main_path", "process_scene", "svg_ids"]


def svg_ids(process: Process) -> dict[str, str]:
    """Model id -> svg id of every flow node and edge case of a process."""
    found = {event.id: f"event-{event.id}" for event in events(process)}
    found |= {gateway.id: f"gateway-{gateway.id}" for gateway in process.gateways}
    for step in process.steps:
        found[step.id] = f"step-{step.id}"
        found |= {case.id: f"edge-case-{case.id}" for case in step.edge_cases}
    return found


def main_path(process: Process, flows: Sequence[Edge]) -> set[str]:
    """The nodes a case most often passes: from the first start event, the likeliest branch at
    each decision (the first on a tie), until an end event or a node already passed."""
    outgoing: dict[str, list[Edge]] = {}
    for edge in flows:
        outgoing.setdefault(edge.source, []).append(edge)
    start = next((event.id for event in events(process) if event.kind == "start"), None)
    found: set[str] = set()
    node = start
    while node is not None and node not in found:
        found.add(node)
        leaving = outgoing.get(node, [])
        if not leaving:
            break
        best = max(
            enumerate(leaving),
            key=lambda item: (
                item[1].probability if item[1].probability is not None else 1.0,
                -item[0],
            ),
        )
        node = best[1].target
    return found


def lane(role: Role, *, removed: bool = False) -> SceneLane:
    """A role's lane: its name, and under it its headcount, or why nobody is in it."""
    kind = {"ai": " (AI)", "system": " (system)"}.get(role.kind, "")
    style: str = role.kind
    note = ""
    if removed:
        note, style = "ROLE REMOVED", "removed"
    elif role.kind == "human" and role.headcount == 0:
        note, style = "0 FTE: nobody staffed", "unstaffed"
    elif role.kind == "human" and role.headcount is not None:
        note = f"{role.headcount:g} FTE"
    parts = [f"Role: {plain_text(role.label)} ({role.id})", f"Kind: {role.kind}"]
    if role.headcount is not None:
        parts.append(f"Headcount: {role.headcount:g} FTE")
    if role.cost_per_hour is not None:
        parts.append(f"Cost per hour: {role.cost_per_hour:g}")
    if role.notes:
        parts.append(f"Notes: {plain_text(role.notes)}")
    if removed:
        parts.append("The redesign removes this role.")
    return SceneLane(role.id, role.label + kind, note, style, "\n".join(parts))


LABEL_WIDTH = 160.0
"""A flow's label is cut (with an ellipsis) to this width at 12 px: it sits on the line, where a
long one would push the columns apart. The whole label is in the flow's tooltip."""


def edge_label(edge: Edge) -> str:
    """A flow's words: its label and its probability, ``yes · 85%``."""
    parts = []
    if edge.label:
        parts = wrap_to_width(plain_text(edge.label), LABEL_WIDTH, 12.0, max_lines=1)
    if edge.probability is not None:
        parts.append(percent(edge.probability))
    return " \u00b7 ".join(parts)


def edge_title(edge: Edge) -> str:
    """A flow's tooltip: where it goes, with its whole label."""
    words = f": {plain_text(edge.label)}" if edge.label else ""
    return f"{edge.source} \u2192 {edge.target}{words}"


def _node(
    process: Process,
    node: Step | Gateway | Event,
    lane_id: str,
    ids: dict[str, str],
    main: set[str],
) -> SceneNode:
    svg_id = ids[node.id]
    if isinstance(node, Event):
        return SceneNode(
            svg_id,
            lane_id,
            "circle",
            node.kind,
            (),
            title=f"{node.kind.capitalize()} event"
            + (f" ({node.trigger})" if node.trigger else "")
            + f": {plain_text(node.label)} ({node.id})",
            css=f"event {node.kind}",
            main=node.id in main,
            caption=(plain_text(node.name),) if node.name else (),
        )
    if isinstance(node, Gateway):
        return SceneNode(
            svg_id,
            lane_id,
            "diamond",
            "gateway",
            (),
            mark=theme.GATEWAY_SYMBOL[node.kind],
            title=gateway_title(node),
            css=f"gateway {node.kind}",
            main=node.id in main,
            caption=(plain_text(node.name),) if node.name else (),
        )
    return SceneNode(
        svg_id,
        lane_id,
        "box",
        node.kind,
        (plain_text(node.label),),
        facts=step_facts(node),
        mark="AI" if node.kind == "ai" else "",
        title=step_title(process, node),
        css=f"step {node.kind}",
        main=node.id in main,
    )


def process_scene(
    process: Process,
    *,
    title: str = "",
    former_roles: Sequence[Role] = (),
    order: Sequence[str] = (),
) -> Scene:
    """The swimlane diagram of ``process``; ``former_roles`` are the owners of edge cases whose
    role a redesign removed (their lanes are drawn, marked removed, when an edge case names
    them); ``order`` is the lane order to keep (another version's, so the two line up)."""
    flows = edges(process)
    ids = svg_ids(process)
    lanes = lane_of(process, flows)
    main = main_path(process, flows)
    heading = title or (
        plain_text(process.label)
        + (f" \u2014 {plain_text(process.version)}" if process.version else "")
    )
    scene = Scene(name=process.id, title=heading)
    scene.lanes = [lane(role) for role in process.roles]
    named = {case.owner for _, case in process.edge_cases()}
    known = {role.id for role in process.roles}
    scene.lanes += [lane(role, removed=True) for role in former_roles if role.id in named - known]
    if order:
        position = {role: index for index, role in enumerate(order)}
        scene.lanes.sort(key=lambda item: position.get(item.id, len(position)))
        scene.lane_order = "given"
    every: list[Event | Step | Gateway] = [*events(process), *process.steps, *process.gateways]
    for node in every:
        if node.id not in lanes:
            continue
        scene.nodes.append(_node(process, node, lanes[node.id], ids, main))
        if isinstance(node, Step):
            scene.tags += [
                _case(process, node, case, ids, former_roles) for case in node.edge_cases
            ]
    scene.edges += _links(process, flows, ids)
    return scene


def _links(process: Process, flows: Sequence[Edge], ids: dict[str, str]) -> list[SceneEdge]:
    """The scene's edges: each flow (numbered when two join the same nodes), then each
    exception's line to the step that recovers it."""
    found = []
    twins = Counter((e.source, e.target) for e in flows)
    for index, edge in enumerate(flows):
        twin = twins[edge.source, edge.target]
        found.append(
            SceneEdge(
                id=f"flow-{edge.source}-{edge.target}" + (f"-{index}" if twin > 1 else ""),
                source=ids[edge.source],
                target=ids[edge.target],
                label=edge_label(edge),
                title=edge_title(edge),
            )
        )
    for step in process.steps:
        for case in step.edge_cases:
            if case.recovery_step and case.recovery_step in ids:
                found.append(
                    SceneEdge(
                        id=f"recovery-{case.id}",
                        source=ids[case.id],
                        target=ids[case.recovery_step],
                        style="recovery",
                        title=f"{plain_text(case.label)}: handled at {case.recovery_step}",
                        css="recovery",
                        ranks=False,
                    )
                )
    return found


def _case(
    process: Process, step: Step, case: EdgeCase, ids: dict[str, str], former: Sequence[Role]
) -> SceneTag:
    name, facts, owner, owned = edge_case_lines(process, case, former)
    return SceneTag(
        ids[case.id],
        ids[step.id],
        "edge_case" if owned else "edge_case_unowned",
        (name, facts, owner),
        title=edge_case_title(process, step, case, former),
        css="edge-case" + ("" if owned else " unowned"),
    )
