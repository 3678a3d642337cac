"""The steering-committee report: one self-contained HTML file.

Headline numbers (before → after), the committee view (the redesign on one slide, or a few),
who owns the failures and what to do about each, the before, after and diff diagrams (inline
SVG), the step-by-step table, hand-offs, workload by role and
the assumptions behind the numbers. Inline CSS, no script, no request to anywhere; prints on
A4 landscape with each diagram on its own page. The same input gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata, resources

from lxml import etree

from lastmile_flows.analysis.comparison import Comparison, compare
from lastmile_flows.analysis.findings import Finding
from lastmile_flows.layout.backend import Backend
from lastmile_flows.model import Redesign
from lastmile_flows.publish.diagrams import DIAGRAMS, committee_slides_section, diagram_pages
from lastmile_flows.publish.html import Cell, add, code, serialise, table
from lastmile_flows.publish.tables import (
    ARROW,
    assumptions_section,
    role_names,
    step_section,
    workload_section,
)
from lastmile_flows.report.headlines import gap_sentence, headlines, is_ownership
from lastmile_flows.report.numbers import plural

__all__ = ["committee_report"]

UNOWNED = frozenset(
    {
        "edge_case.no_owner",
        "edge_case.owner_removed",
        "edge_case.dropped",
        "edge_case.owner_not_human",
        "ai.no_fallback",
    }
)
"""Rules whose finding, at whatever severity it is configured, means a failure lacks a staffed
owner: the report then never says that every failure has one."""
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
    _summary(body, comparison, redesign, backend)
    _findings(body, comparison)
    for view, title in DIAGRAMS:
        diagram_pages(body, comparison, view, title, backend)
    names = role_names(redesign)
    step_section(body, comparison, names)
    workload_section(body, comparison, names)
    assumptions_section(body, comparison, redesign)
    version = metadata.version("lastmile_flows")
    made = f"Made by lastmile_flows {version}" + (f" from {source}" if source else "")
    add(body, "footer", made + ".")
    return serialise(document)


def _summary(
    body: etree._Element, comparison: Comparison, redesign: Redesign, backend: str | Backend
) -> None:
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
    errors = comparison.findings_at_or_above("error")
    warnings = len(comparison.findings_at_or_above("warning")) - len(errors)
    unowned = sum(1 for f in errors if is_ownership(f))
    if errors:
        about = f", {unowned} of them failures that nobody staffed would handle" if unowned else ""
        add(
            body,
            "p",
            f"{plural(len(errors), 'error')}{about}, and {plural(warnings, 'warning')}. "
            "Resolve the errors before launch: each finding below says what to do.",
            cls="verdict bad",
        )
    else:
        owned = not any(f.name in UNOWNED for f in comparison.findings)
        text = "No errors" + (
            f"; {plural(warnings, 'warning')} to look at below" if warnings else ""
        )
        if owned:
            text += ": every edge case and AI failure has a staffed owner"
        add(body, "p", text + ".", cls="verdict warn" if warnings or not owned else "verdict")
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
        value = add(card, "div", cls="value")
        add(value, "span", found.before).tail = ARROW
        add(value, "span", found.after)
        add(card, "div", found.change, cls="change")
    committee_slides_section(body, comparison, redesign, backend)
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
        todo = add(None, "span", finding.remedy, cls="todo")
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
