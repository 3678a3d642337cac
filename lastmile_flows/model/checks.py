"""Semantic rules of a process and a redesign, beyond what field types can say.

Every rule adds to one list (a :class:`~lastmile_flows.model.collector.Collector`), so a user
sees all problems at once. Each problem names the rule, the element id, where it is (``loc``)
and what would be valid. The rules of a step live in :mod:`~lastmile_flows.model.steprules`,
those of the flow in :mod:`~lastmile_flows.model.flowrules`; this module holds the ids, the
evidence and the rules that need both versions of a redesign.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lastmile_flows.model.collector import Collector
from lastmile_flows.model.flowrules import check_flows
from lastmile_flows.model.problems import Loc, Problem
from lastmile_flows.model.steprules import FormerRoles, StepFacts, check_role, check_step

if TYPE_CHECKING:
    from lastmile_flows.model.process import Process, Redesign

__all__ = ["check_process", "check_redesign", "former_roles"]


def check_process(process: Process, *, former_roles: FormerRoles = frozenset()) -> list[Problem]:
    """Every problem in one process, errors and warnings, in model order.

    ``former_roles`` are roles of the current process that a redesign removed: an edge case of
    the redesign may still name one as its owner (the audit reports that; it is not invalid).
    ``"any"`` accepts every owner, for when the current process could not be read.
    """
    report = Collector(process)
    roles = {role.id: role for role in process.roles}
    _check_ids(process, report)
    if not process.steps:
        report.add("no-steps", "a process needs at least one step", element_id=process.id, loc=())
    for index, role in enumerate(process.roles):
        check_role(role, ("roles", index), report)
    facts = StepFacts(process, former_roles)
    for index, step in enumerate(process.steps):
        check_step(process, step, ("steps", index), roles, facts, report)
    check_flows(process, report)
    _check_evidence(process, report)
    return report.problems


def _check_evidence(process: Process, report: Collector) -> None:
    """Evidence that names no element or field of the model (left over after an edit) is a
    warning: the figure it measured is gone, so the record vouches for nothing."""
    from lastmile_flows.model.evidence import model_value

    seen: set[tuple[str, str, str | None]] = set()
    for index, record in enumerate(process.evidence):
        loc: Loc = ("evidence", index)
        if record.key in seen:
            report.add(
                "evidence-duplicate",
                f"a second record for {record.field} of {record.element!r}; keep one",
                element_id=record.element,
                loc=loc,
            )
        seen.add(record.key)
        if model_value(process, record.element, record.field, record.target) is None:
            target = f" (branch to {record.target!r})" if record.target else ""
            report.add(
                "evidence-stale",
                f"evidence for {record.field}{target} of {record.element!r}, which the model "
                "does not have (left over from an edit?); remove it or measure again",
                element_id=record.element,
                loc=loc,
            )


def _check_ids(process: Process, report: Collector) -> None:
    first: dict[str, Loc] = {}
    for index, role in enumerate(process.roles):
        loc: Loc = ("roles", index, "id")
        if role.id in first:
            report.add(
                "duplicate-id",
                f"duplicate role id {role.id!r} at {_where(loc, process)}: "
                f"already used at {_where(first[role.id], process)}",
                element_id=role.id,
                loc=loc,
            )
        first.setdefault(role.id, loc)
    first.clear()
    located: list[tuple[str, Loc]] = []
    located += [(event.id, ("events", index, "id")) for index, event in enumerate(process.events)]
    for index, step in enumerate(process.steps):
        located.append((step.id, ("steps", index, "id")))
        located += [
            (case.id, ("steps", index, "edge_cases", number, "id"))
            for number, case in enumerate(step.edge_cases)
        ]
    located += [(gw.id, ("gateways", index, "id")) for index, gw in enumerate(process.gateways)]
    if not process.events:
        located = [("start", ()), ("end", ()), *located]
    for element_id, loc in located:
        if element_id in first:
            earlier = _where(first[element_id], process) or "the default start/end event"
            report.add(
                "duplicate-id",
                f"duplicate id {element_id!r} at {_where(loc, process)}: already used at {earlier} "
                "(steps, gateways, events and edge cases share one set of ids)",
                element_id=element_id,
                loc=loc,
            )
        first.setdefault(element_id, loc)


def _where(loc: Loc, process: Process) -> str:
    """``steps[0].id``: by position, since the id itself is what is ambiguous."""
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in loc).lstrip(".")


def former_roles(current: Process, redesigned: Process) -> frozenset[str]:
    """Roles of the current process that the redesigned one no longer has."""
    return frozenset(r.id for r in current.roles) - {r.id for r in redesigned.roles}


def check_redesign(redesign: Redesign) -> list[Problem]:
    """Problems that need both versions: ``replaces`` must name current-state elements."""
    report = Collector(redesign)
    current_steps = {step.id for step in redesign.current.steps}
    current_cases = {case.id for step in redesign.current.steps for case in step.edge_cases}
    for index, step in enumerate(redesign.redesigned.steps):
        loc: Loc = ("redesigned", "steps", index)
        for number, replaced in enumerate(step.replaces):
            report.reference(
                replaced,
                current_steps,
                rule="unknown-current-step",
                what="current step",
                element_id=step.id,
                loc=(*loc, "replaces", number),
            )
        for case_index, case in enumerate(step.edge_cases):
            for number, replaced in enumerate(case.replaces):
                report.reference(
                    replaced,
                    current_cases,
                    rule="unknown-current-edge-case",
                    what="current edge case",
                    element_id=case.id,
                    loc=(*loc, "edge_cases", case_index, "replaces", number),
                )
    before, after = redesign.current.currency, redesign.redesigned.currency
    if before and after and before != after:
        report.add(
            "currency-mismatch",
            f"the current process states its costs in {before} and the redesigned one in "
            f"{after}; state one currency for both (costs are never converted)",
            element_id=redesign.redesigned.id,
            loc=("redesigned", "currency"),
        )
    still_there = {case.id: step.id for step, case in redesign.redesigned.edge_cases()}
    for index, retired in enumerate(redesign.redesigned.retired_edge_cases):
        loc = ("redesigned", "retired_edge_cases", index, "id")
        report.reference(
            retired.id,
            current_cases,
            rule="unknown-current-edge-case",
            what="current edge case",
            element_id=retired.id,
            loc=loc,
        )
        if retired.id in still_there:
            report.add(
                "retired-edge-case-still-listed",
                f"edge case {retired.id!r} is retired but still listed at step "
                f"{still_there[retired.id]!r}; keep one of the two",
                element_id=retired.id,
                loc=loc,
            )
    return report.problems
