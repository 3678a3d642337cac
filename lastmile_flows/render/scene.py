"""What a diagram shows, before any size or position: lanes, nodes, edge cases and links,
each with its SVG id, its style (a key of :mod:`lastmile_flows.render.theme`), its words and
its tooltip.

Scenes are built by :mod:`~lastmile_flows.render.process` (one process), :mod:`~lastmile_flows.
render.diff` (a redesign drawn on its current state) and :mod:`~lastmile_flows.render.committee`
(the slide); :mod:`~lastmile_flows.render.sizing` turns one into the layout engine's input and
:mod:`~lastmile_flows.render.draw` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lastmile_flows.render.theme import SIZE, Size

__all__ = ["Callout", "Scene", "SceneEdge", "SceneLane", "SceneNode", "SceneTag", "Shape"]

Shape = Literal["box", "diamond", "circle"]


@dataclass(frozen=True)
class Callout:
    """A numbered finding: the number drawn on the element, the words in the list."""

    number: int
    severity: str
    text: str
    detail: str = ""
    """The rule's code and name, for the tooltip."""


@dataclass(frozen=True)
class SceneNode:
    """A step, gateway, event, removed step or folded run of steps."""

    id: str
    lane: str
    shape: Shape
    style: str
    lines: tuple[str, ...]
    facts: str = ""
    chip: str = ""
    """The style key of the tag at its top (a diff's change), or empty."""
    chip_text: str = ""
    mark: str = ""
    """A symbol drawn in it (a gateway's cross) or the AI mark (``AI``)."""
    title: str = ""
    css: str = ""
    main: bool = False
    rank: int | None = None
    anchor: str | None = None
    """For removed work: the node whose column it shares."""
    callouts: tuple[Callout, ...] = ()
    caption: tuple[str, ...] = ()
    """A gateway's or event's name, set under it."""


@dataclass(frozen=True)
class SceneTag:
    """Something under a node in its cell: an edge case, or a gateway's or event's name."""

    id: str
    owner: str
    style: str
    lines: tuple[str, ...]
    title: str = ""
    css: str = ""
    callouts: tuple[Callout, ...] = ()


@dataclass(frozen=True)
class SceneEdge:
    id: str
    source: str
    target: str
    style: str = "flow"
    label: str = ""
    title: str = ""
    css: str = "flow"
    ranks: bool = True


@dataclass(frozen=True)
class SceneLane:
    id: str
    name: str
    note: str = ""
    """Under the name: headcount, ``ROLE REMOVED``, ``0 FTE: nobody to do it``."""
    style: str = "human"
    """``human``, ``ai``, ``system``, ``removed``, ``unstaffed``."""
    title: str = ""
    callouts: tuple[Callout, ...] = ()


@dataclass
class Scene:
    name: str
    title: str
    caption: tuple[str, ...] = ()
    lanes: list[SceneLane] = field(default_factory=list)
    nodes: list[SceneNode] = field(default_factory=list)
    tags: list[SceneTag] = field(default_factory=list)
    edges: list[SceneEdge] = field(default_factory=list)
    callouts: list[Callout] = field(default_factory=list)
    """Every numbered finding, listed under the diagram in plain words."""
    lane_order: Literal["given", "crossings"] = "crossings"
    size: Size = SIZE
    """Font sizes (a slide's are larger)."""
