"""Reading and writing models: YAML, JSON, Python modules and BPMN files.

``load(path)`` returns one :class:`Process` or :class:`Redesign`. A redesign file may name its
two processes by path (``current: current.yaml``), relative to the redesign file. Such a
reference must stay inside the redesign file's repository (the nearest folder above it holding
``.git``), or, outside any repository, inside the working folder or the redesign file's own
folder: a model from elsewhere cannot make us read, and quote in an error, any file on the disk.
``LASTMILE_ROOT`` (or ``root=``) names another folder to allow. A referenced file must be a
process file: naming a redesign file (two redesign files naming each other, say) is an error.

Python models run in a child process (:mod:`lastmile_flows.python_models`); ``python=False``
refuses them instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union

from lastmile_flows.atomic import write_atomic
from lastmile_flows.datafile import read_data
from lastmile_flows.discovery import (
    DATA_SUFFIXES,
    MODEL_SUFFIXES,
    PROCESS_FIELDS,
    discover,
    file_kind,
)
from lastmile_flows.errors import InvalidModelError, LoadError
from lastmile_flows.escape import json_text
from lastmile_flows.model import Problem, Process, Redesign, problems
from lastmile_flows.model.problems import Loc, choices, did_you_mean
from lastmile_flows.yamlsource import line_of, write_yaml

if TYPE_CHECKING:
    from lastmile_flows.python_models import ModuleModel

__all__ = [
    "DATA_SUFFIXES",
    "MODEL_SUFFIXES",
    "PROCESS_FIELDS",
    "Loaded",
    "discover",
    "dump",
    "file_kind",
    "iter_models",
    "load",
    "load_all",
    "load_module_report",
    "load_pair",
    "read_data",
]

Model = Union[Process, Redesign]
Format = Literal["yaml", "json"]
Sources = dict[Loc, tuple[str, Mapping[Loc, int]]]
ROOT_VARIABLE = "LASTMILE_ROOT"


@dataclass(frozen=True)
class Loaded:
    """A model with where it came from: ``source`` is ``path`` or ``path:name``."""

    source: str
    model: Model
    files: tuple[str, ...] = field(default=())
    """The files it was read from: the model file, then the process files a redesign file
    names, or the modules of its own that a Python model imported."""
    placed: tuple[Problem, ...] | None = None
    """The model's warnings with the file and line of each, when it was read from data."""

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Every warning of the model (:func:`~lastmile_flows.model.problems`), with file and
        line where the model was read from a data file, else with the file."""
        if self.placed is not None:
            return self.placed
        file = self.files[0] if self.files else self.source
        return tuple(replace(p, file=file) for p in problems(self.model))


def load(
    path: str | os.PathLike[str], *, python: bool = True, root: str | os.PathLike[str] | None = None
) -> Model:
    """Load a process or a redesign from ``.yaml``, ``.yml``, ``.json``, ``module.py[:name]``,
    or a process from a BPMN 2.0 file (``.bpmn``, ``.bpmn20.xml``, ``.xml``; see
    :func:`lastmile_flows.bpmn.read_bpmn`: what the model does not carry is issued as a
    ``BpmnImportWarning``).

    ``python=False`` refuses Python models rather than running them; ``root`` is a folder a
    redesign file's references may also point into (see the module docstring).

    Raises :class:`LoadError` when the file cannot be read or parsed, and
    :class:`InvalidModelError` (with file and line on every problem) when the model is invalid.
    """
    text = os.fspath(path)
    file, _, name = text.rpartition(":") if _names_object(text) else (text, "", "")
    kind = file_kind(file)
    if kind == "python":
        found = [loaded for loaded, _ in _module_models(Path(file), python)]
        return _pick(found, name, file).model
    if kind == "bpmn":
        return _read_bpmn(Path(file))
    return _load_data_file(Path(file), root).model


def _read_bpmn(file: Path) -> Process:
    from lastmile_flows.bpmn import read_bpmn  # BPMN needs the layout code: load it on demand

    return read_bpmn(file)


def load_all(
    path: str | os.PathLike[str], *, python: bool = True, root: str | os.PathLike[str] | None = None
) -> list[Loaded]:
    """Every model in a file: the one in a data or BPMN file, or each one a Python module
    defines (options as for :func:`load`).

    Processes a module uses inside one of its redesigns are not listed again on their own.
    """
    file = Path(path)
    kind = file_kind(file)
    if kind == "python":
        return _outer(file, _module_models(file, python))
    if kind == "bpmn":
        return [Loaded(str(file), _read_bpmn(file), (str(file),))]
    return [_load_data_file(file, root)]


def _names_object(text: str) -> bool:
    head, _, name = text.rpartition(":")
    return head.endswith(".py") and name.isidentifier()


def load_pair(
    current: str | os.PathLike[str], redesigned: str | os.PathLike[str], *, python: bool = True
) -> Redesign:
    """A current and a redesigned process from two files, read together so that the redesigned
    one may name removed roles as edge-case owners. Its volume is 0: pass one to ``compare``.
    ``python`` as for :func:`load`."""
    paths = [Path(current), Path(redesigned)]
    if all(file_kind(path) == "data" for path in paths):
        data = {
            "id": "redesign",
            "current": str(paths[0]),
            "redesigned": str(paths[1]),
            "volume_per_month": 0,
        }
        model = _parse_sources(data, {(): (str(paths[1]), {})}, Path(), None).model
        assert isinstance(model, Redesign)
        return model
    processes = [load(path, python=python) for path in paths]
    for path, process in zip(paths, processes, strict=True):
        if not isinstance(process, Process):
            raise LoadError(
                "holds a redesign; give two process files, or one redesign file", path=str(path)
            )
    return Redesign(
        id="redesign", current=processes[0], redesigned=processes[1], volume_per_month=0
    )


def _load_data_file(file: Path, root: str | os.PathLike[str] | None) -> Loaded:
    data, lines = read_data(file)
    if not isinstance(data, dict):
        raise LoadError(
            "expected a mapping with a process (id, roles, steps, ...) or a redesign "
            f"(id, current, redesigned, volume_per_month); got {type(data).__name__}",
            path=str(file),
            line=1,
        )
    return _parse_sources(data, {(): (str(file), lines)}, file.parent, _roots(file, root))


def _repository(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _roots(file: Path, root: str | os.PathLike[str] | None) -> list[Path]:
    """The folders a redesign file's references may point into."""
    folder = file.resolve().parent
    repository = _repository(folder)
    found = [repository] if repository is not None else [Path.cwd().resolve(), folder]
    extra = root if root is not None else os.environ.get(ROOT_VARIABLE)
    if extra:
        found.append(Path(extra).resolve())
    return found


def _reference(folder: Path, name: str, roots: list[Path] | None, key: str, file: str) -> Path:
    """The file a redesign names as its ``key`` process, checked to lie inside ``roots``."""
    inner = folder / name
    if roots is None:
        return inner
    resolved = inner.resolve()
    if not any(resolved.is_relative_to(place) for place in roots):
        raise LoadError(
            f"its {key} process {name!r} lies outside {roots[0]}; a redesign may only name "
            f"files in its own repository or folder (set {ROOT_VARIABLE} to allow another)",
            path=file,
        )
    return inner


def _parse_sources(
    data: dict[str, Any], sources: Sources, folder: Path, roots: list[Path] | None
) -> Loaded:
    """Parse a process or a redesign whose processes may be file names relative to ``folder``
    (inside ``roots``, unless None)."""
    file = sources[()][0]
    files = [file]
    is_redesign = any(key in data for key in PROCESS_FIELDS)
    if is_redesign:
        data = dict(data)
        for key in PROCESS_FIELDS:
            if not isinstance(data.get(key), str):
                continue
            inner = _reference(folder, data[key], roots, key, file)
            files.append(str(inner))
            if file_kind(inner) == "bpmn":
                data[key] = _read_bpmn(inner)
                continue
            inner_data, inner_lines = read_data(inner)
            if isinstance(inner_data, dict) and any(k in inner_data for k in PROCESS_FIELDS):
                raise LoadError(
                    f"its {key} process {data[key]!r} is a redesign file, not a process file"
                    + (" (the two name each other)" if _names(inner_data, inner, file) else ""),
                    path=file,
                )
            data[key] = inner_data
            sources[(key,)] = (str(inner), inner_lines)
    cls: type[Process] | type[Redesign] = Redesign if is_redesign else Process
    try:
        model = cls.parse(data)
    except InvalidModelError as error:
        raise InvalidModelError([_place(p, sources) for p in error.problems]) from None
    placed = tuple(_place(p, sources) for p in problems(model))
    return Loaded(file, model, tuple(files), placed)


def _names(data: dict[str, Any], where: Path, file: str) -> bool:
    """Whether redesign data read from ``where`` names ``file`` as one of its processes."""
    target = Path(file).resolve()
    return any(
        isinstance(data.get(key), str) and (where.parent / data[key]).resolve() == target
        for key in PROCESS_FIELDS
    )


def _place(problem: Any, sources: Sources) -> Any:
    prefix: Loc = max((key for key in sources if problem.loc[: len(key)] == key), key=len)
    file, lines = sources[prefix]
    return replace(problem, file=file, line=line_of(problem.loc[len(prefix) :], lines))


def _outer(file: Path, found: list[tuple[Loaded, bool]]) -> list[Loaded]:
    """The models of a module that are not part of another one (an error when there are none)."""
    outer = [loaded for loaded, inner in found if not inner]
    if not outer:
        raise LoadError(
            "defines no Process or Redesign that is not part of another one", path=str(file)
        )
    return outer


def load_module_report(file: Path, entries: Sequence[ModuleModel]) -> list[Loaded]:
    """:func:`load_all` of a Python model file whose child process has already reported
    ``entries`` (:func:`lastmile_flows.python_models.run_module`): validated here."""
    return _outer(file, _validated(file, entries))


def _module_models(file: Path, python: bool) -> list[tuple[Loaded, bool]]:
    """The models a Python module defines, read in a child process (see
    :mod:`lastmile_flows.python_models`) and validated here; each with whether one of the
    module's redesigns uses it. ``python=False`` refuses to run it."""
    from lastmile_flows.python_models import run_module

    if not python:
        raise LoadError(
            "a Python model is code, and running model code is turned off here "
            "(run_python = false, or --no-python); write the model as YAML or JSON",
            path=str(file),
        )
    return _validated(file, run_module(file))


def _validated(file: Path, entries: Sequence[ModuleModel]) -> list[tuple[Loaded, bool]]:
    """Each model a module's child reported, validated, with whether it is part of another."""
    found = []
    for entry in entries:
        cls: type[Process] | type[Redesign] = Redesign if entry.kind == "Redesign" else Process
        try:
            model = cls.parse(entry.data)
        except InvalidModelError as error:
            raise InvalidModelError([replace(p, file=str(file)) for p in error.problems]) from None
        files = (str(file), *entry.imports)
        found.append((Loaded(f"{file}:{entry.name}", model, files), entry.inner))
    if not found:
        raise LoadError("defines no Process or Redesign at module level", path=str(file))
    return found


def _pick(found: list[Loaded], name: str, file: str) -> Loaded:
    names = [m.source.rpartition(":")[2] for m in found]
    if name:
        for loaded, candidate in zip(found, names, strict=True):
            if candidate == name:
                return loaded
        raise LoadError(
            f"defines no Process or Redesign named {name!r}{did_you_mean(name, names)}; "
            f"valid: {choices(names)}",
            path=file,
        )
    redesigns = [m for m in found if isinstance(m.model, Redesign)]
    if len(redesigns) == 1:
        return redesigns[0]
    if not redesigns and len(found) == 1:
        return found[0]
    raise LoadError(
        f"defines several models ({', '.join(names)}); name one as {file}:NAME", path=file
    )


def to_data(model: Model) -> dict[str, Any]:
    """The model as plain data, fields at their defaults left out."""
    return model.model_dump(mode="json", exclude_defaults=True)


def dump(
    model: Model,
    path: str | os.PathLike[str] | None = None,
    *,
    format: Format | None = None,
) -> str:
    """The model as YAML (default) or JSON text; written atomically to ``path`` when given.

    The format follows ``path``'s suffix unless ``format`` says otherwise. Fields at their
    default are left out; ``load`` of the result gives back an equal model.
    """
    chosen = format or ("json" if path is not None and Path(path).suffix == ".json" else "yaml")
    data = to_data(model)
    text = json_text(data) if chosen == "json" else write_yaml(data)
    if path is not None:
        write_atomic(path, text)
    return text


def iter_models(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Loaded]:
    """Every model under ``paths`` (see :func:`discover`); errors propagate per file."""
    for file in discover(paths):
        yield from load_all(file)
