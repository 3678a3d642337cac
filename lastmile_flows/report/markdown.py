"""The comparison as Markdown, for a pull-request comment or a committee note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lastmile_flows.analysis.headlines import (
    CHANGE_WORDS,
    EMPTY_GROUP,
    counted,
    gap_sentence,
    grouped,
    headlines,
    notes,
    version_title,
)
from lastmile_flows.escape import markdown as md
from lastmile_flows.escape import markdown_code
from lastmile_flows.numbers import plain
from lastmile_flows.report.measured import measured_line, measured_marker

if TYPE_CHECKING:
    from lastmile_flows.analysis.comparison import Comparison
    from lastmile_flows.analysis.findings import Finding

__all__ = ["comparison_markdown"]

DASH = "\u2014"


def _finding_rows(findings: list[Finding]) -> list[str]:
    rows = [
        "| severity | finding | elements | what it means | what to do |",
        "|---|---|---|---|---|",
    ]
    for finding in findings:
        ids = ", ".join(markdown_code(i) for i in finding.element_ids)
        new = "" if finding.introduced else " (already so today)"
        rows.append(
            f"| **{finding.severity}** | {finding.code} `{finding.name}` | {ids} | "
            f"{md(finding.message)}{md(new)} | {md(finding.remedy)} |"
        )
    return rows


def _steps(ids: tuple[str, ...], names: tuple[str, ...]) -> str:
    return "; ".join(
        f"{md(name)} ({markdown_code(i)})" if name != i else markdown_code(i)
        for i, name in zip(ids, names, strict=True)
    )


def comparison_markdown(comparison: Comparison) -> str:
    """Headline numbers, ownership findings, other findings, the step table, hand-offs."""
    lines = [f"## {md(comparison.name)}: what the redesign changes", ""]
    lines.append(
        f"{md(version_title(comparison.current, 'current'))} "
        f"\u2192 {md(version_title(comparison.redesigned, 'redesigned'))}"
    )
    lines += ["", "| | current | redesigned | change |", "|---|---:|---:|---:|"]
    lines += [
        f"| {md(h.label.strip())} | {h.before} | {h.after} | {h.change} |"
        for h in headlines(comparison)
    ]
    lines += [""] + [f"- {md(note)}" for note in notes(comparison)]
    lines += ["", f"**Productivity gap.** {md(gap_sentence(comparison))}", ""]
    lines.append(f"### Findings ({counted(list(comparison.findings))})")
    for key, title, found in grouped(comparison.findings):
        lines += ["", f"#### {title} ({counted(found)})", ""]
        lines += _finding_rows(found) if found else [md(EMPTY_GROUP[key])]
    lines += ["", "### Step by step", ""]
    source_line = measured_line(comparison)
    if source_line:
        lines += [md(source_line), ""]
    lines += [
        "| change | current | redesigned | human min/case | roles |",
        "|---|---|---|---:|---|",
    ]
    for change in comparison.steps:
        before = _steps(change.current, change.current_names)
        after = _steps(change.redesigned, change.redesigned_names)
        kind = CHANGE_WORDS[change.change]
        if change.also:
            kind += " (" + ", ".join(CHANGE_WORDS[a] for a in change.also) + ")"
        if change.ai_mode:
            kind += f", AI {change.ai_mode}s"
        roles = " \u2192 ".join(
            ", ".join(markdown_code(r) for r in side) or "\u2014"
            for side in (change.roles_before, change.roles_after)
        )
        minutes = f"{plain(change.human_minutes_before)} \u2192 {plain(change.human_minutes_after)}"
        marker = measured_marker(comparison, change)
        if marker:
            minutes += f" ({md(marker)})"
        lines.append(f"| {kind} | {before or DASH} | {after or DASH} | {minutes} | {roles} |")
    lines += ["", "### Hand-offs", ""]
    for title, items in (("New", comparison.handoffs.added), ("Gone", comparison.handoffs.removed)):
        if items:
            pairs = "; ".join(
                f"{markdown_code(h.from_role)} \u2192 {markdown_code(h.to_role)} "
                f"({markdown_code(h.from_step)} \u2192 {markdown_code(h.to_step)})"
                for h in items
            )
            lines.append(f"- {title}: {pairs}")
    lines.append(f"- Unchanged role pairs: {comparison.handoffs.kept}")
    return "\n".join(lines) + "\n"
