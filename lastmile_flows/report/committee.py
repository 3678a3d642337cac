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
from lastmile_flows.analysis.headlines import (
    EMPTY_GROUP,
    counted,
    gap_sentence,
    grouped,
    headlines,
    notes,
    version_title,
)
from lastmile_flows.analysis.rules import rule
from lastmile_flows.layout.backend import Backend
from lastmile_flows.model import Redesign
from lastmile_flows.numbers import plural
from lastmile_flows.report.diagrams import DIAGRAMS, committee_slides_section, diagram_pages
from lastmile_flows.report.html import Cell, add, code, serialise, table
from lastmile_flows.report.tables import (
    ARROW,
    assumptions_section,
    role_names,
    step_section,
    workload_section,
)

__all__ = ["committee_report"]

KEY_FIGURES = (
    "human_minutes",
    "fte",
    "labour_cost",
    "total_cost",
    "cycle_time",
    "review_minutes",
    "unowned_cases",
)
"""The headline rows shown as cards, by key, in this order (those the comparison has)."""


LONG_VALUE = 11
"""Characters of a before or after figure past which its card sets it smaller (a figure stays
on one line: "6.9 working days" fits a card at 1024 to 1920 px only so)."""


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
        f"{version_title(current, 'current')}{ARROW}{version_title(redesigned, 'redesigned')}",
        cls="sub",
    )
    if redesign.description:
        add(header, "p", redesign.description)
    _verdict(body, comparison)
    rows = {h.key: h for h in headlines(comparison)}
    cards = add(body, "div", cls="cards")
    for key in KEY_FIGURES:
        found = rows.get(key)
        if found is None:
            continue
        card = add(cards, "div", cls="card")
        add(card, "div", found.label, cls="label")
        long = max(len(found.before), len(found.after)) > LONG_VALUE
        value = add(card, "div", cls="value long" if long else "value")
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
    facts = add(body, "ul", cls="notes")
    for note in notes(comparison):
        add(facts, "li", note)
    paragraph = add(body, "p")
    add(paragraph, "strong", "Productivity gap. ").tail = gap_sentence(comparison)


def _verdict(body: etree._Element, comparison: Comparison) -> None:
    """One sentence over every finding (errors, warnings and info counted), naming how many are
    about failures nobody staffed would handle, whatever their configured severity (from each
    rule's ``unowned``)."""
    findings = list(comparison.findings)
    errors = [f for f in findings if f.severity == "error"]
    unowned = sum(1 for f in findings if rule(f.name).unowned)
    about = (
        f"{plural(unowned, 'finding')} about failures nobody staffed would handle"
        if unowned
        else "every edge case and AI failure has a staffed owner"
    )
    if errors:
        text = (
            f"{counted(findings)}; {about}. Resolve the errors before launch: each finding below "
            "says what to do."
        )
        cls = "verdict bad"
    else:
        text = f"No errors ({counted(findings)}); {about}."
        warned = any(f.severity == "warning" for f in findings)
        cls = "verdict warn" if warned or unowned else "verdict"
    add(body, "p", text, cls=cls)


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
    add(section, "h2", f"Findings ({counted(list(comparison.findings))})")
    for key, title, found in grouped(comparison.findings):
        add(section, "h3", f"{title} ({counted(found)})")
        if found:
            table(section, header, _finding_rows(found))
        else:
            add(section, "p", EMPTY_GROUP[key])
