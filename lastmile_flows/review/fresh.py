"""Which model files' diagrams are current, told from bytes alone: no model is loaded, no Python
model runs, no Graphviz.

Each file ``lastmile render`` writes carries in its stamp, beside the hash of the model it was
drawn from (``source-sha256``), three keys about the model *file*:

- ``inputs``: the files the model was read from, relative to the drawing's folder: the model
  file first, then the process files a redesign file names, or the modules of its own that a
  Python model imported;
- ``inputs-sha256``: a hash of those files' bytes;
- ``outputs``: every drawing the model file gives, by file name, with its view.

A model file is *settled* when drawings of it are there, every one of them stamped by this
renderer with the same three keys, its input files hash as the stamp says, and every drawing
``outputs`` lists is there (a committee view: its one slide, or slides 1 to N and no other).
Anything else (a drawing missing, an input changed by as much as a comment, a drawing of
another renderer) leaves the file to the full check, which loads the model and compares what
it would draw. A Python model's inputs do not cover data files it reads itself.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from lastmile_flows.render.stamp import renderer_fingerprint

__all__ = [
    "FILE_KEYS",
    "FORMATS",
    "Settled",
    "Settlement",
    "file_stamp",
    "inputs_digest",
    "outputs_folder",
    "quick_stamp",
    "settle",
    "settle_under",
]

FORMATS = ("svg", "png")
"""The file formats ``lastmile render`` writes."""
FILE_KEYS = ("inputs", "inputs-sha256", "outputs")
Settlement = tuple[set[tuple[Path, Path]], int, bool]
"""What :func:`settle_under` found: the settled files with the path each was found under, how
many drawings they give, whether everything found is settled."""
"""The stamp's keys about the model file (not about the model)."""


_HEAD = 8 * 1024
"""Bytes of an SVG read to find its stamp (the root's first child, about 1 KB in)."""
_ATTRIBUTE = re.compile(r' ([a-z:0-9-]+)="([^"<]*)"')
"""An attribute as lxml writes it: the value's ``"``, ``&``, ``<``, ``>`` and control
characters as references, which :func:`html.unescape` reads back."""
_SVG_STAMP = re.compile(
    rb"\A<\?xml [^>]*\?>\s*<svg [^>]*><metadata>(<lastmile:render [^>]*/>)</metadata>"
)


def outputs_folder(file: Path, root: Path | None, out: Path | None) -> Path:
    """The folder the drawings of model ``file`` go to: beside it, or under ``out`` mirroring
    its place below ``root`` (the folder it was found under, ``None`` for a file given by
    name)."""
    if out is None:
        return file.parent
    if root is not None and root.is_dir():
        return out / file.parent.relative_to(root)
    return out


def _relative(path: str | os.PathLike[str], folder: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), folder.resolve())).as_posix()


def inputs_digest(folder: Path, inputs: Sequence[str]) -> str | None:
    """sha256 of the files ``inputs`` (relative to ``folder``), names and bytes; ``None`` when
    one cannot be read."""
    digest = hashlib.sha256()
    for name in inputs:
        try:
            data = (folder / name).read_bytes()
        except OSError:
            return None
        encoded = name.encode("utf-8", "surrogateescape")
        digest.update(b"%d\0%s%d\0" % (len(encoded), encoded, len(data)) + data)
    return digest.hexdigest()


def file_stamp(inputs: Sequence[str], outputs: Mapping[str, str], folder: Path) -> dict[str, str]:
    """The stamp's keys about the model file: ``inputs`` (paths as loaded), ``outputs`` (file
    name to view), for drawings written to ``folder``; empty when the inputs are unknown."""
    if not inputs:
        return {}
    relative = [_relative(path, folder) for path in inputs]
    return {
        "inputs": " ".join(_word(name) for name in relative),
        "inputs-sha256": inputs_digest(folder, relative) or "",
        "outputs": " ".join(
            f"{_word(name)}:{_word(view)}" for name, view in sorted(outputs.items())
        ),
    }


def _word(text: str) -> str:
    """``text`` with spaces, colons, quotes and anything not plain ASCII percent-encoded."""
    return quote(text, safe="/._-+~,=@")


def _inputs(text: str | None) -> list[str] | None:
    names = [unquote(word) for word in (text or "").split(" ") if word]
    return names or None


def _outputs(text: str | None) -> dict[str, str] | None:
    pairs = [word.split(":") for word in (text or "").split(" ") if word]
    if not pairs or any(len(pair) != 2 for pair in pairs):
        return None
    return {unquote(name): unquote(view) for name, view in pairs}


def quick_stamp(path: Path) -> dict[str, str] | None:
    """The stamp of a drawing this package wrote, reading only the head of an SVG (the stamp
    is the root's first child); ``None`` when there is none there."""
    if path.suffix == ".png":
        from lastmile_flows.render.raster import read_png_stamp

        try:
            return read_png_stamp(path.read_bytes())
        except OSError:
            return None
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD)
    except OSError:
        return None
    found = _SVG_STAMP.match(head)
    if found is None:
        return None
    try:
        text = found.group(1).decode("utf-8")
    except UnicodeDecodeError:
        return None
    found_all = list(_ATTRIBUTE.finditer(text, len("<lastmile:render")))
    end = found_all[-1].end() if found_all else 0
    if text[end:] != "/>" or sum(m.end() - m.start() for m in found_all) != end - 16:
        return None  # not the plain attributes this package writes
    return {
        m.group(1): html.unescape(m.group(2)) if "&" in m.group(2) else m.group(2)
        for m in found_all
        if m.group(1) != "xmlns:lastmile"
    }


@dataclass
class Settled:
    """What :func:`settle` found: the model files whose drawings are current, the files read
    as parts of those (process files of a redesign file), and how many drawings they give."""

    current: set[Path] = field(default_factory=set)
    parts: set[str] = field(default_factory=set)
    """Absolute paths (symbolic links not followed)."""
    drawings: int = 0

    def covers(self, file: Path) -> bool:
        """Whether ``file`` is settled, or read as part of a settled file."""
        return file in self.current or _absolute(file) in self.parts


def _absolute(path: Path) -> str:
    """``path`` absolute and normalised, symbolic links not followed (cheap: no system call)."""
    return os.path.abspath(path)


def _settled_file(
    file: Path, folder: Path, suffix: str, expected: Mapping[str, str | None]
) -> tuple[list[str], int] | None:
    """The inputs and the number of drawings of ``file`` when all of them are current."""
    if not folder.is_dir():
        return None
    stamps: dict[str, dict[str, str]] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix != suffix or not path.name.startswith(file.stem + "."):
            continue
        stamp = quick_stamp(path)
        inputs = _inputs(stamp.get("inputs")) if stamp else None
        if stamp is None or inputs is None or _absolute(folder / inputs[0]) != _absolute(file):
            continue
        stamps[path.name] = stamp
    if not stamps:
        return None
    first = next(iter(stamps.values()))
    keys = {key: first.get(key) for key in (*FILE_KEYS, "renderer", "scale")}
    if any({key: s.get(key) for key in keys} != keys for s in stamps.values()):
        return None
    if any(keys[key] != value for key, value in expected.items()):
        return None
    inputs = _inputs(keys["inputs"])
    outputs = _outputs(keys["outputs"])
    if inputs is None or outputs is None or inputs_digest(folder, inputs) != keys["inputs-sha256"]:
        return None
    seen: set[str] = set()
    for name, view in outputs.items():
        names = _drawn(name, view, stamps)
        if names is None:
            return None
        seen.update(names)
    if seen != set(stamps):
        return None  # a drawing of the file that its stamp does not list: a leftover slide
    return inputs, len(outputs)


def _drawn(name: str, view: str, stamps: Mapping[str, Mapping[str, str]]) -> list[str] | None:
    """The files drawing ``name`` is (a committee view: its slides), when all are there and
    say they draw ``view``; else ``None``."""
    if view != "committee":
        stamp = stamps.get(name)
        return [name] if stamp is not None and stamp.get("view") == view else None
    head, dot, suffix = name.rpartition(".")
    one = stamps.get(name)
    if one is not None:
        return [name] if one.get("view") == view and one.get("slide") == "1/1" else None
    first = stamps.get(f"{head}-1{dot}{suffix}")
    count = (first or {}).get("slide", "").partition("/")[2]
    if not count.isdigit() or int(count) < 2:
        return None
    names = [f"{head}-{number}{dot}{suffix}" for number in range(1, int(count) + 1)]
    for number, slide in enumerate(names, start=1):
        stamp = stamps.get(slide)
        if stamp is None or stamp.get("view") != view or stamp.get("slide") != f"{number}/{count}":
            return None
    return names


def settle(
    found: Iterable[tuple[Path, Path | None]],
    out: Path | None,
    *,
    fmt: str,
    scale: float,
    renderer: str,
    python: bool = True,
) -> Settled:
    """The model files among ``found`` (each with the folder it was found under, or ``None``)
    whose drawings (``fmt``, at ``scale`` for PNG) are current by their stamps, drawn by
    ``renderer``; ``python=False`` settles no Python model (it must be refused, not passed)."""
    result = Settled()
    expected = {"renderer": renderer, "scale": f"{scale:g}" if fmt == "png" else None}
    for file, root in found:
        if not python and file.suffix == ".py":
            continue
        folder = outputs_folder(file, root, out)
        settled = _settled_file(file, folder, f".{fmt}", expected)
        if settled is None:
            continue
        inputs, drawings = settled
        result.current.add(file)
        result.drawings += drawings
        if file.suffix != ".py":
            result.parts.update(_absolute(folder / name) for name in inputs[1:])
    return result


def settle_under(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str] | None = None,
    *,
    python: bool = True,
    fmt: str = "svg",
    scale: float = 1.0,
    backend: str = "wasm",
) -> Settlement:
    """:func:`settle` for the model files under each of ``paths`` (found as
    :func:`lastmile_flows.discovery.survey` finds them, reading none): the settled ones with
    the path each was found under, how many drawings they give, and whether every file found
    is settled or read as part of a settled one."""
    from lastmile_flows.discovery import candidates
    from lastmile_flows.layout.backend import get_backend

    destination = Path(out) if out is not None else None
    renderer = renderer_fingerprint(get_backend(backend).version)
    done: set[tuple[Path, Path]] = set()
    drawings = 0
    everything = True
    for given in paths:
        root = Path(given)
        found = candidates(root)
        settled = settle(
            [(file, root if root.is_dir() else None) for file in found],
            destination,
            fmt=fmt,
            scale=scale,
            renderer=renderer,
            python=python,
        )
        done |= {(file, root) for file in settled.current}
        drawings += settled.drawings
        everything &= all(settled.covers(file) for file in found)
    return done, drawings, everything
