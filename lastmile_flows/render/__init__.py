"""Diagrams: processes, redesigns and comparisons as DOT and byte-stable SVG."""

from lastmile_flows.layout.backend import BACKENDS, Backend, DotBackend, WasmBackend, get_backend
from lastmile_flows.render.api import REDESIGN_VIEWS, View, render_svg, svg_bytes, to_dot

__all__ = [
    "BACKENDS",
    "REDESIGN_VIEWS",
    "Backend",
    "DotBackend",
    "View",
    "WasmBackend",
    "get_backend",
    "render_svg",
    "svg_bytes",
    "to_dot",
]
