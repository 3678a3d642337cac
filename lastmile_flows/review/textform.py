"""A model as lines of text, one element per line, for ``git diff`` (a textconv driver).

Each line starts with what it is and the element's id, so a changed line says which step,
role or edge case changed, whatever the file format (YAML, JSON, Python, BPMN). Every field is
shown (:data:`SHOWN` lists them, and a test keeps it complete); those at their default are left
out, except kinds, which are always named. Numbers are rounded as the reports round them. A
redesign file that names its processes by file (``current: current.yaml``) shows those names,
not their content: the other files show their own changes, and the text does not depend on
where the file is read (git hands a textconv driver a temporary copy).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from lastmile_flows.escape import plain_text
from lastmile_flows.files import DATA_SUFFIXES, PROCESS_FIELDS, file_kind, load, read_data
from lastmile_flows.model import EdgeCase, Evidence, Gateway, Process, Redesign, Role, Step
from lastmile_flows.model.elements import (
    EDGE_CASE_VALUE_FIELDS,
    ROLE_VALUE_FIELDS,
    STEP_VALUE_FIELDS,
)
from lastmile_flows.model.process import (
    DEFAULT_HOURS_PER_FTE_MONTH,
    DEFAULT_HOURS_PER_WORKING_DAY,
    parse_redesigned,
)

__all__ = ["SHOWN", "process_lines", "redesign_lines", "text_form", "textconv"]

SHOWN: dict[str, tuple[str, ...]] = {
    "Process": (
        "id",
        "name",
        "description",
        "version",
        "currency",
        "roles",
        "steps",
        "gateways",
        "events",
        "flows",
        "messages",
        "retired_edge_cases",
        "lane_order",
        "notes",
        "evidence",
    ),
    "Redesign": (
        "id",
        "name",
        "description",
        "current",
        "redesigned",
        "volume_per_month",
        "hours_per_fte_month",
        "hours_per_working_day",
        "max_escaped_errors_per_month",
    ),
    "Role": ("id", "name", *ROLE_VALUE_FIELDS, "notes"),
    "Step": ("id", "name", "role", *STEP_VALUE_FIELDS, "edge_cases", "next", "notes"),
    "EdgeCase": ("id", "name", *EDGE_CASE_VALUE_FIELDS, "notes"),
    "Gateway": ("id", "name", "kind", "branches", "notes"),
    "Branch": ("to", "probability", "label"),
    "Event": ("id", "name", "kind", "trigger", "next"),
    "Flow": ("source", "target", "probability", "label"),
    "Message": ("source", "target", "name"),
    "RetiredEdgeCase": ("id", "reason"),
    "RoutingPoint": ("review_share", "error_share"),
    "Evidence": (
        "element",
        "field",
        "target",
        "value",
        "source",
        "cases",
        "observations",
        "median",
        "mean",
        "p90",
        "low",
        "high",
        "method",
    ),
}
"""The fields of each model class that the text form shows (a test checks it names them all,
so a field added to the model cannot silently vanish from ``git diff``)."""


def _quoted(text: str) -> str:
    return '"' + plain_text(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _notes(text: str) -> str | None:
    return _quoted(text) if text else None


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _parts(*pairs: tuple[str, Any]) -> str:
    """``key value`` pairs separated by commas, leaving out empty values."""
    shown = []
    for key, value in pairs:
        if value is None or value == "" or value == () or value is False:
            continue
        if value is True:
            shown.append(key)
        elif isinstance(value, float | int):
            shown.append(f"{key} {_number(value)}")
        elif isinstance(value, tuple):
            shown.append(f"{key} {', '.join(value)}")
        else:
            shown.append(f"{key} {value}")
    return ", ".join(shown)


def _share(value: float | None) -> str | None:
    return None if value is None else f"{value:.2%}"


def _routing(step: Step) -> str | None:
    """``18% -> 60% of errors | 50% -> 90% of errors``, or none."""
    points = [
        f"{point.review_share:.2%} -> {point.error_share:.2%} of errors"
        for point in step.confidence_routing
    ]
    return " | ".join(points) or None


def _line(kind: str, ident: str, name: str, details: str) -> str:
    head = f"{kind} {ident}"
    if name:
        head += f" {_quoted(name)}"
    return f"{head}: {details}" if details else head


def _edge_case(step: Step, case: EdgeCase) -> str:
    details = _parts(
        ("rate", f"{case.rate:.2%}"),
        ("owner", case.owner or "NOBODY"),
        ("handling min", case.handling_minutes or None),
        ("recovery step", case.recovery_step),
        ("tribal knowledge", case.tribal),
        ("AI failure", case.ai_failure),
        ("error share", _share(case.error_share)),
        ("trigger", case.trigger),
        ("replaces", case.replaces),
        ("recovery", _quoted(case.recovery) if case.recovery else None),
        ("notes", _notes(case.notes)),
    )
    return "  " + _line("edge case", f"{step.id}/{case.id}", case.name, details)


def process_lines(process: Process) -> list[str]:
    """The lines of one process: header, roles, steps (each followed by its edge cases),
    gateways, events, flows, messages, retired edge cases."""
    lines = [
        _line(
            "process",
            process.id,
            process.name,
            _parts(
                ("version", process.version),
                ("currency", process.currency or None),
                ("lane_order", None if process.lane_order == "fewest_crossings" else "as written"),
            ),
        )
    ]
    if process.description:
        lines.append(f"description {_quoted(process.description)}")
    if process.notes:
        lines.append(f"notes {_quoted(process.notes)}")
    lines += [_role(role) for role in process.roles]
    for step in process.steps:
        lines.append(_step(step))
        lines += [_edge_case(step, case) for case in step.edge_cases]
    lines += [_gateway(gateway) for gateway in process.gateways]
    for event in process.events:
        details = _parts(("kind", event.kind), ("trigger", event.trigger), ("next", event.next))
        lines.append(_line("event", event.id, event.name, details))
    lines += _links("flow", process.flows)
    lines += _links("message", process.messages)
    for retired in process.retired_edge_cases:
        lines.append(f"retired edge case {retired.id}: {_quoted(retired.reason)}")
    lines += [_evidence(record) for record in process.evidence]
    return lines


def _role(role: Role) -> str:
    details = _parts(
        ("kind", role.kind),
        ("cost/h", role.cost_per_hour),
        ("headcount", role.headcount),
        ("notes", _notes(role.notes)),
    )
    return _line("role", role.id, role.name, details)


def _step(step: Step) -> str:
    details = _parts(
        ("kind", step.kind),
        ("by", step.role),
        ("touch min", step.touch_minutes or None),
        ("wait min", step.wait_minutes or None),
        ("wait on", "calendar" if step.wait_calendar else None),
        ("AI", step.ai_mode),
        ("accountable", step.accountable),
        ("reviews", step.reviews),
        ("review rate", f"{step.review_rate:.0%}" if step.reviews else None),
        ("error rate", _share(step.error_rate)),
        ("accuracy", _share(step.accuracy)),
        ("confidence routing", _routing(step)),
        ("catch rate", _share(step.catch_rate)),
        ("next", step.next),
        ("replaces", step.replaces),
        ("run cost", step.run_cost_per_execution),
        ("run cost/month", step.run_cost_per_month),
        ("notes", _notes(step.notes)),
    )
    return _line("step", step.id, step.name, details)


def _gateway(gateway: Gateway) -> str:
    """``gateway id "name": exclusive -> a 60% "yes" | b 40%``, and its notes."""
    branches = " | ".join(
        branch.to
        + (f" {branch.probability:.0%}" if branch.probability is not None else "")
        + (f" {_quoted(branch.label)}" if branch.label else "")
        for branch in gateway.branches
    )
    details = f"{gateway.kind} -> {branches}"
    if gateway.notes:
        details += f", notes {_notes(gateway.notes)}"
    return _line("gateway", gateway.id, gateway.name, details)


def _evidence(record: Evidence) -> str:
    """``evidence check.touch_minutes: 4.2 from log.csv, n 1434 cases, ...``: one line per
    measured figure, so a recalibration shows in ``git diff`` figure by figure."""
    what = record.element + (f"->{record.target}" if record.target else "")
    interval = None
    if record.low is not None and record.high is not None:
        interval = f"{_number(record.low)}..{_number(record.high)}"
    details = _parts(
        ("from", _quoted(record.source)),
        ("cases", record.cases),
        ("observations", record.observations or None),
        ("median", record.median),
        ("mean", record.mean),
        ("P90", record.p90),
        ("95% CI", interval),
        ("low", record.low if interval is None else None),
        ("high", record.high if interval is None else None),
        ("method", _quoted(record.method) if record.method else None),
    )
    return f"evidence {what}.{record.field}: {_number(record.value)}, {details}"


def _links(kind: str, links: Iterable[Any]) -> list[str]:
    found = []
    for link in links:
        extra = _parts(
            ("probability", getattr(link, "probability", None)),
            ("label", _quoted(link.label) if getattr(link, "label", "") else None),
            ("name", _quoted(link.name) if getattr(link, "name", "") else None),
        )
        found.append(f"{kind} {link.source} -> {link.target}" + (f": {extra}" if extra else ""))
    return found


def redesign_lines(
    header: Mapping[str, Any], current: list[str], redesigned: list[str]
) -> list[str]:
    """A redesign's own fields, then each process's lines under its heading."""
    details = _parts(
        ("volume/month", header.get("volume_per_month")),
        ("hours/FTE-month", header.get("hours_per_fte_month", DEFAULT_HOURS_PER_FTE_MONTH)),
        ("hours/working day", _unless_default(header.get("hours_per_working_day"))),
        ("max escaped errors/month", header.get("max_escaped_errors_per_month")),
    )
    lines = [_line("redesign", str(header.get("id", "")), str(header.get("name") or ""), details)]
    if header.get("description"):
        lines.append(f"description {_quoted(str(header['description']))}")
    lines += ["", "== current", *current, "", "== redesigned", *redesigned]
    return lines


def _unless_default(hours: Any) -> Any:
    """The working day, left out at its default (so files that do not give it read as before)."""
    return None if hours == DEFAULT_HOURS_PER_WORKING_DAY else hours


def text_form(model: Process | Redesign) -> str:
    """The whole model as text, ending in a newline."""
    if isinstance(model, Process):
        return "\n".join(process_lines(model)) + "\n"
    header = {
        "id": model.id,
        "name": model.name,
        "description": model.description,
        "volume_per_month": model.volume_per_month,
        "hours_per_fte_month": model.hours_per_fte_month,
        "hours_per_working_day": model.hours_per_working_day,
        "max_escaped_errors_per_month": model.max_escaped_errors_per_month,
    }
    lines = redesign_lines(header, process_lines(model.current), process_lines(model.redesigned))
    return "\n".join(lines) + "\n"


AS_WRITTEN = "# lastmile textconv: not a model it can read; shown as written"
PYTHON_SOURCE = (
    "# lastmile textconv: a Python model is code, shown as its source; textconv never runs it"
)


def textconv(path: str | os.PathLike[str]) -> str:
    """The text form of a model file, for git's textconv: never runs code (a Python model is
    shown as its source, under a note saying so), never fails on a bad file (a file it cannot
    read as a model is shown as written, under a note), never follows a redesign's references
    to other files, prints no warnings."""
    file = Path(path)
    kind = file_kind(file)
    if kind not in ("data", "bpmn"):
        return _as_written(file, PYTHON_SOURCE if kind == "python" else AS_WRITTEN)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _text_of(file)
        except Exception:  # git needs text whatever the file holds: show it as written
            return _as_written(file, AS_WRITTEN)


def _text_of(file: Path) -> str:
    if file.suffix not in DATA_SUFFIXES:
        return text_form(load(file))
    data, _ = read_data(file)
    if not isinstance(data, Mapping) or not any(key in data for key in PROCESS_FIELDS):
        # a process on its own may name roles its redesign removed: read it as a redesign does
        return text_form(parse_redesigned(data, "any"))
    if not any(isinstance(data.get(key), str) for key in PROCESS_FIELDS):
        return text_form(Redesign.parse(data))  # both processes inline: the data read above
    parts = [
        [f"(the {key} process is in {data[key]})"]
        if isinstance(data.get(key), str)
        else process_lines(parse_redesigned(data.get(key), "any"))
        for key in PROCESS_FIELDS
    ]
    return "\n".join(redesign_lines(data, parts[0], parts[1])) + "\n"


def _as_written(file: Path, note: str) -> str:
    try:
        text = file.read_bytes().decode("utf-8", errors="replace")
    except OSError as error:
        text = f"(cannot read: {error.strerror})\n"
    return f"{note}\n{text}" + ("" if text.endswith("\n") else "\n")
