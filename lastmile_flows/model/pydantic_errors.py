"""Pydantic's validation errors, turned into problems that name the element and the choices."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel, ValidationError

from lastmile_flows.errors import InvalidModelError
from lastmile_flows.model.problems import (
    Loc,
    Problem,
    choices,
    describe_loc,
    did_you_mean,
    element_id_at,
)
from lastmile_flows.model.rulebook import field_rule

__all__ = ["problems_from_validation_error"]


def problems_from_validation_error(
    error: ValidationError, model: type[BaseModel], data: Any
) -> list[Problem]:
    """One problem per pydantic error; rule problems raised by nested models are expanded."""
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        loc: Loc = tuple(item["loc"])
        nested = (item.get("ctx") or {}).get("error")
        if isinstance(nested, InvalidModelError):
            problems += [problem.located(loc, data) for problem in nested.problems]
            continue
        message = _message(item, model, loc)
        element = element_id_at(loc, data)
        problems.append(
            Problem(_rule(item["type"]), message, element, loc, describe_loc(loc, data))
        )
    return problems


def _rule(kind: str) -> str:
    """The registered field-level rule of a pydantic error type (never a name made from it)."""
    return field_rule(kind).name


def _message(item: Any, model: type[BaseModel], loc: Loc) -> str:
    kind = item["type"]
    field = loc[-1] if loc else ""
    if kind == "extra_forbidden" and isinstance(field, str):
        owner = _model_at(model, loc[:-1])
        valid = list(owner.model_fields) if owner else []
        return (
            f"unknown field {field!r}{did_you_mean(field, valid)}; valid fields: {choices(valid)}"
        )
    if kind == "missing":
        return f"missing required field {field!r}"
    if kind == "literal_error":
        valid = [str(option) for option in _literal_choices(model, loc)]
        value = str(item.get("input"))
        return f"invalid value {value!r}{did_you_mean(value, valid)}; valid: {choices(valid)}"
    if kind == "value_error":
        return str((item.get("ctx") or {}).get("error", item["msg"]))
    value = item.get("input")
    shown = "" if isinstance(value, (dict, list)) else f" (got {value!r})"
    return f"{item['msg']}{shown}"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for key in loc:
        if current is None:
            return None
        if isinstance(key, int):
            continue
        field = current.model_fields.get(key)
        found = _models_in(field.annotation) if field else []
        current = found[0] if found else None
    return current


def _literal_choices(model: type[BaseModel], loc: Loc) -> list[Any]:
    owner = _model_at(model, loc[:-1])
    if owner is None or not isinstance(loc[-1], str) or loc[-1] not in owner.model_fields:
        return []
    return _literals(owner.model_fields[loc[-1]].annotation)


def _literals(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return list(typing.get_args(annotation))
    if origin in (Union, types.UnionType):
        return [value for arg in typing.get_args(annotation) for value in _literals(arg)]
    return []
