"""YAML read safely, with the line of every value, so problems point into the file.

The safe loader of libyaml (PyYAML's C extension, in its wheels) when present, about ten times
faster than the pure-Python one, which is the fallback."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from lastmile_flows.errors import LoadError
from lastmile_flows.model.problems import Loc

__all__ = ["MAX_DEPTH", "MAX_NODES", "LineMap", "line_of", "read_yaml", "write_yaml"]

LineMap = dict[Loc, int]
_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)

MAX_DEPTH = 64
"""The deepest nesting a model file may have (a model is six levels deep)."""
MAX_NODES = 1_000_000
"""More values than this, counting each use of an alias, is refused (an alias bomb)."""


def read_yaml(text: str, *, path: str) -> tuple[Any, LineMap]:
    """Parse one YAML document with the safe loader; return the data and a line per location."""
    try:
        loader = _LOADER(text)
    except yaml.YAMLError as error:  # the reader refuses control characters up front
        raise LoadError(f"invalid YAML: {error}", path=path) from None
    try:
        node = loader.get_single_node()
        lines: LineMap = {}
        if node is not None:
            _walk(node, (), lines, path, [0])
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = " ".join(part for part in (error.context, error.problem) if part)
        if "maximum nesting depth" in problem:  # libyaml's own bound, far above ours
            raise LoadError(f"values nested more than {MAX_DEPTH} levels deep", path=path) from None
        raise LoadError(f"invalid YAML: {problem}", path=path, line=_line(mark)) from None
    except yaml.YAMLError as error:
        raise LoadError(f"invalid YAML: {error}", path=path) from None
    finally:
        loader.dispose()
    return data, lines


def _line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


def _walk(node: yaml.Node, loc: Loc, lines: LineMap, path: str, count: list[int]) -> None:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise LoadError(f"more than {MAX_NODES:,} values after expanding aliases", path=path)
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen and key != "<<":
                raise LoadError(
                    f"key {key!r} appears twice in one mapping (first on line {seen[key]})",
                    path=path,
                    line=line,
                )
            seen[key] = line
            lines.setdefault((*loc, key), line)
            _walk(value_node, (*loc, key), lines, path, count)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), lines, path, count)


def line_of(loc: Loc, lines: Mapping[Loc, int]) -> int | None:
    """The line of ``loc``, or of its nearest enclosing location that has one."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


_NEEDS_QUOTES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
"""Characters that YAML treats as line breaks or refuses raw: such strings are written escaped."""


class _Dumper(yaml.SafeDumper):
    """Writes every string so that it reads back the same, notes with newlines as blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _NEEDS_QUOTES.search(value):
        style = '"'
    elif "\n" in value:
        style = "|"  # PyYAML falls back to quotes when a block would not read back the same
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def write_yaml(data: Any) -> str:
    """YAML text for plain data: keys in the given order, unicode kept, strings exact."""
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text
