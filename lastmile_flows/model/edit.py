"""Validated copies of a model with a few things changed, for notebooks and scripts.

Models are frozen; these functions return a new, fully validated model (``InvalidModelError``
naming the element when a change breaks it). An element is addressed by its id; an unknown id
is a ``KeyError`` that lists the valid ones. Edge cases that already name a role the redesign
removed keep doing so (that is an audit finding, not a broken model); a change cannot
introduce a new unknown role.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lastmile_flows.model.elements import EdgeCase, Role, Step
from lastmile_flows.model.problems import choices, did_you_mean

if TYPE_CHECKING:
    from lastmile_flows.model.process import Process, Redesign

__all__ = [
    "add_edge_case",
    "add_role",
    "replace_process",
    "replace_redesign",
    "with_edge_case",
    "with_role",
    "with_step",
]


def _fields(model: Any) -> dict[str, Any]:
    """The fields the model was given (defaults stay defaults: some checks ask what was set)."""
    return {name: getattr(model, name) for name in sorted(model.model_fields_set)}


def _known_fields(what: str, model: type[Any], changes: Mapping[str, Any]) -> None:
    allowed = sorted(model.model_fields)
    for name in changes:
        if name not in allowed:
            raise TypeError(
                f"{what} has no field {name!r}{did_you_mean(name, allowed)}; "
                f"valid: {choices(allowed)}"
            )


def _changed(element: Role | Step | EdgeCase, changes: Mapping[str, Any]) -> dict[str, Any]:
    _known_fields(f"{type(element).__name__} {element.id!r}", type(element), changes)
    return {**_fields(element), **changes}


def _missing(what: str, wanted: str, ids: list[str]) -> KeyError:
    return KeyError(f"no {what} {wanted!r}{did_you_mean(wanted, ids)}; valid: {choices(ids)}")


def replace_process(process: Process, **changes: Any) -> Process:
    """``process`` with top-level fields replaced (``roles=``, ``steps=``, ``version=``, ...)."""
    from lastmile_flows.model.process import Process, parse_redesigned

    known = {role.id for role in process.roles}
    former = frozenset(
        case.owner for _, case in process.edge_cases() if case.owner and case.owner not in known
    )
    _known_fields("Process", Process, changes)
    return parse_redesigned({**_fields(process), **changes}, former)


def replace_redesign(redesign: Redesign, **changes: Any) -> Redesign:
    """``redesign`` with fields replaced (``redesigned=``, ``volume_per_month=``, ...)."""
    from lastmile_flows.model.process import Redesign

    _known_fields("Redesign", Redesign, changes)
    return Redesign.parse({**_fields(redesign), **changes})


def _with(process: Process, field: str, what: str, ident: str, changes: Mapping[str, Any]) -> Any:
    items = getattr(process, field)
    ids = [item.id for item in items]
    if ident not in ids:
        raise _missing(what, ident, ids)
    changed = tuple(_changed(item, changes) if item.id == ident else item for item in items)
    return replace_process(process, **{field: changed})


def with_role(process: Process, role_id: str, **changes: Any) -> Process:
    """``process`` with role ``role_id`` changed, e.g. ``headcount=2``."""
    result: Process = _with(process, "roles", "role", role_id, changes)
    return result


def add_role(process: Process, role: Role | Mapping[str, Any]) -> Process:
    """``process`` with one more role (after the others)."""
    return replace_process(process, roles=(*process.roles, role))


def with_step(process: Process, step_id: str, **changes: Any) -> Process:
    """``process`` with step ``step_id`` changed, e.g. ``touch_minutes=4``."""
    result: Process = _with(process, "steps", "step", step_id, changes)
    return result


def with_edge_case(process: Process, case_id: str, **changes: Any) -> Process:
    """``process`` with edge case ``case_id`` (on whichever step) changed, e.g.
    ``owner="csr"``."""
    ids = [case.id for _, case in process.edge_cases()]
    if case_id not in ids:
        raise _missing("edge case", case_id, ids)
    steps = tuple(
        {
            **_fields(step),
            "edge_cases": tuple(
                _changed(case, changes) if case.id == case_id else case for case in step.edge_cases
            ),
        }
        for step in process.steps
    )
    return replace_process(process, steps=steps)


def add_edge_case(process: Process, step_id: str, case: EdgeCase | Mapping[str, Any]) -> Process:
    """``process`` with one more edge case on step ``step_id``."""
    step = process.step(step_id)
    return with_step(process, step_id, edge_cases=(*step.edge_cases, case))
