"""Rendering a model library: which SVG files each model gives, which are stale, and drawing
them on every core.

A process file ``x.yaml`` gives ``x.svg``; a redesign file ``r.yaml`` gives ``r.before.svg``,
``r.after.svg``, ``r.diff.svg``, ``r.side-by-side.svg`` and its committee slide ``r.committee.svg``
(or, when it needs several, ``r.committee-1.svg``, ``r.committee-2.svg``, ...; each slide's stamp
says how many there are, so a check needs no drawing to know a slide is missing). A Python
module that defines several models adds the object's name: ``module.NAME.diff.svg``. Files go
next to the model, or under ``out`` (mirroring the folders below each given path). Asked for
as PNG, each file is ``.png`` instead of ``.svg`` and carries the same stamp.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from lastmile_flows.atomic import write_atomic
from lastmile_flows.files import Loaded, discover, load_all
from lastmile_flows.layout.backend import Backend, get_backend
from lastmile_flows.lifeline import die_with_parent
from lastmile_flows.model import Process, Redesign
from lastmile_flows.render.raster import png_from_svg, read_png_stamp
from lastmile_flows.render.stamp import REDESIGN_VIEWS, render_options, stamp_for
from lastmile_flows.render.svg import read_stamp
from lastmile_flows.review.fresh import (
    FILE_KEYS,
    FORMATS,
    Settlement,
    file_stamp,
    outputs_folder,
    settle_under,
)

__all__ = [
    "FORMATS",
    "Drawn",
    "Target",
    "files_under",
    "plan",
    "plan_loaded",
    "render_targets",
    "stale",
    "stale_under",
]


@dataclass(frozen=True)
class Target:
    """One SVG file to write: the model, the view, where."""

    path: Path
    model: Process | Redesign
    view: str
    source: str
    scale: float = 1.0
    """Pixels per SVG unit, for a PNG."""
    inputs: tuple[str, ...] = ()
    """The files the model was read from (:attr:`lastmile_flows.files.Loaded.files`)."""
    outputs: tuple[tuple[str, str], ...] = ()
    """Every file its model file gives, by name, with its view."""
    file_keys: tuple[tuple[str, str], ...] = ()
    """The stamp's keys about the model file, taken when the model was loaded (so a file
    edited while the library is drawn does not lend its new bytes to an old drawing)."""

    def expected_stamp(self, backend: Backend) -> dict[str, str]:
        """The stamp the file has when it is current (less a slide's number and the keys about
        the model file)."""
        stamp = stamp_for(self.model, self.view, backend, render_options(None))
        return {**stamp, "scale": f"{self.scale:g}"} if self.path.suffix == ".png" else stamp

    def file_stamp(self) -> dict[str, str]:
        """The stamp's keys about the model file (see :mod:`lastmile_flows.review.fresh`)."""
        if self.file_keys:
            return dict(self.file_keys)
        return file_stamp(self.inputs, dict(self.outputs), self.path.parent)


def plan(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str] | None = None,
    *,
    python: bool = True,
    fmt: str = "svg",
    scale: float = 1.0,
) -> list[Target]:
    """Every SVG (or PNG: ``fmt``) the models under ``paths`` give (loading errors propagate;
    ``python`` as for :func:`lastmile_flows.files.load`)."""
    return plan_loaded(
        ((file, root, load_all(file, python=python)) for file, root in files_under(paths)),
        out,
        fmt=fmt,
        scale=scale,
    )


def files_under(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, Path]]:
    """Each model file under ``paths`` with the given path it was found under (its root)."""
    return [(file, Path(given)) for given in paths for file in discover([Path(given)])]


def plan_loaded(
    found: Iterable[tuple[Path, Path, list[Loaded]]],
    out: str | os.PathLike[str] | None = None,
    *,
    fmt: str = "svg",
    scale: float = 1.0,
) -> list[Target]:
    """:func:`plan` for models already loaded: ``(file, root, models)`` for each file."""
    if fmt not in FORMATS:
        raise ValueError(f"no format {fmt!r}: {' or '.join(FORMATS)}")
    targets: list[Target] = []
    destination = Path(out) if out is not None else None
    for file, root, loaded in found:
        folder = outputs_folder(file, root if root.is_dir() else None, destination)
        mine: list[Target] = []
        for item in loaded:
            stem = file.stem
            if len(loaded) > 1:
                stem += "." + item.source.rpartition(":")[2]
            inputs = item.files or (str(file),)
            if isinstance(item.model, Process):
                path = folder / f"{stem}.{fmt}"
                mine.append(Target(path, item.model, "process", item.source, scale, inputs))
                continue
            mine += [
                Target(
                    folder / f"{stem}.{view}.{fmt}", item.model, view, item.source, scale, inputs
                )
                for view in REDESIGN_VIEWS
            ]
        outputs = tuple(sorted((target.path.name, target.view) for target in mine))
        keys = {
            target.inputs: tuple(sorted(file_stamp(target.inputs, dict(outputs), folder).items()))
            for target in mine
        }
        targets += [
            replace(target, outputs=outputs, file_keys=keys[target.inputs]) for target in mine
        ]
    unique = {target.path: target for target in targets}
    return [unique[path] for path in sorted(unique)]


def _stem(target: Target) -> str:
    """``NAME`` of a committee target ``NAME.committee.svg`` (or ``.png``)."""
    return target.path.name.removesuffix(f".committee{target.path.suffix}")


def _slide_number(path: Path) -> int | None:
    """``N`` of ``NAME.committee-N.svg``, or ``None``."""
    number = path.stem.rpartition("-")[2]
    return int(number) if number.isdigit() else None


def _slides(target: Target) -> list[Path]:
    """The slide files of a committee target that are there now, in order."""
    found = target.path.parent.glob(f"{_stem(target)}.committee-*{target.path.suffix}")
    numbered = [(number, path) for path in found if (number := _slide_number(path)) is not None]
    return [path for _, path in sorted(numbered)]


def _slide_path(target: Target, number: int | str) -> Path:
    return target.path.with_name(f"{_stem(target)}.committee-{number}{target.path.suffix}")


def _read_stamp(path: Path) -> dict[str, str] | None:
    data = path.read_bytes()
    return read_png_stamp(data) if path.suffix == ".png" else read_stamp(data)


def _verdict(path: Path, expected: dict[str, str]) -> str | None:
    if not path.is_file():
        return "missing"
    stamp = _read_stamp(path)
    if stamp is None:
        return "not drawn by lastmile"
    if stamp.get("source-sha256") != expected["source-sha256"]:
        return "model changed"
    mine = {key: value for key, value in stamp.items() if key != "slide" and key not in FILE_KEYS}
    if mine.get("scale") != expected.get("scale"):
        return f"drawn at scale {mine.get('scale', '?')}, not {expected.get('scale')}"
    if mine != expected:
        return "drawn by another lastmile or Graphviz version"
    return None


def stale_under(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str] | None = None,
    *,
    python: bool = True,
    fmt: str = "svg",
    scale: float = 1.0,
    backend: str = "wasm",
    settled: Settlement | None = None,
) -> tuple[int, list[tuple[Target, str]]]:
    """How many files the models under ``paths`` give, and those that are missing or stale.

    Model files whose drawings are current by their files' bytes (see
    :mod:`lastmile_flows.review.fresh`; ``settled``: what :func:`settle_under` already found
    for these arguments) are not loaded; the others are, as by :func:`plan`, and compared by
    :func:`stale` (loading errors propagate)."""
    given = [Path(path) for path in paths]
    done, drawings, everything = settled or settle_under(
        given, out, python=python, fmt=fmt, scale=scale, backend=backend
    )
    if everything:
        return drawings, []
    rest = [(file, root) for file, root in files_under(given) if (file, root) not in done]
    targets = plan_loaded(
        ((file, root, load_all(file, python=python)) for file, root in rest),
        out,
        fmt=fmt,
        scale=scale,
    )
    return drawings + len(targets), stale(targets, backend)


def stale(targets: Iterable[Target], backend: str = "wasm") -> list[tuple[Target, str]]:
    """Targets whose file is missing or was drawn from something else; no Graphviz needed."""
    chosen = get_backend(backend)
    found = []
    for target in targets:
        expected = target.expected_stamp(chosen)
        if target.view == "committee" and not target.path.is_file() and _slides(target):
            slides = _slides(target)
            stamp = _read_stamp(slides[0]) or {}
            count = stamp.get("slide", "1/0").partition("/")[2]
            wanted = int(count) if count.isdigit() else 0
            names = [path.name for path in slides]
            missing = [
                _slide_path(target, n).name
                for n in range(1, wanted + 1)
                if _slide_path(target, n).name not in names
            ]
            reasons = [reason for path in slides if (reason := _verdict(path, expected))]
            extra = names[wanted:] if wanted else []
            shown = replace(target, path=_slide_path(target, "*"))
            if missing:
                found.append((shown, f"slide missing: {', '.join(missing)}"))
            elif extra:
                found.append((shown, f"slide left over: {', '.join(extra)}"))
            elif reasons:
                found.append((shown, reasons[0]))
            continue
        reason = _verdict(target.path, expected)
        if reason is None and target.view == "committee" and _slides(target):
            reason = f"slide left over: {', '.join(p.name for p in _slides(target))}"
        if reason is not None:
            found.append((target, reason))
    return found


def _write(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return True


@dataclass(frozen=True)
class Drawn:
    """What drawing one target did: the files it is now, those it wrote, those it removed
    (slides a committee view no longer needs)."""

    files: tuple[Path, ...]
    written: tuple[Path, ...]
    removed: tuple[Path, ...] = ()


def _as_format(target: Target, svg: bytes) -> bytes:
    """``svg`` as the bytes of ``target``'s file: itself, or a PNG carrying its stamp."""
    if target.path.suffix != ".png":
        return svg
    stamp = {**(read_stamp(svg) or {}), "scale": f"{target.scale:g}"}
    return png_from_svg(svg, scale=target.scale, stamp=stamp)


def _draw(target: Target, backend: str) -> Drawn:
    if target.view != "committee":
        from lastmile_flows.render.api import svg_bytes  # the drawing code: loaded to draw

        data = svg_bytes(
            target.model,
            view=target.view,  # type: ignore[arg-type]
            backend=backend,
            file_stamp=target.file_stamp(),
        )
        data = _as_format(target, data)
        return Drawn((target.path,), (target.path,) if _write(target.path, data) else ())
    from lastmile_flows.render.api import slide_bytes

    drawn = slide_bytes(target.model, backend=backend, file_stamp=target.file_stamp())
    slides = [_as_format(target, data) for data in drawn]
    wanted = [target.path]
    if len(slides) > 1:
        wanted = [_slide_path(target, n) for n in range(1, len(slides) + 1)]
    written = tuple(path for path, data in zip(wanted, slides, strict=True) if _write(path, data))
    removed = []
    for old in [target.path, *_slides(target)]:
        if old not in wanted and old.is_file():
            old.unlink()
            removed.append(old)
    return Drawn(tuple(wanted), written, tuple(removed))


def render_targets(
    targets: list[Target],
    *,
    backend: str = "wasm",
    jobs: int | None = None,
    done: Callable[[Drawn], None] | None = None,
) -> None:
    """Draw every target (``jobs`` processes; default: all cores). ``done(drawn)`` is called
    as each target is finished. Errors propagate after the running draws finish."""
    workers = min(jobs or os.cpu_count() or 1, len(targets))
    if workers <= 1:
        for target in targets:
            drawn = _draw(target, backend)
            if done:
                done(drawn)
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
            drawn = future.result()
            if done:
                done(drawn)
