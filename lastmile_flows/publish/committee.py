"""The steering-committee report: one self-contained HTML file.

Headline numbers (before → after), who owns the failures and what to do about each, the before,
after and diff diagrams (inline SVG), the step-by-step table, hand-offs, workload by role and
the assumptions behind the numbers. Inline CSS, no script, no request to anywhere; prints on
A4 landscape with each diagram on its own page. The same input gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from importlib import metadata, resources

from lxml import etree

from lastmile_flows.analysis.comparison import Comparison, compare
from lastmile_flows.analysis.findings import Finding
from lastmile_flows.analysis.metrics import Metrics
from lastmile_flows.analysis.rules import rule
from lastmile_flows.model import Process, Redesign
from lastmile_flows.publish.html import (
    Cell,
    add,
    code,
    inline_svg,
    serialise,
    svg_window,
    table,
    view_box,
)
from lastmile_flows.render import theme
from lastmile_flows.render.api import render_svg
from lastmile_flows.render.backend import Backend
from lastmile_flows.report.headlines import CHANGE_WORDS, gap_sentence, headlines, is_ownership
from lastmile_flows.report.numbers import percent, plain, plural

__all__ = ["committee_report"]

ARROW = " \u2192 "
DASH = "\u2014"
DIAGRAMS = (
    ("before", "Before: the current process"),
    ("after", "After: the redesigned process"),
    ("diff", "What the redesign changes"),
)
PRINT_AREA = (774.0, 470.0)
"""The points an A4 landscape page gives a diagram: 273 mm wide, 166 mm under its heading."""
PRINT_SCALE = 0.5
"""The smallest scale a diagram prints at in detail: 13 pt step labels print at 6.5 pt."""
OVERLAP = 0.04
KEY_FIGURES = (
    "Human work per case (min)",
    "FTE needed",
    "Labour cost a month",
    "Cycle time, slowest path",
    "Review of AI output per case (min)",
    "  of which nobody owns (min)",
)


def committee_report(
    subject: Redesign | Comparison,
    *,
    backend: str | Backend = "wasm",
    volume_per_month: float | None = None,
    hours_per_fte_month: float | None = None,
    severity: Mapping[str, str] | None = None,
    source: str = "",
) -> str:
    """The report of a redesign (or of a comparison made with :func:`compare`) as HTML text.

    The options are :func:`compare`'s, for a :class:`Redesign`; ``source`` names the model
    file in the footer.
    """
    if isinstance(subject, Redesign):
        comparison = compare(
            subject,
            volume_per_month=volume_per_month,
            hours_per_fte_month=hours_per_fte_month,
            severity=severity,
        )
    else:
        comparison = subject
    redesign = comparison.sources
    if redesign is None:
        raise TypeError(
            "the report draws diagrams: give a Redesign, or a comparison from compare()"
        )
    document = add(None, "html", lang="en")
    head = add(document, "head")
    add(head, "meta", charset="utf-8")
    add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    add(head, "title", f"{comparison.name}: what the redesign changes")
    style = add(head, "style")
    style.text = resources.files(__package__).joinpath("report.css").read_text("utf-8")
    body = add(document, "body")
    _summary(body, comparison, redesign)
    _findings(body, comparison)
    for view, title in DIAGRAMS:
        _diagram(body, comparison, view, title, backend)
    _steps(body, comparison)
    _workload(body, comparison)
    _assumptions(body, comparison, redesign)
    version = metadata.version("lastmile_flows")
    made = f"Made by lastmile_flows {version}" + (f" from {source}" if source else "")
    add(body, "footer", made + ".")
    return serialise(document)


def _summary(body: etree._Element, comparison: Comparison, redesign: Redesign) -> None:
    header = add(body, "header")
    add(header, "h1", f"{comparison.name}: what the redesign changes")
    current, redesigned = comparison.current, comparison.redesigned
    add(
        header,
        "p",
        f"{current.name} ({current.version or 'current'}){ARROW}"
        f"{redesigned.name} ({redesigned.version or 'redesigned'})",
        cls="sub",
    )
    if redesign.description:
        add(header, "p", redesign.description)
    ownership = [f for f in comparison.findings if is_ownership(f)]
    errors = [f for f in ownership if f.severity == "error"]
    warnings = [f for f in ownership if f.severity == "warning"]
    if errors:
        add(
            body,
            "p",
            f"{plural(len(errors), 'failure-ownership error')}: exceptions or AI failures that "
            "nobody staffed would handle. Resolve them before launch (below: what to do).",
            cls="verdict bad",
        )
    elif warnings:
        add(
            body,
            "p",
            f"Every failure has a staffed owner; {plural(len(warnings), 'warning')} to look at.",
            cls="verdict warn",
        )
    else:
        add(body, "p", "Every edge case and AI failure has a staffed owner.", cls="verdict")
    rows = {h.label: h for h in headlines(comparison)}
    cards = add(body, "div", cls="cards")
    for label in KEY_FIGURES:
        found = rows.get(label)
        if found is None:
            continue
        card = add(cards, "div", cls="card")
        add(
            card,
            "div",
            "Exception work nobody owns (min)" if "nobody" in label else label,
            cls="label",
        )
        add(card, "div", f"{found.before}{ARROW}{found.after}", cls="value")
        add(card, "div", found.change, cls="change")
    add(body, "h2", "Headline numbers")
    table(
        body,
        ["", "current", "redesigned", "change"],
        ([h.label.strip(), h.before, h.after, h.change] for h in rows.values()),
        numeric=(1, 2, 3),
    )
    paragraph = add(body, "p")
    add(paragraph, "strong", "Productivity gap. ").tail = gap_sentence(comparison)


def _ids(finding: Finding) -> etree._Element:
    cell = add(None, "span")
    for index, ident in enumerate(finding.element_ids):
        code(cell, ident).tail = ", " if index < len(finding.element_ids) - 1 else None
    return cell


def _finding_rows(findings: list[Finding]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for finding in findings:
        badge = add(None, "span", finding.severity, cls=f"severity {finding.severity}")
        meaning = finding.message + ("" if finding.introduced else " (already so today)")
        name = add(None, "span", f"{finding.code} ")
        code(name, finding.name)
        todo = add(None, "span", rule(finding.name).remedy, cls="todo")
        rows.append([badge, name, meaning, _ids(finding), todo])
    return rows


def _findings(body: etree._Element, comparison: Comparison) -> None:
    header = ["severity", "finding", "what it means", "elements", "what to do"]
    section = add(body, "section", cls="page")
    ownership = [f for f in comparison.findings if is_ownership(f)]
    add(section, "h2", "Who owns the failures")
    if ownership:
        table(section, header, _finding_rows(ownership))
    else:
        add(section, "p", "Every edge case has a staffed owner.")
    others = [f for f in comparison.findings if not is_ownership(f)]
    add(section, "h2", "Other findings")
    if others:
        table(section, header, _finding_rows(others))
    else:
        add(section, "p", "None.")


def _legend(section: etree._Element) -> None:
    legend = add(section, "div", cls="legend")
    for change, style in theme.CHANGE_STYLE.items():
        item = add(legend, "span")
        add(
            item, "span", cls="swatch", style=f"background:{style.fill};border-color:{style.border}"
        )
        item[-1].tail = CHANGE_WORDS[change]
    item = add(legend, "span")
    add(item, "span", cls="swatch", style=f"background:#ffffff;border-color:{theme.HANDOFF_ADDED}")
    item[-1].tail = "new hand-off (orange line)"
    for level, style in theme.SEVERITY_STYLE.items():
        item = add(legend, "span")
        add(
            item, "span", cls="swatch", style=f"background:{style.fill};border-color:{style.border}"
        )
        item[-1].tail = f"{level} badge"


def _diagram(
    body: etree._Element, comparison: Comparison, view: str, title: str, backend: str | Backend
) -> None:
    section = add(body, "section", cls="diagram", id=f"{view}-diagram")
    add(section, "h2", title)
    if view == "diff":
        _legend(section)
    svg = render_svg(comparison, view=view, backend=backend)  # type: ignore[arg-type]
    drawing = inline_svg(svg, view, title)
    section.append(drawing)
    _print_tiles(body, view, title, view_box(drawing))


def tile_boxes(
    box: tuple[float, float, float, float],
) -> list[tuple[float, float, float, float]]:
    """Windows on a drawing, each printed on its own page at a readable scale: none when the
    whole drawing already prints at :data:`PRINT_SCALE` or larger."""
    x, y, width, height = box
    tile_width, tile_height = PRINT_AREA[0] / PRINT_SCALE, PRINT_AREA[1] / PRINT_SCALE
    if width <= tile_width and height <= tile_height:
        return []
    found = []
    for top, tall in _spans(y, height, tile_height):
        for left, wide in _spans(x, width, tile_width):
            found.append((left, top, wide, tall))
    return found


def _spans(start: float, length: float, window: float) -> list[tuple[float, float]]:
    """Windows of at most ``window`` covering ``length``, overlapping by at least 4%."""
    if length <= window:
        return [(start, length)]
    count = math.ceil((length - window * OVERLAP) / (window * (1 - OVERLAP)))
    step = (length - window) / (count - 1)
    return [(start + index * step, window) for index in range(count)]


def _print_tiles(body: etree._Element, view: str, title: str, box: tuple[float, ...]) -> None:
    boxes = tile_boxes(box)  # type: ignore[arg-type]
    for number, part in enumerate(boxes, start=1):
        section = add(body, "section", cls="diagram tile", id=f"{view}-part-{number}")
        heading = f"{title}, part {number} of {len(boxes)}"
        add(section, "h2", heading)
        section.append(svg_window(view, part, heading))


def _step_rows(comparison: Comparison) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for change in comparison.steps:
        kind = CHANGE_WORDS[change.change]
        if change.also:
            kind += " (" + ", ".join(CHANGE_WORDS[a] for a in change.also) + ")"
        if change.ai_mode:
            kind += f", AI {change.ai_mode}s"
        roles = ARROW.join(
            ", ".join(side) or DASH for side in (change.roles_before, change.roles_after)
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


def _steps(body: etree._Element, comparison: Comparison) -> None:
    section = add(body, "section", cls="page")
    add(section, "h2", "Step by step")
    table(
        section,
        ["change", "current", "redesigned", "human min/case", "roles"],
        _step_rows(comparison),
        numeric=(3,),
    )
    add(section, "h3", "Hand-offs between roles")
    changes = comparison.handoffs
    rows: list[list[Cell]] = [
        [title, f"{h.from_role}{ARROW}{h.to_role}", f"{h.from_step}{ARROW}{h.to_step}"]
        for title, items in (("new", changes.added), ("gone", changes.removed))
        for h in items
    ]
    if rows:
        table(section, ["", "roles", "steps"], rows)
    add(section, "p", f"Role pairs that hand off in both versions: {changes.kept}.", cls="note")


def _loads(metrics: Metrics) -> dict[str, tuple[str, str, str]]:
    found = {}
    for load in metrics.roles:
        found[load.role] = (
            plain(load.minutes_per_case),
            plain(load.fte_needed) if load.fte_needed is not None else DASH,
            percent(load.utilisation) if load.utilisation is not None else DASH,
        )
    return found


def _workload(body: etree._Element, comparison: Comparison) -> None:
    metrics = comparison.metrics
    before, after = _loads(metrics.current), _loads(metrics.redesigned)
    empty = (DASH, DASH, DASH)
    add(body, "h2", "Workload by role")
    rows: list[list[Cell]] = []
    for role in dict.fromkeys([*before, *after]):
        pairs = zip(before.get(role, empty), after.get(role, empty), strict=True)
        rows.append([role, *(ARROW.join(pair) for pair in pairs)])
    table(
        body,
        ["role", "minutes per case", "FTE needed", "load on its headcount"],
        rows,
        numeric=(1, 2, 3),
    )


def _role_rows(redesign: Redesign) -> list[list[Cell]]:
    after = {role.id: role for role in redesign.redesigned.roles}
    rows: list[list[Cell]] = []
    roles = {role.id: role for role in (*redesign.current.roles, *redesign.redesigned.roles)}
    for ident, role in roles.items():
        current = next((r for r in redesign.current.roles if r.id == ident), None)
        heads = [
            plain(r.headcount) if r is not None and r.headcount is not None else DASH
            for r in (current, after.get(ident))
        ]
        cost = plain(role.cost_per_hour, 2) if role.cost_per_hour is not None else DASH
        rows.append([role.name or ident, role.kind, cost, ARROW.join(heads)])
    return rows


def _case_rows(process: Process) -> list[list[Cell]]:
    return [
        [
            step.label,
            case.name or case.id,
            percent(case.rate) if case.rate >= 0.01 else f"{case.rate:.2%}",
            plain(case.handling_minutes),
            case.owner or "nobody",
        ]
        for step, case in process.edge_cases()
    ]


def _assumptions(body: etree._Element, comparison: Comparison, redesign: Redesign) -> None:
    section = add(body, "section", cls="page")
    add(section, "h2", "Assumptions")
    volume = comparison.volume_per_month
    facts = add(section, "ul")
    add(
        facts,
        "li",
        f"Volume: {plain(volume, 0)} cases a month."
        if volume
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
    add(section, "h3", "Roles: cost per hour and headcount (current\u2192redesigned)")
    table(
        section,
        ["role", "kind", "cost per hour", "headcount"],
        _role_rows(redesign),
        numeric=(2, 3),
    )
    for title, process in (("current", redesign.current), ("redesigned", redesign.redesigned)):
        add(section, "h3", f"Edge cases of the {title} process")
        rows = _case_rows(process)
        if rows:
            table(
                section,
                ["step", "edge case", "rate", "handling min", "owner"],
                rows,
                numeric=(2, 3),
            )
        else:
            add(section, "p", "None modelled.", cls="note")
    branches: list[list[Cell]] = [
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
    if branches:
        add(section, "h3", "Branch probabilities")
        table(section, ["version", "decision", "branch", "share of cases"], branches, numeric=(3,))
