"""Diagrams: processes, redesigns and comparisons as DOT, byte-stable SVG and PNG.

Every name is imported on first use (:mod:`lastmile_flows.lazy`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lastmile_flows.lazy import exports

if TYPE_CHECKING:
    from lastmile_flows.layout.backend import (
        BACKENDS,
        Backend,
        DotBackend,
        WasmBackend,
        get_backend,
    )
    from lastmile_flows.render.api import (
        REDESIGN_VIEWS,
        View,
        render_png,
        render_svg,
        svg_bytes,
        to_dot,
    )

__all__ = [
    "BACKENDS",
    "REDESIGN_VIEWS",
    "Backend",
    "DotBackend",
    "View",
    "WasmBackend",
    "get_backend",
    "render_png",
    "render_svg",
    "svg_bytes",
    "to_dot",
]

_HOME = {
    "BACKENDS": "lastmile_flows.layout.backend",
    "Backend": "lastmile_flows.layout.backend",
    "DotBackend": "lastmile_flows.layout.backend",
    "REDESIGN_VIEWS": "lastmile_flows.render.api",
    "View": "lastmile_flows.render.api",
    "WasmBackend": "lastmile_flows.layout.backend",
    "get_backend": "lastmile_flows.layout.backend",
    "render_png": "lastmile_flows.render.api",
    "render_svg": "lastmile_flows.render.api",
    "svg_bytes": "lastmile_flows.render.api",
    "to_dot": "lastmile_flows.render.api",
}

__getattr__, __dir__ = exports(globals(), _HOME)
