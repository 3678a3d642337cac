"""Reading and writing models: YAML, JSON and Python modules.

``load(path)`` returns one :class:`Process` or :class:`Redesign`. A redesign file may name its
two processes by path (``current: current.yaml``), relative to the redesign file; ``discover``
then reports those process files under the redesign, not on their own.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Union

from lastmile_flows.atomic import write_atomic
from lastmile_flows.errors import InvalidModelError, LoadError
from lastmile_flows.model import Process, Redesign
from lastmile_flows.model.problems import Loc, choices, did_you_mean
from lastmile_flows.yamlsource import LineMap, line_of, read_yaml, write_yaml

__all__ = [
    "DATA_SUFFIXES",
    "MODEL_SUFFIXES",
    "PROCESS_FIELDS",
    "Loaded",
    "discover",
    "dump",
    "iter_models",
    "load",
    "load_all",
    "load_pair",
]

Model = Union[Process, Redesign]
Format = Literal["yaml", "json"]

MODEL_SUFFIXES = (".yaml", ".yml", ".json", ".py", ".bpmn")
DATA_SUFFIXES = (".yaml", ".yml", ".json")
PROCESS_FIELDS = ("current", "redesigned")


@dataclass(frozen=True)
class Loaded:
    """A model with where it came from: ``source`` is ``path`` or ``path:name``."""

    source: str
    model: Model
    files: tuple[str, ...] = field(default=())


def load(path: str | os.PathLike[str]) -> Model:
    """Load a process or a redesign from ``.yaml``, ``.yml``, ``.json``, ``module.py[:name]``,
    or a process from a BPMN 2.0 ``.bpmn`` file (see :func:`lastmile_flows.bpmn.read_bpmn`:
    what the model does not carry is issued as a ``BpmnImportWarning``).

    Raises :class:`LoadError` when the file cannot be read or parsed, and
    :class:`InvalidModelError` (with file and line on every problem) when the model is invalid.
    """
    text = os.fspath(path)
    file, _, name = text.rpartition(":") if _names_object(text) else (text, "", "")
    if Path(file).suffix == ".py":
        found = _module_models(Path(file))
        return _pick(found, name, file).model
    if Path(file).suffix == ".bpmn":
        return _read_bpmn(Path(file))
    return _load_data_file(Path(file)).model


def _read_bpmn(file: Path) -> Process:
    from lastmile_flows.bpmn import read_bpmn  # BPMN needs the layout code: load it on demand

    return read_bpmn(file)


def load_all(path: str | os.PathLike[str]) -> list[Loaded]:
    """Every model in a file: the one in a data file, or each one a Python module defines.

    Processes a module uses inside one of its redesigns are not listed again on their own.
    """
    file = Path(path)
    if file.suffix == ".py":
        found = _module_models(file)
        inner = {id(m.model.current) for m in found if isinstance(m.model, Redesign)}
        inner |= {id(m.model.redesigned) for m in found if isinstance(m.model, Redesign)}
        return [m for m in found if id(m.model) not in inner]
    if file.suffix == ".bpmn":
        return [Loaded(str(file), _read_bpmn(file), (str(file),))]
    return [_load_data_file(file)]


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Model files under ``paths`` (files as given, folders searched), sorted, de-duplicated.

    Files named by a redesign file found alongside (``current: current.yaml``) are left out,
    since they are checked as part of that redesign. Inside folders, names starting with ``_``
    or ``.`` and JSON Schema files (``*.schema.json``) are skipped.
    """
    found: list[Path] = []
    for given in paths:
        root = Path(given)
        if root.is_dir():
            found += sorted(
                candidate
                for candidate in root.rglob("*")
                if candidate.suffix in MODEL_SUFFIXES
                and not candidate.name.endswith(".schema.json")
                and candidate.is_file()
                and not any(
                    part.startswith(("_", ".")) for part in candidate.relative_to(root).parts
                )
            )
        else:
            found.append(root)
    unique = list(dict.fromkeys(found))
    referenced = {ref for file in unique for ref in _referenced_files(file)}
    return [file for file in unique if file.resolve() not in referenced]


def _referenced_files(file: Path) -> list[Path]:
    if file.suffix not in DATA_SUFFIXES:
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


def _names_object(text: str) -> bool:
    head, _, name = text.rpartition(":")
    return head.endswith(".py") and name.isidentifier()


def read_data(file: Path) -> tuple[Any, LineMap]:
    """The data of a YAML or JSON file, with the line of each value (``LoadError`` if it
    cannot be read or parsed)."""
    if file.suffix not in DATA_SUFFIXES:
        raise LoadError(
            f"unknown file type {file.suffix!r}; valid: {choices(MODEL_SUFFIXES)}", path=str(file)
        )
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LoadError("no such file", path=str(file)) from None
    except IsADirectoryError:
        raise LoadError("is a folder, not a model file", path=str(file)) from None
    except UnicodeDecodeError as error:
        raise LoadError(
            f"not UTF-8 text ({error.reason} at byte {error.start})", path=str(file)
        ) from None
    except OSError as error:
        raise LoadError(f"cannot read: {error.strerror}", path=str(file)) from None
    if file.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise LoadError(
                f"invalid JSON: {error.msg}", path=str(file), line=error.lineno
            ) from None
        try:
            _, lines = read_yaml(text, path=str(file))  # JSON is YAML: borrow its line numbers
        except LoadError:
            lines = {}
        return data, lines
    return read_yaml(text, path=str(file))


def load_pair(current: str | os.PathLike[str], redesigned: str | os.PathLike[str]) -> Redesign:
    """A current and a redesigned process from two files, read together so that the redesigned
    one may name removed roles as edge-case owners. Its volume is 0: pass one to ``compare``."""
    paths = [Path(current), Path(redesigned)]
    if all(path.suffix in DATA_SUFFIXES for path in paths):
        data = {
            "id": "redesign",
            "current": str(paths[0]),
            "redesigned": str(paths[1]),
            "volume_per_month": 0,
        }
        model = _parse_sources(data, {(): (str(paths[1]), {})}, Path()).model
        assert isinstance(model, Redesign)
        return model
    processes = [load(path) for path in paths]
    for path, process in zip(paths, processes, strict=True):
        if not isinstance(process, Process):
            raise LoadError(
                "holds a redesign; give two process files, or one redesign file", path=str(path)
            )
    return Redesign(
        id="redesign", current=processes[0], redesigned=processes[1], volume_per_month=0
    )


def _load_data_file(file: Path) -> Loaded:
    data, lines = read_data(file)
    if not isinstance(data, dict):
        raise LoadError(
            "expected a mapping with a process (id, roles, steps, ...) or a redesign "
            f"(id, current, redesigned, volume_per_month); got {type(data).__name__}",
            path=str(file),
            line=1,
        )
    return _parse_sources(data, {(): (str(file), lines)}, file.parent)


def _parse_sources(
    data: dict[str, Any], sources: dict[Loc, tuple[str, LineMap]], folder: Path
) -> Loaded:
    """Parse a process or a redesign whose processes may be file names relative to ``folder``."""
    file = sources[()][0]
    files = [file]
    is_redesign = any(key in data for key in PROCESS_FIELDS)
    if is_redesign:
        data = dict(data)
        for key in PROCESS_FIELDS:
            if isinstance(data.get(key), str):
                inner = folder / data[key]
                if inner.suffix == ".bpmn":
                    data[key] = _read_bpmn(inner)
                    files.append(str(inner))
                    continue
                inner_data, inner_lines = read_data(inner)
                data[key] = inner_data
                sources[(key,)] = (str(inner), inner_lines)
                files.append(str(inner))
    cls: type[Process] | type[Redesign] = Redesign if is_redesign else Process
    try:
        model = cls.parse(data)
    except InvalidModelError as error:
        raise InvalidModelError([_place(p, sources) for p in error.problems]) from None
    return Loaded(file, model, tuple(files))


def _place(problem: Any, sources: dict[Loc, tuple[str, LineMap]]) -> Any:
    prefix: Loc = max((key for key in sources if problem.loc[: len(key)] == key), key=len)
    file, lines = sources[prefix]
    return replace(problem, file=file, line=line_of(problem.loc[len(prefix) :], lines))


def _module_models(file: Path) -> list[Loaded]:
    if not file.is_file():
        raise LoadError("no such file", path=str(file))
    module_name = "lastmile_model_" + "".join(
        c if c.isalnum() else "_" for c in str(file.resolve())
    )
    spec = importlib.util.spec_from_file_location(module_name, file)
    if spec is None or spec.loader is None:
        raise LoadError("cannot import as a Python module", path=str(file))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except InvalidModelError as error:
        line = _failing_line(error, file)
        raise InvalidModelError(
            [replace(p, file=str(file), line=line) for p in error.problems]
        ) from None
    except Exception as error:  # the user's module may fail in any way; report it, no traceback
        raise LoadError(
            f"importing it failed: {type(error).__name__}: {error}",
            path=str(file),
            line=_failing_line(error, file),
        ) from None
    finally:
        sys.modules.pop(module_name, None)
    found = [
        Loaded(f"{file}:{name}", value, (str(file),))
        for name, value in vars(module).items()
        if isinstance(value, (Process, Redesign)) and not name.startswith("_")
    ]
    if not found:
        raise LoadError("defines no Process or Redesign at module level", path=str(file))
    return found


def _failing_line(error: BaseException, file: Path) -> int | None:
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if Path(f.filename) == file.resolve() or f.filename == str(file)
    ]
    return frames[-1].lineno if frames else None


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
    if chosen == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = write_yaml(data)
    if path is not None:
        write_atomic(path, text)
    return text


def iter_models(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Loaded]:
    """Every model under ``paths`` (see :func:`discover`); errors propagate per file."""
    for file in discover(paths):
        yield from load_all(file)
