"""The tables of the committee report after its diagrams: step by step, hand-offs, workload by
role, and the assumptions behind every number. Roles appear by name (a committee reads names)."""

from __future__ import annotations

from lxml import etree

from lastmile_flows.analysis.comparison import Comparison
from lastmile_flows.analysis.headlines import CHANGE_WORDS
from lastmile_flows.analysis.metrics import RoleLoad
from lastmile_flows.model import Process, Redesign
from lastmile_flows.numbers import percent, plain
from lastmile_flows.report.html import Cell, add, table

__all__ = ["ARROW", "DASH", "assumptions_section", "role_names", "step_section", "workload_section"]

ARROW = " \u2192 "
DASH = "\u2014"


def role_names(redesign: Redesign) -> dict[str, str]:
    """Role names by id, from both versions (a committee reads names, not ids)."""
    roles = (*redesign.current.roles, *redesign.redesigned.roles)
    return {role.id: role.name or role.id for role in roles}


def _step_rows(comparison: Comparison, names: dict[str, str]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for change in comparison.steps:
        kind = CHANGE_WORDS[change.change]
        if change.also:
            kind += " (" + ", ".join(CHANGE_WORDS[a] for a in change.also) + ")"
        if change.ai_mode:
            kind += f", AI {change.ai_mode}s"
        roles = ARROW.join(
            ", ".join(names.get(r, r) for r in side) or DASH
            for side in (change.roles_before, change.roles_after)
        )
        rows.append(
            [
                kind,
                "; ".join(change.current_names) or DASH,
                "; ".join(change.redesigned_names) or DASH,
                f"{plain(change.human_minutes_before)}{ARROW}{plain(change.human_minutes_after)}",
                roles,
            ]
        )
    return rows


def step_section(body: etree._Element, comparison: Comparison, names: dict[str, str]) -> None:
    section = add(body, "section", cls="page")
    add(section, "h2", "Step by step")
    table(
        section,
        ["change", "current", "redesigned", "human min/case", "roles"],
        _step_rows(comparison, names),
        numeric=(3,),
    )
    add(section, "h3", "Hand-offs between roles")
    changes = comparison.handoffs
    rows: list[list[Cell]] = [
        [
            title,
            f"{names.get(h.from_role, h.from_role)}{ARROW}{names.get(h.to_role, h.to_role)}",
            f"{h.from_step}{ARROW}{h.to_step}",
        ]
        for title, items in (("new", changes.added), ("gone", changes.removed))
        for h in items
    ]
    if rows:
        table(section, ["", "roles", "steps"], rows)
    add(section, "p", f"Role pairs that hand off in both versions: {changes.kept}.", cls="note")


def _load_cells(load: RoleLoad | None) -> tuple[str, str, str, str]:
    """Headcount, minutes per case, FTE needed, and load on the headcount of one role."""
    if load is None:
        return (DASH, DASH, DASH, DASH)
    heads = plain(load.headcount) if load.headcount is not None else DASH
    fte = plain(load.fte_needed) if load.fte_needed is not None else DASH
    if load.utilisation is not None:
        used = percent(load.utilisation)
    elif load.headcount == 0 and load.minutes_per_case > 0:
        used = "NO ONE to do it"
    else:
        used = DASH
    return (heads, plain(load.minutes_per_case), fte, used)


def workload_section(body: etree._Element, comparison: Comparison, names: dict[str, str]) -> None:
    metrics = comparison.metrics
    before = {load.role: load for load in metrics.current.roles}
    after = {load.role: load for load in metrics.redesigned.roles}
    add(body, "h2", "Workload by role")
    rows: list[list[Cell]] = []
    for role in dict.fromkeys([*before, *after]):
        pairs = zip(_load_cells(before.get(role)), _load_cells(after.get(role)), strict=True)
        cells: list[Cell] = [names.get(role, role)]
        for old, new in pairs:
            text = f"{old}{ARROW}{new}"
            cells.append(add(None, "strong", text, cls="alert") if "NO ONE" in new else text)
        rows.append(cells)
    table(
        body,
        ["role (human)", "headcount", "minutes per case", "FTE needed", "load on its headcount"],
        rows,
        numeric=(1, 2, 3, 4),
    )


def _role_rows(redesign: Redesign) -> list[list[Cell]]:
    before = {role.id: role for role in redesign.current.roles}
    after = {role.id: role for role in redesign.redesigned.roles}
    rows: list[list[Cell]] = []
    for ident in dict.fromkeys([*before, *after]):
        sides = (before.get(ident), after.get(ident))
        shown = sides[1] or sides[0]
        assert shown is not None
        costs = [
            plain(r.cost_per_hour, 2) if r is not None and r.cost_per_hour is not None else DASH
            for r in sides
        ]
        heads = [
            plain(r.headcount) if r is not None and r.headcount is not None else DASH for r in sides
        ]
        rows.append([shown.name or ident, shown.kind, ARROW.join(costs), ARROW.join(heads)])
    return rows


def _running_rows(redesign: Redesign) -> list[list[Cell]]:
    return [
        [
            title,
            step.label,
            plain(step.run_cost_per_execution, 2)
            if step.run_cost_per_execution is not None
            else DASH,
            plain(step.run_cost_per_month, 0) if step.run_cost_per_month is not None else DASH,
        ]
        for title, process in (("current", redesign.current), ("redesigned", redesign.redesigned))
        for step in process.steps
        if step.run_cost_per_execution is not None or step.run_cost_per_month is not None
    ]


def _case_rows(process: Process, names: dict[str, str]) -> list[list[Cell]]:
    return [
        [
            step.label,
            case.name or case.id,
            percent(case.rate) if case.rate >= 0.01 else f"{case.rate:.2%}",
            plain(case.handling_minutes),
            names.get(case.owner, case.owner) if case.owner else "NOBODY",
        ]
        for step, case in process.edge_cases()
    ]


def assumptions_section(body: etree._Element, comparison: Comparison, redesign: Redesign) -> None:
    """The assumptions page: volume, FTE hours and how minutes are weighed, then the roles,
    running costs, edge cases and branch probabilities the figures rest on."""
    section = add(body, "section", cls="page")
    add(section, "h2", "Assumptions")
    _basis(section, comparison)
    add(section, "h3", "Roles: cost per hour and headcount, current \u2192 redesigned")
    currency = f" ({comparison.currency})" if comparison.currency else ""
    table(
        section,
        ["role", "kind", f"cost per hour{currency}", "headcount"],
        _role_rows(redesign),
        numeric=(2, 3),
    )
    running = _running_rows(redesign)
    if running:
        add(section, "h3", "Running costs of AI and system steps")
        table(
            section,
            ["version", "step", f"per run{currency}", f"per month{currency}"],
            running,
            numeric=(2, 3),
        )
    for title, process in (("current", redesign.current), ("redesigned", redesign.redesigned)):
        add(section, "h3", f"Edge cases of the {title} process")
        rows = _case_rows(process, role_names(redesign))
        if rows:
            table(
                section,
                ["step", "edge case", "rate", "handling min", "owner"],
                rows,
                numeric=(2, 3),
            )
        else:
            add(section, "p", "None modelled.", cls="note")
    branches = _branch_rows(redesign)
    if branches:
        add(section, "h3", "Branch probabilities")
        table(section, ["version", "decision", "branch", "share of cases"], branches, numeric=(3,))


def _basis(section: etree._Element, comparison: Comparison) -> None:
    """The list of what every figure assumes: the volume, an FTE's hours, how minutes are
    weighed."""
    volume = comparison.volume_per_month
    facts = add(section, "ul")
    add(
        facts,
        "li",
        f"Volume: {plain(volume, 0)} cases a month."
        if volume is not None
        else "No volume given: monthly hours, FTE and cost are left out.",
    )
    add(facts, "li", f"One FTE gives {plain(comparison.hours_per_fte_month, 0)} hours a month.")
    add(
        facts,
        "li",
        "Minutes per case weigh each step by the share of cases that reach it (branch "
        "probabilities below); exception minutes are rate \u00d7 handling minutes; cycle time "
        "is waits plus touch time along the slowest path.",
    )


def _branch_rows(redesign: Redesign) -> list[list[Cell]]:
    """(version, decision, branch, share of cases) of every gateway branch of both sides."""
    return [
        [
            title,
            gateway.name or gateway.id,
            branch.label or branch.to,
            percent(branch.probability) if branch.probability is not None else gateway.kind,
        ]
        for title, process in (("current", redesign.current), ("redesigned", redesign.redesigned))
        for gateway in process.gateways
        for branch in gateway.branches
    ]
