"""Validation problems: what is wrong, with which element, where, and what would be valid."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from lastmile_flows.severity import Severity
from lastmile_flows.suggest import choices, did_you_mean

Loc = tuple[str | int, ...]

__all__ = ["Loc", "Problem", "Severity", "choices", "describe_loc", "did_you_mean"]


@dataclass(frozen=True)
class Problem:
    """One broken rule. ``loc`` is the path into the model (field names and list indexes)."""

    rule: str
    message: str
    element_id: str | None = None
    loc: Loc = ()
    where: str = ""
    severity: Severity = "error"
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        position = ""
        if self.file:
            position = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        where = f" at {self.where}" if self.where else ""
        return f"{position}{self.severity} [{self.rule}]{where}: {self.message}"

    def located(self, prefix: Loc = (), data: Any = None) -> Problem:
        """The same problem, its ``loc`` under ``prefix``, ``where`` described against ``data``."""
        loc = prefix + self.loc
        where = describe_loc(loc, data) if data is not None else self.where
        return replace(self, loc=loc, where=where)


def _child(data: Any, key: str | int) -> Any:
    if isinstance(data, Mapping):
        return data.get(key)
    if isinstance(data, Sequence) and not isinstance(data, str) and isinstance(key, int):
        return data[key] if 0 <= key < len(data) else None
    if isinstance(key, str):
        return getattr(data, key, None)
    return None


def _element_id(data: Any) -> str | None:
    value = data.get("id") if isinstance(data, Mapping) else getattr(data, "id", None)
    return value if isinstance(value, str) and value else None


def describe_loc(loc: Loc, data: Any) -> str:
    """A readable path such as ``steps[extract].edge_cases[dup_po].owner``.

    List indexes are replaced by the id of the element at that index, when it has one.
    """
    parts: list[str] = []
    node = data
    for key in loc:
        node = _child(node, key)
        if isinstance(key, int):
            element = _element_id(node)
            label = element if element is not None else str(key)
            if parts:
                parts[-1] += f"[{label}]"
            else:
                parts.append(f"[{label}]")
        else:
            parts.append(key)
    return ".".join(parts)


def element_id_at(loc: Loc, data: Any) -> str | None:
    """The id of the innermost element on ``loc`` that has one."""
    found = _element_id(data)
    node = data
    for key in loc:
        node = _child(node, key)
        found = _element_id(node) or found
    return found
