"""Jupyter display: ``_repr_mimebundle_`` of processes, redesigns and comparisons is SVG."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

__all__ = ["mimebundle"]

SVG = "image/svg+xml"
TEXT = "text/plain"


def mimebundle(
    obj: Any, include: Container[str] | None, exclude: Container[str] | None
) -> dict[str, str]:
    """The display data of ``obj``, honouring Jupyter's ``include`` and ``exclude``."""
    from lastmile_flows.render.api import render_svg

    wanted = [SVG, TEXT]
    if include is not None:
        wanted = [kind for kind in wanted if kind in include]
    if exclude is not None:
        wanted = [kind for kind in wanted if kind not in exclude]
    bundle: dict[str, str] = {}
    if SVG in wanted:
        bundle[SVG] = render_svg(obj)
    if TEXT in wanted:
        bundle[TEXT] = f"<{type(obj).__name__} {getattr(obj, 'id', '')!s}>"
    return bundle
