"""Rendering a model library: which SVG files each model gives, which are stale, and drawing
them on every core.

A process file ``x.yaml`` gives ``x.svg``; a redesign file ``r.yaml`` gives ``r.before.svg``,
``r.after.svg``, ``r.diff.svg`` and ``r.side-by-side.svg``. A Python module that defines
several models adds the object's name: ``module.NAME.diff.svg``. Files go next to the model,
or under ``out`` (mirroring the folders below each given path).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lastmile_flows.atomic import write_atomic
from lastmile_flows.files import Loaded, discover, load_all
from lastmile_flows.lifeline import die_with_parent
from lastmile_flows.model import Process, Redesign
from lastmile_flows.render.api import REDESIGN_VIEWS, render_options, stamp_for, svg_bytes
from lastmile_flows.render.backend import get_backend
from lastmile_flows.render.svg import read_stamp

__all__ = ["Target", "files_under", "plan", "plan_loaded", "render_targets", "stale"]


@dataclass(frozen=True)
class Target:
    """One SVG file to write: the model, the view, where."""

    path: Path
    model: Process | Redesign
    view: str
    source: str


def _outputs(file: Path, root: Path | None, out: Path | None) -> Path:
    """The folder the SVGs of ``file`` go to."""
    if out is None:
        return file.parent
    if root is not None and root.is_dir():
        return out / file.parent.relative_to(root)
    return out


def plan(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str] | None = None,
    *,
    python: bool = True,
) -> list[Target]:
    """Every SVG the models under ``paths`` give (loading errors propagate; ``python`` as for
    :func:`lastmile_flows.files.load`)."""
    return plan_loaded(
        ((file, root, load_all(file, python=python)) for file, root in files_under(paths)), out
    )


def files_under(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, Path]]:
    """Each model file under ``paths`` with the given path it was found under (its root)."""
    return [(file, Path(given)) for given in paths for file in discover([Path(given)])]


def plan_loaded(
    found: Iterable[tuple[Path, Path, list[Loaded]]], out: str | os.PathLike[str] | None = None
) -> list[Target]:
    """:func:`plan` for models already loaded: ``(file, root, models)`` for each file."""
    targets: list[Target] = []
    destination = Path(out) if out is not None else None
    for file, root, loaded in found:
        folder = _outputs(file, root if root.is_dir() else None, destination)
        for item in loaded:
            stem = file.stem
            if len(loaded) > 1:
                stem += "." + item.source.rpartition(":")[2]
            if isinstance(item.model, Process):
                targets.append(Target(folder / f"{stem}.svg", item.model, "process", item.source))
                continue
            targets += [
                Target(folder / f"{stem}.{view}.svg", item.model, view, item.source)
                for view in REDESIGN_VIEWS
            ]
    unique = {target.path: target for target in targets}
    return [unique[path] for path in sorted(unique)]


def stale(targets: Iterable[Target], backend: str = "wasm") -> list[tuple[Target, str]]:
    """Targets whose file is missing or was drawn from something else; no Graphviz needed."""
    chosen = get_backend(backend)
    found = []
    for target in targets:
        if not target.path.is_file():
            found.append((target, "missing"))
            continue
        stamp = read_stamp(target.path.read_bytes())
        expected = stamp_for(target.model, target.view, chosen, render_options(None))
        if stamp is None:
            found.append((target, "not drawn by lastmile"))
        elif stamp.get("source-sha256") != expected["source-sha256"]:
            found.append((target, "model changed"))
        elif stamp != expected:
            found.append((target, "drawn by another lastmile or Graphviz version"))
    return found


def _draw(target: Target, backend: str) -> tuple[Path, bool]:
    data = svg_bytes(target.model, view=target.view, backend=backend)  # type: ignore[arg-type]
    if target.path.is_file() and target.path.read_bytes() == data:
        return target.path, False
    target.path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target.path, data)
    return target.path, True


def render_targets(
    targets: list[Target],
    *,
    backend: str = "wasm",
    jobs: int | None = None,
    done: Callable[[Path, bool], None] | None = None,
) -> None:
    """Draw every target (``jobs`` processes; default: all cores). ``done(path, changed)`` is
    called as each file is finished. Errors propagate after the running draws finish."""
    workers = min(jobs or os.cpu_count() or 1, len(targets))
    if workers <= 1:
        for target in targets:
            path, changed = _draw(target, backend)
            if done:
                done(path, changed)
        return
    # spawn, not fork: the wasm runtime's threads must not be copied into a child
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        futures = [pool.submit(_draw, target, backend) for target in targets]
        for future in futures:
            path, changed = future.result()
            if done:
                done(path, changed)
