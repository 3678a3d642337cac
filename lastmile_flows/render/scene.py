"""What a diagram shows, before layout: lanes, nodes, edges, each with its SVG id.

A scene is plain data. :mod:`lastmile_flows.render.layout` places it (lanes as bands in model
order, flow left to right) and :mod:`lastmile_flows.render.dotsource` writes it as DOT.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lastmile_flows.render.dot import Label, Value

__all__ = ["Direction", "Scene", "SceneEdge", "SceneLane", "SceneNode"]

from typing import Literal

Direction = Literal["LR", "TB"]


@dataclass(frozen=True)
class SceneLane:
    """A swimlane: one role."""

    id: str
    label: tuple[str, ...]
    title: str
    css: str
    fill: str
    font: str


@dataclass(frozen=True)
class SceneNode:
    """A box, diamond or circle. ``attached_to`` nodes (edge cases, badges) sit beside it."""

    id: str
    lane: str
    attrs: dict[str, Value]
    title: str = ""
    css: str = ""
    struck: bool = False
    attached_to: str | None = None


@dataclass(frozen=True)
class SceneEdge:
    """A flow, a recovery path, or a link from a node to what is attached to it."""

    id: str
    source: str
    target: str
    attrs: dict[str, Value]
    title: str = ""
    css: str = ""
    ranks: bool = True
    """The edge shapes the layout (flows do; recovery paths and badge links do not)."""


@dataclass
class Scene:
    name: str
    heading: tuple[str, ...]
    lanes: list[SceneLane] = field(default_factory=list)
    nodes: list[SceneNode] = field(default_factory=list)
    edges: list[SceneEdge] = field(default_factory=list)
    legend: list[tuple[str, Label, dict[str, Value]]] = field(default_factory=list)
    direction: Direction = "LR"
