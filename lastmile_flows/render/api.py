"""``render_svg`` and ``to_dot``: a process, a redesign or a comparison as a diagram.

Views: ``process`` (a :class:`Process`), and for a :class:`Redesign` or a comparison
``before``, ``after``, ``diff`` (the default: what the redesign changes, drawn on it),
``side-by-side`` (before | after, lane for lane) and ``committee`` (one 16:9 slide, or several
along the flow). Before, after and diff share one lane order.

Every SVG carries a stamp in its ``<metadata>``: a hash of what it was drawn from and of the
code that drew it, so ``lastmile render --check`` tells a stale file without drawing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Union

from lxml import etree

from lastmile_flows.analysis.comparison import Comparison, compare
from lastmile_flows.errors import RenderError
from lastmile_flows.layout.backend import Backend, get_backend
from lastmile_flows.layout.graph import Layout
from lastmile_flows.layout.swimlanes import shared_lane_order
from lastmile_flows.model import Process, Redesign
from lastmile_flows.model.problems import choices
from lastmile_flows.render.compose import side_by_side
from lastmile_flows.render.diff import diff_scene
from lastmile_flows.render.dotsource import positioned_dot
from lastmile_flows.render.page import draw
from lastmile_flows.render.place import laid_out
from lastmile_flows.render.process import process_scene
from lastmile_flows.render.scene import Scene
from lastmile_flows.render.sizing import Sized
from lastmile_flows.render.stamp import (
    REDESIGN_VIEWS,
    View,
    render_options,
    source_hash,
    stamp_for,
)
from lastmile_flows.render.svg import stamp_metadata

__all__ = [
    "MAX_NODES",
    "REDESIGN_VIEWS",
    "Renderable",
    "View",
    "laid_out_view",
    "render_options",
    "render_png",
    "render_svg",
    "scene_svg",
    "source_hash",
    "stamp_for",
    "svg_bytes",
    "to_dot",
]

Renderable = Union[Process, Redesign, Comparison]
MAX_NODES = 5_000
"""The most flow nodes (steps, gateways, events) one diagram draws."""


def _backend(backend: str | Backend) -> Backend:
    return get_backend(backend) if isinstance(backend, str) else backend


def _check_size(model: Process | Redesign) -> None:
    processes = [model] if isinstance(model, Process) else [model.current, model.redesigned]
    for process in processes:
        count = len(process.steps) + len(process.gateways) + len(process.events)
        if count > MAX_NODES:
            raise RenderError(
                f"{process.id!r} has {count:,} flow nodes; one diagram draws at most "
                f"{MAX_NODES:,}: draw a part of it (a sub-process as its own model)"
            )


def _resolve(
    obj: Renderable, view: str | None, severity: Mapping[str, str] | None
) -> tuple[Process | Redesign, str, Comparison | None]:
    """The model behind ``obj``, the view to draw, and the comparison a diff needs."""
    if isinstance(obj, Process):
        if view not in (None, "process"):
            raise RenderError(f"a Process has one view, 'process'; got {view!r}")
        _check_size(obj)
        return obj, "process", None
    chosen = view or "diff"
    if chosen not in REDESIGN_VIEWS:
        raise RenderError(f"no view {chosen!r} for a redesign; valid: {choices(REDESIGN_VIEWS)}")
    if isinstance(obj, Redesign):
        _check_size(obj)
        needs = chosen in ("diff", "committee")
        return obj, chosen, compare(obj, severity=severity) if needs else None
    if isinstance(obj, Comparison):
        sources = obj.sources
        if sources is None:
            raise RenderError(
                "this comparison does not hold its processes (it was read back from JSON): "
                "draw it from the Redesign, or from compare(current, redesigned)"
            )
        _check_size(sources)
        return sources, chosen, obj
    raise TypeError(f"render_svg() draws a Process, a Redesign or a Comparison, not {type(obj)}")


def _scenes(model: Process | Redesign, view: str, comparison: Comparison | None) -> list[Scene]:
    if isinstance(model, Process):
        return [process_scene(model, order=shared_lane_order(model))]
    order = shared_lane_order(model.current, model.redesigned)
    if view == "diff":
        assert comparison is not None
        return [diff_scene(comparison, model.current, model.redesigned, order=order)]
    current = process_scene(model.current, order=order)
    after = process_scene(model.redesigned, former_roles=model.current.roles, order=order)
    return [current if view == "before" else after]


def to_dot(
    obj: Renderable,
    *,
    view: View | None = None,
    backend: str | Backend = "wasm",
    severity: Mapping[str, str] | None = None,
) -> str:
    """The DOT of a diagram, every node and route where the layout put them (``neato -n2``
    draws it as is). The side-by-side and committee views have no single DOT source."""
    scene, _, layout = laid_out_view(obj, view=view, backend=backend, severity=severity)
    return positioned_dot(scene, layout)


def laid_out_view(
    obj: Renderable,
    *,
    view: str | None = None,
    backend: str | Backend = "wasm",
    severity: Mapping[str, str] | None = None,
) -> tuple[Scene, Sized, Layout]:
    """The scene of a view of ``obj`` that is one drawing (any but ``side-by-side`` and
    ``committee``), sized and laid out: what :func:`to_dot` and the report's cut diagrams
    draw from."""
    chosen = _backend(backend)
    model, resolved, comparison = _resolve(obj, view, severity)
    if resolved in ("side-by-side", "committee"):
        raise RenderError(f"the {resolved} view is several diagrams: ask for 'before' or 'after'")
    scene = _scenes(model, resolved, comparison)[0]
    sized, layout = laid_out(scene, chosen)
    return scene, sized, layout


def render_svg(
    obj: Renderable,
    *,
    view: View | None = None,
    backend: str | Backend = "wasm",
    severity: Mapping[str, str] | None = None,
) -> str:
    """A diagram as SVG text: the same bytes for the same input on every machine (with the
    default ``wasm`` backend).

    ``obj`` is a :class:`Process` (view ``process``), or a :class:`Redesign` or a comparison
    (views ``diff`` — the default —, ``before``, ``after``, ``side-by-side``, ``committee``).
    ``severity`` overrides audit severities for the findings drawn, as in ``compare``.
    """
    return svg_bytes(obj, view=view, backend=backend, severity=severity).decode("utf-8")


def render_png(
    obj: Renderable,
    *,
    view: View | None = None,
    backend: str | Backend = "wasm",
    severity: Mapping[str, str] | None = None,
    scale: float = 1.0,
) -> bytes:
    """:func:`render_svg` as PNG bytes, ``scale`` pixels per SVG unit (a committee slide is
    1920x1080 at 1, 3840x2160 at 2), drawn with the DejaVu Sans shipped with this package:
    the same bytes on every machine. A committee view of several slides is one tall
    picture; ``lastmile render --format png`` writes one file per slide."""
    from lastmile_flows.render.raster import png_from_svg

    chosen = _backend(backend)
    model, resolved, _ = _resolve(obj, view, severity)
    stamp = stamp_for(model, resolved, chosen, render_options(severity))
    svg = svg_bytes(obj, view=view, backend=chosen, severity=severity)
    return png_from_svg(svg, scale=scale, stamp=stamp)


def scene_svg(scene: Scene, *, backend: str | Backend = "wasm") -> str:
    """A scene built by hand (a process's with marks of one's own, as the conformance overlay
    does) laid out, checked for size and drawn: SVG text, the same bytes for the same scene."""
    chosen = _backend(backend)
    if len(scene.nodes) > MAX_NODES:
        raise RenderError(f"{len(scene.nodes):,} nodes; one diagram draws at most {MAX_NODES:,}")
    sized, layout = laid_out(scene, chosen)
    root = draw(scene, sized, layout)
    return (etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n").decode("utf-8")


def _finish(root: etree._Element, stamp: dict[str, str]) -> bytes:
    root.insert(0, stamp_metadata(stamp))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def svg_roots(
    obj: Renderable,
    *,
    view: View | None = None,
    backend: str | Backend = "wasm",
    severity: Mapping[str, str] | None = None,
) -> list[etree._Element]:
    """The SVG root of each picture of a view (several only for a committee view that needs
    more than one slide), unstamped."""
    chosen = _backend(backend)
    model, resolved, comparison = _resolve(obj, view, severity)
    if resolved == "side-by-side":
        assert isinstance(model, Redesign)
        order = shared_lane_order(model.current, model.redesigned)
        scenes = [
            process_scene(model.current, order=order, title="Before"),
            process_scene(
                model.redesigned, former_roles=model.current.roles, order=order, title="After"
            ),
        ]
        first = [laid_out(scene, chosen) for scene in scenes]
        heights: dict[str, float] = {}
        for _, layout in first:
            for lane, band in layout.lanes.items():
                heights[lane] = max(heights.get(lane, 0.0), band.height)
        second = [laid_out(scene, chosen, heights) for scene in scenes]
        halves = [draw(scene, *placed) for scene, placed in zip(scenes, second, strict=True)]
        return [side_by_side(halves[0], halves[1])]
    if resolved == "committee":
        from lastmile_flows.render.slides import committee_slides

        assert isinstance(model, Redesign)
        assert comparison is not None
        return committee_slides(comparison, model, chosen)
    roots = []
    for scene in _scenes(model, resolved, comparison):
        sized, layout = laid_out(scene, chosen)
        roots.append(draw(scene, sized, layout))
    return roots


def svg_bytes(
    obj: Renderable,
    *,
    view: View | None = None,
    backend: str | Backend = "wasm",
    severity: Mapping[str, str] | None = None,
    file_stamp: Mapping[str, str] | None = None,
) -> bytes:
    """:func:`render_svg` as the bytes written to files (a committee view of several slides
    as one SVG, the slides one under the other); ``file_stamp`` adds the stamp's keys about
    the model file (see :mod:`lastmile_flows.review.fresh`)."""
    chosen = _backend(backend)
    model, resolved, _ = _resolve(obj, view, severity)
    stamp = {**stamp_for(model, resolved, chosen, render_options(severity)), **(file_stamp or {})}
    roots = svg_roots(obj, view=view, backend=chosen, severity=severity)
    if len(roots) == 1:
        return _finish(roots[0], stamp)
    from lastmile_flows.render.compose import stacked

    return _finish(stacked(roots), stamp)


def slide_bytes(
    obj: Renderable,
    *,
    backend: str | Backend = "wasm",
    severity: Mapping[str, str] | None = None,
    file_stamp: Mapping[str, str] | None = None,
) -> list[bytes]:
    """Each slide of the committee view as its own SVG file's bytes (``file_stamp`` as for
    :func:`svg_bytes`)."""
    chosen = _backend(backend)
    model, _, _ = _resolve(obj, "committee", severity)
    roots = svg_roots(obj, view="committee", backend=chosen, severity=severity)
    found = []
    base = {**stamp_for(model, "committee", chosen, render_options(severity)), **(file_stamp or {})}
    for number, root in enumerate(roots, start=1):
        found.append(_finish(root, {**base, "slide": f"{number}/{len(roots)}"}))
    return found
