"""From a scene to the layout engine's input: every text wrapped to its box, every box as big
as its text needs (measured with :mod:`lastmile_flows.layout.text`), so nothing spills.

The numbers here are the diagram's typography: paddings, line heights, the widths steps and
edge cases wrap at; font sizes come from the scene (a slide uses larger ones).
:mod:`lastmile_flows.render.draw` writes the text where :class:`Block` says, inside the
rectangle the engine returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lastmile_flows.layout.graph import Attachment, Box, Diagram, Link
from lastmile_flows.layout.text import text_width, wrap_to_width
from lastmile_flows.render.scene import Scene, SceneLane, SceneNode, SceneTag
from lastmile_flows.render.svgkit import BADGE, CALLOUT, line_height
from lastmile_flows.render.theme import Size

__all__ = [
    "HEADER",
    "HEADER_PAD",
    "LABEL_PAD",
    "MAX_HEADER",
    "Block",
    "Sized",
    "chip_height",
    "chip_width",
    "header_width",
    "size_scene",
]

PAD_X = 12.0
PAD_Y = 9.0
STEP_MIN = 118.0
TAG_WRAP = 15.5
CAPTION_WRAP = 7.5
TAG_PAD = 6.0
CHIP_GAP = 4.0
DIAMOND = 50.0
CIRCLE = 36.0
HEADER = 156.0
"""Width of the lane headers, or more (up to :data:`MAX_HEADER`) so that no word of a lane's
name is broken."""
MAX_HEADER = 260.0
HEADER_PAD = 10.0
LABEL_PAD = 4.0


def chip_width(text: str, size: Size) -> float:
    return text_width(text, size.chip, bold=True) + 12.0


def chip_height(size: Size) -> float:
    return size.chip + 7.0


@dataclass(frozen=True)
class Block:
    """The words of a node or tag as drawn: wrapped lines and where they start."""

    lines: tuple[str, ...]
    facts: tuple[str, ...] = ()
    header: float = 0.0
    """Height of the chip and mark row at the top (for an edge case: how many of its lines
    are its name, set in bold)."""
    height: float = 0.0
    """Height of the text block (the rectangle may be taller)."""


@dataclass
class Sized:
    diagram: Diagram
    size: Size
    blocks: dict[str, Block] = field(default_factory=dict)
    lane_lines: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    """A lane's name lines and its note lines."""
    captions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    header: float = HEADER
    """Width of the lane headers of this drawing."""


def _step(node: SceneNode, size: Size) -> tuple[Block, float, float]:
    wrap = size.wrap * size.text
    lines: list[str] = []
    for line in node.lines:
        lines += wrap_to_width(line, wrap, size.text, max_lines=4)
    facts = wrap_to_width(node.facts, wrap, size.facts, max_lines=2) if node.facts else []
    header = chip_height(size) + CHIP_GAP if (node.chip or node.mark) else 0.0
    widths = [text_width(line, size.text) for line in lines]
    widths += [text_width(line, size.facts) for line in facts]
    top_row = (chip_width(node.chip_text, size) if node.chip else 0.0) + (
        chip_width(node.mark, size) + 6 if node.mark else 0.0
    )
    widths += [top_row, len(node.callouts) * CALLOUT]
    least = STEP_MIN if node.style != "continued" else 0.0
    width = max(least, max(widths, default=0.0) + 2 * PAD_X)
    text_height = header + len(lines) * line_height(size.text)
    text_height += len(facts) * line_height(size.facts)
    block = Block(tuple(lines), tuple(facts), header, text_height)
    return block, width, text_height + 2 * PAD_Y


def _tag(tag: SceneTag, size: Size) -> tuple[Block, float, float]:
    font = size.edge_case
    lines: list[str] = []
    first = 0
    for index, line in enumerate(tag.lines):
        wrapped = wrap_to_width(line, TAG_WRAP * font, font, bold=index == 0, max_lines=2)
        lines += wrapped
        if index == 0:
            first = len(wrapped)
    widths = [text_width(line, font, bold=n < first) for n, line in enumerate(lines)]
    width = max(max(widths, default=0.0) + 2 * TAG_PAD + 4, 110.0)
    width += len(tag.callouts) * CALLOUT
    text_height = len(lines) * line_height(font)
    height = max(text_height, BADGE if tag.callouts else 0.0) + 2 * TAG_PAD
    return Block(tuple(lines), header=float(first), height=text_height), width, height


def _caption(lines: tuple[str, ...], size: Size) -> tuple[tuple[str, ...], float, float]:
    font = size.edge_case
    wrapped: list[str] = []
    for line in lines:
        wrapped += wrap_to_width(line, CAPTION_WRAP * font, font, max_lines=3)
    width = max((text_width(line, font) for line in wrapped), default=0.0)
    return tuple(wrapped), width + 2, len(wrapped) * line_height(font)


def size_scene(scene: Scene) -> Sized:
    """The engine's :class:`Diagram` for ``scene``, and the words as they will be drawn."""
    size = scene.size
    sized = Sized(Diagram(lanes=(), boxes=()), size)
    boxes = [_box(node, sized) for node in scene.nodes]
    attachments = []
    for tag in scene.tags:
        block, width, height = _tag(tag, size)
        sized.blocks[tag.id] = block
        attachments.append(Attachment(tag.id, tag.owner, width, height))
    links = []
    for edge in scene.edges:
        label = None
        if edge.label:
            label = (text_width(edge.label, size.label) + 2 * LABEL_PAD, line_height(size.label))
        links.append(Link(edge.id, edge.source, edge.target, label=label, ranks=edge.ranks))
    sized.header = header_width(scene)
    heights = {lane.id: _lane_height(lane, sized) for lane in scene.lanes}
    sized.diagram = Diagram(
        lanes=tuple(lane.id for lane in scene.lanes),
        boxes=tuple(boxes),
        attachments=tuple(attachments),
        links=tuple(links),
        lane_order=scene.lane_order,
        lane_heights=heights,
        header=sized.header,
    )
    return sized


def _box(node: SceneNode, sized: Sized) -> Box:
    """The engine's box for ``node``, its words (and a gateway's or event's caption) kept in
    ``sized``."""
    size = sized.size
    caption = None
    if node.shape == "box":
        block, width, height = _step(node, size)
    else:
        shape = DIAMOND if node.shape == "diamond" else CIRCLE
        block, width, height = Block(()), shape, shape
        if node.caption:
            lines, wide, tall = _caption(node.caption, size)
            sized.captions[node.id] = lines
            caption = (wide, tall)
    sized.blocks[node.id] = block
    return Box(
        node.id,
        node.lane,
        max(width, len(node.callouts) * CALLOUT),
        height,
        node.shape,
        rank=node.rank,
        anchor=node.anchor,
        main=node.main,
        badge=BADGE if node.callouts else 0.0,
        caption=caption,
    )


def _lane_height(lane: SceneLane, sized: Sized) -> float:
    """How tall ``lane``'s header needs to be: its name and note wrapped to the header's width
    (kept in ``sized``) and a row of callouts if it has any."""
    size = sized.size
    inner = sized.header - 2 * HEADER_PAD
    names = wrap_to_width(lane.name, inner, size.lane, bold=True, max_lines=4)
    notes = wrap_to_width(lane.note, inner, size.legend, max_lines=2) if lane.note else []
    sized.lane_lines[lane.id] = (tuple(names), tuple(notes))
    return (
        2 * HEADER_PAD
        + len(names) * line_height(size.lane)
        + len(notes) * line_height(size.legend)
        + (BADGE if lane.callouts else 0.0)
    )


def header_width(scene: Scene) -> float:
    """The lane headers' width: :data:`HEADER`, or as wide as the longest word of a lane's name
    needs (at most :data:`MAX_HEADER`)."""
    widest = max(
        (
            text_width(word, scene.size.lane, bold=True)
            for lane in scene.lanes
            for word in lane.name.split()
        ),
        default=0.0,
    )
    return min(MAX_HEADER, max(HEADER, widest + 2 * HEADER_PAD))
