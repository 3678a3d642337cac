"""Which column of a log is the case, the activity, the times, the resource.

Standard XES names are recognised first (``case:concept:name``, ``concept:name``,
``time:timestamp``, ``org:resource``, ``org:group``, ``lifecycle:transition``), then common
export names (``case_id``, ``activity``, ``start_time``, ``end_time``, ``Resource``, ...),
compared without case, spaces or punctuation. A column given by the user always wins; a
column that must be there (case, activity, a time) and cannot be told is a :class:`LogError`
that lists the columns and names the option to set.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lastmile_flows.errors import LogError
from lastmile_flows.model.problems import choices, did_you_mean

__all__ = ["CANDIDATES", "Columns", "detect_columns", "normalised"]

CANDIDATES: dict[str, tuple[str, ...]] = {
    "case": (
        "case:concept:name",
        "case_id",
        "caseid",
        "case",
        "case_concept_name",
        "trace_id",
        "traceid",
        "case_number",
    ),
    "activity": (
        "concept:name",
        "activity",
        "activity_name",
        "activityname",
        "task",
        "task_name",
        "event",
        "event_name",
    ),
    "end": (
        "time:timestamp",
        "end_time",
        "endtime",
        "end_timestamp",
        "complete_timestamp",
        "completetimestamp",
        "complete_time",
        "timestamp",
        "time",
        "end",
    ),
    "start": ("start_time", "starttime", "start_timestamp", "starttimestamp", "start"),
    "resource": ("org:resource", "resource", "user", "performer", "agent", "employee"),
    "role": ("org:role", "org:group", "role", "group", "team"),
    "lifecycle": ("lifecycle:transition", "lifecycle", "transition", "event_type"),
}
"""Names tried for each column, best first (compared by :func:`normalised`)."""

OPTIONS = {
    "case": "case",
    "activity": "activity",
    "end": "end",
    "start": "start",
    "resource": "resource",
    "role": "role",
    "lifecycle": "lifecycle",
}
REQUIRED = ("case", "activity", "end")
WHAT = {
    "case": "the case id",
    "activity": "the activity",
    "end": "the (completion) timestamp",
}


def normalised(name: str) -> str:
    """``Case ID`` -> ``caseid``; ``case:concept:name`` -> ``caseconceptname``."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class Columns:
    """The source columns used for each part of an event (``None``: the log has none)."""

    case: str
    activity: str
    end: str
    start: str | None = None
    resource: str | None = None
    role: str | None = None
    lifecycle: str | None = None
    attributes: tuple[str, ...] = ()
    """Case attributes: ``case:*`` columns other than the case id."""


def detect_columns(
    available: Sequence[str], given: Mapping[str, str | None], *, path: str | None = None
) -> Columns:
    """The columns of a log, from what the user ``given`` and the standard names."""
    names = list(available)
    by_norm: dict[str, str] = {}
    for name in names:
        by_norm.setdefault(normalised(name), name)
    chosen: dict[str, str | None] = {}
    for part, candidates in CANDIDATES.items():
        wanted = given.get(part)
        if wanted is not None:
            if wanted not in names:
                raise LogError(
                    f"no column {wanted!r} for {part} (--{OPTIONS[part]})"
                    f"{did_you_mean(wanted, names)}; columns: {choices(names)}",
                    path=path,
                )
            chosen[part] = wanted
            continue
        chosen[part] = next(
            (by_norm[normalised(c)] for c in candidates if normalised(c) in by_norm), None
        )
    # a column picked for one part is not picked again for a later one (``time`` as end and
    # start, ``case`` as case and role)
    used: set[str] = set()
    for part in CANDIDATES:
        column = chosen[part]
        if column is not None and column in used and given.get(part) is None:
            chosen[part] = None
        elif column is not None:
            used.add(column)
    missing = [part for part in REQUIRED if chosen[part] is None]
    if missing:
        part = missing[0]
        raise LogError(
            f"cannot tell which column holds {WHAT[part]}; columns: {choices(names)}; "
            f"name it with {part}=... (command line: --{OPTIONS[part]} COLUMN)",
            path=path,
        )
    case_column = chosen["case"]
    attributes = tuple(
        sorted(
            name
            for name in names
            if name.startswith("case:") and name != case_column and name not in used
        )
    )
    return Columns(
        case=str(chosen["case"]),
        activity=str(chosen["activity"]),
        end=str(chosen["end"]),
        start=chosen["start"],
        resource=chosen["resource"],
        role=chosen["role"],
        lifecycle=chosen["lifecycle"],
        attributes=attributes,
    )
