"""Diagrams: processes, redesigns and comparisons as DOT, byte-stable SVG and PNG."""

from lastmile_flows.layout.backend import BACKENDS, Backend, DotBackend, WasmBackend, get_backend
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
