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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from lxml import etree

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.analysis.findings import Finding
from lastmile_flows.analysis.headlines import unowned_failures
from lastmile_flows.analysis.rules import rule
from lastmile_flows.escape import plain_text
from lastmile_flows.layout.backend import Backend
from lastmile_flows.layout.graph import Layout, Rect
from lastmile_flows.layout.swimlanes import shared_lane_order
from lastmile_flows.layout.text import text_width, wrap_to_width
from lastmile_flows.model import Process, Redesign
from lastmile_flows.numbers import duration, plain
from lastmile_flows.render import svgkit, theme
from lastmile_flows.render.diff import diff_scene
from lastmile_flows.render.draw import draw_diagram, root_svg
from lastmile_flows.render.legend import draw_legend as legend_rows
from lastmile_flows.render.legend import entries, place_entries
from lastmile_flows.render.place import laid_out
from lastmile_flows.render.scene import Callout, Scene, SceneNode
from lastmile_flows.render.sizing import Sized
from lastmile_flows.render.svgkit import BADGE, CALLOUT, SVG, line_height, number
from lastmile_flows.render.theme import INK, SLIDE_SIZE
from lastmile_flows.severity import at_or_worse

__all__ = [
    "MIN_TEXT",
    "SLIDE",
    "committee_parts",
    "committee_scene",
    "committee_slides",
    "kpis",
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


# -- slides ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    x: float
    y: float
    width: float
    height: float


def _region() -> Region:
    """Where the drawing goes: left of the panel, between the headlines and the footer."""
    return Region(PAD, TOP, SLIDE[0] - 2 * PAD - PANEL - GUTTER, SLIDE[1] - TOP - FOOTER - 8)


def _scale(layout: Layout, region: Region) -> float:
    return min(1.0, region.width / layout.width, region.height / layout.height)


Window = tuple[int, int, frozenset[str] | None, frozenset[str] | None]
"""Columns ``low`` to ``high`` of the whole drawing, and of them only the nodes in these lanes,
and of those only these nodes (``None``: all): what one slide shows."""


def _in(window: Window, column: int, node: SceneNode) -> bool:
    low, high, lanes, nodes = window
    return (
        low <= column <= high
        and (lanes is None or node.lane in lanes)
        and (nodes is None or node.id in nodes)
    )


def _part(
    scene: Scene, layout: Layout, window: Window, number_: int, where: dict[str, int]
) -> tuple[Scene, dict[str, int]]:
    """The part of ``scene`` in ``window``, with a marker beside its node for every link to or
    from another slide; and the column of each of its nodes (the whole drawing's; a marker on
    the side the other slide's node lies, or for a node in the same column, left of the node a
    link comes into and right of the node it leaves)."""
    low, high, _, _ = window
    inside = {n.id for n in scene.nodes if _in(window, layout.columns[n.id], n)}
    names = {
        node.id: (node.lines[0] if node.lines else node.caption[0] if node.caption else node.id)
        for node in scene.nodes
    }
    lanes = {node.id: node.lane for node in scene.nodes}
    part = replace(
        scene, nodes=[n for n in scene.nodes if n.id in inside], edges=[], tags=[], callouts=[]
    )
    part.tags = [tag for tag in scene.tags if tag.owner in inside]
    markers: dict[str, SceneNode] = {}
    ranks = {node: layout.columns[node] - low for node in inside}
    for edge in scene.edges:
        source_in, target_in = edge.source in inside, edge.target in inside
        if source_in and target_in:
            part.edges.append(edge)
            continue
        if not edge.ranks or not (source_in or target_in):
            continue
        other = edge.target if source_in else edge.source
        mine = edge.source if source_in else edge.target
        words = "to" if source_in else "from"
        slide = where.get(other, 0)
        column = layout.columns[other]
        before = column < low or (low <= column <= high and not source_in)
        # one marker for every link between this lane and one other slide, in one direction
        marker_id = f"continued-{number_}-{words}-{slide}-{lanes[mine]}-{int(before)}"
        if marker_id not in markers:
            markers[marker_id] = SceneNode(
                marker_id,
                lanes[mine],
                "box",
                "continued",
                (f"{words} slide {slide}",),
                title=f"Continues on slide {slide}: {names[other]}",
                css="continued",
            )
            ranks[marker_id] = -1 if before else high - low + 1
        elif names[other] not in markers[marker_id].title:
            found = markers[marker_id]
            markers[marker_id] = replace(found, title=f"{found.title}, {names[other]}")
        if source_in:
            part.edges.append(replace(edge, target=marker_id, id=f"{edge.id}-out"))
        else:
            part.edges.append(replace(edge, source=marker_id, id=f"{edge.id}-in"))
    part.nodes = part.nodes + list(markers.values())
    used = {node.lane for node in part.nodes}
    part.lanes = [lane for lane in scene.lanes if lane.id in used]
    shown = {c.number for n in part.nodes for c in n.callouts}
    shown |= {c.number for t in part.tags for c in t.callouts}
    shown |= {c.number for lane in part.lanes for c in lane.callouts}
    part.callouts = [c for c in scene.callouts if c.number in shown]
    return part, ranks


def _where(scene: Scene, layout: Layout, windows: list[Window]) -> dict[str, int]:
    """The slide each node is on."""
    found = {}
    for node in scene.nodes:
        column = layout.columns[node.id]
        for number_, window in enumerate(windows, start=1):
            if _in(window, column, node):
                found[node.id] = number_
                break
    return found


def _windows_that_fit(
    scene: Scene, layout: Layout, backend: Backend, region: Region
) -> list[Window]:
    """Windows that each fit the region at :data:`MIN_SCALE` or more: column ranges, as few as
    the greedy cut finds (each range as long as still fits) or one fewer, and as even in width
    as fits, so the last slide is not a stub. A single column too tall for a slide is cut
    between its lanes (a single lane of a single column that does not fit is a slide of its
    own: nothing smaller can be cut)."""
    columns = sorted(set(layout.columns.values()))

    def fits(window: Window) -> bool:
        trial, ranks = _part(scene, layout, window, 1, _where(scene, layout, [window]))
        return _scale(laid_out(trial, backend, ranks=ranks)[1], region) >= MIN_SCALE

    greedy: list[Window] = []
    cut_lanes = False
    start = 0
    while start < len(columns):
        end = start
        while end + 1 < len(columns) and fits((columns[start], columns[end + 1], None, None)):
            end += 1
        column = columns[start]
        if end == start and not fits((column, column, None, None)):
            greedy += _lane_groups(scene, layout, column, fits)
            cut_lanes = True
        else:
            greedy.append((columns[start], columns[end], None, None))
        start = end + 1
    if cut_lanes:
        return greedy
    for count in (len(greedy) - 1, len(greedy)):
        if count < 1:
            continue
        even = _even(columns, layout, count)
        if len(even) == count and all(fits(window) for window in even):
            return even
    return greedy


def _lane_groups(
    scene: Scene, layout: Layout, column: int, fits: Callable[[Window], bool]
) -> list[Window]:
    """One column cut into runs of neighbouring lanes, each as long as still fits."""
    used = {node.lane for node in scene.nodes if layout.columns[node.id] == column}
    lanes = [lane for lane in layout.order if lane in used]
    groups: list[Window] = []
    start = 0
    while start < len(lanes):
        end = start
        while end + 1 < len(lanes) and fits(
            (column, column, frozenset(lanes[start : end + 2]), None)
        ):
            end += 1
        groups.append((column, column, frozenset(lanes[start : end + 1]), None))
        start = end + 1
    return groups


def _even(columns: list[int], layout: Layout, count: int) -> list[Window]:
    """``count`` column ranges (or fewer) whose widest is as narrow as can be, by the widths
    the columns have in the whole drawing."""
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for node_id, column in layout.columns.items():
        box = layout.boxes[node_id]
        left[column] = min(left.get(column, box.x), box.x)
        right[column] = max(right.get(column, box.right), box.right)

    def cut(limit: float) -> list[Window]:
        found: list[Window] = []
        start = 0
        for index in range(1, len(columns) + 1):
            if index == len(columns) or right[columns[index]] - left[columns[start]] > limit:
                found.append((columns[start], columns[index - 1], None, None))
                start = index
        return found

    low, high = 0.0, max(right.values()) - min(left.values())
    for _ in range(40):
        middle = (low + high) / 2
        if len(cut(middle)) <= count:
            high = middle
        else:
            low = middle
    return cut(high)


def committee_parts(
    comparison: Comparison, redesign: Redesign, backend: Backend
) -> list[tuple[Scene, Sized, Layout]]:
    """The drawing of each slide, laid out: the whole committee scene when it fits one slide
    at :data:`MIN_SCALE` or more, else its parts along the flow."""
    scene = committee_scene(comparison, redesign)
    region = _region()
    sized, layout = laid_out(scene, backend)
    if _scale(layout, region) >= MIN_SCALE:
        return [(scene, sized, layout)]
    windows = _windows_that_fit(scene, layout, backend, region)
    while True:
        # a part tried alone shows links to every other slide as one marker a lane; with the
        # slides known some need more, so a part that no longer fits is cut again
        where = _where(scene, layout, windows)
        parts = []
        for number_, window in enumerate(windows, start=1):
            part, ranks = _part(scene, layout, window, number_, where)
            parts.append((part, *laid_out(part, backend, ranks=ranks)))
        again: list[Window] = []
        for window, (_, _, found) in zip(windows, parts, strict=True):
            halves = _halves(scene, layout, window) if _scale(found, region) < MIN_SCALE else []
            again += halves or [window]
        if again == windows:
            return parts
        windows = again


def _halves(scene: Scene, layout: Layout, window: Window) -> list[Window]:
    """``window`` cut in two: between its columns, else between its lanes, else between the
    nodes of its one lane and column (top to bottom); nothing when it holds one node."""
    low, high, lanes, nodes = window
    shown = [n for n in scene.nodes if _in(window, layout.columns[n.id], n)]
    columns = sorted({layout.columns[n.id] for n in shown})
    if len(columns) > 1:
        middle = columns[len(columns) // 2]
        return [(low, middle - 1, lanes, nodes), (middle, high, lanes, nodes)]
    used = [lane for lane in layout.order if any(n.lane == lane for n in shown)]
    if len(used) > 1:
        middle = len(used) // 2
        return [
            (low, high, frozenset(used[:middle]), nodes),
            (low, high, frozenset(used[middle:]), nodes),
        ]
    if len(shown) < 2:
        return []
    ordered = sorted(shown, key=lambda n: layout.boxes[n.id].y)
    middle = len(ordered) // 2
    return [
        (low, high, lanes, frozenset(n.id for n in ordered[:middle])),
        (low, high, lanes, frozenset(n.id for n in ordered[middle:])),
    ]


def committee_slides(
    comparison: Comparison, redesign: Redesign, backend: Backend
) -> list[etree._Element]:
    """The slides of the committee view (see the module docstring)."""
    parts = committee_parts(comparison, redesign, backend)
    return [
        _slide(part, sized, layout, comparison, redesign, index, len(parts), _region())
        for index, (part, sized, layout) in enumerate(parts, start=1)
    ]


def _slide(
    scene: Scene,
    sized: Sized,
    layout: Layout,
    comparison: Comparison,
    redesign: Redesign,
    number_: int,
    count: int,
    region: Region,
) -> etree._Element:
    width, height = SLIDE
    title = scene.title + (f" ({number_} of {count})" if count > 1 else "")
    root = root_svg(width, height, title)
    heading = svgkit.group(root, "heading", "heading", "")
    svgkit.text(heading, PAD, 16, title, size=28, anchor="start", bold=True)
    volume = redesign.volume_per_month
    subtitle = (
        f"{plain_text(redesign.current.version or 'current')} \u2192 "
        f"{plain_text(redesign.redesigned.version or 'redesigned')}"
        + (f" \u00b7 {volume:,.0f} cases a month" if volume else "")
    )
    svgkit.text(heading, PAD, 54, subtitle, size=16, anchor="start", fill=theme.MUTED)
    _tiles(root, kpis(comparison))
    scale = _scale(layout, region)
    frame = etree.SubElement(
        root,
        f"{SVG}svg",
        id="drawing",
        x=number(region.x),
        y=number(region.y),
        width=number(layout.width * scale),
        height=number(layout.height * scale),
        viewBox=f"0 0 {number(layout.width)} {number(layout.height)}",
    )
    draw_diagram(frame, scene, sized, layout)
    found = entries(scene)
    _, legend_height = place_entries(found, PANEL, SLIDE_SIZE.legend)
    legend_top = region.y + region.height - legend_height
    _panel(root, scene.callouts, region, legend_top - 16)
    legend_rows(root, found, width - PAD - PANEL, legend_top, PANEL, SLIDE_SIZE.legend)
    footer = f"{plain_text(comparison.name)} \u00b7 slide {number_} of {count}" if count > 1 else ""
    if footer:
        svgkit.text(
            root, width - PAD, height - FOOTER + 6, footer, size=13, anchor="end", fill=theme.MUTED
        )
    return root


def _tiles(root: etree._Element, figures: list[tuple[str, str, str, bool]]) -> None:
    strip = svgkit.group(root, "headlines", "headlines", "")
    gap = 16.0
    count = max(len(figures), 1)
    wide = (SLIDE[0] - 2 * PAD - gap * (count - 1)) / count
    for index, (label, before, after, worse) in enumerate(figures):
        x = PAD + index * (wide + gap)
        tile = svgkit.group(strip, "", "headline" + (" worse" if worse else ""), "")
        svgkit.rect(
            tile,
            _rect(x, TILE_TOP, wide, TILE_HEIGHT),
            rx="8",
            fill="#f1f5f9",
            stroke=theme.RED if worse else theme.GRID_LINE,
            **{"stroke-width": "2" if worse else "1"},
        )
        svgkit.text(tile, x + 14, TILE_TOP + 7, label, size=14, anchor="start", fill=theme.MUTED)
        value = f"{before} \u2192 {after}"
        size = 22.0
        while size > 15 and text_width(value, size, bold=True) > wide - 28:
            size -= 1
        svgkit.text(
            tile,
            x + 14,
            TILE_TOP + 28,
            value,
            size=size,
            anchor="start",
            bold=True,
            fill=theme.RED if worse else INK,
        )


def _rect(x: float, y: float, width: float, height: float) -> Rect:
    return Rect(x, y, width, height)


def _panel(root: etree._Element, callouts: list[Callout], region: Region, bottom: float) -> None:
    panel = svgkit.group(root, "findings", "findings", "")
    left = SLIDE[0] - PAD - PANEL
    size = SLIDE_SIZE.legend
    heading = "Who owns the failures" if callouts else "Nothing flagged in this part"
    svgkit.text(panel, left, region.y, heading, size=20, anchor="start", bold=True)
    y = region.y + 36
    for index, callout in enumerate(callouts):
        lines = wrap_to_width(callout.text, PANEL - CALLOUT - 8, size, max_lines=3)
        needed = max(len(lines) * line_height(size), BADGE) + 8
        if y + needed > bottom - line_height(size):
            rest = len(callouts) - index
            svgkit.text(
                panel,
                left,
                y,
                f"and {rest} more in the report",
                size=size,
                anchor="start",
                fill=theme.MUTED,
            )
            break
        item = svgkit.group(panel, "", f"finding {callout.severity}", callout.detail)
        svgkit.callouts(
            item, (callout,), left, y + (line_height(size) - BADGE) / 2, SLIDE_SIZE.callout
        )
        for number_, line in enumerate(lines):
            svgkit.text(
                item,
                left + CALLOUT + 8,
                y + number_ * line_height(size),
                line,
                size=size,
                anchor="start",
            )
        y += needed
