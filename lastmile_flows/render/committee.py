"""The committee view: a redesign on one 16:9 slide (1920 x 1080), or on several along its
flow, never shrunk below readable text.

A slide answers three questions at a glance: what the AI takes over (the human steps it
replaces, struck out beside the AI step that does them now), where a review was added, and
which failures have no owner. It holds a strip of headline figures, the diff drawn with runs
of unchanged steps folded into one box ("3 unchanged steps"), numbered callouts on the
ownership, AI and review problems, and those problems in plain words beside the drawing.

Text is never under :data:`MIN_TEXT` px at 1920 x 1080: slides use :data:`~lastmile_flows.
render.theme.SLIDE_SIZE` (13 px and up), and the drawing is scaled down at most to
``MIN_TEXT / 13``. A drawing still too wide is cut between columns into several slides, each
laid out on its own (so it shows only the lanes it uses), links to the other slides ending
in a marker that names the step and the slide.

This module makes the slide's scene and holds the slide's geometry; :mod:`~lastmile_flows.render.
slicing` cuts a scene too big for one slide into parts, :mod:`~lastmile_flows.render.slides` draws
the slides.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.analysis.findings import Finding
from lastmile_flows.analysis.headlines import unowned_failures
from lastmile_flows.analysis.rules import rule
from lastmile_flows.escape import plain_text
from lastmile_flows.layout.graph import Layout
from lastmile_flows.layout.swimlanes import shared_lane_order
from lastmile_flows.model import Process, Redesign
from lastmile_flows.numbers import duration, plain
from lastmile_flows.render.diff import diff_scene
from lastmile_flows.render.scene import Callout, Scene, SceneNode
from lastmile_flows.render.theme import SLIDE_SIZE
from lastmile_flows.severity import at_or_worse

__all__ = [
    "MIN_SCALE",
    "MIN_TEXT",
    "SLIDE",
    "Region",
    "committee_scene",
    "drawing_region",
    "kpis",
    "slide_scale",
]

SLIDE = (1920.0, 1080.0)
MIN_TEXT = 12.0
MIN_SCALE = MIN_TEXT / min(
    SLIDE_SIZE.text,
    SLIDE_SIZE.facts,
    SLIDE_SIZE.chip,
    SLIDE_SIZE.callout,
    SLIDE_SIZE.label,
    SLIDE_SIZE.edge_case,
    SLIDE_SIZE.lane,
)
PAD = 28.0
PANEL = 380.0
"""Width of the findings list on the right."""
GUTTER = 24.0
TOP = 166.0
"""Where the drawing starts, under the title and the headline strip."""
TILE_TOP = 86.0
TILE_HEIGHT = 64.0
FOOTER = 30.0
SLIDE_GROUPS = ("ownership", "ai_governance", "review_capacity")
"""The rule groups whose findings a slide numbers (the rest is in the report)."""


def keep(finding: Finding) -> bool:
    """Whether a slide shows a finding: an error or warning about who owns the failures, AI
    governance or review capacity."""
    return at_or_worse(finding.severity, "warning") and rule(finding.name).group in SLIDE_GROUPS


def kpis(comparison: Comparison) -> list[tuple[str, str, str, bool]]:
    """(label, before, after, worse) for the headline strip."""
    m = comparison.metrics
    a, b = m.current, m.redesigned
    found = [
        (
            "Human work per case",
            f"{plain(a.human_minutes_per_case)} min",
            f"{plain(b.human_minutes_per_case)} min",
            b.human_minutes_per_case > a.human_minutes_per_case,
        )
    ]
    if a.fte is not None and b.fte is not None:
        found.append(("FTE needed", plain(a.fte), plain(b.fte), b.fte > a.fte))
    found.append(
        (
            "Review of AI output per case",
            f"{plain(a.review_minutes_per_case)} min",
            f"{plain(b.review_minutes_per_case)} min",
            False,
        )
    )
    per, before, after, _ = unowned_failures(comparison)
    if per == "a month":
        found.append(
            ("Failures nobody owns, a month", f"{before:,.0f}", f"{after:,.0f}", after > before)
        )
    day = comparison.hours_per_working_day
    found.append(
        (
            "Cycle time, slowest path",
            duration(a.cycle_time_minutes, day),
            duration(b.cycle_time_minutes, day),
            b.cycle_time_minutes > a.cycle_time_minutes,
        )
    )
    return found


# -- the scene ---------------------------------------------------------------------------------


def _regions(scene: Scene, foldable: set[str]) -> list[list[str]]:
    """Connected groups of foldable nodes (in scene order), each with a step in it and at
    least two nodes."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in scene.edges:
        if edge.ranks and edge.source in foldable and edge.target in foldable:
            neighbours[edge.source].add(edge.target)
            neighbours[edge.target].add(edge.source)
    order = [node.id for node in scene.nodes]
    seen: set[str] = set()
    found = []
    for node in order:
        if node not in foldable or node in seen:
            continue
        group, queue = {node}, [node]
        while queue:
            for other in neighbours[queue.pop()]:
                if other not in group:
                    group.add(other)
                    queue.append(other)
        seen |= group
        members = [n for n in order if n in group]
        if len(members) >= 2 and any(n.startswith("step-") for n in members):
            found.append(members)
    return found


def _fold(scene: Scene, redesigned: Process, unchanged: set[str]) -> None:
    """Each connected stretch of unchanged steps (with the decisions between them) that
    nothing is flagged on becomes one box: the slide keeps what changes."""
    steps = {f"step-{step.id}": step for step in redesigned.steps}
    flagged = {node.id for node in scene.nodes if node.callouts}
    flagged |= {tag.owner for tag in scene.tags}
    flagged |= {edge.target for edge in scene.edges if not edge.ranks}
    flagged |= {edge.source for edge in scene.edges if not edge.ranks}
    foldable = {svg for svg, step in steps.items() if step.id in unchanged and svg not in flagged}
    foldable |= {
        node.id for node in scene.nodes if node.shape == "diamond" and node.id not in flagged
    }
    folded: dict[str, str] = {}
    boxes: dict[str, SceneNode] = {}
    for region in _regions(scene, foldable):
        first = next(node for node in scene.nodes if node.id == region[0])
        members = [svg for svg in region if svg in steps]
        names = [plain_text(steps[svg].label) for svg in members]
        minutes = sum(steps[svg].touch_minutes for svg in members)
        roles = list(dict.fromkeys(steps[svg].role for svg in members))
        lead = next(node for node in scene.nodes if node.id == members[0])
        box = replace(
            first,
            id=f"folded-{members[0].removeprefix('step-')}",
            lane=lead.lane,
            shape="box",
            style="collapsed",
            lines=(f"{len(members)} unchanged steps",),
            facts=f"{names[0]} \u2026 {names[-1]} \u00b7 {plain(minutes)} min"
            + (f" \u00b7 {len(roles)} roles" if len(roles) > 1 else ""),
            chip="",
            chip_text="",
            mark="",
            caption=(),
            title="Unchanged: " + "; ".join(names),
            css="step folded",
        )
        boxes[region[0]] = box
        folded |= {svg: box.id for svg in region}
    if not folded:
        return
    scene.nodes = [
        boxes[node.id]
        if node.id in boxes
        else replace(node, anchor=folded.get(node.anchor or "", node.anchor))
        for node in scene.nodes
        if node.id in boxes or node.id not in folded
    ]
    edges = []
    seen: set[tuple[str, str]] = set()
    for edge in scene.edges:
        source, target = folded.get(edge.source, edge.source), folded.get(edge.target, edge.target)
        if source == target or (source, target) in seen:
            continue
        seen.add((source, target))
        edges.append(replace(edge, source=source, target=target))
    scene.edges = edges


def _compact(scene: Scene, redesigned: Process) -> None:
    """A slide shows only the exceptions it numbers, by name (the list says the rest). An
    owner role that is removed or has nobody in it shows those numbers in its lane's header,
    instead of a marker tied to each exception."""
    scene.tags = [replace(tag, lines=tag.lines[:1]) for tag in scene.tags if tag.callouts]
    numbers = {tag.id: tag.callouts for tag in scene.tags}
    staffed = {role.id: role for role in redesigned.roles}
    on_lane: dict[str, list[Callout]] = defaultdict(list)
    for _, case in redesigned.edge_cases():
        role = staffed.get(case.owner or "")
        gone = case.owner is not None and (role is None or role.headcount == 0)
        if gone and case.owner is not None:
            for callout in numbers.get(f"edge-case-{case.id}", ()):
                if callout not in on_lane[case.owner]:
                    on_lane[case.owner].append(callout)
    scene.nodes = [node for node in scene.nodes if node.style != "owner_gone"]
    scene.edges = [edge for edge in scene.edges if edge.style != "owner_tie"]
    scene.lanes = [
        replace(
            lane,
            callouts=tuple(sorted({*lane.callouts, *on_lane[lane.id]}, key=lambda c: c.number)),
        )
        if on_lane.get(lane.id)
        else lane
        for lane in scene.lanes
    ]


def committee_scene(comparison: Comparison, redesign: Redesign) -> Scene:
    """The slide's drawing as one scene: the diff, folded, in slide type."""
    current, redesigned = redesign.current, redesign.redesigned
    scene = diff_scene(
        comparison,
        current,
        redesigned,
        order=shared_lane_order(current, redesigned),
        keep=keep,
        title=f"{plain_text(comparison.name)}: what the redesign changes",
        ghost_names=3,
    )
    unchanged = {
        step_id
        for change in comparison.steps
        if change.change == "unchanged"
        for step_id in change.redesigned
    }
    _compact(scene, redesigned)
    _fold(scene, redesigned, unchanged)
    scene.caption = ()
    scene.size = SLIDE_SIZE
    return scene


# -- the slide's geometry ----------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """A rectangle on the slide, in slide pixels."""

    x: float
    y: float
    width: float
    height: float


def drawing_region() -> Region:
    """Where the drawing goes: left of the panel, between the headlines and the footer."""
    return Region(PAD, TOP, SLIDE[0] - 2 * PAD - PANEL - GUTTER, SLIDE[1] - TOP - FOOTER - 8)


def slide_scale(layout: Layout, region: Region) -> float:
    """How much ``layout`` is scaled to fit ``region``: down only, never up."""
    return min(1.0, region.width / layout.width, region.height / layout.height)
