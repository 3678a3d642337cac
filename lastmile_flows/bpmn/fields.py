"""Which model fields travel as ``lastmile:`` attributes, and how they are spelled in XML.

BPMN carries a process's structure (tasks, lanes, flows, names, documentation). What BPMN has no
word for goes in our extension namespace as attributes named in BPMN's camelCase: the writer
writes a field when it differs from its default, the reader reads it back, and pydantic turns
the text into the field's type (so a bad value is an error naming the element).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from lxml import etree

from lastmile_flows.bpmn.names import lm
from lastmile_flows.errors import BpmnError

__all__ = [
    "PROCESS_FIELDS",
    "camel",
    "evidence_attributes",
    "evidence_data",
    "fields_of",
    "read_fields",
    "write_fields",
]

PROCESS_FIELDS = ("description", "version", "currency")
_LISTS = frozenset({"replaces"})
_PAIRS = {"confidence_routing": ("review_share", "error_share")}
"""Fields holding (a, b) points, written ``a:b a:b`` (e.g. ``0.18:0.6 0.5:0.9``)."""


def camel(field: str) -> str:
    """``touch_minutes`` -> ``touchMinutes``."""
    head, *rest = field.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple):
        return " ".join(item if isinstance(item, str) else _pair(item) for item in value)
    return str(value)


def _pair(item: Any) -> str:
    first, second = (getattr(item, name) for name in _PAIRS["confidence_routing"])
    return f"{first!r}:{second!r}"


def _pairs(field: str, text: str) -> list[Any]:
    """``a:b a:b`` as point data; a malformed point is kept as text for pydantic to reject."""
    names = _PAIRS[field]
    found: list[Any] = []
    for part in text.split():
        first, sep, second = part.partition(":")
        found.append(dict(zip(names, (first, second), strict=True)) if sep else part)
    return found


def write_fields(
    element: etree._Element, model: Any, fields: tuple[str, ...], *, always: tuple[str, ...] = ()
) -> None:
    """Set ``lastmile:<field>`` for each field that differs from its default (or is in
    ``always``)."""
    defaults = type(model).model_fields
    for field in fields:
        value = getattr(model, field)
        if field in always or value != defaults[field].get_default(call_default_factory=True):
            if value is None:
                continue
            try:
                element.set(lm(camel(field)), _text(value))
            except ValueError:
                owner = getattr(model, "id", "?")
                raise BpmnError(
                    f"{field} of {owner!r} holds a character XML cannot carry (a control "
                    f"character): {str(value)[:40]!r}",
                    element_id=owner,
                ) from None


def read_fields(element: etree._Element, fields: tuple[str, ...]) -> dict[str, Any]:
    """The ``lastmile:`` attributes of ``element`` as model data (text; pydantic converts)."""
    return fields_of(element.attrib, fields)


def fields_of(
    attributes: Mapping[str, str] | etree._Attrib, fields: tuple[str, ...]
) -> dict[str, Any]:
    """:func:`read_fields` of attributes already read (by Clark name), in ``fields`` order."""
    keys = _attribute_keys(fields)
    if not keys.keys() & attributes.keys():
        return {}
    given = sorted((keys[key], str(value)) for key, value in attributes.items() if key in keys)
    found: dict[str, Any] = {}
    for (_, field), value in given:
        if field in _LISTS:
            found[field] = tuple(value.split())
        elif field in _PAIRS:
            found[field] = _pairs(field, value)
        else:
            found[field] = value
    return found


@functools.lru_cache(maxsize=16)
def _attribute_keys(fields: tuple[str, ...]) -> dict[object, tuple[int, str]]:
    """By ``lastmile:`` attribute name: (position in ``fields``, field), worked out once."""
    return {lm(camel(field)): (index, field) for index, field in enumerate(fields)}


def evidence_attributes(record: Any) -> dict[str, str]:
    """An :class:`~lastmile_flows.model.Evidence` record as the attributes of a
    ``lastmile:evidence`` element, camelCase, every field that is set (none left out)."""
    return {
        camel(name): _text(value)
        for name in type(record).model_fields
        if (value := getattr(record, name)) is not None
    }


def evidence_data(element: etree._Element) -> dict[str, str]:
    """The attributes of a ``lastmile:evidence`` element as model data (pydantic converts)."""
    from lastmile_flows.model import Evidence

    wanted = {camel(name): name for name in Evidence.model_fields}
    return {wanted.get(str(key), str(key)): str(value) for key, value in element.attrib.items()}
