"""Which log activity is which model step or edge case, and which resource plays which role.

By default an activity is a step (or an edge case) when its name, compared without case,
spaces or punctuation, is the element's id or name. A mapping file says the rest::

    activities:
      T02 Check confirmation of receipt: check_receipt   # a step or an edge case id
      Send reminder: null                                # known, not part of the model
    resources:
      Resource21: clerk                                  # a role id

An activity that maps to nothing is *undocumented*: conformance reports it as a workaround.
A mapping that names an element the model lacks is an error naming the valid ids (with a
"did you mean"); a mapped activity the log lacks is a note, with the log's closest activity.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lastmile_flows.errors import LogError
from lastmile_flows.evidence.columns import normalised
from lastmile_flows.model import Process
from lastmile_flows.model.problems import choices, did_you_mean

__all__ = ["ActivityMap", "map_activities", "read_mapping"]


@dataclass(frozen=True)
class ActivityMap:
    """Activities to step or edge-case ids (``None``: known, left out), resources to roles."""

    activities: dict[str, str | None]
    resources: dict[str, str]
    """Resources to role ids, as the mapping file gives them."""
    groups: dict[str, str]
    """The log's role or group values whose name is a role's id or name."""
    undocumented: tuple[str, ...]
    """Log activities that are neither mapped nor left out on purpose, sorted."""
    notes: tuple[str, ...]

    def steps(self, process: Process) -> dict[str, str]:
        """Activity -> step id, for the activities mapped to steps."""
        ids = {step.id for step in process.steps}
        return {a: e for a, e in self.activities.items() if e in ids}

    def edge_cases(self, process: Process) -> dict[str, str]:
        """Activity -> edge case id, for the activities mapped to edge cases."""
        ids = {case.id for _, case in process.edge_cases()}
        return {a: e for a, e in self.activities.items() if e in ids}


def read_mapping(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A mapping file's data: ``activities`` and ``resources`` (``LogError`` if unreadable)."""
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise LogError(f"cannot read: {error.strerror}", path=str(file)) from None
    except yaml.YAMLError as error:
        raise LogError(f"invalid YAML: {error}", path=str(file)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LogError("expected a mapping with 'activities' and 'resources'", path=str(file))
    unknown = sorted(set(data) - {"activities", "resources"})
    if unknown:
        raise LogError(
            f"unknown key {unknown[0]!r}{did_you_mean(unknown[0], ['activities', 'resources'])}"
            "; valid: 'activities', 'resources'",
            path=str(file),
        )
    for key in ("activities", "resources"):
        if not isinstance(data.get(key, {}) or {}, dict):
            raise LogError(f"{key} must map names to ids", path=str(file))
    return {key: {str(k): v for k, v in (data.get(key) or {}).items()} for key in data}


def _names(process: Process) -> dict[str, str]:
    """normalised name or id -> element id, for steps then edge cases (first wins)."""
    found: dict[str, str] = {}
    for step in process.steps:
        found.setdefault(normalised(step.id), step.id)
        if step.name:
            found.setdefault(normalised(step.name), step.id)
    for _, case in process.edge_cases():
        found.setdefault(normalised(case.id), case.id)
        if case.name:
            found.setdefault(normalised(case.name), case.id)
    return found


def map_activities(
    process: Process,
    activities: Iterable[str],
    *,
    given: Mapping[str, Any] | None = None,
    log_roles: Iterable[str] = (),
) -> ActivityMap:
    """Map the log's ``activities`` onto ``process``: ``given`` first (a mapping file's data),
    then by name. ``log_roles`` (the log's role or group values) map to roles by name too."""
    given = given or {}
    names = list(activities)
    elements = [s.id for s in process.steps] + [c.id for _, c in process.edge_cases()]
    explicit: dict[str, Any] = dict(given.get("activities") or {})
    notes: list[str] = []
    for activity, target in sorted(explicit.items()):
        if target is not None and target not in elements:
            raise LogError(
                f"activity {activity!r} maps to {target!r}, which is no step or edge case"
                f"{did_you_mean(str(target), elements)}; valid: {choices(elements)}"
            )
        if activity not in names:
            notes.append(
                f"the mapping names activity {activity!r}, which the log does not have"
                f"{did_you_mean(activity, names)}"
            )
    by_name = _names(process)
    mapped: dict[str, str | None] = {}
    for activity in sorted(names):
        if activity in explicit:
            mapped[activity] = explicit[activity]
        elif normalised(activity) in by_name:
            mapped[activity] = by_name[normalised(activity)]
    undocumented = tuple(sorted(a for a in names if a not in mapped))
    for activity in undocumented:
        hint = did_you_mean(activity, [s.label for s in process.steps])
        if hint:
            notes.append(f"activity {activity!r} maps to no step{hint}; map it in --map")
    resources = _resources(process, given.get("resources") or {})
    by_name = {normalised(r.id): r.id for r in process.roles}
    by_name |= {normalised(r.name): r.id for r in process.roles if r.name}
    groups = {g: by_name[normalised(g)] for g in sorted(log_roles) if normalised(g) in by_name}
    return ActivityMap(mapped, resources, groups, undocumented, tuple(notes))


def _resources(process: Process, explicit: Mapping[str, Any]) -> dict[str, str]:
    roles = [role.id for role in process.roles]
    found: dict[str, str] = {}
    for resource, role in sorted(explicit.items()):
        if role not in roles:
            raise LogError(
                f"resource {resource!r} maps to {role!r}, which is no role"
                f"{did_you_mean(str(role), roles)}; valid: {choices(roles)}"
            )
        found[resource] = str(role)
    return found
