"""What an SVG's stamp says: which view of which model (a hash of the model, the view and the
options that change a drawing), drawn by what (a hash of the code that reads models and shapes
diagrams, and the Graphviz build). Light to import: telling whether a file is current needs no
drawing code."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from lastmile_flows.layout.backend import Backend
    from lastmile_flows.model import Process, Redesign

__all__ = [
    "NOT_DRAWING",
    "REDESIGN_VIEWS",
    "View",
    "render_options",
    "renderer_fingerprint",
    "source_hash",
    "stamp_for",
]

View = Literal["process", "before", "after", "diff", "side-by-side", "committee"]
REDESIGN_VIEWS: tuple[View, ...] = ("before", "after", "diff", "side-by-side", "committee")

NOT_DRAWING = frozenset({"jupyter.py", "raster.py"})
"""Modules of the folders hashed into the stamp that do not shape a stamped SVG: Jupyter
display, PNG (a PNG's stamp is its SVG's)."""
_HASHED_FOLDERS = ("model", "analysis", "layout", "render", "bpmn")
_HASHED_SUFFIXES = frozenset({".py", ".json"})
"""Code, and the data it reads as package data (the font widths ``layout/metrics.json``)."""
_HASHED_FILES = (
    "escape.py",
    "numbers.py",
    "severity.py",
    "limits.py",
    "files.py",
    "yamlsource.py",
    "datafile.py",
    "python_models.py",
    "python_child.py",
)
"""Besides the drawing code, the code that reads a model from its files: a change to it can
change the model while the files' bytes stay the same."""


@functools.lru_cache(maxsize=4)
def renderer_fingerprint(backend_version: str) -> str:
    """What draws the SVG: this package's code that reads a model and shapes a diagram, and the
    Graphviz build."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder in _HASHED_FOLDERS:
        for path in sorted((package / folder).iterdir()):
            if path.suffix in _HASHED_SUFFIXES and path.name not in NOT_DRAWING:
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _HASHED_FILES:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes() + b"\0")
    from importlib import metadata

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


def render_options(severity: Mapping[str, str] | None) -> dict[str, Any]:
    """The options that change a drawing, as hashed into its stamp."""
    return {"severity": dict(sorted((severity or {}).items()))}
