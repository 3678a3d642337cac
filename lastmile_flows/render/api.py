"""``render_svg`` and ``to_dot``: a process, a redesign or a comparison as a diagram.

Views: ``process`` (a :class:`Process`), and for a :class:`Redesign` or a comparison
``before``, ``after``, ``diff`` (the default: both versions in one picture) and
``side-by-side`` (before | after). Every SVG carries a stamp in its ``<metadata>``: a hash of
what it was drawn from and of the code and Graphviz that drew it, so ``lastmile render
--check`` can tell a stale file without running Graphviz.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, Literal, Union

from lastmile_flows.analysis.comparison import Comparison, compare
from lastmile_flows.errors import RenderError
from lastmile_flows.model import Process, Redesign
from lastmile_flows.model.graph import edges
from lastmile_flows.model.problems import choices
from lastmile_flows.render.backend import Backend, get_backend
from lastmile_flows.render.compose import side_by_side
from lastmile_flows.render.diff import diff_scene
from lastmile_flows.render.dotsource import positioned_dot
from lastmile_flows.render.lanes import rank_depth
from lastmile_flows.render.layout import place
from lastmile_flows.render.process import process_scene
from lastmile_flows.render.scene import Direction, Scene
from lastmile_flows.render.svg import finish_svg

__all__ = [
    "AUTO_TB_DEPTH",
    "REDESIGN_VIEWS",
    "Renderable",
    "View",
    "render_options",
    "render_svg",
    "renderer_fingerprint",
    "source_hash",
    "stamp_for",
    "to_dot",
]

View = Literal["process", "before", "after", "diff", "side-by-side"]
REDESIGN_VIEWS: tuple[View, ...] = ("before", "after", "diff", "side-by-side")
Renderable = Union[Process, Redesign, Comparison]
MAX_NODES = 1_500
"""The most flow nodes (steps, gateways, events) one diagram draws: beyond, Graphviz's routing
takes minutes and exhausts its stack; a larger process is refused with a message."""
AUTO_TB_DEPTH = 18
"""Processes deeper than this many flow nodes are drawn top to bottom, lanes side by side, so
a long process becomes a tall page instead of one very wide row."""


@functools.lru_cache(maxsize=4)
def renderer_fingerprint(backend_version: str) -> str:
    """What draws the SVG: this package's code that shapes a diagram, and the Graphviz build."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder in ("model", "analysis", "render", "report"):
        for path in sorted((package / folder).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update((package / "escape.py").read_bytes())
    version = metadata.version("lastmile_flows")
    return f"lastmile_flows {version}+{digest.hexdigest()[:12]}; {backend_version}"


def source_hash(obj: Process | Redesign, view: str, options: Mapping[str, Any]) -> str:
    """sha256 of the model (as canonical JSON), the view and the options."""
    data = {"model": obj.model_dump(mode="json"), "view": view, "options": dict(options)}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def stamp_for(
    obj: Process | Redesign, view: str, backend: Backend, options: Mapping[str, Any]
) -> dict[str, str]:
    return {
        "source-sha256": source_hash(obj, view, options),
        "renderer": renderer_fingerprint(backend.version),
        "view": view,
    }


def _direction(process: Process) -> Direction:
    return "TB" if rank_depth(process, edges(process)) > AUTO_TB_DEPTH else "LR"


def _backend(backend: str | Backend) -> Backend:
    return get_backend(backend) if isinstance(backend, str) else backend


def render_options(severity: Mapping[str, str] | None) -> dict[str, Any]:
    """The options that change a drawing, as hashed into its stamp."""
    return {"severity": dict(sorted((severity or {}).items()))}


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
    model = obj.sources if isinstance(obj, Comparison) else obj
    if isinstance(model, (Process, Redesign)):
        _check_size(model)
    if isinstance(obj, Process):
        if view not in (None, "process"):
            raise RenderError(f"a Process has one view, 'process'; got {view!r}")
        return obj, "process", None
    chosen = view or "diff"
    if chosen not in REDESIGN_VIEWS:
        raise RenderError(f"no view {chosen!r} for a redesign; valid: {choices(REDESIGN_VIEWS)}")
    if isinstance(obj, Redesign):
        return obj, chosen, compare(obj, severity=severity) if chosen == "diff" else None
    if isinstance(obj, Comparison):
        sources = obj.sources
        if sources is None:
            raise RenderError(
                "this comparison does not hold its processes (it was read back from JSON): "
                "draw it from the Redesign, or from compare(current, redesigned)"
            )
        return sources, chosen, obj
    raise TypeError(f"render_svg() draws a Process, a Redesign or a Comparison, not {type(obj)}")


def _scene(model: Process | Redesign, view: str, comparison: Comparison | None) -> Scene:
    if isinstance(model, Process):
        drawn, scene = model, process_scene(model)
    elif view == "diff":
        assert comparison is not None
        drawn = model.redesigned
        scene = diff_scene(comparison, model.current, model.redesigned)
    else:
        drawn = model.current if view == "before" else model.redesigned
        former = model.current.roles if view == "after" else ()
        scene = process_scene(drawn, former_roles=former)
    scene.direction = _direction(drawn)
    return scene


def to_dot(
    obj: Renderable,
    *,
    view: View | None = None,
    backend: str | Backend = "wasm",
    severity: Mapping[str, str] | None = None,
) -> str:
    """The DOT source of a diagram, every node at its position (``neato`` draws it as is).

    Laying out the lanes takes one Graphviz run, so this needs a backend too. The
    ``side-by-side`` view is two diagrams; it has no single DOT source.
    """
    chosen = _backend(backend)
    model, resolved, comparison = _resolve(obj, view, severity)
    if resolved == "side-by-side":
        raise RenderError("the side-by-side view is two diagrams: ask for 'before' and 'after'")
    scene = _scene(model, resolved, comparison)
    return positioned_dot(scene, place(scene, chosen))


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
    (views ``diff`` — the default —, ``before``, ``after``, ``side-by-side``). ``severity``
    overrides audit severities for the diff's finding badges, as in ``compare``.
    """
    return svg_bytes(obj, view=view, backend=backend, severity=severity).decode("utf-8")


def svg_bytes(
    obj: Renderable,
    *,
    view: View | None = None,
    backend: str | Backend = "wasm",
    severity: Mapping[str, str] | None = None,
) -> bytes:
    """:func:`render_svg` as the bytes written to files."""
    chosen = _backend(backend)
    model, resolved, comparison = _resolve(obj, view, severity)
    stamp = stamp_for(model, resolved, chosen, render_options(severity))
    if resolved == "side-by-side":
        assert isinstance(model, Redesign)
        halves = [svg_bytes(model, view=v, backend=chosen) for v in ("before", "after")]
        return side_by_side(halves[0], halves[1], stamp=stamp)
    scene = _scene(model, resolved, comparison)
    placed = place(scene, chosen)
    raw = chosen.run(positioned_dot(scene, placed), engine="neato", format="svg")
    return finish_svg(raw, scene, placed, stamp=stamp)
