"""Conformance drawn on the process diagram: ``conformance_svg(process, result)``.

The diagram is the process's own (:func:`lastmile_flows.render.process.process_scene`), with
marks added to its scene before it is laid out, so the layout engine places them and the
collision checks hold for them too:

- each step practice skips carries a ``SKIPPED 40%`` tag (the share of the cases reaching it
  that skip it; also in its tooltip), and ``class="skipped"``;
- each undocumented activity done by at least :data:`MIN_GHOST_SHARE` of the cases is a dashed
  step beside the step it most often follows, in that step's lane, with its share of the cases
  (``class="ghost undocumented"``, id ``ghost-<n>``), joined to that step by a dashed line.

:func:`overlay_data` gives the same as data, for a renderer that draws it itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lastmile_flows.escape import plain_text
from lastmile_flows.evidence.conform import Conformance
from lastmile_flows.layout.swimlanes import shared_lane_order
from lastmile_flows.model import Process
from lastmile_flows.numbers import percent
from lastmile_flows.render.api import scene_svg
from lastmile_flows.render.process import process_scene, svg_ids
from lastmile_flows.render.scene import SceneEdge, SceneNode

__all__ = ["MIN_GHOST_SHARE", "Ghost", "OverlayData", "conformance_svg", "overlay_data"]

MIN_GHOST_SHARE = 0.01
"""Undocumented activities in fewer cases than this share are not drawn (the JSON lists them)."""


@dataclass(frozen=True)
class Ghost:
    """An undocumented activity to draw near ``after`` (a step id, or none)."""

    activity: str
    share: float
    cases: int
    after: str | None


@dataclass(frozen=True)
class OverlayData:
    """Per step, the share of the cases reaching it that skip it; the ghosts to draw."""

    skipped: dict[str, float]
    ghosts: tuple[Ghost, ...]


def overlay_data(result: Conformance, *, min_share: float = MIN_GHOST_SHARE) -> OverlayData:
    """What the overlay draws, as data (shares rounded to 4 places)."""
    skipped = {
        d.name: round(d.cases / result.step_cases[d.name], 4)
        for d in result.skipped
        if result.step_cases.get(d.name)
    }
    ghosts = tuple(
        Ghost(d.name, d.share, d.cases, d.after)
        for d in result.undocumented
        if d.share >= min_share
    )
    return OverlayData(skipped, ghosts)


def conformance_svg(
    process: Process,
    result: Conformance,
    *,
    backend: Any = "wasm",
    min_share: float = MIN_GHOST_SHARE,
) -> str:
    """The process diagram with the conformance overlay (see the module docstring)."""
    data = overlay_data(result, min_share=min_share)
    scene = process_scene(process, order=shared_lane_order(process))
    ids = svg_ids(process)
    marked = {ids[step]: share for step, share in data.skipped.items() if step in ids}
    scene.nodes = [
        replace(
            node,
            chip="skipped",
            chip_text=f"SKIPPED {percent(marked[node.id])}",
            css=f"{node.css} skipped",
            title=f"{node.title}\nSkipped in {percent(marked[node.id])} of the cases reaching it",
        )
        if node.id in marked
        else node
        for node in scene.nodes
    ]
    lanes = {node.id: node.lane for node in scene.nodes}
    first = next((node.id for node in scene.nodes if node.id.startswith("step-")), None)
    for number, ghost in enumerate(data.ghosts, start=1):
        beside = ids.get(ghost.after or "", first)
        if beside is None or beside not in lanes:
            continue
        ghost_id = f"ghost-{number}"
        scene.nodes.append(
            SceneNode(
                ghost_id,
                lanes[beside],
                "box",
                "workaround",
                (plain_text(ghost.activity),),
                facts=f"{percent(ghost.share)} of cases \u00b7 not in the model",
                title=(
                    f"Done in practice, not in the model: {plain_text(ghost.activity)}\n"
                    f"{ghost.cases:,} cases ({percent(ghost.share)})"
                ),
                css="ghost undocumented",
                anchor=beside,
            )
        )
        scene.edges.append(
            SceneEdge(
                f"workaround-{number}",
                beside,
                ghost_id,
                style="workaround",
                title=f"{ghost.after or 'the start'} \u2192 {plain_text(ghost.activity)}",
                css="workaround",
                ranks=False,
            )
        )
    return scene_svg(scene, backend=backend)
