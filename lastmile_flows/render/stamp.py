"""What an SVG's stamp says drew it: a hash of the code that reads models and shapes diagrams,
and the Graphviz build."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

__all__ = ["NOT_DRAWING", "renderer_fingerprint"]

NOT_DRAWING = frozenset({"jupyter.py", "raster.py"})
"""Modules of the folders hashed into the stamp that do not shape a stamped SVG: Jupyter
display, PNG (a PNG's stamp is its SVG's)."""
_HASHED_FOLDERS = ("model", "analysis", "layout", "render", "bpmn")
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
        for path in sorted((package / folder).glob("*.py")):
            if path.name not in NOT_DRAWING:
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _HASHED_FILES:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes() + b"\0")
    from importlib import metadata

    version = metadata.version("lastmile_flows")
    return f"lastmile_flows {version}+{digest.hexdigest()[:12]}; {backend_version}"
