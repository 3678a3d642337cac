"""DOT statements from Python values; every value goes through :mod:`lastmile_flows.escape`."""

from __future__ import annotations

from dataclasses import dataclass

from lastmile_flows.escape import dot_id, dot_lines

__all__ = ["Label", "Value", "attr_list", "edge_statement", "node_statement", "number"]


@dataclass(frozen=True)
class Label:
    """Lines of text shown literally, one per line."""

    lines: tuple[str, ...]
    left: bool = False
    """Left-justify the lines (default: centred)."""

    def __init__(self, *lines: str, left: bool = False) -> None:
        object.__setattr__(self, "lines", tuple(lines))
        object.__setattr__(self, "left", left)


Value = str | float | int | bool | Label


def number(value: float) -> str:
    """A coordinate or size, rounded on purpose: two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _value(value: Value) -> str:
    if isinstance(value, Label):
        return dot_lines(value.lines, left=value.left)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return dot_id(number(value))
    return dot_id(str(value))


def attr_list(attrs: dict[str, Value]) -> str:
    """`` [key=value, ...]``, or nothing when there are no attributes."""
    if not attrs:
        return ""
    return " [" + ", ".join(f"{key}={_value(value)}" for key, value in attrs.items()) + "]"


def node_statement(name: str, attrs: dict[str, Value]) -> str:
    return f"{dot_id(name)}{attr_list(attrs)};"


def edge_statement(source: str, target: str, attrs: dict[str, Value]) -> str:
    return f"{dot_id(source)} -> {dot_id(target)}{attr_list(attrs)};"
