"""A process as a scene: one swimlane per role, steps by kind, edge cases with their owners.

The same function builds the diff overlay: an :class:`Overlay` restyles redesigned steps by
their change, adds the current steps, lanes and flows the redesign removed (greyed, struck
out) and pins the audit's findings to the elements they concern.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lastmile_flows.analysis.findings import Finding
from lastmile_flows.analysis.rules import SEVERITIES
from lastmile_flows.model import Event, Gateway, Process, Role, Step
from lastmile_flows.model.graph import Edge, edges, events
from lastmile_flows.render import theme
from lastmile_flows.render.dot import Label, Value
from lastmile_flows.render.labels import (
    edge_case_lines,
    edge_case_title,
    gateway_title,
    step_facts,
    step_title,
    wrap,
)
from lastmile_flows.render.lanes import lane_of
from lastmile_flows.render.scene import Scene, SceneEdge, SceneLane, SceneNode
from lastmile_flows.report.numbers import percent

__all__ = ["Ghost", "Overlay", "process_scene", "svg_ids"]


@dataclass(frozen=True)
class Ghost:
    """A current-state element the redesign removed, drawn greyed in the diff overlay."""

    svg_id: str
    lane: str
    label: tuple[str, ...]
    title: str
    shape: str = "box"
    edge_cases: tuple[tuple[str, tuple[str, ...], str], ...] = ()
    """(svg id, label lines, tooltip) of the edge cases it carried."""


@dataclass(frozen=True)
class Overlay:
    """What the diff diagram adds to the redesigned process."""

    changes: dict[str, str] = field(default_factory=dict)
    """Redesigned step id -> change kind."""
    tags: dict[str, str] = field(default_factory=dict)
    """Redesigned step id -> a few words on what changed (``12 -> 4 min``)."""
    removed_roles: tuple[Role, ...] = ()
    ghosts: tuple[Ghost, ...] = ()
    ghost_flows: tuple[tuple[str, str, str], ...] = ()
    """(source svg id, target svg id, label) of flows only the current process has."""
    new_handoffs: frozenset[tuple[str, str]] = frozenset()
    """(source, target) model ids of redesigned flows that are new hand-offs between roles."""
    badges: dict[str, tuple[Finding, ...]] = field(default_factory=dict)
    """Svg id of a node or a lane -> the findings about it."""
    caption: tuple[str, ...] = ()


def svg_ids(process: Process) -> dict[str, str]:
    """Model id -> svg id of every flow node and edge case of a process."""
    found = {event.id: f"event-{event.id}" for event in events(process)}
    found |= {gateway.id: f"gateway-{gateway.id}" for gateway in process.gateways}
    for step in process.steps:
        found[step.id] = f"step-{step.id}"
        found |= {case.id: f"edge-case-{case.id}" for case in step.edge_cases}
    return found


def styled(style: theme.Style) -> dict[str, Value]:
    return {
        "shape": style.shape,
        "style": style.style,
        "fillcolor": style.fill,
        "color": style.border,
        "penwidth": style.penwidth,
        "fontcolor": style.font,
        "peripheries": style.peripheries,
    }


def _lane(role: Role, index: int, removed: bool) -> SceneLane:
    kind = {"ai": " (AI)", "system": " (system)"}.get(role.kind, "")
    lines = wrap(role.label + kind, 16, 3)
    if removed:
        lines.append("ROLE REMOVED")
    elif role.kind == "human" and role.headcount is not None:
        lines.append(f"{role.headcount:g} FTE")
    parts = [f"Role: {role.label} ({role.id})", f"Kind: {role.kind}"]
    if role.headcount is not None:
        parts.append(f"Headcount: {role.headcount:g} FTE")
    if role.cost_per_hour is not None:
        parts.append(f"Cost per hour: {role.cost_per_hour:g}")
    if role.notes:
        parts.append(f"Notes: {role.notes}")
    fill = theme.LANE_FILL[index % 2]
    if role.kind == "ai":
        fill = theme.AI_LANE_FILL
    if removed:
        fill = theme.REMOVED_LANE_FILL
    return SceneLane(
        id=role.id,
        label=tuple(lines),
        title="\n".join(parts),
        css="lane removed" if removed else f"lane {role.kind}",
        fill=fill,
        font=theme.MUTED if removed else theme.INK,
    )


def _flow_label(edge: Edge) -> list[str]:
    parts = [edge.label] if edge.label else []
    if edge.probability is not None:
        parts.append(percent(edge.probability))
    return [" \u00b7 ".join(parts)] if parts else []


def process_scene(
    process: Process,
    *,
    title: Sequence[str] = (),
    overlay: Overlay | None = None,
    legend: bool = True,
    former_roles: Sequence[Role] = (),
) -> Scene:
    """The swimlane diagram of ``process`` (with ``overlay``: the diff diagram).

    ``former_roles`` name the owners of edge cases whose role the redesign removed."""
    extra = overlay or Overlay()
    former = (*former_roles, *extra.removed_roles)
    flows = edges(process)
    ids = svg_ids(process)
    lanes = lane_of(process, flows)
    heading = tuple(title) or (
        process.label + (f" \u2014 {process.version}" if process.version else ""),
    )
    scene = Scene(name=process.id, heading=(*heading, *extra.caption))
    removed = {role.id for role in extra.removed_roles}
    for index, role in enumerate([*process.roles, *extra.removed_roles]):
        scene.lanes.append(_lane(role, index, role.id in removed))
    every: list[Event | Step | Gateway] = [*events(process), *process.steps, *process.gateways]
    for node in every:
        if node.id in lanes:
            _node(scene, process, node, ids, lanes[node.id], extra, former)
    for ghost in extra.ghosts:
        _ghost(scene, ghost)

    for index, edge in enumerate(flows):
        hot = (edge.source, edge.target) in extra.new_handoffs
        attrs: dict[str, Value] = {}
        words = _flow_label(edge)
        if hot:
            attrs |= {"color": theme.HANDOFF_ADDED, "penwidth": 2.6, "fontcolor": "#7b341e"}
            words.append("new hand-off")
        if words:
            # at the arrow's head: branches leaving one gateway end at different places, so
            # their labels do not pile up at the gateway
            attrs |= {"headlabel": Label(*words), "labeldistance": 2.6, "labelangle": 30}
        duplicate = sum(1 for e in flows if (e.source, e.target) == (edge.source, edge.target))
        scene.edges.append(
            SceneEdge(
                id=f"flow-{edge.source}-{edge.target}" + (f"-{index}" if duplicate > 1 else ""),
                source=ids[edge.source],
                target=ids[edge.target],
                attrs=attrs,
                title=f"{edge.source} \u2192 {edge.target}",
                css="flow handoff-added" if hot else "flow",
            )
        )
    for step in process.steps:
        for case in step.edge_cases:
            if case.recovery_step and case.recovery_step in ids:
                scene.edges.append(
                    SceneEdge(
                        id=f"recovery-{case.id}",
                        source=ids[case.id],
                        target=ids[case.recovery_step],
                        attrs={"style": "dashed", "color": theme.RECOVERY, "arrowhead": "vee"},
                        title=f"{case.label}: handled at {case.recovery_step}",
                        css="recovery",
                        ranks=False,
                    )
                )
    for source, target, text in extra.ghost_flows:
        attrs = {"style": "dashed", "color": theme.HANDOFF_REMOVED, "fontcolor": theme.MUTED}
        if text:
            attrs["label"] = Label(text)
        scene.edges.append(
            SceneEdge(
                id=f"removed-{source}-{target}",
                source=source,
                target=target,
                attrs=attrs,
                title=f"removed: {source} \u2192 {target}",
                css="flow removed",
            )
        )
    lane_ids = {lane.id for lane in scene.lanes}
    node_lane = {node.id: node.lane for node in scene.nodes}
    for element, found in sorted(extra.badges.items()):
        lane = element.removeprefix("lane-")
        if element in node_lane:
            _badge(scene, element, node_lane[element], found)
        elif lane in lane_ids:
            _badge(scene, element, lane, found)
    if legend:
        scene.legend = _legend(diff=overlay is not None)
    return scene


def _node(
    scene: Scene,
    process: Process,
    node: Step | Gateway | Event,
    ids: dict[str, str],
    lane: str,
    extra: Overlay,
    former: Sequence[Role],
) -> None:
    svg_id = ids[node.id]
    if isinstance(node, Event):
        style = theme.EVENT_STYLE[node.kind]
        attrs = styled(style) | {"label": Label(""), "width": 0.4, "fixedsize": True}
        if node.name:
            attrs["xlabel"] = Label(*wrap(node.name, 14, 2))
        scene.nodes.append(
            SceneNode(
                svg_id,
                lane,
                attrs,
                title=f"{node.kind.capitalize()} event"
                + (f" ({node.trigger})" if node.trigger else "")
                + f": {node.label} ({node.id})",
                css=f"event {node.kind}",
            )
        )
        return
    if isinstance(node, Gateway):
        label = [theme.GATEWAY_SYMBOL[node.kind]]
        scene.nodes.append(
            SceneNode(
                svg_id,
                lane,
                styled(theme.GATEWAY)
                | {"label": Label(*label), "width": 0.55, "height": 0.55}
                | {"fixedsize": True, "xlabel": Label(*wrap(node.label, 16, 2))},
                title=gateway_title(node),
                css=f"gateway {node.kind}",
            )
        )
        return
    change = extra.changes.get(node.id, "")
    style = theme.CHANGE_STYLE.get(change, theme.KIND_STYLE[node.kind])
    if change == "automated" and node.kind != "ai":
        style = theme.KIND_STYLE[node.kind]
    lines = wrap(node.label)
    head = " \u00b7 ".join(
        p for p in (theme.CHANGE_TAG.get(change, ""), extra.tags.get(node.id)) if p
    )
    if head:
        lines = [head, *lines]
    scene.nodes.append(
        SceneNode(
            svg_id,
            lane,
            styled(style) | {"label": Label(*lines, step_facts(node))},
            title=step_title(process, node),
            css=f"step {node.kind}" + (f" {change.replace('_', '-')}" if change else ""),
        )
    )
    for case in node.edge_cases:
        words, owned = edge_case_lines(process, case, former)
        case_style = theme.EDGE_CASE_OWNED if owned else theme.EDGE_CASE_UNOWNED
        scene.nodes.append(
            SceneNode(
                ids[case.id],
                lane,
                styled(case_style) | {"label": Label(*words), "fontsize": 11},
                title=edge_case_title(process, node, case, former),
                css="edge-case" + ("" if owned else " unowned"),
                attached_to=svg_id,
            )
        )


def _ghost(scene: Scene, ghost: Ghost) -> None:
    attrs = styled(theme.CHANGE_STYLE["eliminated"]) | {"label": Label(*ghost.label)}
    attrs["shape"] = ghost.shape
    if ghost.shape == "diamond":
        attrs |= {"width": 0.55, "height": 0.55, "fixedsize": True, "fontsize": 18}
    scene.nodes.append(
        SceneNode(
            ghost.svg_id,
            ghost.lane,
            attrs,
            title=ghost.title,
            css="step eliminated" if ghost.shape == "box" else "gateway removed",
            struck=ghost.shape == "box",
        )
    )
    muted = theme.Style(fill="#f7fafc", border="#a0aec0", shape="note", font=theme.MUTED)
    for svg_id, lines, title in ghost.edge_cases:
        scene.nodes.append(
            SceneNode(
                svg_id,
                ghost.lane,
                styled(muted) | {"label": Label(*lines), "fontsize": 11},
                title=title,
                css="edge-case removed",
                attached_to=ghost.svg_id,
            )
        )
        scene.edges.append(
            SceneEdge(
                id=f"at-{svg_id}",
                source=ghost.svg_id,
                target=svg_id,
                attrs={"style": "dotted", "arrowhead": "none", "color": "#a0aec0"},
                css="edge-case-link",
                ranks=False,
            )
        )


def _badge(scene: Scene, element: str, lane: str, found: tuple[Finding, ...]) -> None:
    worst = min(found, key=lambda f: SEVERITIES.index(f.severity)).severity
    badge = f"badge-{element}"
    lines = [f"{theme.SEVERITY_MARK[f.severity]} {f.code} {f.name}" for f in found]
    on_node = any(node.id == element for node in scene.nodes)
    scene.nodes.append(
        SceneNode(
            badge,
            lane,
            styled(theme.SEVERITY_STYLE[worst])
            | {"label": Label(*lines), "fontsize": 10, "margin": "0.06,0.03"},
            title="\n".join(f"{f.code} {f.name} ({f.severity}): {f.message}" for f in found),
            css=f"badge {worst}",
            attached_to=element if on_node else None,
        )
    )
    if on_node:
        scene.edges.append(
            SceneEdge(
                id=f"{badge}-link",
                source=element,
                target=badge,
                attrs={
                    "style": "dashed",
                    "arrowhead": "none",
                    "color": theme.SEVERITY_STYLE[worst].fill,
                },
                css="badge-link",
                ranks=False,
            )
        )


def _legend(*, diff: bool) -> list[tuple[str, Label, dict[str, Value]]]:
    samples: list[tuple[str, str, theme.Style]] = [
        ("manual", "Manual step", theme.KIND_STYLE["manual"]),
        ("ai", "AI step \u00b7 mode", theme.KIND_STYLE["ai"]),
        ("system", "System step", theme.KIND_STYLE["system"]),
        ("review", "Human review", theme.KIND_STYLE["review"]),
        ("gateway", "\u00d7 decision  + parallel", theme.GATEWAY),
        ("edge-case", "Edge case \u00b7 owner", theme.EDGE_CASE_OWNED),
        ("unowned", "\u26a0 Edge case: NO OWNER", theme.EDGE_CASE_UNOWNED),
    ]
    if diff:
        samples = [
            ("eliminated", "Eliminated", theme.CHANGE_STYLE["eliminated"]),
            ("automated", "Automated by AI", theme.CHANGE_STYLE["automated"]),
            ("assisted", "AI-assisted", theme.CHANGE_STYLE["assisted"]),
            ("review-added", "New review", theme.CHANGE_STYLE["review_added"]),
            ("added", "New step", theme.CHANGE_STYLE["added"]),
            ("unowned", "\u26a0 Edge case: NO OWNER", theme.EDGE_CASE_UNOWNED),
            ("finding", "\u2716 Audit finding", theme.SEVERITY_STYLE["error"]),
        ]
    items = []
    for key, text, style in samples:
        attrs = styled(style) | {"fontsize": 11}
        if style.shape == "diamond":
            attrs["shape"] = "box"
            attrs["style"] = "filled"
        items.append((f"legend-{key}", Label(text), attrs))
    return items
