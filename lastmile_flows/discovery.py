"""Which files under a folder are models, and why the others are not.

Every file below a given folder is accounted for: it is a model file to check on its own, a
process file checked as part of the redesign file that names it, or skipped with a reason
(a name starting with ``_`` or ``.``, a JSON Schema, a drawing, a file type that holds no
model). Nothing disappears silently: two redesign files naming each other are both kept (and
fail to load, naming the cycle) rather than hiding each other.

The kinds of model file:

- ``data``: ``.yaml``, ``.yml``, ``.json``;
- ``python``: ``.py`` (code: see :mod:`lastmile_flows.python_models`);
- ``bpmn``: ``.bpmn``, ``.bpmn20.xml``, and, given by name, any ``.xml``; inside a folder an
  ``.xml`` file counts only when it declares the BPMN 2.0 model namespace.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = [
    "BPMN_NAMESPACE",
    "DATA_SUFFIXES",
    "MODEL_SUFFIXES",
    "PROCESS_FIELDS",
    "FileKind",
    "Skipped",
    "Survey",
    "candidates",
    "discover",
    "file_kind",
    "survey",
]

FileKind = Literal["data", "python", "bpmn"]
DATA_SUFFIXES = (".yaml", ".yml", ".json")
MODEL_SUFFIXES = (".yaml", ".yml", ".json", ".py", ".bpmn", ".bpmn20.xml", ".xml")
PROCESS_FIELDS = ("current", "redesigned")
BPMN_NAMESPACE = b"http://www.omg.org/spec/BPMN/20100524/MODEL"
_SNIFF = 64 * 1024
_QUIET = frozenset({".git", ".hg", ".svn", "__pycache__", ".ipynb_checkpoints"})
"""Folders skipped without a word: version control and caches, never models."""


def file_kind(path: str | os.PathLike[str]) -> FileKind | None:
    """The kind of model ``path`` names by its name alone (``.xml`` counts as BPMN)."""
    name = Path(path).name.lower()
    suffix = Path(name).suffix
    if suffix in DATA_SUFFIXES:
        return "data"
    if suffix == ".py":
        return "python"
    if suffix in (".bpmn", ".xml"):
        return "bpmn"
    return None


def _is_bpmn_xml(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            head = stream.read(_SNIFF)
    except OSError:
        return False
    return BPMN_NAMESPACE in head


@dataclass(frozen=True)
class Skipped:
    """A file or folder under a given folder that is not checked, and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Survey:
    """What :func:`survey` found."""

    files: list[Path] = field(default_factory=list)
    """Model files, each read on its own, sorted."""
    parts: dict[Path, Path] = field(default_factory=dict)
    """Process files read as part of a redesign file found alongside: part -> redesign file."""
    drawings: list[Path] = field(default_factory=list)
    """SVG files (``lastmile check`` compares them with what the models would draw)."""
    skipped: list[Skipped] = field(default_factory=list)


def _walk(root: Path, found: Survey) -> list[Path]:
    """Candidate model files under ``root`` (sorted), recording what is skipped on the way."""
    candidates: list[Path] = []
    inside = root.resolve()
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        kept = []
        for sub in sorted(subfolders):
            if sub in _QUIET:
                continue
            if (here / sub).is_symlink():
                reason = "a symbolic link to a folder (not followed)"
                found.skipped.append(Skipped(here / sub, reason))
            elif sub.startswith(("_", ".")):
                found.skipped.append(Skipped(here / sub, f"folder name starts with {sub[0]!r}"))
            else:
                kept.append(sub)
        subfolders[:] = kept
        for name in sorted(names):
            path = here / name
            if name.startswith(("_", ".")):
                found.skipped.append(Skipped(path, f"name starts with {name[0]!r}"))
            elif name.endswith(".schema.json"):
                found.skipped.append(Skipped(path, "a JSON Schema, not a model"))
            elif name.endswith(".svg"):
                found.drawings.append(path)
            elif file_kind(path) is None:
                found.skipped.append(Skipped(path, "not a model file type"))
            elif (
                Path(name).suffix == ".xml"
                and not name.endswith(".bpmn20.xml")
                and not (_is_bpmn_xml(path))
            ):
                found.skipped.append(Skipped(path, "XML but not BPMN 2.0"))
            elif not path.is_file():
                found.skipped.append(Skipped(path, "not a regular file"))
            elif path.is_symlink() and not path.resolve().is_relative_to(inside):
                found.skipped.append(
                    Skipped(path, f"a symbolic link to a file outside {root} (not read)")
                )
            else:
                candidates.append(path)
    return candidates


def survey(paths: Iterable[str | os.PathLike[str]]) -> Survey:
    """Every file under ``paths`` sorted into model files, parts, drawings and skipped ones
    (see the module docstring). Files given by name are always model files."""
    found = Survey()
    candidates: list[Path] = []
    for given in paths:
        root = Path(given)
        candidates += _walk(root, found) if root.is_dir() else [root]
    unique = list(dict.fromkeys(candidates))
    references = {file: referenced_files(file) for file in unique}
    redesign_files = {file.resolve() for file, named in references.items() if named}
    for file, named in references.items():
        for target in named:
            if target not in redesign_files:
                found.parts.setdefault(target, file)
    for file in unique:
        owner = found.parts.get(file.resolve())
        if owner is None:
            found.files.append(file)
    found.parts = {
        file: found.parts[file.resolve()] for file in unique if file.resolve() in found.parts
    }
    found.drawings.sort()
    found.skipped.sort(key=lambda skipped: skipped.path)
    return found


def candidates(path: Path) -> list[Path]:
    """The files under ``path`` (or ``path`` itself, a file) that may hold a model, before
    telling model files from the process files a redesign file names: reads no file."""
    return _walk(path, Survey()) if path.is_dir() else [path]


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Model files under ``paths`` (files as given, folders searched), sorted, de-duplicated;
    process files named by a redesign file found alongside are read with it, not listed."""
    return survey(paths).files


def referenced_files(file: Path) -> list[Path]:
    """The process files a redesign data file names (resolved), or none."""
    from lastmile_flows.errors import LoadError
    from lastmile_flows.files import read_data

    if file_kind(file) != "data":
        return []
    try:
        data, _ = read_data(file)
    except LoadError:
        return []
    if not isinstance(data, dict):
        return []
    return [
        (file.parent / data[key]).resolve()
        for key in PROCESS_FIELDS
        if isinstance(data.get(key), str)
    ]
