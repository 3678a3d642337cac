"""YAML and JSON model files read into plain data, with bounds on what a file can make us do.

- At most :data:`MAX_BYTES` bytes, and values nested at most :data:`MAX_DEPTH` levels deep
  (a model is six levels deep; thousands of levels would exhaust the parser's stack).
- JSON: a key given twice in one object is an error (as in YAML), and so are ``NaN``,
  ``Infinity``, numbers too large for a float and integers of more than :data:`MAX_DIGITS`
  digits (Python refuses to convert very long ones, and no model needs them).
- YAML: the safe loader only, with every alias expansion counted (see
  :mod:`lastmile_flows.yamlsource`).
- The line of every value is known, so problems point into the file. For JSON the lines are
  worked out only when a problem needs one (reading a large JSON file twice would double the
  cost of every valid one).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from lastmile_flows.errors import LoadError
from lastmile_flows.model.problems import Loc, choices
from lastmile_flows.yamlsource import MAX_DEPTH, LineMap, read_yaml

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_DIGITS", "Lines", "read_data"]

MAX_BYTES = 64 * 1024**2
MAX_DIGITS = 30


class Lines(Mapping[Loc, int]):
    """The line of each location in a file, worked out on first use."""

    def __init__(self, text: str | None, path: str, known: LineMap | None = None) -> None:
        self._text = text
        self._path = path
        self._lines = known

    def _get(self) -> LineMap:
        if self._lines is None:
            try:
                _, self._lines = read_yaml(self._text or "", path=self._path)
            except LoadError:
                self._lines = {}
            self._text = None
        return self._lines

    def __getitem__(self, key: Loc) -> int:
        return self._get()[key]

    def __iter__(self) -> Iterator[Loc]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


class _Refused(Exception):
    """A JSON value we do not read (raised inside the parser's hooks)."""

    def __init__(self, reason: str, *, duplicate: bool = False) -> None:
        super().__init__(reason)
        self.duplicate = duplicate


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _Refused(f"key {key!r} appears twice in one object", duplicate=True)
        found[key] = value
    return found


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"an integer of {len(text.lstrip('-')):,} digits (at most {MAX_DIGITS})")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text[:40]} is too large")
    return value


def _constant(text: str) -> Any:
    raise _Refused(f"{text} is not a number a model can hold")


def _read_text(file: Path) -> str:
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(
                f"{size:,} bytes; model files are read up to {MAX_BYTES // 1024**2} MiB",
                path=str(file),
            )
        with file.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise LoadError("no such file", path=str(file)) from None
    except IsADirectoryError:
        raise LoadError("is a folder, not a model file", path=str(file)) from None
    except OSError as error:
        raise LoadError(f"cannot read: {error.strerror}", path=str(file)) from None
    if len(raw) > MAX_BYTES:
        raise LoadError(f"more than {MAX_BYTES // 1024**2} MiB", path=str(file))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoadError(
            f"not UTF-8 text ({error.reason} at byte {error.start})", path=str(file)
        ) from None


def _shape_check(data: Any, path: str) -> None:
    """Refuse values nested more than :data:`MAX_DEPTH` levels deep, and mapping keys that are
    not text (YAML allows ``? [a, b]``, ``1:`` or a bare ``?``), without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise LoadError(f"values nested more than {MAX_DEPTH} levels deep", path=path)
        if isinstance(value, dict):
            for key in value:
                if not isinstance(key, str):
                    raise LoadError(
                        f"a key that is not text ({type(key).__name__} {str(key)[:40]!r}); "
                        "write keys as names",
                        path=path,
                    )
            stack += [(item, depth + 1) for item in value.values()]
        elif isinstance(value, list):
            stack += [(item, depth + 1) for item in value]


def _read_json(text: str, path: str) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_int=_integer,
            parse_float=_float,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as error:
        raise LoadError(f"invalid JSON: {error.msg}", path=path, line=error.lineno) from None
    except _Refused as error:
        line = _duplicate_line(text, path) if error.duplicate else None
        raise LoadError(f"invalid JSON: {error}", path=path, line=line) from None
    except RecursionError:
        raise LoadError(f"values nested more than {MAX_DEPTH} levels deep", path=path) from None
    except ValueError as error:  # e.g. an integer too long for Python to convert
        raise LoadError(f"invalid JSON: {error}", path=path) from None


def _duplicate_line(text: str, path: str) -> int | None:
    """The line of a key given twice (YAML reads JSON and says where)."""
    try:
        read_yaml(text, path=path)
    except (LoadError, RecursionError) as error:
        return error.line if isinstance(error, LoadError) else None
    return None


def read_data(file: Path) -> tuple[Any, Mapping[Loc, int]]:
    """The data of a YAML or JSON file, with the line of each value (``LoadError`` if it
    cannot be read or parsed, or breaks a bound in the module docstring)."""
    from lastmile_flows.discovery import DATA_SUFFIXES, MODEL_SUFFIXES

    if file.suffix not in DATA_SUFFIXES:
        raise LoadError(
            f"unknown file type {file.suffix!r}; valid: {choices(MODEL_SUFFIXES)}", path=str(file)
        )
    text = _read_text(file)
    path = str(file)
    if file.suffix == ".json":
        data = _read_json(text, path)
        _shape_check(data, path)
        return data, Lines(text, path)
    try:
        data, lines = read_yaml(text, path=path)
    except RecursionError:
        raise LoadError(f"values nested more than {MAX_DEPTH} levels deep", path=path) from None
    _shape_check(data, path)
    return data, Lines(None, path, lines)
